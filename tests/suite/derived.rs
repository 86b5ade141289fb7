//! The derived index kept inside a store generation (`src/derived.rs`),
//! written and read over in-memory stores: the whole view reassembled from
//! it is the view built from the store, its name lookups in the file find
//! what the in-memory index finds, resolution by it says what resolution
//! over the whole view says, and questions asked of the part of the view a
//! walk reads answer as on the whole view. Damaged or foreign files are
//! refused. (The `--store` commands that use it are tested in `store.rs`.)

use super::prebuilt::{lookup_queries, synthetic};
use innograph::answer::{Neighbors, Path as PathAnswer, Platforms};
use innograph::dataset::Files;
use innograph::derived::{self, Derived, Unusable};
use innograph::index::{Match, NameIndex};
use innograph::links::UNIVERSITY;
use innograph::remote::Walk;
use innograph::resolve::{resolve, resolve_among};
use innograph::source::StoreSource;
use innograph::view::View;
use std::path::PathBuf;

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "innograph-test-{}-derived-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// The view of `files` and its index written to a new folder and opened.
fn written(files: &Files, name: &str) -> (View, Derived, PathBuf) {
    let source = StoreSource::load(files).expect("the data loads");
    let view = View::build(&source).expect("the view builds");
    let dir = folder(name);
    derived::write(&dir, "gen-7", &view).expect("the index is written");
    let index = Derived::open(&dir, "gen-7").expect("the index opens");
    (view, index, dir)
}

/// Everything the index holds is what the view and its name index hold;
/// every lookup in the file finds what the in-memory index finds.
fn assert_same(view: &View, index: &Derived, step: usize) {
    assert!(view.graph.node_count() > 0 && view.graph.edge_count() > 0);
    assert_eq!(index.parts().expect("the parts read"), view.parts());
    let names_kept = index.name_index().expect("the name index reads");
    assert_eq!(names_kept, NameIndex::build(view));
    let queries = lookup_queries(view);
    for query in queries.iter().step_by(step) {
        for how in [Match::Exact, Match::Prefix, Match::Substring] {
            assert_eq!(
                index.find(how, query).expect("a lookup"),
                names_kept.find(how, query),
                "{how:?} {query:?}"
            );
        }
    }
}

/// The view derived by one scan of a store is the view its queries build.
fn assert_scan_is_build(files: &Files) {
    let source = StoreSource::load(files).expect("the data loads");
    let built = View::build(&source).expect("the view builds");
    let scanned = innograph::scan::view_of(source.store()).expect("the store scans");
    let (a, b) = (scanned.parts(), built.parts());
    assert_eq!(a.schema, b.schema);
    assert_eq!(a.nodes.len(), b.nodes.len());
    for (x, y) in a.nodes.iter().zip(&b.nodes) {
        assert_eq!(x, y);
    }
    assert_eq!(a.edges.len(), b.edges.len());
    for (x, y) in a.edges.iter().zip(&b.edges) {
        assert_eq!(x, y);
    }
    assert_eq!(a, b);
}

#[test]
fn a_scan_of_the_store_gives_the_view_its_queries_give() {
    assert_scan_is_build(&Files::Bundled);
    assert_scan_is_build(&Files::Dir(crate::common::fixture("two-letters")));
    let data = synthetic(400);
    assert_scan_is_build(&Files::Dir(data.clone()));
    let _ = std::fs::remove_dir_all(data);
}

#[test]
fn the_index_of_the_bundled_data_holds_its_view() {
    let (view, index, dir) = written(&Files::Bundled, "bundled");
    assert_eq!(index.generation(), "gen-7");
    assert_same(&view, &index, 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_index_of_a_synthetic_ecosystem_holds_its_view() {
    let data = synthetic(400);
    let (view, index, dir) = written(&Files::Dir(data.clone()), "synthetic");
    assert_same(&view, &index, 7);
    assert_walks_answer_alike(&view, &index, 11);
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(data);
}

/// Resolution by the index gives what resolution over the whole view
/// gives: the same entity, or the same message.
#[test]
fn names_resolve_by_the_index_as_over_the_view() {
    let (view, index, dir) = written(&Files::Bundled, "resolve");
    let mut queries: Vec<String> = [
        "复旦",
        "复旦大学",
        "fudan",
        "tongj",
        "大学",
        "上海",
        "nosuchthing",
        "杨浦",
        "平台",
        "",
        "tongji university",
        "上海理工（USST）",
        "wd:Q495015",
        "  FUDAN ",
    ]
    .map(str::to_owned)
    .to_vec();
    for n in view.graph.node_indices() {
        let node = view.node(n);
        queries.push(node.name_zh.clone());
        queries.push(node.name_en.chars().take(4).collect());
        queries.push(node.id.clone());
    }
    queries.push("长".repeat(501));
    for query in &queries {
        let whole = resolve(&view, query)
            .map(|n| view.node(n).iri.clone())
            .map_err(|e| e.to_string());
        let kept = index.resolve(query, None).map_err(|e| e.to_string());
        assert_eq!(kept, whole, "{query:?}");
        let whole = resolve_among(&view, query, UNIVERSITY)
            .map(|n| view.node(n).iri.clone())
            .map_err(|e| e.to_string());
        let kept = index
            .resolve(query, Some(UNIVERSITY))
            .map_err(|e| e.to_string());
        assert_eq!(kept, whole, "{query:?} among universities");
    }
    assert_walks_answer_alike(&view, &index, 1);
    let _ = std::fs::remove_dir_all(dir);
}

/// From every `step`th entity: `platforms`, `neighbors` (two links, with and
/// without hubs) and `path` to another entity answer on the part a walk
/// reads from the index as on the whole view.
fn assert_walks_answer_alike(view: &View, index: &Derived, step: usize) {
    let nodes: Vec<_> = view.graph.node_indices().collect();
    let mut asked = 0;
    for (i, &n) in nodes.iter().enumerate().step_by(step) {
        let iri = &view.node(n).iri;
        if view.is_a(n, UNIVERSITY) {
            let (part, start) = index.around(iri, &Walk::within(2, false)).expect("a walk");
            assert_eq!(
                Platforms::ask(&part, start, 2),
                Platforms::ask(view, n, 2),
                "platforms of {iri}"
            );
            asked += 1;
        }
        for (depth, hubs) in [(1, true), (2, false), (2, true)] {
            let (part, start) = index
                .around(iri, &Walk::within(depth, hubs))
                .expect("a walk");
            assert_eq!(part.node(start), view.node(n));
            assert_eq!(
                Neighbors::ask(&part, start, depth, !hubs),
                Neighbors::ask(view, n, depth, !hubs),
                "neighbors of {iri}, {depth} links, hubs {hubs}"
            );
        }
        let to = nodes[(i * 7 + 3) % nodes.len()];
        if to != n {
            let other = &view.node(to).iri;
            for hubs in [true, false] {
                let (part, start) = index
                    .around(iri, &Walk::until(other, hubs))
                    .expect("a walk");
                let end = part.node_by_iri(other).expect("the other end is read");
                assert_eq!(
                    PathAnswer::ask(&part, start, end, !hubs),
                    PathAnswer::ask(view, n, to, !hubs),
                    "path from {iri} to {other}, hubs {hubs}"
                );
            }
        }
    }
    assert!(asked > 0, "no university was asked about");
}

#[test]
fn a_missing_foreign_or_damaged_index_is_refused() {
    let (_, _, dir) = written(&Files::Bundled, "refused");
    assert!(matches!(
        Derived::open(&dir, "gen-8"),
        Err(Unusable::Stale(m)) if m.contains("an index of gen-7, not of gen-8")
    ));
    let empty = folder("refused-empty");
    assert!(matches!(
        Derived::open(&empty, "gen-7"),
        Err(Unusable::Missing(_))
    ));
    let path = dir.join(derived::FILE);
    let kept = std::fs::read(&path).expect("the index");
    let cut = kept.len() / 2;
    for damaged in [
        &kept[..10],
        &kept[..cut],
        &[b"innograph-index\n", &u64::MAX.to_le_bytes()[..]].concat()[..],
        &[&b"x"[..], &kept[1..]].concat()[..],
    ] {
        std::fs::write(&path, damaged).expect("writable");
        assert!(
            matches!(Derived::open(&dir, "gen-7"), Err(Unusable::Stale(_))),
            "a damaged index of {} bytes opened",
            damaged.len()
        );
    }
    // Records overwritten with noise: every read fails or reads
    // something, and nothing panics.
    let mut noisy = kept.clone();
    for (i, byte) in noisy.iter_mut().enumerate().skip(cut) {
        *byte = (i % 251) as u8;
    }
    std::fs::write(&path, &noisy).expect("writable");
    if let Ok(index) = Derived::open(&dir, "gen-7") {
        let _ = index.parts();
        let _ = index.name_index();
        let _ = index.resolve("复旦", None);
        let _ = index.resolve("复", Some(UNIVERSITY));
        let _ = index.around("https://example.org/none", &Walk::within(2, true));
    }
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(empty);
}

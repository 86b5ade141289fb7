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
use innograph::index::{Match, NameIndex, normalise};
use innograph::links::UNIVERSITY;
use innograph::remote::Walk;
use innograph::resolve::{self, resolve, resolve_among};
use innograph::source::StoreSource;
use innograph::view::{Node, Parts, View};
use petgraph::graph::NodeIndex;
use std::path::{Path, PathBuf};

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

/// The index the binary carries for the bundled data, read where it lies,
/// holds the view built from the bundled store, and a walk in it answers as
/// the whole view does.
#[test]
fn the_binarys_index_of_the_bundled_data_holds_its_view() {
    let source = StoreSource::load(&Files::Bundled).expect("the data loads");
    let view = View::build(&source).expect("the view builds");
    let (index, _) = innograph::prebuilt::bundled()
        .expect("the binary's prebuilt data")
        .open("the bundled data")
        .expect("its index opens");
    assert_same(&view, &index, 1);
    assert_walks_answer_alike(&view, &index, 1);
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
        "id:tongji",
        "ID:TONGJI",
        "<https://example.org/innograph/id/tongji>",
        "https://example.org/innograph/id/nosuchthing",
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
/// without hubs) and `path` to three others answer on the part a walk
/// reads from the index as on the whole view.
fn assert_walks_answer_alike(view: &View, index: &Derived, step: usize) {
    let nodes: Vec<_> = view.graph.node_indices().collect();
    let (mut asked, mut paths) = (0, 0);
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
        for to in [3, 11, 29].map(|k| nodes[(i * 7 + k) % nodes.len()]) {
            if to == n {
                continue;
            }
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
                paths += usize::from(part.graph.edge_count() > 0);
            }
        }
    }
    assert!(paths > 0, "no path was found");
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
    // An index of an older format (the header's first field, one byte) is
    // named as such.
    let mut older = kept.clone();
    assert_eq!(u32::from(older[24]), derived::FORMAT);
    older[24] -= 1;
    std::fs::write(&path, &older).expect("writable");
    let why = format!(
        "an index of format {}, this innograph reads {}",
        derived::FORMAT - 1,
        derived::FORMAT
    );
    assert!(matches!(
        Derived::open(&dir, "gen-7"),
        Err(Unusable::Stale(m)) if m.contains(&why)
    ));
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

/// A view of one entity per list of names: each list gives the entity's
/// Chinese and English names, then its aliases; ids are `n0`, `n1`...
fn named(entities: &[Vec<String>]) -> View {
    let nodes = entities
        .iter()
        .enumerate()
        .map(|(i, names)| {
            let name = |k: usize| names.get(k).cloned().unwrap_or_default();
            Node {
                iri: format!("https://example.org/innograph/id/n{i}"),
                id: format!("n{i}"),
                kind: "Enterprise".to_owned(),
                name_zh: name(0),
                name_en: name(1),
                aliases: names.iter().skip(2).cloned().collect(),
                search_aliases: Vec::new(),
                same_as: Vec::new(),
            }
        })
        .collect();
    let parts = Parts {
        nodes,
        edges: Vec::new(),
        schema: Default::default(),
    };
    View::from_parts(parts, None).expect("a view of names")
}

/// What each way of looking up `query` finds: in the in-memory index, in
/// the index written to `dir` and searched in the file, and by a scan of
/// every name; the three must agree, and what they find is returned.
fn looked_up(view: &View, dir: &Path, queries: &[String]) -> Vec<[Vec<usize>; 3]> {
    let in_memory = view.clone().with_index();
    let in_memory = in_memory.index().expect("an index");
    derived::write(dir, "gen-1", view).expect("the index is written");
    let on_disk = Derived::open(dir, "gen-1").expect("the index opens");
    assert_eq!(
        on_disk.name_index().expect("the name index reads"),
        *in_memory
    );
    let positions = |found: Vec<NodeIndex>| found.into_iter().map(NodeIndex::index).collect();
    queries
        .iter()
        .map(|query| {
            [Match::Exact, Match::Prefix, Match::Substring].map(|how| {
                let scanned = positions(resolve::scan(view, how, query, &|_| true));
                let memory = positions(in_memory.find(how, query));
                let disk = positions(on_disk.find(how, query).expect("a lookup"));
                assert_eq!(memory, scanned, "in memory, {how:?} {query:?}");
                assert_eq!(disk, scanned, "on disk, {how:?} {query:?}");
                scanned
            })
        })
        .collect()
}

/// Names at both ends of the sorted names and of the suffixes, names that
/// start other names, Chinese, full- and half-width forms, and characters
/// of four bytes in UTF-8: each query (normalised, as resolution does)
/// finds the nodes the table says, exact, by prefix and as a substring,
/// in memory, in the file and by a scan alike.
#[test]
fn lookups_at_the_edges_find_what_a_scan_finds() {
    let entities: Vec<Vec<String>> = [
        &["复旦", "ab"][..],
        &["复旦大学", "abc", "!"],
        &["复旦大学附属", "abcd", "\u{10FFFF}"],
        &["上海理工（USST）", "ＵＳＳＴ", "ｳｪﾌﾞ"],
        &["𠀀𠀁", "a𠀀b"],
        &["", "\u{3000}全角　空格\u{3000}"],
    ]
    .iter()
    .map(|names| names.iter().map(|n| (*n).to_owned()).collect())
    .collect();
    let view = named(&entities);
    // Query, then the nodes found exact, by prefix and as a substring.
    let table: [(&str, [&[usize]; 3]); 19] = [
        ("复旦", [&[0], &[0, 1, 2], &[0, 1, 2]]),
        ("复旦大学", [&[1], &[1, 2], &[1, 2]]),
        ("旦大", [&[], &[], &[1, 2]]),
        ("附属", [&[], &[], &[2]]),
        ("ab", [&[0], &[0, 1, 2], &[0, 1, 2]]),
        ("abcd", [&[2], &[2], &[2]]),
        ("abcde", [&[], &[], &[]]),
        ("bcd", [&[], &[], &[2]]),
        // The first name and suffix, the last, before the first suffix
        // (after the empty name) and past the last.
        ("!", [&[1], &[1], &[1]]),
        ("\u{10FFFF}", [&[2], &[2], &[2]]),
        ("\u{1}", [&[], &[], &[]]),
        ("\u{10FFFF}\u{10FFFF}", [&[], &[], &[]]),
        // Brackets of either width, spaces of either width.
        ("上海理工(usst)", [&[3], &[3], &[3]]),
        ("上海理工（USST）", [&[3], &[3], &[3]]),
        ("usst)", [&[], &[], &[3]]),
        ("ｕｓｓｔ", [&[3], &[3], &[3]]),
        ("ｪﾌ", [&[], &[], &[3]]),
        ("𠀁", [&[], &[], &[4]]),
        ("全角 空格", [&[5], &[5], &[5]]),
    ];
    let queries: Vec<String> = table.iter().map(|(q, _)| normalise(q)).collect();
    let dir = folder("edges");
    let found = looked_up(&view, &dir, &queries);
    for ((query, expected), found) in table.iter().zip(&found) {
        assert_eq!(
            found,
            &expected.map(<[usize]>::to_vec),
            "{query:?}: exact, prefix, substring"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// For random names and queries (pieces of the names among them), a lookup
/// in the file finds what the in-memory index finds, and that is what a
/// scan of every name finds.
#[test]
fn lookups_in_the_file_and_in_memory_are_a_scan() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    // Few characters, so that names share prefixes and pieces: ASCII,
    // Chinese, full- and half-width forms, four-byte characters, the
    // highest one, and what normalisation changes (case, brackets, spaces).
    let char = prop::sample::select(vec![
        'a',
        'b',
        'B',
        ' ',
        '(',
        '（',
        '复',
        '旦',
        '大',
        'Ａ',
        'ｱ',
        '𠀀',
        '\u{3000}',
        '\u{10FFFF}',
    ]);
    let text = prop::collection::vec(char, 0..6).prop_map(String::from_iter);
    let entity = prop::collection::vec(text.clone(), 0..4);
    let case = (
        prop::collection::vec(entity, 1..12),
        prop::collection::vec(text, 0..8),
    );
    let dir = folder("property");
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[14; 32]),
    );
    runner
        .run(&case, |(entities, mut queries)| {
            let view = named(&entities);
            for names in &entities {
                for name in names {
                    let name = normalise(name);
                    let chars: Vec<char> = name.chars().collect();
                    queries.push(chars.iter().take(2).collect());
                    queries.push(chars.iter().skip(chars.len() / 2).take(2).collect());
                    queries.push(name);
                }
            }
            looked_up(&view, &dir, &queries);
            Ok(())
        })
        .expect("every lookup agrees");
    let _ = std::fs::remove_dir_all(dir);
}

/// A literal as `load` takes it from the stream ([`innograph::scan::stored`])
/// is the literal the store gives back, for the datatypes the store keeps
/// as values (in canonical and other forms, and invalid ones) and for
/// those it keeps as text.
#[test]
fn literals_taken_from_the_stream_are_those_the_store_gives_back() {
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
    let xsd = "http://www.w3.org/2001/XMLSchema#";
    let cases: &[(&str, &str)] = &[
        ("007", "integer"),
        ("+7", "int"),
        ("-0", "long"),
        ("12", "nonNegativeInteger"),
        ("255", "unsignedByte"),
        ("1e3", "integer"),
        ("12.50", "decimal"),
        ("+.5", "decimal"),
        ("1", "boolean"),
        ("false", "boolean"),
        ("yes", "boolean"),
        ("1E3", "double"),
        ("0.1", "float"),
        ("INF", "double"),
        ("2023-03-24+00:00", "date"),
        ("2023-03-24", "date"),
        ("2023-3-24", "date"),
        ("2023", "gYear"),
        ("02023", "gYear"),
        ("2023-03", "gYearMonth"),
        ("--03-24", "gMonthDay"),
        ("---24", "gDay"),
        ("--03", "gMonth"),
        ("2023-03-24T08:00:00.000+08:00", "dateTime"),
        ("2023-03-24T08:00:00Z", "dateTimeStamp"),
        ("08:00:00.50", "time"),
        ("P1Y0M", "duration"),
        ("P0D", "dayTimeDuration"),
        ("P12M", "yearMonthDuration"),
        ("007", "string"),
        ("007", "token"),
    ];
    let store = oxigraph::store::Store::new().expect("a store");
    let subject = NamedNode::new("https://example.org/s").expect("an IRI");
    for (value, datatype) in cases {
        let datatype = NamedNode::new(format!("{xsd}{datatype}")).expect("an IRI");
        let literal = Term::Literal(Literal::new_typed_literal(*value, datatype));
        store.clear().expect("cleared");
        let predicate = NamedNode::new("https://example.org/p").expect("an IRI");
        store
            .insert(&Quad::new(
                subject.clone(),
                predicate,
                literal.clone(),
                GraphName::DefaultGraph,
            ))
            .expect("inserted");
        let kept = store
            .iter()
            .next()
            .expect("one quad")
            .expect("it reads")
            .object;
        assert_eq!(innograph::scan::stored(literal.clone()), kept, "{literal}");
    }
    // The language-tagged and plain strings come back as they went in.
    let tagged = Term::Literal(Literal::new_language_tagged_literal_unchecked("复旦", "zh"));
    assert_eq!(innograph::scan::stored(tagged.clone()), tagged);
}

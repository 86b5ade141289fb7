//! The prebuilt bundled data (`data/derived/bundled.postcard`) and the name
//! index: the file is what the bundled CSV makes today, its view is the view
//! rebuilt from the store, at the bundled data and at a synthetic
//! ecosystem, and the index finds what a scan of the names finds.
//! `INNOGRAPH_BLESS=1 cargo test --test main prebuilt` remakes the file.

use crate::common::{innograph, root};
use innograph::dataset::Files;
use innograph::index::{Match, NameIndex, names};
use innograph::prebuilt::{self, BUNDLED_FILE, Prebuilt};
use innograph::resolve::scan;
use innograph::source::StoreSource;
use innograph::view::View;
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn the_prebuilt_bundled_data_is_current() {
    let made = prebuilt::make_bundled().expect("the bundled data loads");
    let path = root().join(BUNDLED_FILE);
    if std::env::var_os("INNOGRAPH_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("data/derived");
        // Renamed into place: the other tests read it meanwhile.
        let next = path.with_extension("postcard.new");
        std::fs::write(&next, &made).expect("data/derived is writable");
        std::fs::rename(&next, &path).expect("data/derived is writable");
    }
    let kept = std::fs::read(&path).unwrap_or_default();
    assert!(
        kept == made,
        "{BUNDLED_FILE} is stale ({} bytes kept, {} made from the data): run \
         `INNOGRAPH_BLESS=1 cargo test --test main prebuilt` and commit it",
        kept.len(),
        made.len()
    );
    assert!(
        prebuilt::bundled().is_some(),
        "the binary ignores {BUNDLED_FILE}: rebuild it after remaking the file"
    );
}

/// The view opened from `prebuilt` is the view built from `source`, and
/// its index the index of that view.
fn assert_same_view(prebuilt: Prebuilt, source: &StoreSource) {
    let rebuilt = View::build(source).expect("the view builds");
    let (derived, _) = prebuilt.open("test").expect("the prebuilt graph opens");
    let view = derived.view().expect("the prebuilt view reads");
    let (a, b) = (view.parts(), rebuilt.parts());
    for (x, y) in a.nodes.iter().zip(&b.nodes) {
        assert_eq!(x, y);
    }
    for (x, y) in a.edges.iter().zip(&b.edges) {
        assert_eq!(x, y);
    }
    assert_eq!(a.schema, b.schema);
    assert!(view.graph.node_count() > 0 && view.graph.edge_count() > 0);
    assert_eq!(
        view.parts(),
        rebuilt.parts(),
        "prebuilt view and rebuilt view differ"
    );
    assert_eq!(
        view.index(),
        Some(&NameIndex::build(&rebuilt)),
        "prebuilt name index and rebuilt one differ"
    );
}

#[test]
fn the_prebuilt_view_is_the_view_of_the_store() {
    let kept = std::fs::read(root().join(BUNDLED_FILE)).expect("the prebuilt file");
    let prebuilt = Prebuilt::decode(&kept).expect("the prebuilt file decodes");
    let source = StoreSource::load(&Files::Bundled).expect("the bundled data loads");
    // Its triples make a store whose view is the same again.
    let copy = prebuilt.clone().into_store("copy").expect("a store");
    assert_eq!(
        copy.store().len().expect("a count"),
        source.store().len().expect("a count")
    );
    assert_same_view(prebuilt.clone(), &source);
    assert_same_view(prebuilt, &copy);
}

/// A synthetic ecosystem of `entities` entities, written by `examples/synth.rs`.
pub(crate) fn synthetic(entities: usize) -> PathBuf {
    // The test binary is in target/<profile>/deps; examples beside it.
    let exe = std::env::current_exe().expect("the test binary");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let synth = profile.join("examples").join("synth");
    if !synth.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "synth"])
            .current_dir(root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cannot build examples/synth.rs");
    }
    let out = std::env::temp_dir().join(format!(
        "innograph-test-{}-synth-{entities}",
        std::process::id()
    ));
    let status = Command::new(&synth)
        .args(["--entities", &entities.to_string(), "--seed", "3", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("synth runs");
    assert!(status.success(), "synth failed");
    out
}

#[test]
fn a_prebuilt_synthetic_ecosystem_is_the_view_of_its_store() {
    let dir = synthetic(400);
    let source = StoreSource::load(&Files::Dir(dir.clone())).expect("the synthetic data loads");
    let made = Prebuilt::make(&source, 7).expect("prebuilt");
    let bytes = made.encode();
    let read = Prebuilt::decode(&bytes).expect("decodes");
    assert_eq!(read, made);
    assert_eq!(read.data_hash(), 7);
    assert_same_view(read, &source);
    assert_index_finds_what_a_scan_finds(&View::build(&source).expect("view"), 13);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_damaged_prebuilt_file_is_refused() {
    let kept = std::fs::read(root().join(BUNDLED_FILE)).expect("the prebuilt file");
    assert!(Prebuilt::decode(&kept[..kept.len() / 2]).is_err());
    assert!(Prebuilt::decode(&[&kept[..], &[0]].concat()).is_err());
    assert!(Prebuilt::decode(b"").is_err());
}

/// What the name-index tests look up: every name of every node, its first
/// two characters and three from its middle, and three that find little
/// or nothing; sorted, without repeats.
pub(crate) fn lookup_queries(view: &View) -> Vec<String> {
    let mut queries = vec!["zzz-none".to_owned(), "大学".to_owned(), "(".to_owned()];
    for n in view.graph.node_indices() {
        for name in names(view, n) {
            let chars: Vec<char> = name.chars().collect();
            queries.push(chars.iter().take(2).collect());
            queries.push(chars.iter().skip(chars.len() / 2).take(3).collect());
            queries.push(name);
        }
    }
    queries.sort();
    queries.dedup();
    queries.retain(|q| !q.is_empty());
    queries
}

/// For every name of every node, its first characters and a piece from
/// its middle (every `step`th of these queries): the index and a scan
/// find the same nodes, each way.
fn assert_index_finds_what_a_scan_finds(view: &View, step: usize) {
    let indexed = view.clone().with_index();
    let index = indexed.index().expect("an index");
    let queries = lookup_queries(view);
    for query in queries.iter().step_by(step) {
        for how in [Match::Exact, Match::Prefix, Match::Substring] {
            assert_eq!(
                index.find(how, query),
                scan(view, how, query, &|_| true),
                "{how:?} {query:?}"
            );
        }
    }
}

#[test]
fn the_name_index_finds_what_a_scan_finds() {
    let source = StoreSource::load(&Files::Bundled).expect("the bundled data loads");
    assert_index_finds_what_a_scan_finds(&View::build(&source).expect("view"), 1);
}

#[test]
fn answers_from_the_prebuilt_data_are_those_of_the_csv() {
    for args in [
        &["platforms", "复旦大学"][..],
        &["show", "tongji"],
        &["neighbors", "杨浦区", "--format", "json"],
        &["path", "fudan", "zhangjiang-lab"],
        &["stats"],
        &["platforms", "tongj"],
        &["show", "大学"],
        &["show", "nosuchthing"],
    ] {
        let prebuilt = innograph(args);
        let mut csv = innograph(args.iter().chain(&["--data", "data"]));
        csv.stdout = csv
            .stdout
            .replace("Source: data\n", "Source: the bundled data\n");
        assert_eq!(
            (prebuilt.code, &prebuilt.stdout, &prebuilt.stderr),
            (csv.code, &csv.stdout, &csv.stderr),
            "{args:?}"
        );
    }
}

#[test]
fn answers_from_the_view_build_no_store() {
    use innograph::answer::{Answer, Neighbors, Path, Platforms};
    use innograph::resolve::{resolve, resolve_among};
    use innograph::source::{GraphSource, Request};
    let (derived, source) = prebuilt::bundled()
        .expect("the binary's prebuilt data")
        .open("the bundled data")
        .expect("opens");
    let view = derived.view().expect("the view reads");
    let fudan = resolve_among(&view, "复旦", innograph::links::UNIVERSITY).expect("fudan");
    let yangpu = resolve(&view, "杨浦区").expect("yangpu");
    assert!(!Platforms::ask(&view, fudan, 1).is_empty());
    assert!(!Neighbors::ask(&view, yangpu, 1, false).is_empty());
    assert!(!Path::ask(&view, fudan, yangpu, false).is_empty());
    assert!(
        !source.has_store(),
        "an answer from the view built the store"
    );
    source
        .run(&Request::new("ASK { ?s ?p ?o }", "test"))
        .expect("a query runs");
    assert!(source.has_store());
}

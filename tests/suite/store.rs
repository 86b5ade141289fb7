//! The on-disk store (feature `rocksdb`): `innograph load` builds and extends
//! it, every read command answers from it as from the CSV data, and a load
//! is atomic: bad input or a killed process leaves the previous content.

#![cfg(feature = "rocksdb")]

use crate::common;

use common::{STORE_QUESTIONS as QUESTIONS, arg, fixture, innograph};
use innograph::derived::FILE as INDEX;
use innograph::store::DiskStore;
use innograph::view::View;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("store-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("the scratch folder can be made");
    dir
}

/// The number of triples the store holds, as `innograph query` counts them.
fn count(store: &Path) -> u64 {
    let run = innograph([
        "query",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--format",
        "csv",
        "--store",
        arg(store),
    ])
    .ok();
    run.stdout
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count in {:?}", run.stdout))
}

fn load(store: &Path, args: &[&str]) -> common::Run {
    let mut all = vec!["load", "--store", arg(store)];
    all.extend_from_slice(args);
    innograph(all)
}

fn generations(store: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(store)
        .expect("the store is a folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_read_command_answers_from_the_store_as_from_the_csv_data() {
    let store = scratch("read");
    let mini = fixture("mini");
    let run = load(&store, &["--data", arg(&mini)]).ok();
    assert!(run.stdout.starts_with("loaded "), "{}", run.stdout);
    for command in [
        &["platforms", "uni-a"][..],
        &["platforms", "甲大学", "--depth", "3", "--format", "json"],
        &["entities"],
        &["show", "platform"],
        &["export"],
        &["query", "platforms-of-university", "--format", "csv"],
    ] {
        let from_csv = innograph(command.iter().copied().chain(["--data", arg(&mini)])).ok();
        let from_store = innograph(command.iter().copied().chain(["--store", arg(&store)])).ok();
        assert_eq!(from_store.stdout, from_csv.stdout, "innograph {command:?}");
    }
    let stats = innograph(["stats", "--store", arg(&store)]).ok();
    assert!(stats.stdout.contains(arg(&store)), "{}", stats.stdout);
    assert_eq!(generations(&store), ["gen-1"]);
}

#[test]
fn rdf_files_extend_the_store_plain_or_gzipped() {
    let store = scratch("extend");
    load(&store, &["--data", arg(&fixture("mini"))]).ok();
    let before = count(&store);
    let ttl = store.with_file_name("store-extend-extra.ttl");
    fs::write(
        &ttl,
        "@prefix ex: <https://example.org/extra/> .\nex:a ex:p ex:b , ex:c .\nex:b ex:p \"一\"@zh .\n",
    )
    .expect("write Turtle");
    let nt_gz = store.with_file_name("store-extend-extra.nt.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"<https://example.org/extra/d> <https://example.org/extra/p> <https://example.org/extra/e> .\n")
        .expect("compress");
    fs::write(&nt_gz, gz.finish().expect("compress")).expect("write .nt.gz");
    let run = load(&store, &["--rdf", arg(&ttl), arg(&nt_gz)]).ok();
    assert!(run.stdout.contains("loaded 4 triples"), "{}", run.stdout);
    assert_eq!(count(&store), before + 4);
    assert_eq!(
        generations(&store),
        ["gen-2"],
        "old generations are removed"
    );
    // Loading the same triples again changes nothing: the store is a set.
    load(&store, &["--rdf", arg(&ttl)]).ok();
    assert_eq!(count(&store), before + 4);
}

#[test]
fn a_bad_rdf_file_is_reported_in_full_and_the_store_keeps_its_content() {
    let store = scratch("bad-rdf");
    load(&store, &["--data", arg(&fixture("mini"))]).ok();
    let before = count(&store);
    let good = store.with_file_name("store-bad-rdf-good.nt");
    fs::write(
        &good,
        "<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n",
    )
    .expect("write");
    let bad = store.with_file_name("store-bad-rdf-bad.nt");
    fs::write(
        &bad,
        "<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n\
         <https://example.org/a> <https://example.org/p> <https://example.org/b c> .\n\
         <https://example.org/a> <https://example.org/p> <https://example.org/c> .\n\
         <https://example.org/a> no-iri <https://example.org/d> .\n",
    )
    .expect("write");
    let run = load(&store, &["--rdf", arg(&good), arg(&bad)]).failed();
    for line in [2, 4] {
        let at = format!("{}:{line}:", bad.display());
        assert!(
            run.stderr.contains(&at),
            "no error at {at}:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("previous content"), "{}", run.stderr);
    assert_eq!(count(&store), before, "nothing of the good file was loaded");
    assert_eq!(generations(&store), ["gen-1"]);
}

#[test]
fn a_bad_csv_row_is_reported_and_the_store_keeps_its_content() {
    let store = scratch("bad-csv");
    load(&store, &["--data", arg(&fixture("mini"))]).ok();
    let before = count(&store);
    let data = store.with_file_name("store-bad-csv-data");
    let _ = fs::remove_dir_all(&data);
    fs::create_dir_all(&data).expect("mkdir");
    for entry in fs::read_dir(fixture("mini")).expect("fixture") {
        let path = entry.expect("entry").path();
        fs::copy(&path, data.join(path.file_name().expect("name"))).expect("copy");
    }
    let relations = data.join("relations.csv");
    let mut text = fs::read_to_string(&relations).expect("read");
    text.push_str("uni-a,cobuilds,nobody,letter,一,甲大学与乙区共建智能平台,stated,,\n");
    text.push_str("uni-a,serves,platform,letter,一,words the letter never wrote,stated,,\n");
    fs::write(&relations, text).expect("write");
    let run = load(&store, &["--data", arg(&data)]).failed();
    let lines = fs::read_to_string(&relations)
        .expect("read")
        .lines()
        .count();
    for line in [lines - 1, lines] {
        let at = format!("relations.csv:{line}:");
        assert!(
            run.stderr.contains(&at),
            "no error at {at}:\n{}",
            run.stderr
        );
    }
    assert_eq!(count(&store), before);
}

#[test]
fn a_killed_load_leaves_the_previous_content() {
    let store = scratch("killed");
    load(&store, &["--data", arg(&fixture("mini"))]).ok();
    let before = count(&store);
    // Large enough that the load is still streaming when it is killed.
    let big = store.with_file_name("store-killed-big.nt");
    let mut file = std::io::BufWriter::new(fs::File::create(&big).expect("create"));
    for i in 0..3_000_000 {
        writeln!(
            file,
            "<https://example.org/e{i}> <https://example.org/p{}> \"value {i}\" .",
            i % 7
        )
        .expect("write");
    }
    file.flush().expect("flush");
    drop(file);
    let mut child = crate::common::command()
        .args(["load", "--store", arg(&store), "--rdf", arg(&big)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("innograph runs");
    let staging = store.join("gen-2.tmp");
    let started = Instant::now();
    while !staging.join("CURRENT").exists() {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the load ended before it was killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the load never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the load ended before it was killed: make the input larger"
    );
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert_eq!(count(&store), before);
    // The previous generation keeps its index, and commands use it.
    assert!(store.join("gen-1").join(INDEX).is_file());
    let run = innograph(["show", "uni-a", "--store", arg(&store)]).ok();
    assert_eq!(run.stderr, "", "the index of gen-1 was not used");
    // The next load cleans up after the killed one.
    let extra = store.with_file_name("store-killed-extra.nt");
    fs::write(
        &extra,
        "<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n",
    )
    .expect("write");
    load(&store, &["--rdf", arg(&extra)]).ok();
    assert_eq!(count(&store), before + 1);
    assert_eq!(generations(&store), ["gen-2"]);
}

#[test]
fn reading_a_folder_without_a_store_says_how_to_make_one() {
    let empty = scratch("empty");
    let run = innograph(["stats", "--store", arg(&empty)]).failed();
    assert!(
        run.stderr.contains("innograph load --store"),
        "{}",
        run.stderr
    );
    let run = innograph(["load", "--store", arg(&empty)]).failed();
    assert!(run.stderr.contains("nothing to load"), "{}", run.stderr);
    let run = innograph([
        "stats",
        "--store",
        arg(&empty),
        "--data",
        arg(&fixture("mini")),
    ])
    .failed();
    assert!(run.stderr.contains("not both"), "{}", run.stderr);
}

/// The line a command prints when the store has no usable index.
const NOTICE: &str = "rebuilding the view from the store";

/// Each command's status, output and messages over `store`, and whether
/// it printed the notice (removed from its messages).
fn answers(store: &Path, commands: &[&[&str]]) -> Vec<(i32, String, String, bool)> {
    commands
        .iter()
        .map(|command| {
            let run = innograph(command.iter().copied().chain(["--store", arg(store)]));
            let (notices, others): (Vec<&str>, Vec<&str>) =
                run.stderr.lines().partition(|l| l.contains(NOTICE));
            assert!(notices.len() <= 1, "the notice twice: {}", run.stderr);
            (
                run.code,
                run.stdout.clone(),
                others.join("\n"),
                !notices.is_empty(),
            )
        })
        .collect()
}

#[test]
fn commands_answer_alike_with_and_without_the_index() {
    let store = scratch("index");
    load(&store, &["--data", "data"]).ok();
    let index = store.join("gen-1").join(INDEX);
    assert!(index.is_file(), "load wrote no index");
    let with = answers(&store, &QUESTIONS);
    assert!(
        with.iter().all(|a| !a.3),
        "a notice with the index: {with:?}"
    );
    assert!(with.iter().filter(|a| a.0 == 0).count() >= 8, "{with:?}");
    fs::remove_file(&index).expect("the index can be removed");
    let without = answers(&store, &QUESTIONS);
    for ((question, with), without) in QUESTIONS.iter().zip(&with).zip(&without) {
        assert_eq!(
            (with.0, &with.1, &with.2),
            (without.0, &without.1, &without.2),
            "innograph {question:?}"
        );
    }
    // Every command that resolves a name or reads the view says why it is
    // slower; the named query, which needs neither, does not.
    let last = QUESTIONS.len() - 1;
    assert!(without[..last].iter().all(|a| a.3), "{without:?}");
    assert!(!without[last].3, "{without:?}");
    // A load on a store without an index writes one for the new generation.
    let extra = store.with_file_name("store-index-extra.nt");
    fs::write(
        &extra,
        "<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n",
    )
    .expect("write");
    load(&store, &["--rdf", arg(&extra)]).ok();
    let index = store.join("gen-2").join(INDEX);
    assert!(index.is_file());
    // The same answers, but for the counts of triples, one more now.
    let extended = answers(&store, &QUESTIONS);
    for ((question, with), extended) in QUESTIONS.iter().zip(&with).zip(&extended) {
        if question[0] != "stats" {
            assert_eq!(with, extended, "innograph {question:?}");
        }
    }
    // An index of an older format is set aside alike, with a notice that
    // says why. The header's first field is its format, a one-byte varint.
    let mut older = fs::read(&index).expect("the index reads");
    assert_eq!(u32::from(older[24]), innograph::derived::FORMAT);
    older[24] -= 1;
    fs::write(&index, &older).expect("the index can be written");
    let stale = answers(&store, &QUESTIONS);
    for ((question, with), stale) in QUESTIONS.iter().zip(&with).zip(&stale) {
        if question[0] != "stats" {
            assert_eq!(
                (with.0, &with.1, &with.2),
                (stale.0, &stale.1, &stale.2),
                "innograph {question:?}"
            );
        }
    }
    assert!(stale[..last].iter().all(|a| a.3), "{stale:?}");
    let run = innograph(["show", "fudan", "--store", arg(&store)]);
    let why = format!(
        "an index of format {}, this innograph reads {}",
        innograph::derived::FORMAT - 1,
        innograph::derived::FORMAT
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("note: ") && l.contains(&why) && l.contains(NOTICE)),
        "{}",
        run.stderr
    );
}

#[test]
fn the_index_holds_the_view_of_its_generation() {
    let store = scratch("index-view");
    for data in [root_data(), fixture("two-letters")] {
        load(&store, &["--data", arg(&data)]).ok();
        let disk = DiskStore::new(&store);
        let reader = disk.reader().expect("the store opens");
        let index = reader.index().expect("the index opens");
        let view = View::build(reader.source().expect("the store opens")).expect("a view");
        assert_eq!(index.parts().expect("the index reads"), view.parts());
        assert_eq!(
            index.name_index().expect("the names read"),
            innograph::index::NameIndex::build(&view)
        );
    }
    // An index left from another generation is not used.
    let (two, three) = (store.join("gen-2"), store.join("gen-3"));
    fs::rename(&two, &three).expect("rename");
    fs::write(store.join("CURRENT"), "gen-3\n").expect("write");
    let run = innograph(["show", "uni", "--store", arg(&store)]).ok();
    assert!(
        run.stderr.contains("an index of gen-2, not of gen-3"),
        "{}",
        run.stderr
    );
}

fn root_data() -> PathBuf {
    common::root().join("data")
}

/// The bundled triples in N-Quads, each twice; a named graph that names
/// an entity of its own and gives an entity another name (neither is in
/// the view, which reads the default graph); and a relation between the
/// first two entities whose literals come in forms the store rewrites
/// (`"07"^^xsd:int` is kept as `"7"^^xsd:integer`), some of them twice in
/// two forms, with an anchor on blank nodes.
fn duplicated_with_a_named_graph(path: &Path) -> View {
    use innograph::rdf::{DCTERMS, ID, OA, ONTOLOGY, SKOS};
    let source = innograph::source::StoreSource::load(&innograph::dataset::Files::Bundled)
        .expect("the bundled data loads");
    let view = View::build(&source).expect("the bundled view");
    let mut text = String::new();
    for quad in source.store().iter() {
        let line = format!("{} .\n", quad.expect("a quad"));
        text.push_str(&line);
        text.push_str(&line);
    }
    let (a, b) = (&view.parts().nodes[0].iri, &view.parts().nodes[1].iri);
    let kind = &view.parts().nodes[0].kind;
    let xsd = "http://www.w3.org/2001/XMLSchema#";
    let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    let st = "https://example.org/innograph/statement/stream-test";
    text.push_str(&format!(
        "<{ID}only-named> <{rdf}type> <{ONTOLOGY}{kind}> <https://example.org/g> .\n\
         <{ID}only-named> <{SKOS}prefLabel> \"只在命名图\"@zh <https://example.org/g> .\n\
         <{a}> <{SKOS}altLabel> \"命名图里的别名\" <https://example.org/g> .\n\
         <{st}> <{rdf}type> <{ONTOLOGY}Statement> .\n\
         <{st}> <{rdf}subject> <{a}> .\n\
         <{st}> <{rdf}predicate> <{ONTOLOGY}cooperatesWith> .\n\
         <{st}> <{rdf}object> <{b}> .\n\
         <{st}> <{ONTOLOGY}status> <{ONTOLOGY}Stated> .\n\
         <{st}> <{ONTOLOGY}section> \"03\"^^<{xsd}integer> .\n\
         <{st}> <{ONTOLOGY}section> \"3\"^^<{xsd}int> .\n\
         <{st}> <{DCTERMS}date> \"2023-03-24+00:00\"^^<{xsd}date> .\n\
         <{st}> <{DCTERMS}date> \"2023-03-24Z\"^^<{xsd}date> .\n\
         <{st}> <{ONTOLOGY}quote> \"引文\" .\n\
         <{st}> <{ONTOLOGY}quote> \"引文\" .\n\
         <{st}> <{ONTOLOGY}anchor> _:anchor .\n\
         _:anchor <{OA}hasSelector> _:position .\n\
         _:position <{rdf}type> <{OA}TextPositionSelector> .\n\
         _:position <{OA}start> \"07\"^^<{xsd}int> .\n\
         _:position <{OA}start> \"+7\"^^<{xsd}integer> .\n\
         _:position <{OA}end> \"12.0\"^^<{xsd}decimal> .\n\
         _:position <{OA}end> \"12\"^^<{xsd}nonNegativeInteger> .\n"
    ));
    fs::write(path, text).expect("write");
    view
}

/// The index a load into an empty store takes from the triples as they
/// stream in is the index of the finished store: the parts and the name
/// index equal those a scan of the store gives and those the view's
/// queries give.
#[test]
fn the_index_taken_from_the_stream_is_the_index_of_the_store() {
    let synthetic = super::prebuilt::synthetic(400);
    let inputs = scratch("stream-inputs");
    let rdf = inputs.join("duplicated.nq");
    let bundled = duplicated_with_a_named_graph(&rdf);
    let (data, two_letters) = (root_data(), fixture("two-letters"));
    let cases: [(&str, Vec<&str>); 5] = [
        ("bundled", vec!["--data", arg(&data)]),
        ("two-letters", vec!["--data", arg(&two_letters)]),
        ("synthetic", vec!["--data", arg(&synthetic)]),
        ("duplicated-named-graph", vec!["--rdf", arg(&rdf)]),
        (
            "data-and-rdf",
            vec!["--data", arg(&data), "--rdf", arg(&rdf)],
        ),
    ];
    for (name, args) in cases {
        let store = scratch(&format!("stream-{name}"));
        load(&store, &args).ok();
        let reader = DiskStore::new(&store).reader().expect("the store opens");
        let index = reader.index().expect("the index opens");
        let source = reader.source().expect("the store opens");
        let scanned = innograph::scan::view_of(source.store()).expect("the store scans");
        let built = View::build(source).expect("the view builds");
        assert!(scanned.graph.edge_count() > 0, "{name}");
        let parts = index.parts().expect("the index reads");
        assert_eq!(parts, scanned.parts(), "{name}: the stream and a scan");
        assert_eq!(parts, built.parts(), "{name}: the stream and the queries");
        assert_eq!(
            index.name_index().expect("the names read"),
            innograph::index::NameIndex::build(&scanned),
            "{name}"
        );
        if name == "duplicated-named-graph" {
            // The case holds what it is meant to: duplicates, another
            // graph, and literals the store rewrote.
            assert_eq!(parts.nodes, bundled.parts().nodes);
            assert_eq!(parts.edges.len(), bundled.parts().edges.len() + 1);
            let added = parts
                .edges
                .iter()
                .map(|(_, _, e)| e)
                .find(|e| e.statement.ends_with("stream-test"))
                .expect("the added relation");
            assert_eq!(
                (added.section.as_str(), added.date.as_deref(), added.anchor),
                ("3", Some("2023-03-24Z"), Some((7, 12)))
            );
        }
        let _ = fs::remove_dir_all(&store);
    }
    let _ = fs::remove_dir_all(inputs);
    let _ = fs::remove_dir_all(synthetic);
}

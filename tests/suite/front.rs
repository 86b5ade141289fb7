//! The front of a store (an innograph built without RocksDB): it answers
//! from a store's derived index what the index holds, exactly as the
//! program built with RocksDB does, and hands everything else to
//! `innograph-store` beside it; alone, it says how to get that program.

#![cfg(not(feature = "rocksdb"))]

use crate::common;

use common::{Run, STORE_QUESTIONS as QUESTIONS, arg, run};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The commands a store's index answers, without RocksDB.
const FROM_THE_INDEX: [&str; 5] = ["platforms", "neighbors", "path", "entities", "rank"];

/// The front as built for these tests, with `innograph-store` beside it
/// when a build with RocksDB left one there.
fn front() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_innograph"))
}

/// `innograph-store` beside the front, built by `cargo build --features
/// rocksdb` in the same target folder; `None` (a skipped test, with a note)
/// outside CI when it is not there. In CI it must be: `.ci/run` builds it
/// before the tests.
#[allow(clippy::print_stderr, reason = "a skipped test says why")]
fn store_program() -> Option<PathBuf> {
    let program = front().with_file_name("innograph-store");
    if program.is_file() {
        return Some(program);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is required in CI: .ci/run builds it (cargo build --features rocksdb --bin innograph-store)",
        program.display()
    );
    eprintln!(
        "note: {} is not built (cargo build --features rocksdb --bin innograph-store); skipping this test outside CI",
        program.display()
    );
    None
}

/// A copy of the front in a folder of its own, without `innograph-store`.
fn alone() -> &'static Path {
    static ALONE: OnceLock<PathBuf> = OnceLock::new();
    ALONE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("front-alone");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("the folder can be made");
        let copy = dir.join("innograph");
        fs::copy(front(), &copy).expect("the front can be copied");
        copy
    })
}

/// A store of the bundled data, made by `innograph-store` in a new folder.
fn store_of_the_bundled_data(store_program: &Path, name: &str) -> PathBuf {
    let store = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("front-{name}"));
    let _ = fs::remove_dir_all(&store);
    run(
        store_program,
        ["load", "--store", arg(&store), "--data", "data"],
    )
    .ok();
    store
}

/// What each of `QUESTIONS` gives over `store`, run by `program`.
fn answers(program: &Path, store: &Path) -> Vec<Run> {
    QUESTIONS
        .iter()
        .map(|question| {
            let mut args = question.to_vec();
            args.extend(["--store", arg(store)]);
            run(program, &args)
        })
        .collect()
}

fn same(a: &Run, b: &Run) -> bool {
    (a.code, &a.stdout, &a.stderr) == (b.code, &b.stdout, &b.stderr)
}

/// Whether `run` is the front saying it cannot hand a command over.
fn says_how_to_get_the_store_program(run: &Run) -> bool {
    run.code == 2
        && run.stderr.contains("innograph-store")
        && run.stderr.contains("--features rocksdb")
        && run.stdout.is_empty()
}

#[test]
fn the_front_answers_from_the_index_and_hands_the_rest_over() {
    let Some(store_program) = store_program() else {
        return;
    };
    let store = store_of_the_bundled_data(&store_program, "index");
    let full = answers(&store_program, &store);
    assert!(full.iter().filter(|r| r.code == 0).count() >= 8);
    // Beside innograph-store, the front gives what it gives, every time.
    for ((question, full), front) in QUESTIONS.iter().zip(&full).zip(answers(&front(), &store)) {
        assert!(same(full, &front), "innograph {question:?}");
    }
    // Alone, it gives the same answers to what the index holds, so it
    // answered them itself, and says how to get the rest.
    for ((question, full), alone) in QUESTIONS.iter().zip(&full).zip(answers(alone(), &store)) {
        if FROM_THE_INDEX.contains(&question[0]) {
            assert!(same(full, &alone), "innograph {question:?}");
        } else {
            assert!(
                says_how_to_get_the_store_program(&alone),
                "innograph {question:?}: {}",
                alone.stderr
            );
            assert!(alone.stderr.contains("reads the RocksDB store"));
        }
    }
    // Without an index, every command is handed over: the view is rebuilt
    // from the RocksDB store, with the notice that says so.
    let index = fs::read_dir(&store)
        .expect("the store is a folder")
        .map(|e| e.expect("entry").path())
        .find(|p| p.join(innograph::derived::FILE).is_file())
        .expect("the store has a generation with an index")
        .join(innograph::derived::FILE);
    fs::remove_file(&index).expect("the index can be removed");
    let rebuilt = answers(&store_program, &store);
    assert!(
        rebuilt[0]
            .stderr
            .contains("rebuilding the view from the store")
    );
    for ((question, rebuilt), front) in QUESTIONS
        .iter()
        .zip(&rebuilt)
        .zip(answers(&front(), &store))
    {
        assert!(same(rebuilt, &front), "innograph {question:?}");
    }
    let alone = run(alone(), ["platforms", "复旦", "--store", arg(&store)]);
    assert!(
        says_how_to_get_the_store_program(&alone),
        "{}",
        alone.stderr
    );
    assert!(
        alone.stderr.contains("no derived index"),
        "{}",
        alone.stderr
    );
}

#[test]
fn the_front_hands_a_load_over_and_then_reads_what_it_loaded() {
    if store_program().is_none() {
        return;
    }
    let store = Path::new(env!("CARGO_TARGET_TMPDIR")).join("front-load");
    let _ = fs::remove_dir_all(&store);
    let loaded = run(&front(), ["load", "--store", arg(&store), "--data", "data"]).ok();
    assert!(
        loaded.stdout.starts_with("loaded ") && loaded.stdout.contains("(gen-1)"),
        "{}",
        loaded.stdout
    );
    let platforms = run(alone(), ["platforms", "复旦大学", "--store", arg(&store)]).ok();
    let bundled = run(&front(), ["platforms", "复旦大学"]).ok();
    assert_eq!(platforms.stdout, bundled.stdout);
}

#[test]
fn alone_the_front_says_how_to_get_the_store_program() {
    for args in [
        &["load", "--store", "x.db", "--rdf", "a.nt"][..],
        &["load", "--data", "data"][..],
        &["stats", "--store", "x.db"][..],
        &["query", "-e", "ASK {}", "--store", "x.db"][..],
    ] {
        let alone = run(alone(), args);
        assert!(
            says_how_to_get_the_store_program(&alone),
            "{args:?}: {}",
            alone.stderr
        );
    }
    // What serve refuses with any store, it refuses alone too.
    let refused = run(alone(), ["serve", "--store", "x.db", "--allow-update"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("--allow-update is refused with --store"),
        "{}",
        refused.stderr
    );
    // What the index would answer still needs a store to read.
    let alone = run(alone(), ["platforms", "复旦", "--store", "x.db"]);
    assert_eq!(alone.code, 2);
    assert!(
        alone.stderr.contains("innograph load --store"),
        "{}",
        alone.stderr
    );
}

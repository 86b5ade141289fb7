//! The cache of `--data` datasets (`src/cache.rs`): a folder's graph is kept
//! prebuilt in the cache folder after its first use, answers are the same
//! with and without it, a damaged or stale entry is ignored and written
//! again, and `INNOGRAPH_CACHE=off` leaves the cache alone. Every run here
//! uses a cache folder of its own, never the user's.

use crate::common::{Run, command, copy_dataset, fixture};
use std::fs;
use std::path::{Path, PathBuf};

/// Runs innograph on the dataset `data` with the cache in `cache`, and
/// `off` set as `INNOGRAPH_CACHE` when given.
fn run(args: &[&str], data: &Path, cache: &Path, off: Option<&str>) -> Run {
    let mut command = command();
    command
        .args(args)
        .arg("--data")
        .arg(data)
        .env("XDG_CACHE_HOME", cache);
    if let Some(off) = off {
        command.env("INNOGRAPH_CACHE", off);
    }
    command.output().expect("innograph runs").into()
}

/// The files in the cache folder.
fn entries(cache: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(cache.join("innograph"))
        .map(|entries| entries.map(|e| e.expect("an entry").path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

const QUESTIONS: [&[&str]; 4] = [
    &["show", "uni"],
    &["neighbors", "东方大学", "--format", "json"],
    &["platforms", "东方"],
    &["show", "nosuchthing"],
];

/// Every question's status and output.
fn answers(data: &Path, cache: &Path, off: Option<&str>) -> Vec<(i32, String, String)> {
    QUESTIONS
        .iter()
        .map(|args| {
            let run = run(args, data, cache, off);
            (run.code, run.stdout, run.stderr)
        })
        .collect()
}

#[test]
fn a_dataset_is_cached_after_its_first_use_and_answers_the_same() {
    let data = copy_dataset(&fixture("two-letters"), "cache-data");
    let cache = copy_dataset(&fixture("two-letters"), "cache-folder").join("cache");
    let uncached = answers(&data, &cache, Some("off"));
    assert!(
        entries(&cache).is_empty(),
        "INNOGRAPH_CACHE=off wrote to the cache"
    );
    assert_eq!(uncached[0].0, 0, "{:?}", uncached[0]);
    assert!(uncached[0].1.contains("Dongfang University"));

    assert_eq!(answers(&data, &cache, None), uncached, "first, cached, run");
    let kept = entries(&cache);
    assert_eq!(kept.len(), 1, "one entry, no temporary file: {kept:?}");
    let entry = kept[0].clone();
    let (bytes, written) = (
        fs::read(&entry).expect("the entry"),
        fs::metadata(&entry)
            .and_then(|m| m.modified())
            .expect("a time"),
    );
    assert_eq!(answers(&data, &cache, None), uncached, "from the cache");
    assert_eq!(fs::read(&entry).expect("the entry"), bytes);
    assert_eq!(
        fs::metadata(&entry)
            .and_then(|m| m.modified())
            .expect("a time"),
        written,
        "an intact entry was written again"
    );

    // Damaged: ignored and written again.
    fs::write(&entry, b"not a prebuilt graph").expect("writable");
    assert_eq!(
        answers(&data, &cache, None),
        uncached,
        "over a damaged entry"
    );
    assert_eq!(fs::read(&entry).expect("the entry"), bytes);

    // Stale: the data changed, so does the answer, and the entry with it.
    let entities = data.join("entities.csv");
    let text = fs::read_to_string(&entities).expect("entities.csv");
    fs::write(
        &entities,
        text.replace("Dongfang University", "Dongfang University of Science"),
    )
    .expect("writable");
    let changed = run(QUESTIONS[0], &data, &cache, None).ok();
    assert!(
        changed.stdout.contains("Dongfang University of Science"),
        "a stale entry answered: {}",
        changed.stdout
    );
    assert_ne!(fs::read(&entry).expect("the entry"), bytes);
    assert_eq!(entries(&cache), vec![entry]);
    assert_eq!(
        answers(&data, &cache, None),
        answers(&data, &cache, Some("off")),
        "after the change"
    );
    let _ = fs::remove_dir_all(data);
    let _ = fs::remove_dir_all(cache.parent().expect("a folder"));
}

#[test]
fn a_cache_folder_that_cannot_be_written_changes_nothing() {
    let data = copy_dataset(&fixture("two-letters"), "cache-unwritable");
    // A file where the cache folder should be.
    let cache = data.join("entities.csv");
    assert_eq!(
        answers(&data, &cache, None),
        answers(&data, &cache, Some("off"))
    );
    let _ = fs::remove_dir_all(data);
}

//! `innograph draft`: a letter becomes a draft dataset that validates as it
//! is, links known entities, reads GB18030, and scores against the
//! hand-curated fixtures (two invented letters) at the levels the drafter
//! promises.

use crate::common;

use common::{fixture, innograph};
use innograph::dataset::{Files, read_dir};
use innograph::draft::{self, Context, score};
use std::path::{Path, PathBuf};

const YANGPU: &str = "draft/yangpu-ai";
const YANGPU_LETTER: &str = "yangpu-stc-reply-2024-12.txt";
const QINGXI: &str = "draft/qingxi-green";
const QINGXI_LETTER: &str = "qingxi-ndrc-reply-2025-31.txt";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "innograph-draft-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn draft_cli(letter: &Path, out: &Path) -> common::Run {
    innograph([
        "draft".as_ref(),
        letter.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--report".as_ref(),
    ])
}

#[test]
fn a_draft_validates_as_it_is_and_links_known_entities() {
    let out = scratch("yangpu");
    let run = draft_cli(&fixture(YANGPU).join(YANGPU_LETTER), &out).ok();
    assert!(run.stdout.contains("Entities by kind"), "{}", run.stdout);
    let validated = innograph(["validate".as_ref(), "--data".as_ref(), out.as_os_str()]).ok();
    assert!(validated.stdout.starts_with("ok:"), "{}", validated.stdout);
    let dataset = read_dir(&out).unwrap();
    assert!(
        out.join(YANGPU_LETTER).is_file(),
        "the letter is copied beside the draft"
    );
    let statuses: Vec<&str> = dataset
        .entities
        .rows
        .iter()
        .map(|r| r.value.evidence.status.as_str())
        .chain(
            dataset
                .relations
                .rows
                .iter()
                .map(|r| r.value.evidence.status.as_str()),
        )
        .chain(
            dataset
                .figures
                .rows
                .iter()
                .map(|r| r.value.evidence.status.as_str()),
        )
        .collect();
    assert!(statuses.iter().all(|s| *s == "draft"), "{statuses:?}");
    for id in ["fudan", "tongji", "yangpu-stc"] {
        let row = dataset
            .entities
            .rows
            .iter()
            .find(|r| r.value.id == id)
            .unwrap_or_else(|| panic!("{id} is linked"));
        assert!(
            row.value.evidence.note.contains("Known entity"),
            "{}",
            row.value.evidence.note
        );
    }
    // A second draft into the same folder would overwrite a dataset.
    draft_cli(&fixture(YANGPU).join(YANGPU_LETTER), &out).failed();
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn gb18030_is_converted_and_other_bytes_are_refused() {
    let text = std::fs::read_to_string(fixture(QINGXI).join(QINGXI_LETTER)).unwrap();
    let dir = scratch("gb");
    std::fs::create_dir_all(&dir).unwrap();
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let letter = dir.join("gb18030-letter.txt");
    std::fs::write(&letter, &bytes).unwrap();
    let run = draft_cli(&letter, &dir.join("out")).ok();
    assert!(run.stdout.contains("GB18030"), "{}", run.stdout);
    let copied = std::fs::read_to_string(dir.join("out").join("gb18030-letter.txt")).unwrap();
    assert_eq!(copied, text);
    let utf8 = scratch("utf8");
    draft_cli(&fixture(QINGXI).join(QINGXI_LETTER), &utf8).ok();
    for file in ["entities.csv", "relations.csv", "figures.csv"] {
        let a = std::fs::read_to_string(dir.join("out").join(file)).unwrap();
        let b = std::fs::read_to_string(utf8.join(file)).unwrap();
        assert_eq!(a.lines().count(), b.lines().count(), "{file}");
    }
    let bad = dir.join("latin1.txt");
    std::fs::write(&bad, b"caf\xe9 cr\xe8me br\xfbl\xe9e, \xe0 la fran\xe7aise").unwrap();
    let run = draft_cli(&bad, &dir.join("bad")).failed();
    assert!(run.stderr.contains("latin1.txt"), "{}", run.stderr);
    assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&utf8);
}

/// Drafts a fixture letter with the bundled data as known entities and
/// scores it against the fixture's hand-curated dataset.
fn scores_of(name: &str, letter: &str) -> score::Scores {
    let context = Context::of_dataset(&Files::Bundled).unwrap();
    let text = draft::read::read_letter(&fixture(name).join(letter)).unwrap();
    let drafted = draft::draft(text, &context);
    let out = scratch(&name.replace('/', "-"));
    draft::write::write(&drafted, &context, &out).unwrap();
    let scores = score::score(&read_dir(&out).unwrap(), &read_dir(&fixture(name)).unwrap());
    let _ = std::fs::remove_dir_all(&out);
    scores
}

#[test]
fn drafts_of_the_fixture_letters_reach_the_promised_scores() {
    for (name, letter) in [(YANGPU, YANGPU_LETTER), (QINGXI, QINGXI_LETTER)] {
        let s = scores_of(name, letter);
        let context = format!("{name}:\n{s}");
        assert!(s.figures.recall() >= 0.95, "{context}");
        assert!(s.figures.precision() >= 0.85, "{context}");
        assert!(s.entities_exact.recall() >= 0.70, "{context}");
        assert!(s.entities_overlap.recall() >= 0.85, "{context}");
        assert_eq!(s.verbatim.0, s.verbatim.1, "{context}");
    }
}

#[test]
fn the_curated_fixtures_validate() {
    for name in [YANGPU, QINGXI] {
        innograph([
            "validate".as_ref(),
            "--data".as_ref(),
            fixture(name).as_os_str(),
        ])
        .ok();
    }
}

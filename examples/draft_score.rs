//! Scores `innograph draft` against a curated dataset of the same letter.
//!
//! Usage: `cargo run --release --example draft_score -- LETTER CURATED_DIR [KNOWN_DIR|--no-known]`
//!
//! Drafts LETTER against the known entities of KNOWN_DIR (the bundled data
//! when not given; none with `--no-known`), writes the draft to a temporary
//! folder, and prints recall and precision against CURATED_DIR, with the
//! figures and entities it missed and the figures it drafted wrongly.

use innograph::dataset::{Files, read_dir};
use innograph::draft::{self, Context, score};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [letter, curated, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: draft_score LETTER CURATED_DIR [KNOWN_DIR|--no-known]");
    };
    let files = match rest.first().map(String::as_str) {
        None | Some("--no-known") => Files::Bundled,
        Some(dir) => Files::Dir(PathBuf::from(dir)),
    };
    let mut context = Context::of_dataset(&files)?;
    if rest.first().map(String::as_str) == Some("--no-known") {
        context = context.without_known();
    }
    let started = Instant::now();
    let text = draft::read::read_letter(letter.as_ref())?;
    let chars = text.text.chars().filter(|c| !c.is_whitespace()).count();
    let drafted = draft::draft(text, &context);
    let rows = draft::write::rows(&drafted);
    let elapsed = started.elapsed();
    let out = std::env::temp_dir().join(format!("innograph-draft-score-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    draft::write::write(&drafted, &context, &out)?;
    let scores = score::score(&read_dir(&out)?, &read_dir(curated.as_ref())?);
    let _ = std::fs::remove_dir_all(&out);
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{letter}: {chars} characters, drafted in {} ms (rules and rows, after the segmenter's dictionary is loaded)",
        elapsed.as_millis()
    )?;
    writeln!(
        stdout,
        "{} entities, {} relations, {} figures drafted",
        rows.entities.len(),
        rows.relations.len(),
        rows.figures.len()
    )?;
    write!(stdout, "{scores}")?;
    writeln!(
        stdout,
        "missed entities: {}",
        scores.missed_entities.join(" ")
    )?;
    writeln!(
        stdout,
        "missed figures: {}",
        scores.missed_figures.join(" ")
    )?;
    writeln!(stdout, "wrong figures: {}", scores.wrong_figures.join(" "))?;
    Ok(())
}

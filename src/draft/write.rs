//! Writing a draft: the dataset folder (`sources.csv`, `entities.csv`,
//! `relations.csv`, `figures.csv`, `ontology.ttl` and the letter as UTF-8),
//! every row with status `draft`, its section and a verbatim quote grown
//! until it is unique in the letter; and what was found, for the curator.

use super::{Context, Draft, QUOTE_WINDOW};
use crate::dataset::{ENTITY_COLUMNS, EVIDENCE_COLUMNS, FIGURE_COLUMNS, RELATION_COLUMNS};
use crate::error::Error;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

/// The rows of a draft, as they are written.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// `entities.csv` records (without the header).
    pub entities: Vec<Vec<String>>,
    /// `relations.csv` records.
    pub relations: Vec<Vec<String>>,
    /// `figures.csv` records.
    pub figures: Vec<Vec<String>>,
    /// How many quotes could not be made unique within their paragraph.
    pub repeated_quotes: usize,
}

/// What `draft` wrote, for the summary and the report.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The folder written.
    pub out: String,
    /// The letter's encoding.
    pub encoding: &'static str,
    /// Entities by kind: (known, new).
    pub kinds: BTreeMap<String, (usize, usize)>,
    /// Relations by predicate: (all, low confidence).
    pub predicates: BTreeMap<String, (usize, usize)>,
    /// Figures by unit.
    pub units: BTreeMap<String, usize>,
    /// Quotes not unique in the letter.
    pub repeated_quotes: usize,
    /// Entities named, relations and figures drafted.
    pub totals: (usize, usize, usize),
}

/// The header of a file: its own columns, then the evidence columns.
fn header(columns: &[&'static str]) -> Vec<&'static str> {
    columns.iter().chain(&EVIDENCE_COLUMNS).copied().collect()
}

/// A placeholder for the English a curator writes.
pub fn to_translate(chinese: &str) -> String {
    format!("TODO translate: {chinese}")
}

/// The rows of `draft`.
pub fn rows(draft: &Draft) -> Rows {
    let layout = &draft.layout;
    let mut rows = Rows::default();
    let mut quote = |span: Range<usize>| {
        let max = QUOTE_WINDOW.max(span.len());
        let (range, unique) = layout.quote_range(span.clone(), max);
        if !unique {
            rows.repeated_quotes += 1;
        }
        (
            layout.section_at(span.start).to_owned(),
            layout.verbatim(range),
        )
    };
    let mut entities = Vec::new();
    for e in &draft.entities {
        let (section, text) = quote(e.first.clone());
        let is_letter = e.id == draft.source_id;
        entities.push(vec![
            e.id.clone(),
            e.kind.clone(),
            e.name_zh.clone(),
            if e.name_en.is_empty() {
                to_translate(&e.name_zh)
            } else {
                e.name_en.clone()
            },
            e.aliases.clone(),
            e.wikidata.clone(),
            e.ror.clone(),
            if is_letter {
                draft.identifier.clone()
            } else {
                String::new()
            },
            if is_letter {
                draft.date.clone()
            } else {
                String::new()
            },
            draft.source_id.clone(),
            section,
            text,
            "draft".to_owned(),
            String::new(),
            e.note.clone(),
        ]);
    }
    let mut relations = Vec::new();
    for r in &draft.relations {
        let (section, text) = quote(r.span.clone());
        let confidence = if r.low { "Low confidence: " } else { "" };
        relations.push(vec![
            draft.entities[r.subject].id.clone(),
            r.predicate.clone(),
            draft.entities[r.object].id.clone(),
            draft.source_id.clone(),
            section,
            text,
            "draft".to_owned(),
            String::new(),
            format!("{confidence}{}.", r.note.trim_end_matches('.')),
        ]);
    }
    let mut figures = Vec::new();
    let mut keys = BTreeSet::new();
    for (n, f) in draft.figures.iter().enumerate() {
        let (section, text) = quote(f.span.clone());
        let (subject, note) = match f.subject {
            Some(s) => (draft.entities[s].id.clone(), f.note.clone()),
            None => (
                draft.source_id.clone(),
                format!(
                    "{} No entity before it: put on the letter, choose the subject.",
                    f.note
                ),
            ),
        };
        let mut indicator_en = to_translate(&f.indicator_zh);
        while !keys.insert((
            subject.clone(),
            indicator_en.to_lowercase(),
            f.period.clone(),
            f.value.clone(),
        )) {
            indicator_en.push_str(" (again)");
        }
        figures.push(vec![
            format!("figure-{}", n + 1),
            subject,
            f.indicator_zh.clone(),
            indicator_en,
            f.value.clone(),
            f.unit.clone(),
            layout.verbatim(f.span.clone()),
            f.qualifier.clone(),
            f.cumulative.to_string(),
            f.period.clone(),
            draft.source_id.clone(),
            section,
            text,
            "draft".to_owned(),
            String::new(),
            note,
        ]);
    }
    rows.entities = entities;
    rows.relations = relations;
    rows.figures = figures;
    rows
}

fn csv_text(header: &[&str], records: &[Vec<String>]) -> Result<String, Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let to_io = |e: csv::Error| Error::Write(std::io::Error::other(e.to_string()));
    writer.write_record(header).map_err(to_io)?;
    for record in records {
        writer.write_record(record).map_err(to_io)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Write(std::io::Error::other(e.to_string())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Writes `draft` into the folder `out` (made if needed; it must not hold a
/// dataset already).
pub fn write(draft: &Draft, context: &Context, out: &Path) -> Result<Outcome, Error> {
    let shown = out.display().to_string();
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Io { path, source }
    };
    if out.join("entities.csv").exists() || out.join("sources.csv").exists() {
        return Err(Error::Usage(format!(
            "{shown} already holds a dataset: remove it or give another --out folder, so that no curated file is overwritten"
        )));
    }
    std::fs::create_dir_all(out).map_err(io(out))?;
    let rows = rows(draft);
    let letter_file = &draft.letter.file_name;
    let sources = csv_text(
        &["id", "file"],
        &[vec![draft.source_id.clone(), letter_file.clone()]],
    )?;
    let files = [
        ("sources.csv", sources),
        (
            "entities.csv",
            csv_text(&header(&ENTITY_COLUMNS), &rows.entities)?,
        ),
        (
            "relations.csv",
            csv_text(&header(&RELATION_COLUMNS), &rows.relations)?,
        ),
        (
            "figures.csv",
            csv_text(&header(&FIGURE_COLUMNS), &rows.figures)?,
        ),
        ("ontology.ttl", context.ontology.clone()),
        (letter_file.as_str(), draft.letter.text.clone()),
    ];
    for (name, text) in files {
        let path = out.join(name);
        crate::output::write(&path, text.as_bytes())?;
    }
    Ok(outcome(draft, &rows, shown))
}

fn outcome(draft: &Draft, rows: &Rows, out: String) -> Outcome {
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for e in draft.entities.iter().skip(1) {
        let entry = kinds.entry(e.kind.clone()).or_default();
        if e.known.is_some() {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    let mut predicates: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in &draft.relations {
        let entry = predicates.entry(r.predicate.clone()).or_default();
        entry.0 += 1;
        if r.low {
            entry.1 += 1;
        }
    }
    let mut units: BTreeMap<String, usize> = BTreeMap::new();
    for f in &draft.figures {
        *units.entry(f.unit.clone()).or_default() += 1;
    }
    Outcome {
        out,
        encoding: draft.letter.encoding.name(),
        kinds,
        predicates,
        units,
        repeated_quotes: rows.repeated_quotes,
        totals: (
            draft.entities.len() - 1,
            draft.relations.len(),
            draft.figures.len(),
        ),
    }
}

impl Outcome {
    /// One paragraph: what was written where, and what to do next.
    pub fn summary(&self) -> String {
        let known: usize = self.kinds.values().map(|k| k.0).sum();
        let (entities, relations, figures) = self.totals;
        let mut text = format!(
            "drafted {entities} entities ({known} known, {} new), {relations} relations and {figures} figures into {}",
            entities - known,
            self.out
        );
        if self.encoding != "UTF-8" {
            let _ = write!(
                text,
                " (the letter was {} and is copied as UTF-8)",
                self.encoding
            );
        }
        let _ = write!(
            text,
            "\nevery row has status `draft`: review it, set `stated` or `inferred`, then run innograph validate --data {}\n",
            self.out
        );
        text
    }

    /// The summary and what was found, by kind, predicate and unit.
    pub fn report(&self) -> String {
        let mut text = self.summary();
        let _ = writeln!(text, "\nEntities by kind (known / new):");
        for (kind, (known, new)) in &self.kinds {
            let _ = writeln!(text, "  {kind:<26} {known:>3} / {new}");
        }
        let _ = writeln!(text, "\nRelations by predicate (of which low confidence):");
        for (predicate, (all, low)) in &self.predicates {
            let _ = writeln!(text, "  {predicate:<26} {all:>3} ({low})");
        }
        let _ = writeln!(text, "\nFigures by unit:");
        for (unit, n) in &self.units {
            let _ = writeln!(text, "  {unit:<26} {n:>3}");
        }
        let _ = writeln!(
            text,
            "\nQuotes that occur more than once in the letter: {}",
            self.repeated_quotes
        );
        text
    }
}

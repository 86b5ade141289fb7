//! The data checks: every quote occurs in its source, once or pinned, inside
//! the section its row names (see [`crate::anchor`]), ids are unique and
//! well-formed, every relation and figure points at an existing entity, every
//! kind and predicate is declared in the ontology, every entity has a Chinese
//! and an English name, and no fact appears twice. Each problem names the
//! file, line and column and says what to change.

use crate::anchor::{self, Letter, Unresolved};
use crate::dataset::{Dataset, Evidence, Row, Table};
use crate::error::{Error, Problem};
use crate::ontology::Schema;
use crate::rdf;
use crate::source::StoreSource;
use oxigraph::model::GraphName;
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Units a figure may have.
pub const UNITS: [&str; 6] = [
    "CNY",
    "count",
    "percent",
    "person-times",
    "per-10000-people",
    "rank",
];
/// Modalities a relation or figure may have (empty is `achieved`).
pub const MODALITIES: [&str; 2] = ["achieved", "planned"];
/// Values of a figure's `cumulative` (empty is `unknown`).
pub const CUMULATIVE: [&str; 3] = ["true", "false", "unknown"];
/// Qualifiers a figure may have.
pub const QUALIFIERS: [&str; 4] = ["exact", "more-than", "at-least", "about"];

/// Checks a dataset; returns every problem found, sorted by file and line.
/// Fails only when the ontology itself cannot be read.
pub fn check(dataset: &Dataset) -> Result<Vec<Problem>, Error> {
    let schema = schema_of(dataset)?;
    let mut checker = Checker {
        dataset,
        schema: &schema,
        problems: Vec::new(),
        letters: dataset
            .texts
            .iter()
            .map(|(id, (path, text))| (id.as_str(), (path.as_str(), Letter::new(text))))
            .collect(),
    };
    checker.sources();
    checker.entities();
    checker.relations();
    checker.figures();
    let mut problems = checker.problems;
    problems.sort();
    problems.dedup();
    Ok(problems)
}

/// The schema declared by the dataset's ontology file.
pub fn schema_of(dataset: &Dataset) -> Result<Schema, Error> {
    let (path, turtle) = &dataset.ontology;
    let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
    let quads: Vec<_> = rdf::ontology_triples(path, turtle)?
        .into_iter()
        .map(|t| t.in_graph(GraphName::DefaultGraph))
        .collect();
    store
        .extend(quads)
        .map_err(|e| Error::Store(e.to_string()))?;
    Schema::from_source(&StoreSource::from_store(store, path.clone()))
}

/// `text` without any white space: quotes are compared this way, since page
/// breaks and line ends split the source's sentences.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `id` is a slug: lowercase ASCII letters and digits in groups joined by `-`.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

pub use crate::anchor::is_section;

struct Checker<'a> {
    dataset: &'a Dataset,
    schema: &'a Schema,
    problems: Vec<Problem>,
    /// Source id → (display path, text).
    letters: HashMap<&'a str, (&'a str, Letter)>,
}

impl<'a> Checker<'a> {
    fn report<T>(&mut self, table: &Table<T>, row: &Row<T>, column: &str, message: String) {
        self.problems.push(Problem {
            location: table.at(row, column),
            message,
        });
    }

    fn entity_ids(&self) -> BTreeSet<&'a str> {
        let dataset: &'a Dataset = self.dataset;
        dataset
            .entities
            .rows
            .iter()
            .map(|r| r.value.id.as_str())
            .collect()
    }

    fn sources(&mut self) {
        let ids = self.entity_ids();
        let dataset: &'a Dataset = self.dataset;
        let table = &dataset.sources;
        if table.rows.is_empty() {
            self.problems.push(Problem {
                location: crate::Location {
                    file: table.file.clone(),
                    line: 1,
                    column: 1,
                },
                message: "no source: add a row naming the document and its text file".to_owned(),
            });
        }
        let mut problems = Vec::new();
        for row in &table.rows {
            if !ids.contains(row.value.id.as_str()) {
                problems.push((
                    row,
                    "id",
                    format!(
                        "source `{}` is not an entity: add it to entities.csv (kind of a document)",
                        row.value.id
                    ),
                ));
            }
        }
        for (row, column, message) in problems {
            self.report(table, row, column, message);
        }
    }

    fn evidence<T>(&mut self, table: &Table<T>, row: &Row<T>, evidence: &Evidence) {
        let source = self.dataset.source_of(evidence).map(str::to_owned);
        match &source {
            Some(source) if !self.letters.contains_key(source.as_str()) => self.report(
                table,
                row,
                "source",
                format!("unknown source `{source}`: use an id from sources.csv"),
            ),
            _ => {}
        }
        if !is_section(&evidence.section) {
            self.report(
                table,
                row,
                "section",
                format!(
                    "section `{}` is not a section mark: write 文头, 导语, 文尾, 三 or 三（一） (full-width parentheses)",
                    evidence.section
                ),
            );
        }
        let pin = match anchor::pin(&evidence.occurrence) {
            Ok(pin) => pin,
            Err(message) => {
                self.report(table, row, "occurrence", message);
                None
            }
        };
        if squeeze(&evidence.quote).is_empty() {
            self.report(
                table,
                row,
                "quote",
                "the quote is empty: copy the words of the source that support this fact"
                    .to_owned(),
            );
        } else if let Some(source) = source.as_deref()
            && let Some((path, letter)) = self.letters.get(source)
            && is_section(&evidence.section)
        {
            let path = *path;
            match letter.resolve(&evidence.quote, &evidence.section, pin) {
                Ok(_) => {}
                Err(unresolved) => {
                    let (column, message) =
                        unresolved_message(source, path, letter, evidence, unresolved);
                    self.report(table, row, column, message);
                }
            }
        }
        match evidence.status.as_str() {
            "stated" if !evidence.reason.is_empty() => self.report(
                table,
                row,
                "reason",
                "a stated fact has no reason: empty this cell, or mark the fact `inferred`"
                    .to_owned(),
            ),
            "inferred" if evidence.reason.trim().is_empty() => self.report(
                table,
                row,
                "reason",
                "an inferred fact needs its reason: say why the source supports it".to_owned(),
            ),
            // A drafted row awaits its curator, who sets `stated` or
            // `inferred`; it may carry a reason already.
            "stated" | "inferred" | "draft" => {}
            other => self.report(
                table,
                row,
                "status",
                format!("status `{other}` is not `stated`, `inferred` or `draft`"),
            ),
        }
    }

    fn entities(&mut self) {
        let dataset: &'a Dataset = self.dataset;
        let table = &dataset.entities;
        let mut ids: BTreeMap<&str, u64> = BTreeMap::new();
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        for row in &table.rows {
            let e = &row.value;
            if !is_slug(&e.id) {
                self.report(table, row, "id", format!(
                    "id `{}` is not well-formed: use lowercase ASCII letters and digits joined by `-`",
                    e.id
                ));
            } else if let Some(line) = ids.insert(&e.id, table.at(row, "id").line) {
                self.report(
                    table,
                    row,
                    "id",
                    format!(
                        "id `{}` is already used on line {line}: ids must be unique",
                        e.id
                    ),
                );
            }
            if !self.schema.kinds.contains_key(&e.kind) {
                self.report(table, row, "kind", format!(
                    "kind `{}` is not declared in the ontology: use one of {} or declare it in ontology.ttl",
                    e.kind,
                    self.schema.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            for (column, name) in [("name_zh", &e.name_zh), ("name_en", &e.name_en)] {
                if name.trim().is_empty() {
                    self.report(table, row, column, format!("entity `{}` has no {column}: every entity needs a Chinese and an English name", e.id));
                }
            }
            let mut own = BTreeSet::new();
            for (column, name) in [
                ("name_zh", e.name_zh.as_str()),
                ("name_en", e.name_en.as_str()),
            ]
            .into_iter()
            .chain(rdf::aliases(&e.aliases).map(|a| ("aliases", a)))
            .chain(rdf::aliases(&e.search_aliases).map(|a| ("search_aliases", a)))
            {
                let key = name.trim().to_lowercase();
                if key.is_empty() || !own.insert(key.clone()) {
                    continue;
                }
                if let Some(other) = names.insert(key, &e.id)
                    && other != e.id
                {
                    self.report(table, row, column, format!(
                        "the name `{name}` also names entity `{other}`: one thing named twice is one entity; two things need different names"
                    ));
                }
            }
            if !e.wikidata.is_empty() && !is_wikidata(&e.wikidata) {
                self.report(
                    table,
                    row,
                    "wikidata",
                    format!(
                        "`{}` is not a Wikidata id: write it as Q followed by digits",
                        e.wikidata
                    ),
                );
            }
            if !e.ror.is_empty()
                && !e
                    .ror
                    .strip_prefix("https://ror.org/")
                    .is_some_and(|r| r.len() == 9 && r.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                self.report(
                    table,
                    row,
                    "ror",
                    format!(
                        "`{}` is not a ROR id: write the full https://ror.org/ URL",
                        e.ror
                    ),
                );
            }
            self.aliases_in_source(table, row, e);
            self.date(table, row, "date", &e.date);
            self.date(table, row, "start", &e.start);
            self.evidence(table, row, &e.evidence);
        }
    }

    /// Reports a `column` holding something else than a date or a year.
    fn date<T>(&mut self, table: &Table<T>, row: &Row<T>, column: &str, value: &str) {
        if !value.is_empty() && date_type(value).is_none() {
            self.report(
                table,
                row,
                column,
                format!("`{value}` is neither a date (YYYY-MM-DD) nor a year (YYYY)"),
            );
        }
    }

    /// Reports a `modality` cell that is neither `achieved` nor `planned`.
    fn modality<T>(&mut self, table: &Table<T>, row: &Row<T>, value: &str) {
        if !value.is_empty() && !MODALITIES.contains(&value) {
            self.report(
                table,
                row,
                "modality",
                format!(
                    "modality `{value}` is not one of {}: `planned` when the source announces it (将, 拟, 探索, next steps), else `achieved`",
                    MODALITIES.join(", ")
                ),
            );
        }
    }

    /// Reports every alias that the entity's source does not use: aliases
    /// are the source's own words; other names go in `search_aliases`.
    fn aliases_in_source(
        &mut self,
        table: &Table<crate::dataset::EntityRow>,
        row: &Row<crate::dataset::EntityRow>,
        e: &crate::dataset::EntityRow,
    ) {
        let Some((_, letter)) = self
            .dataset
            .source_of(&e.evidence)
            .and_then(|s| self.letters.get(s))
        else {
            return;
        };
        let missing: Vec<String> = rdf::aliases(&e.aliases)
            .filter(|a| letter.find(a).is_empty())
            .map(str::to_owned)
            .collect();
        for alias in missing {
            self.report(table, row, "aliases", format!(
                "the alias `{alias}` does not occur in the source: aliases are names the source uses; move it to search_aliases"
            ));
        }
    }

    fn relations(&mut self) {
        let ids = self.entity_ids();
        let dataset: &'a Dataset = self.dataset;
        let table = &dataset.relations;
        let mut seen: BTreeMap<(&str, &str, &str), u64> = BTreeMap::new();
        for row in &table.rows {
            let r = &row.value;
            for (column, id) in [("subject", &r.subject), ("object", &r.object)] {
                if !ids.contains(id.as_str()) {
                    self.report(
                        table,
                        row,
                        column,
                        format!("no entity has the id `{id}`: use an id from entities.csv"),
                    );
                }
            }
            if !self.schema.predicates.contains_key(&r.predicate) {
                self.report(table, row, "predicate", format!(
                    "predicate `{}` is not declared in the ontology: use one of {} or declare it in ontology.ttl",
                    r.predicate,
                    self.schema.predicates.keys().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            if r.subject == r.object {
                self.report(
                    table,
                    row,
                    "object",
                    format!(
                        "`{}` is related to itself: check the subject and object",
                        r.object
                    ),
                );
            }
            self.date(table, row, "date", &r.date);
            self.date(table, row, "start", &r.start);
            self.modality(table, row, &r.modality);
            let line = table.at(row, "subject").line;
            if let Some(first) = seen.insert((&r.subject, &r.predicate, &r.object), line) {
                self.report(table, row, "subject", format!(
                    "this relation already appears on line {first}: keep one row, with the clearest quote"
                ));
            }
            self.evidence(table, row, &r.evidence);
        }
    }

    fn figures(&mut self) {
        let ids = self.entity_ids();
        let dataset: &'a Dataset = self.dataset;
        let table = &dataset.figures;
        let mut figure_ids: BTreeMap<&str, u64> = BTreeMap::new();
        let mut facts: BTreeMap<(String, String, String, String), u64> = BTreeMap::new();
        for row in &table.rows {
            let f = &row.value;
            let line = table.at(row, "id").line;
            if !is_slug(&f.id) {
                self.report(table, row, "id", format!("id `{}` is not well-formed: use lowercase ASCII letters and digits joined by `-`", f.id));
            } else if let Some(first) = figure_ids.insert(&f.id, line) {
                self.report(
                    table,
                    row,
                    "id",
                    format!(
                        "figure id `{}` is already used on line {first}: ids must be unique",
                        f.id
                    ),
                );
            }
            if !ids.contains(f.subject.as_str()) {
                self.report(
                    table,
                    row,
                    "subject",
                    format!(
                        "no entity has the id `{}`: use an id from entities.csv",
                        f.subject
                    ),
                );
            }
            for (column, value) in [
                ("indicator_zh", &f.indicator_zh),
                ("indicator_en", &f.indicator_en),
            ] {
                if value.trim().is_empty() {
                    self.report(
                        table,
                        row,
                        column,
                        format!("figure `{}` has no {column}: say what it measures", f.id),
                    );
                }
            }
            let value = match decimal_value(&f.value) {
                Ok(value) => Some(value),
                Err(message) => {
                    self.report(table, row, "value", message);
                    None
                }
            };
            if !UNITS.contains(&f.unit.as_str()) {
                self.report(
                    table,
                    row,
                    "unit",
                    format!("unit `{}` is not one of {}", f.unit, UNITS.join(", ")),
                );
            }
            if f.as_written.trim().is_empty() {
                self.report(
                    table,
                    row,
                    "as_written",
                    "as_written is empty: copy the figure as the source writes it".to_owned(),
                );
            } else if !squeeze(&f.evidence.quote).contains(&squeeze(&f.as_written)) {
                self.report(
                    table,
                    row,
                    "as_written",
                    format!(
                        "`{}` does not occur in the quote: the quote must contain the figure",
                        f.as_written
                    ),
                );
            } else if let (Some(value), Some(written)) = (value, written_value(&f.as_written))
                && (value - written).abs() > written.abs() * 1e-9
            {
                self.report(table, row, "value", format!(
                    "{} does not match `{}`, which reads as {written}: 亿 is 10^8, 万 is 10^4 and 万亿 is 10^12",
                    f.value, f.as_written
                ));
            }
            if !QUALIFIERS.contains(&f.qualifier.as_str()) {
                self.report(
                    table,
                    row,
                    "qualifier",
                    format!(
                        "qualifier `{}` is not one of {}",
                        f.qualifier,
                        QUALIFIERS.join(", ")
                    ),
                );
            }
            if !f.cumulative.is_empty() && !CUMULATIVE.contains(&f.cumulative.as_str()) {
                self.report(
                    table,
                    row,
                    "cumulative",
                    format!(
                        "cumulative `{}` is not one of {}: `unknown` when the source does not say",
                        f.cumulative,
                        CUMULATIVE.join(", ")
                    ),
                );
            }
            if !f.measures.is_empty() && !ids.contains(f.measures.as_str()) {
                self.report(
                    table,
                    row,
                    "measures",
                    format!(
                        "no entity has the id `{}`: use an id from entities.csv",
                        f.measures
                    ),
                );
            }
            self.modality(table, row, &f.modality);
            if !is_period(&f.period) {
                self.report(
                    table,
                    row,
                    "period",
                    format!(
                        "period `{}` is not a year (2022) or a span (2016/2022)",
                        f.period
                    ),
                );
            }
            let key = (
                f.subject.clone(),
                f.indicator_en.trim().to_lowercase(),
                f.period.clone(),
                f.value.clone(),
            );
            if let Some(first) = facts.insert(key, line) {
                self.report(
                    table,
                    row,
                    "indicator_en",
                    format!("the same figure already appears on line {first}: keep one row"),
                );
            }
            self.evidence(table, row, &f.evidence);
        }
    }
}

/// The column and message of a quote that does not resolve to one span.
fn unresolved_message(
    source: &str,
    path: &str,
    letter: &Letter,
    evidence: &Evidence,
    unresolved: Unresolved,
) -> (&'static str, String) {
    let section = &evidence.section;
    let places = |candidates: &[(anchor::Span, Option<String>)]| {
        candidates
            .iter()
            .enumerate()
            .map(|(i, (span, mark))| {
                let (line, column) = letter.line_column(span.start);
                format!(
                    "{}. {path}:{line}:{column} (in {}, code points {span})",
                    i + 1,
                    mark.as_deref().unwrap_or("no one section")
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    match unresolved {
        Unresolved::NotFound => (
            "quote",
            format!(
                "the quote does not occur in source `{source}` (white space ignored): copy it verbatim; it starts `{}`",
                evidence.quote.chars().take(20).collect::<String>()
            ),
        ),
        Unresolved::NoSuchSection { marks } => (
            "section",
            format!(
                "source `{source}` has no section `{section}` (read from its headings in {path}): use one of {}",
                marks.join(", ")
            ),
        ),
        Unresolved::BadPin { pin, count } => (
            "occurrence",
            format!(
                "occurrence {pin} does not exist: the quote occurs {count} time{} in source `{source}`",
                if count == 1 { "" } else { "s" }
            ),
        ),
        Unresolved::Ambiguous { candidates, inside } => (
            "quote",
            format!(
                "the quote occurs {} times in source `{source}`, {inside} of them in section {section}: lengthen the quote, or give the number of the one meant in the `occurrence` column: {}",
                candidates.len(),
                places(&candidates)
            ),
        ),
        Unresolved::OutsideSection { candidates } => (
            "section",
            format!(
                "the quote does not lie in section {section} of source `{source}`: correct the section or the quote; it is at {}",
                places(&candidates)
            ),
        ),
    }
}

fn is_wikidata(id: &str) -> bool {
    id.strip_prefix('Q')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// The XSD type a date cell has: `Some(DateType::Date)` for a calendar date
/// `YYYY-MM-DD` that exists, `Some(DateType::Year)` for a year `YYYY`, and
/// `None` for anything else.
pub fn date_type(text: &str) -> Option<DateType> {
    let digits = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [year] if digits(year, 4) => Some(DateType::Year),
        [year, month, day] if digits(year, 4) && digits(month, 2) && digits(day, 2) => {
            let (y, m, d): (u32, u32, u32) =
                (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return None,
            };
            (1..=days).contains(&d).then_some(DateType::Date)
        }
        _ => None,
    }
}

/// The two forms a date cell may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateType {
    /// `YYYY-MM-DD`, an `xsd:date`.
    Date,
    /// `YYYY`, an `xsd:gYear`.
    Year,
}

fn is_period(period: &str) -> bool {
    let year = |y: &str| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit());
    period.is_empty()
        || year(period)
        || period
            .split_once('/')
            .is_some_and(|(a, b)| year(a) && year(b) && a < b)
}

/// The most digits a figure's value may have before its decimal point and
/// after it: what an `xsd:decimal` of the store holds exactly.
pub const MAX_DIGITS: (usize, usize) = (20, 18);

/// A plain decimal (`342`, `3.5`, `-2`), without exponent or separators,
/// with at most [`MAX_DIGITS`]; `Err` says what is wrong with it.
pub fn decimal_value(text: &str) -> Result<f64, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let valid = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    if !valid {
        return Err(format!(
            "`{text}` is not a plain decimal: write the number in base units (342 亿元 → 34200000000)"
        ));
    }
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.len() > MAX_DIGITS.0 || frac.len() > MAX_DIGITS.1 {
        return Err(format!(
            "the value has {} digits before the point and {} after: a figure has at most {} and {}",
            int.len(),
            frac.len(),
            MAX_DIGITS.0,
            MAX_DIGITS.1
        ));
    }
    text.parse()
        .map_err(|e| format!("`{text}` is not a plain decimal: {e}"))
}

/// The value a figure written with Arabic digits stands for (`342 亿元` →
/// 3.42e10, `3.5亿元` → 3.5e8, `12万亿元` → 1.2e13, `1,200家` → 1200, `50%`
/// → 50); `None` for other forms (`百余件`) and for numbers longer than a
/// figure may be. Digits may be grouped by commas (ASCII or full-width).
pub fn written_value(written: &str) -> Option<f64> {
    let squeezed = squeeze(written);
    let start = squeezed.find(|c: char| c.is_ascii_digit())?;
    let rest = &squeezed[start..];
    let mut number = String::new();
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        // A comma groups thousands only when three digits follow it.
        let after = &rest[i + c.len_utf8()..];
        let grouping = matches!(c, ',' | '，')
            && !number.is_empty()
            && !number.contains('.')
            && after.chars().take(3).filter(char::is_ascii_digit).count() == 3
            && !after.chars().nth(3).is_some_and(|d| d.is_ascii_digit());
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
        } else if !grouping {
            end = i;
            break;
        }
    }
    if number.len() > MAX_DIGITS.0 + MAX_DIGITS.1 + 1 {
        return None;
    }
    let number: f64 = number.trim_end_matches('.').parse().ok()?;
    // Multipliers in a row multiply: 万亿 is 10^12, 千万 10^7; no figure
    // has three.
    let multipliers: Vec<f64> = rest[end..]
        .chars()
        .map_while(|c| match c {
            '亿' => Some(1e8),
            '万' => Some(1e4),
            '千' => Some(1e3),
            '百' => Some(1e2),
            _ => None,
        })
        .take(3)
        .collect();
    if multipliers.len() > 2 {
        return None;
    }
    Some(number * multipliers.iter().product::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("fudan"));
        assert!(is_slug("shanghai-tech-exchange-2"));
        for bad in ["", "Fudan", "a--b", "-a", "a-", "复旦", "a_b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn written_values() {
        assert_eq!(written_value("342 亿元"), Some(3.42e10));
        assert_eq!(written_value("3.5 亿元"), Some(3.5e8));
        assert_eq!(written_value("超过1200家"), Some(1200.0));
        assert_eq!(written_value("50%"), Some(50.0));
        assert_eq!(written_value("百余件"), None);
        assert_eq!(written_value("12万亿元"), Some(1.2e13));
        assert_eq!(written_value("1,200家"), Some(1200.0));
        assert_eq!(written_value("1，200家"), Some(1200.0));
        assert_eq!(written_value("5千万元"), Some(5e7));
        assert_eq!(written_value("1,2"), Some(1.0));
        assert_eq!(written_value("1,2345"), Some(1.0));
        assert_eq!(written_value("12,345,678元"), Some(12_345_678.0));
        assert_eq!(written_value(&"9".repeat(401)), None);
        assert_eq!(written_value("1亿亿亿元"), None);
    }

    #[test]
    fn decimals_and_periods() {
        assert_eq!(decimal_value("34200000000"), Ok(3.42e10));
        assert_eq!(decimal_value("3.5"), Ok(3.5));
        let long = "9".repeat(401);
        for bad in ["", "1e5", "1,000", "3.", ".5", "abc", "-", long.as_str()] {
            assert!(decimal_value(bad).is_err(), "{bad}");
        }
        assert!(decimal_value(&"9".repeat(21)).is_err());
        assert!(decimal_value(&"9".repeat(20)).is_ok());
        assert!(is_period("") && is_period("2022") && is_period("2016/2022"));
        assert!(!is_period("2022/2016") && !is_period("22") && !is_period("2022-2023"));
    }

    #[test]
    fn dates_and_years() {
        assert_eq!(date_type("2023-03-24"), Some(DateType::Date));
        assert_eq!(date_type("2024-02-29"), Some(DateType::Date));
        assert_eq!(date_type("2016"), Some(DateType::Year));
        for bad in [
            "",
            "2023-02-29",
            "2023-13-01",
            "2023-3-24",
            "23",
            "2023年",
            "2016/2022",
        ] {
            assert_eq!(date_type(bad), None, "{bad}");
        }
    }
}

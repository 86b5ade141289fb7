//! The data checks: every quote occurs in its source, ids are unique and
//! well-formed, every relation and figure points at an existing entity, every
//! kind and predicate is declared in the ontology, every entity has a Chinese
//! and an English name, and no fact appears twice. Each problem names the
//! file, line and column and says what to change.

use crate::dataset::{Dataset, Evidence, Row, Table};
use crate::error::{Error, Problem};
use crate::ontology::Schema;
use crate::rdf;
use crate::source::StoreSource;
use oxigraph::model::GraphName;
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Units a figure may have.
pub const UNITS: [&str; 5] = ["CNY", "count", "percent", "person-times", "rank"];
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
        texts: dataset
            .texts
            .iter()
            .map(|(id, (_, text))| (id.as_str(), squeeze(text)))
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

/// Whether `section` is a section mark: `文头`, `导语`, `文尾`, or a Chinese
/// numeral optionally followed by one in full-width parentheses (`三（一）`).
pub fn is_section(section: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十";
    let numeral = |s: &str| !s.is_empty() && s.chars().all(|c| NUMERALS.contains(c));
    if ["文头", "导语", "文尾"].contains(&section) {
        return true;
    }
    match section.split_once('（') {
        None => numeral(section),
        Some((top, rest)) => numeral(top) && rest.strip_suffix('）').is_some_and(numeral),
    }
}

struct Checker<'a> {
    dataset: &'a Dataset,
    schema: &'a Schema,
    problems: Vec<Problem>,
    texts: HashMap<&'a str, String>,
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
            Some(source) if !self.texts.contains_key(source.as_str()) => self.report(
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
        let quote = squeeze(&evidence.quote);
        if quote.is_empty() {
            self.report(
                table,
                row,
                "quote",
                "the quote is empty: copy the words of the source that support this fact"
                    .to_owned(),
            );
        } else if let Some(text) = source.as_deref().and_then(|s| self.texts.get(s))
            && !text.contains(&quote)
        {
            let message = format!(
                "the quote does not occur in source `{}` (white space ignored): copy it verbatim; it starts `{}`",
                source.as_deref().unwrap_or_default(),
                evidence.quote.chars().take(20).collect::<String>()
            );
            self.report(table, row, "quote", message);
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
            if !e.date.is_empty() && !is_date(&e.date) {
                self.report(
                    table,
                    row,
                    "date",
                    format!("`{}` is not an ISO date: write YYYY-MM-DD", e.date),
                );
            }
            self.evidence(table, row, &e.evidence);
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
            let value = parse_decimal(&f.value);
            if value.is_none() {
                self.report(table, row, "value", format!("`{}` is not a plain decimal: write the number in base units (342 亿元 → 34200000000)", f.value));
            }
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
                    "{} does not match `{}`, which reads as {written}: 亿 is 10^8 and 万 is 10^4",
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
            if !["", "true", "false"].contains(&f.cumulative.as_str()) {
                self.report(
                    table,
                    row,
                    "cumulative",
                    format!(
                        "cumulative `{}` is neither `true` nor `false`",
                        f.cumulative
                    ),
                );
            }
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

fn is_wikidata(id: &str) -> bool {
    id.strip_prefix('Q')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn is_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_digit()))
        && (1..=12).contains(&parts[1].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&parts[2].parse::<u32>().unwrap_or(0))
}

fn is_period(period: &str) -> bool {
    let year = |y: &str| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit());
    period.is_empty()
        || year(period)
        || period
            .split_once('/')
            .is_some_and(|(a, b)| year(a) && year(b) && a < b)
}

/// A plain decimal (`342`, `3.5`, `-2`), without exponent or separators.
fn parse_decimal(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let valid = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    valid.then(|| text.parse().ok()).flatten()
}

/// The value a figure written with Arabic digits stands for (`342 亿元` →
/// 3.42e10, `3.5亿元` → 3.5e8, `50%` → 50); `None` for other forms (`百余件`).
fn written_value(written: &str) -> Option<f64> {
    let squeezed = squeeze(written);
    let start = squeezed.find(|c: char| c.is_ascii_digit())?;
    let rest = &squeezed[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let number: f64 = rest[..end].parse().ok()?;
    let multiplier = match rest[end..].chars().next() {
        Some('亿') => 1e8,
        Some('万') => 1e4,
        _ => 1.0,
    };
    Some(number * multiplier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections() {
        for ok in ["文头", "导语", "文尾", "一", "三（一）", "六（四）"] {
            assert!(is_section(ok), "{ok}");
        }
        for bad in ["", "三(一)", "3", "三（）", "（一）", "三（一"] {
            assert!(!is_section(bad), "{bad}");
        }
    }

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
    }

    #[test]
    fn decimals_and_periods() {
        assert_eq!(parse_decimal("34200000000"), Some(3.42e10));
        assert_eq!(parse_decimal("3.5"), Some(3.5));
        for bad in ["", "1e5", "1,000", "3.", ".5", "abc"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
        assert!(is_period("") && is_period("2022") && is_period("2016/2022"));
        assert!(!is_period("2022/2016") && !is_period("22") && !is_period("2022-2023"));
    }
}

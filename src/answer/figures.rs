//! The figures the source gives about an entity, each with its evidence:
//! part of the entity card (`innograph show`, the server's `/entities/{id}`).

use super::evidence;
use super::{Answer, Evidence, Style};
use crate::error::Error;
use crate::ontology::text;
use crate::query::show_term;
use crate::source::{GraphSource, Request, select};
use crate::spreadsheet::Cell;
use oxigraph::model::NamedNode;
use serde::Serialize;
use std::io::{self, Write};

/// The figures about one entity; the JSON is the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Figures {
    /// The figures, by figure id.
    pub figures: Vec<Figure>,
}

/// One figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Its id (`fig:...`).
    pub figure: String,
    /// What it measures, in Chinese.
    pub indicator: String,
    /// The figure as the source writes it.
    pub as_written: String,
    /// The number.
    pub value: String,
    /// Its unit.
    pub unit: String,
    /// `exact`, `more-than`, `at-least` or `about`.
    pub qualifier: String,
    /// The period it covers, when the source says.
    pub period: Option<String>,
    /// Whether it adds up over time; `None` where the source does not say.
    pub cumulative: Option<bool>,
    /// Why it is in the graph.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// The figures about `?entity`, each with the evidence [`evidence::PATTERN`] reads.
fn figures_query() -> String {
    format!(
        r#"
SELECT * WHERE {{
  ?node ig:about ?entity ; ig:indicator ?indicator ; schema:value ?value ; ig:unit ?unit ;
        ig:asWritten ?asWritten ; ig:qualifier ?qualifier .
  FILTER(LANGMATCHES(LANG(?indicator), "zh"))
  OPTIONAL {{ ?node ig:period ?period }}
  OPTIONAL {{ ?node ig:cumulative ?cumulative }}
  {}
}} ORDER BY ?node"#,
        evidence::PATTERN
    )
}

impl Figures {
    /// The figures about the entity `iri` that `source` holds.
    pub fn ask(source: &dyn GraphSource, iri: &str) -> Result<Figures, Error> {
        let entity = NamedNode::new(iri).map_err(|e| Error::Usage(format!("{iri}: {e}")))?;
        let request = Request::new(figures_query(), "the figures query").bind("entity", entity);
        let figures = read(source, &request)?
            .into_iter()
            .map(|(_, figure)| figure)
            .collect();
        Ok(Figures { figures })
    }

    /// Every figure `source` holds, each with the IRI of the entity it is
    /// about, in figure order.
    pub fn every(source: &dyn GraphSource) -> Result<Vec<(String, Figure)>, Error> {
        read(source, &Request::new(figures_query(), "the figures query"))
    }
}

/// The figures `request` (the figures query) finds, with their entity's IRI.
fn read(source: &dyn GraphSource, request: &Request) -> Result<Vec<(String, Figure)>, Error> {
    let rows = select(
        source,
        request,
        &[
            [
                "node",
                "indicator",
                "asWritten",
                "value",
                "unit",
                "qualifier",
                "period",
                "cumulative",
            ]
            .as_slice(),
            &evidence::VARIABLES,
            &["entity"],
        ]
        .concat(),
    )?;
    let evidence_end = 8 + evidence::VARIABLES.len();
    Ok(rows
        .iter()
        .map(|f| {
            let qualifier = f[5].as_ref().map(show_term).unwrap_or_default();
            let entity = match &f[evidence_end] {
                Some(oxigraph::model::Term::NamedNode(n)) => n.as_str().to_owned(),
                _ => String::new(),
            };
            let figure = Figure {
                figure: f[0].as_ref().map(show_term).unwrap_or_default(),
                indicator: text(&f[1]).unwrap_or_default(),
                as_written: text(&f[2]).unwrap_or_default(),
                value: text(&f[3]).unwrap_or_default(),
                unit: text(&f[4]).unwrap_or_default(),
                qualifier: match qualifier.as_str() {
                    "ig:MoreThan" => "more-than",
                    "ig:AtLeast" => "at-least",
                    "ig:About" => "about",
                    _ => "exact",
                }
                .to_owned(),
                period: text(&f[6]),
                cumulative: text(&f[7]).map(|c| c == "true"),
                evidence: Evidence::from_row(&f[8..evidence_end]),
            };
            (entity, figure)
        })
        .collect())
}

impl Figure {
    /// `指标: 342 亿元 (more than 342 CNY, cumulative, 2022)`.
    pub fn line(&self) -> String {
        let qualifier = match self.qualifier.as_str() {
            "more-than" => "more than ",
            "at-least" => "at least ",
            "about" => "about ",
            _ => "",
        };
        let cumulative = if self.cumulative == Some(true) {
            ", cumulative"
        } else {
            ""
        };
        let period = self
            .period
            .as_ref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default();
        format!(
            "{}: {} ({qualifier}{} {}{cumulative}{period})",
            self.indicator, self.as_written, self.value, self.unit
        )
    }

    /// The CSV columns of a figure, in [`Figure::record`]'s order.
    pub fn columns() -> Vec<&'static str> {
        let mut columns = vec![
            "figure",
            "indicator",
            "as_written",
            "value",
            "unit",
            "qualifier",
            "period",
            "cumulative",
        ];
        columns.extend(Evidence::COLUMNS);
        columns
    }

    /// The CSV cells.
    pub fn record(&self) -> Vec<String> {
        let mut record = vec![
            self.figure.clone(),
            self.indicator.clone(),
            self.as_written.clone(),
            self.value.clone(),
            self.unit.clone(),
            self.qualifier.clone(),
            self.period.clone().unwrap_or_default(),
            self.cumulative.map(|c| c.to_string()).unwrap_or_default(),
        ];
        record.extend(self.evidence.record());
        record
    }
}

impl Answer for Figures {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        for figure in &self.figures {
            writeln!(out, "  {}", figure.line())?;
            writeln!(out, "     {}", figure.evidence.line(style))?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        out.write_record(Figure::columns())?;
        for figure in &self.figures {
            out.write_record(figure.record())?;
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }
}

/// Every figure the graph holds, one row each, for a spreadsheet
/// (`innograph figures`): the entity and the indicator in both languages,
/// the value in base units and as written, and where the source says it.
/// The JSON is the list of rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FigureTable {
    /// The rows, in figure order.
    pub rows: Vec<FigureRow>,
}

/// One row of a [`FigureTable`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureRow {
    /// The figure's id (`fig:...`).
    pub figure: String,
    /// The id of the entity it is about.
    pub entity: String,
    /// The entity's Chinese name.
    pub entity_zh: String,
    /// The entity's English name.
    pub entity_en: String,
    /// What it measures, in Chinese.
    pub indicator_zh: String,
    /// What it measures, in English.
    pub indicator_en: String,
    /// The number, in base units (yuan, not 亿元).
    pub value: String,
    /// The figure as the source writes it.
    pub as_written: String,
    /// The base unit.
    pub unit: String,
    /// `exact`, `more-than`, `at-least` or `about`.
    pub qualifier: String,
    /// The period it covers, when the source says.
    pub period: Option<String>,
    /// Whether it adds up over time; `None` where the source does not say.
    pub cumulative: Option<bool>,
    /// `achieved` or `planned`.
    pub modality: String,
    /// The source document, as cited.
    pub letter: String,
    /// The section of the source.
    pub section: String,
    /// The verbatim quote.
    pub quote: String,
}

/// The English indicator of every figure.
const INDICATORS_EN: &str = r#"
SELECT ?node ?en WHERE {
  ?node ig:indicator ?en .
  FILTER(LANGMATCHES(LANG(?en), "en"))
}"#;

impl FigureTable {
    /// The columns, in [`FigureTable::records`]' order.
    pub const COLUMNS: [&'static str; 16] = [
        "figure",
        "entity",
        "entity_zh",
        "entity_en",
        "indicator_zh",
        "indicator_en",
        "value",
        "as_written",
        "unit",
        "qualifier",
        "period",
        "cumulative",
        "modality",
        "letter",
        "section",
        "quote",
    ];

    /// Every figure `source` holds, with the names `view` gives its entity.
    pub fn ask(source: &dyn GraphSource, view: &crate::view::View) -> Result<FigureTable, Error> {
        let english: std::collections::BTreeMap<String, String> = select(
            source,
            &Request::new(INDICATORS_EN, "the English indicators query"),
            &["node", "en"],
        )?
        .iter()
        .filter_map(|row| Some((row[0].as_ref().map(show_term)?, text(&row[1])?)))
        .collect();
        let rows = Figures::every(source)?
            .into_iter()
            .map(|(iri, figure)| {
                let node = view.node_by_iri(&iri).map(|n| view.node(n));
                FigureRow {
                    entity: node.map_or_else(|| iri.clone(), |n| n.id.clone()),
                    entity_zh: node.map(|n| n.name_zh.clone()).unwrap_or_default(),
                    entity_en: node.map(|n| n.name_en.clone()).unwrap_or_default(),
                    indicator_en: english.get(&figure.figure).cloned().unwrap_or_default(),
                    indicator_zh: figure.indicator,
                    value: figure.value,
                    as_written: figure.as_written,
                    unit: figure.unit,
                    qualifier: figure.qualifier,
                    period: figure.period,
                    cumulative: figure.cumulative,
                    modality: figure.evidence.modality.as_str().to_owned(),
                    letter: figure.evidence.citation,
                    section: figure.evidence.section,
                    quote: figure.evidence.quote,
                    figure: figure.figure,
                }
            })
            .collect();
        Ok(FigureTable { rows })
    }

    /// The rows as text cells, in [`FigureTable::COLUMNS`]' order (the CSV).
    pub fn records(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| {
                vec![
                    r.figure.clone(),
                    r.entity.clone(),
                    r.entity_zh.clone(),
                    r.entity_en.clone(),
                    r.indicator_zh.clone(),
                    r.indicator_en.clone(),
                    r.value.clone(),
                    r.as_written.clone(),
                    r.unit.clone(),
                    r.qualifier.clone(),
                    r.period.clone().unwrap_or_default(),
                    r.cumulative.map(|c| c.to_string()).unwrap_or_default(),
                    r.modality.clone(),
                    r.letter.clone(),
                    r.section.clone(),
                    r.quote.clone(),
                ]
            })
            .collect()
    }

    /// The rows as spreadsheet cells: the value a number (where a
    /// spreadsheet holds it exactly), `cumulative` a boolean, what the
    /// source does not say empty.
    pub fn cells(&self) -> Vec<Vec<Cell>> {
        let value = Self::COLUMNS.iter().position(|c| *c == "value");
        let cumulative = Self::COLUMNS.iter().position(|c| *c == "cumulative");
        self.records()
            .into_iter()
            .zip(&self.rows)
            .map(|(record, row)| {
                record
                    .iter()
                    .enumerate()
                    .map(|(i, text)| {
                        if Some(i) == value {
                            Cell::number(text)
                        } else if Some(i) == cumulative {
                            row.cumulative.map_or(Cell::Empty, Cell::Bool)
                        } else {
                            Cell::text(text)
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// The table as an `.xlsx` workbook.
    pub fn xlsx(&self) -> Result<Vec<u8>, Error> {
        crate::spreadsheet::xlsx("figures", &Self::COLUMNS, &self.cells())
    }
}

impl Answer for FigureTable {
    fn text(&self, out: &mut dyn Write, _style: &Style) -> io::Result<()> {
        let mut entity = None;
        for row in &self.rows {
            if entity != Some(&row.entity) {
                writeln!(out, "{} ({})", row.entity_zh, row.entity)?;
                entity = Some(&row.entity);
            }
            let qualifier = match row.qualifier.as_str() {
                "more-than" => "more than ",
                "at-least" => "at least ",
                "about" => "about ",
                _ => "",
            };
            writeln!(
                out,
                "  {}: {} ({qualifier}{} {}; {})",
                row.indicator_zh, row.as_written, row.value, row.unit, row.modality
            )?;
            writeln!(out, "     {} {}: {}", row.letter, row.section, row.quote)?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        out.write_record(Self::COLUMNS)?;
        for record in self.records() {
            out.write_record(record)?;
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

//! The figures the source gives about an entity, each with its evidence:
//! part of the entity card (`innograph show`, the server's `/entities/{id}`).

use super::evidence;
use super::{Answer, Evidence, Style};
use crate::error::Error;
use crate::ontology::text;
use crate::query::show_term;
use crate::source::{GraphSource, Request, select};
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

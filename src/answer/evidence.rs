//! The evidence of a fact: whether the source states it or it was inferred,
//! whether it reports it done or announces it, the source's short citation
//! and the section, the verbatim quote with its anchor in the source's text,
//! the dates the source gives, and the reason of an inference. Rendered here
//! and nowhere else, in every form: the text line (`stated · 杨府〔2023〕6号
//! 三（一） · “…”`), the CSV columns and the JSON fields.
//!
//! A new piece of evidence (the source's short citation, an anchor in its
//! text, a modality, dates) is a field here, one line in [`Evidence::of`],
//! one in [`Evidence::COLUMNS`] and [`Evidence::record`], and one in
//! [`Evidence::line`]; the JSON follows the field.

use super::Style;
use crate::ontology::text;
use crate::view::{Edge, Modality, Status};
use oxigraph::model::Term;
use serde::{Serialize, Serializer};

/// The SPARQL pattern that reads the evidence of `?node` (an entity or a
/// figure; the view reads statements' the same way), binding
/// [`VARIABLES`] for [`Evidence::from_row`].
///
/// The anchor's four patterns are in a `LATERAL` (Oxigraph's SEP-0006):
/// Oxigraph then evaluates them for each `?node` already bound. As a plain
/// OPTIONAL it judges them cheaper joined by hash, and reads every anchor
/// of the store (47 k at 1 M triples, a second) to answer for one node.
pub(crate) const PATTERN: &str = r#"
  OPTIONAL { ?node ig:status ?status }
  OPTIONAL { ?node ig:section ?section }
  OPTIONAL { ?node ig:quote ?quote }
  OPTIONAL { ?node ig:reason ?reason }
  OPTIONAL { ?node ig:modality ?modality }
  OPTIONAL {
    ?node prov:wasDerivedFrom ?document .
    FILTER NOT EXISTS { ?document a oa:SpecificResource }
    OPTIONAL { ?document schema:identifier ?documentNumber }
    OPTIONAL { ?document skos:prefLabel ?documentTitle FILTER(LANGMATCHES(LANG(?documentTitle), "zh")) }
  }
  LATERAL {
    OPTIONAL {
      ?node ig:anchor/oa:hasSelector ?position .
      ?position a oa:TextPositionSelector ; oa:start ?anchorStart ; oa:end ?anchorEnd .
    }
  }
"#;

/// The variables [`PATTERN`] binds, in [`Evidence::from_row`]'s order.
pub(crate) const VARIABLES: [&str; 10] = [
    "status",
    "section",
    "quote",
    "reason",
    "modality",
    "document",
    "documentNumber",
    "documentTitle",
    "anchorStart",
    "anchorEnd",
];

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for Modality {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Why a fact is in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Stated by the source, or inferred by the curators.
    pub status: Status,
    /// Reported done (achieved) or announced (planned).
    pub modality: Modality,
    /// The source's short citation (`杨府〔2023〕6号`); empty without a source.
    pub citation: String,
    /// The source document's IRI.
    pub document: Option<String>,
    /// The section of the source, e.g. `三（一）`.
    pub section: String,
    /// The verbatim quote.
    pub quote: String,
    /// Why it was inferred.
    pub reason: Option<String>,
    /// When the stated act happened (`2023-03-24`, `2023`).
    pub date: Option<String>,
    /// When it started (`2016` for 自 2016 年起).
    pub start: Option<String>,
    /// Where the quote starts in the source's text, in code points.
    pub anchor_start: Option<u64>,
    /// Where the quote ends in the source's text, in code points.
    pub anchor_end: Option<u64>,
}

impl Evidence {
    /// The CSV columns of evidence, in [`Evidence::record`]'s order.
    pub const COLUMNS: &'static [&'static str] = &[
        "status",
        "modality",
        "citation",
        "document",
        "section",
        "quote",
        "reason",
        "date",
        "start",
        "anchor_start",
        "anchor_end",
    ];

    /// The evidence of a relation of the view.
    pub fn of(edge: &Edge) -> Evidence {
        Evidence {
            status: edge.status,
            modality: edge.modality,
            citation: edge.citation.clone(),
            document: edge.source.clone(),
            section: edge.section.clone(),
            quote: edge.quote.clone(),
            reason: edge.reason.clone(),
            date: edge.date.clone(),
            start: edge.start.clone(),
            anchor_start: edge.anchor.map(|a| a.0),
            anchor_end: edge.anchor.map(|a| a.1),
        }
    }

    /// The evidence read by [`PATTERN`]: `row` holds the [`VARIABLES`] in order.
    pub(crate) fn from_row(row: &[Option<Term>]) -> Evidence {
        let is = |term: &Option<Term>, local: &str| matches!(term, Some(Term::NamedNode(n)) if n.as_str().ends_with(local));
        let document = match &row[5] {
            Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
            _ => None,
        };
        let citation = text(&row[6])
            .or_else(|| text(&row[7]))
            .or_else(|| document.as_deref().map(crate::rdf::compact))
            .unwrap_or_default();
        Evidence {
            status: match &row[0] {
                Some(Term::NamedNode(n)) => Status::from_iri(n.as_str()),
                _ => Status::Stated,
            },
            modality: if is(&row[4], "Planned") {
                Modality::Planned
            } else {
                Modality::Achieved
            },
            citation,
            document,
            section: text(&row[1]).unwrap_or_default(),
            quote: text(&row[2]).unwrap_or_default(),
            reason: text(&row[3]),
            date: None,
            start: None,
            anchor_start: text(&row[8]).and_then(|n| n.parse().ok()),
            anchor_end: text(&row[9]).and_then(|n| n.parse().ok()),
        }
    }

    /// The CSV cells, in [`Evidence::COLUMNS`]' order.
    pub fn record(&self) -> Vec<String> {
        let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        vec![
            self.status.as_str().to_owned(),
            self.modality.as_str().to_owned(),
            self.citation.clone(),
            self.document.clone().unwrap_or_default(),
            self.section.clone(),
            self.quote.clone(),
            self.reason.clone().unwrap_or_default(),
            self.date.clone().unwrap_or_default(),
            self.start.clone().unwrap_or_default(),
            number(self.anchor_start),
            number(self.anchor_end),
        ]
    }

    /// The text line: `status[ · planned] · citation section · “quote”
    /// (inferred: reason)`. Achieved is the common case and goes unsaid.
    pub fn line(&self, style: &Style) -> String {
        let mut status = match self.status {
            Status::Stated => self.status.as_str().to_owned(),
            Status::Inferred | Status::Draft => style.inferred(self.status.as_str()),
        };
        if self.modality == Modality::Planned {
            status.push_str(" · ");
            status.push_str(self.modality.as_str());
        }
        let place = [self.citation.as_str(), self.section.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let reason = self
            .reason
            .as_ref()
            .map(|r| style.inferred(&format!(" (inferred: {r})")))
            .unwrap_or_default();
        format!("{status} · {place} · “{}”{reason}", self.quote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inferred() -> Evidence {
        Evidence {
            status: Status::Inferred,
            modality: Modality::Planned,
            citation: "甲府〔2023〕1号".to_owned(),
            document: None,
            section: "三（一）".to_owned(),
            quote: "甲".to_owned(),
            reason: Some("乙".to_owned()),
            date: None,
            start: Some("2016".to_owned()),
            anchor_start: Some(3),
            anchor_end: Some(4),
        }
    }

    #[test]
    fn one_line_with_the_reason() {
        assert_eq!(
            inferred().line(&Style::PLAIN),
            "inferred · planned · 甲府〔2023〕1号 三（一） · “甲” (inferred: 乙)"
        );
    }

    #[test]
    fn columns_and_record_agree() {
        assert_eq!(Evidence::COLUMNS.len(), inferred().record().len());
        let json = serde_json::to_value(inferred()).unwrap();
        for column in Evidence::COLUMNS {
            assert!(json.get(column).is_some(), "JSON lacks {column}");
        }
    }
}

//! The evidence of a fact: whether the source states it or it was inferred,
//! the section of the source, the verbatim quote and the reason of an
//! inference. Rendered here and nowhere else, in every form: the text line
//! (`stated · 三（一） · “…”`), the CSV columns and the JSON fields.
//!
//! A new piece of evidence (the source's short citation, an anchor in its
//! text, a modality, dates) is a field here, one line in [`Evidence::of`],
//! one in [`Evidence::COLUMNS`] and [`Evidence::record`], and one in
//! [`Evidence::line`]; the JSON follows the field.

use super::Style;
use crate::view::{Edge, Status};
use serde::{Serialize, Serializer};

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Why a fact is in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Stated by the source, or inferred by the curators.
    pub status: Status,
    /// The section of the source, e.g. `三（一）`.
    pub section: String,
    /// The verbatim quote.
    pub quote: String,
    /// Why it was inferred.
    pub reason: Option<String>,
}

impl Evidence {
    /// The CSV columns of evidence, in [`Evidence::record`]'s order.
    pub const COLUMNS: &'static [&'static str] = &["status", "section", "quote", "reason"];

    /// The evidence of a relation of the view.
    pub fn of(edge: &Edge) -> Evidence {
        Evidence {
            status: edge.status,
            section: edge.section.clone(),
            quote: edge.quote.clone(),
            reason: edge.reason.clone(),
        }
    }

    /// The CSV cells, in [`Evidence::COLUMNS`]' order.
    pub fn record(&self) -> Vec<String> {
        vec![
            self.status.as_str().to_owned(),
            self.section.clone(),
            self.quote.clone(),
            self.reason.clone().unwrap_or_default(),
        ]
    }

    /// The text line: `status · section · “quote” (inferred: reason)`.
    pub fn line(&self, style: &Style) -> String {
        let status = match self.status {
            Status::Stated => self.status.as_str().to_owned(),
            Status::Inferred => style.inferred(self.status.as_str()),
        };
        let reason = self
            .reason
            .as_ref()
            .map(|r| style.inferred(&format!(" (inferred: {r})")))
            .unwrap_or_default();
        format!("{status} · {} · “{}”{reason}", self.section, self.quote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inferred() -> Evidence {
        Evidence {
            status: Status::Inferred,
            section: "三（一）".to_owned(),
            quote: "甲".to_owned(),
            reason: Some("乙".to_owned()),
        }
    }

    #[test]
    fn one_line_with_the_reason() {
        assert_eq!(
            inferred().line(&Style::PLAIN),
            "inferred · 三（一） · “甲” (inferred: 乙)"
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

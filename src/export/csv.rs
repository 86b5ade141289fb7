//! A CSV edge list: one row per selected relation, with its labels and
//! evidence, for spreadsheets, pandas or any tool that reads an edge list.
//! The columns: source, target, predicate, label_zh, label_en, status,
//! modality, date, start, citation (the source document's short citation,
//! `杨府〔2023〕6号`), section, quote, and document (the source document's IRI).

use super::{Context, Exporter};
use crate::error::Error;
use std::io::Write;

/// The CSV edge list exporter.
#[derive(Debug, Clone, Copy, Default)]
pub struct EdgeList;

/// The header row.
pub const COLUMNS: [&str; 13] = [
    "source",
    "target",
    "predicate",
    "label_zh",
    "label_en",
    "status",
    "modality",
    "date",
    "start",
    "citation",
    "section",
    "quote",
    "document",
];

/// A CSV error as the library's error, keeping an I/O error (a closed pipe) as it is.
pub(crate) fn csv_error(e: ::csv::Error) -> Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => Error::Write(e),
        other => Error::Write(std::io::Error::other(format!("{other:?}"))),
    }
}

impl Exporter for EdgeList {
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
        let view = context.view;
        let mut writer = ::csv::Writer::from_writer(out);
        writer.write_record(COLUMNS).map_err(csv_error)?;
        for &e in &context.selected.edges {
            let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
            let edge = view.edge(e);
            writer
                .write_record([
                    view.node(s).id.as_str(),
                    &view.node(o).id,
                    &edge.predicate,
                    &view.predicate_label(&edge.predicate, "zh"),
                    &view.predicate_label(&edge.predicate, "en"),
                    edge.status.as_str(),
                    edge.modality.as_str(),
                    edge.date.as_deref().unwrap_or(""),
                    edge.start.as_deref().unwrap_or(""),
                    &edge.citation,
                    &edge.section,
                    &edge.quote,
                    edge.source.as_deref().unwrap_or(""),
                ])
                .map_err(csv_error)?;
        }
        writer.flush()?;
        Ok(())
    }
}

//! A JSON graph in the Cytoscape JSON form (`.cyjs`): `{"data": {...},
//! "elements": {"nodes": [{"data": {"id", ...}}], "edges": [{"data":
//! {"id", "source", "target", ...}}]}}`.
//!
//! Cytoscape.js loads it as it is (`cytoscape({container, elements:
//! graph.elements})` or `cy.json(graph)`), the Cytoscape desktop app imports
//! it, and D3 uses it after one line: `nodes = graph.elements.nodes.map(n =>
//! n.data)`, `links = graph.elements.edges.map(e => e.data)` (with
//! `forceLink(links).id(d => d.id)`). Keys are sorted, so the same data gives
//! the same bytes.
//!
//! An edge's evidence: `status`, `citation` (the source document's short
//! citation), `document` (its IRI), `section`, `quote`, `anchor_start` and
//! `anchor_end` (where the quote stands in the document's text, in code
//! points) and `reason`.

use super::{Context, Exporter};
use crate::error::Error;
use crate::view::Status;
use serde_json::{Value, json};
use std::io::Write;

/// The JSON graph exporter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Json {
    /// The graph as a JSON value.
    pub fn value(context: &Context<'_>) -> Value {
        let view = context.view;
        let nodes: Vec<Value> = context
            .selected
            .nodes
            .iter()
            .map(|&n| {
                let node = view.node(n);
                let naming = context.naming(n);
                json!({
                    "data": {
                        "id": node.id,
                        "label": context.name(n),
                        "kind": node.kind,
                        "kind_zh": view.kind_label(&node.kind, "zh"),
                        "kind_en": view.kind_label(&node.kind, "en"),
                        "name_zh": node.name_zh,
                        "name_en": node.name_en,
                        "aliases": node.aliases,
                        "search_aliases": node.search_aliases,
                        "iri": node.iri,
                        "platform": view.is_platform(n),
                        "hub": view.is_hub(n),
                        "citation": naming.map(|m| m.citation.as_str()),
                        "section": naming.map(|m| m.section.as_str()),
                        "quote": naming.map(|m| m.quote.as_str()),
                    },
                    "classes": node.kind,
                })
            })
            .collect();
        let edges: Vec<Value> = context
            .selected
            .edges
            .iter()
            .map(|&e| {
                let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
                let edge = view.edge(e);
                let id = crate::rdf::local_name(&edge.statement, crate::rdf::STATEMENT)
                    .unwrap_or(&edge.statement);
                json!({
                    "data": {
                        "id": id,
                        "source": view.node(s).id,
                        "target": view.node(o).id,
                        "label": context.relation_label(&edge.predicate),
                        "predicate": edge.predicate,
                        "label_zh": view.predicate_label(&edge.predicate, "zh"),
                        "label_en": view.predicate_label(&edge.predicate, "en"),
                        "status": edge.status.as_str(),
                        "inferred": edge.status == Status::Inferred,
                        "modality": edge.modality.as_str(),
                        "date": edge.date,
                        "start": edge.start,
                        "citation": edge.citation,
                        "document": edge.source,
                        "section": edge.section,
                        "quote": edge.quote,
                        "anchor_start": edge.anchor.map(|a| a.0),
                        "anchor_end": edge.anchor.map(|a| a.1),
                        "reason": edge.reason,
                        "statement": edge.statement,
                    },
                    "classes": edge.status.as_str(),
                })
            })
            .collect();
        json!({
            "data": { "name": "innograph" },
            "elements": { "nodes": nodes, "edges": edges },
        })
    }
}

impl Exporter for Json {
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
        serde_json::to_writer_pretty(&mut *out, &Json::value(context))
            .map_err(|e| Error::Write(e.into()))?;
        writeln!(out)?;
        Ok(())
    }
}

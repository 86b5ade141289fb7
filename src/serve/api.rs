//! The domain questions over HTTP: `/platforms?university=` and
//! `/entities/{id}` answer JSON shaped like `innograph platforms --format
//! json`; `/export?format=` writes what `innograph export` writes. And the
//! page at `/`, with the named queries to start from.

use super::{Incoming, Reply, protocol};
use crate::bundled;
use crate::export::{self, Format};
use crate::links::{self, Hop};
use crate::ontology::text;
use crate::query;
use crate::resolve::resolve;
use crate::source::{GraphSource, Request, select};
use crate::view::View;
use oxigraph::model::NamedNode;
use petgraph::graph::NodeIndex;
use serde_json::{Value, json};

/// The page at `/`, with the named queries filled in.
pub fn page() -> String {
    let queries: Vec<Value> = bundled::query_names()
        .map(|name| {
            let text = bundled::query(name).unwrap_or_default();
            json!({"name": name, "description": query::description(text), "text": text})
        })
        .collect();
    // `</` cannot end the script element early once escaped.
    let queries = Value::from(queries).to_string().replace("</", "<\\/");
    include_str!("page.html").replace("/*QUERIES*/[]", &queries)
}

/// The entity a name gives, or a 404 that says why.
fn entity_of(view: &View, name: &str) -> Result<NodeIndex, Reply> {
    resolve(view, name).map_err(|e| Reply::json(404, &json!({"error": e.to_string()})))
}

/// `/platforms?university=NAME[&depth=N]`: the same JSON as `innograph
/// platforms NAME --depth N --format json`.
pub fn platforms(view: &View, incoming: &Incoming) -> Reply {
    let Some(name) = incoming.param("university") else {
        return Reply::json(
            400,
            &json!({"error": "give the university: /platforms?university=NAME (an id, a name, an alias or a unique part of one)"}),
        );
    };
    let depth = match incoming.param("depth").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(depth @ 1..=10)) => depth,
        Some(_) => {
            return Reply::json(400, &json!({"error": "depth is a number from 1 to 10"}));
        }
    };
    let start = match entity_of(view, name) {
        Ok(start) => start,
        Err(reply) => return reply,
    };
    let found = links::platforms(view, start, depth);
    Reply::json(200, &links::platforms_json(view, start, depth, &found))
}

const FIGURES: &str = r#"
SELECT ?figure ?indicator ?asWritten ?value ?unit ?status ?section ?quote ?citation WHERE {
  ?figure ig:about ?entity ; ig:indicator ?indicator ; schema:value ?value ; ig:unit ?unit ;
          ig:asWritten ?asWritten ; ig:status ?status ; ig:section ?section ; ig:quote ?quote .
  FILTER(LANGMATCHES(LANG(?indicator), "zh"))
  OPTIONAL { ?figure prov:wasDerivedFrom ?source .
             OPTIONAL { ?source schema:identifier ?identifier }
             OPTIONAL { ?source skos:prefLabel ?title FILTER(LANGMATCHES(LANG(?title), "zh")) } }
  BIND(COALESCE(?identifier, ?title) AS ?citation)
} ORDER BY ?figure"#;

/// `/entities/{id}`: the entity, its relations both ways with their
/// evidence, and its figures.
pub fn entity(source: &dyn GraphSource, view: &View, name: &str) -> Reply {
    let name = protocol::form(&format!("x={name}"))
        .and_then(|pairs| pairs.into_iter().next())
        .map(|(_, v)| v)
        .unwrap_or_default();
    let n = match entity_of(view, &name) {
        Ok(n) => n,
        Err(reply) => return reply,
    };
    let node = view.node(n);
    let relations: Vec<Value> = view
        .incident(n)
        .into_iter()
        .map(|(edge, other, forward)| {
            let mut hop = links::hop_json(
                view,
                &Hop {
                    from: n,
                    to: other,
                    edge,
                    forward,
                },
            );
            let predicate = &view.edge(edge).predicate;
            hop["label_zh"] = json!(view.predicate_label(predicate, "zh"));
            hop["label_en"] = json!(view.predicate_label(predicate, "en"));
            hop
        })
        .collect();
    let iri = NamedNode::new_unchecked(node.iri.clone());
    let figures = match select(
        source,
        &Request::new(FIGURES, "the figures query").bind("entity", iri),
        &[
            "figure",
            "indicator",
            "asWritten",
            "value",
            "unit",
            "status",
            "section",
            "quote",
            "citation",
        ],
    ) {
        Ok(rows) => rows
            .iter()
            .map(|row| {
                json!({
                    "figure": row[0].as_ref().map(query::show_term),
                    "indicator": text(&row[1]), "as_written": text(&row[2]),
                    "value": text(&row[3]), "unit": text(&row[4]),
                    "status": row[5].as_ref().map(query::show_term),
                    "citation": text(&row[8]), "section": text(&row[6]), "quote": text(&row[7]),
                })
            })
            .collect::<Vec<_>>(),
        Err(e) => return Reply::json(500, &json!({"error": e.to_string()})),
    };
    Reply::json(
        200,
        &json!({
            "id": node.id, "iri": node.iri, "kind": node.kind,
            "kind_zh": view.kind_label(&node.kind, "zh"), "kind_en": view.kind_label(&node.kind, "en"),
            "name_zh": node.name_zh, "name_en": node.name_en, "aliases": node.aliases,
            "relations": relations,
            "figures": figures,
        }),
    )
}

/// `/export?format=dot[&focus=NAME&depth=N]`: what `innograph export` writes.
pub fn export(source: &dyn GraphSource, view: &View, incoming: &Incoming) -> Reply {
    let name = incoming.param("format").unwrap_or("dot");
    let Some(format) = Format::ALL.into_iter().find(|f| f.name() == name) else {
        return Reply::error(
            400,
            format!(
                "no export format is called `{name}`; the formats are: {}",
                Format::ALL.map(Format::name).join(", ")
            ),
        );
    };
    let focus = match incoming.param("focus").map(|f| entity_of(view, f)) {
        None => None,
        Some(Ok(node)) => Some(node),
        Some(Err(reply)) => return reply,
    };
    let depth = incoming
        .param("depth")
        .and_then(|d| d.parse().ok())
        .unwrap_or(1usize)
        .clamp(1, 10);
    let written = export::Selection::new(view, focus, depth, true, &[], &[])
        .and_then(|selection| {
            export::Context::new(source, view, selection, export::Options::default())
        })
        .and_then(|context| {
            let mut bytes = Vec::new();
            export::write(format, &context, &mut bytes).map(|()| bytes)
        });
    match written {
        Ok(bytes) => Reply::new(200, media_type(format), bytes),
        Err(e) => Reply::error(500, e),
    }
}

/// The media type of an export format.
fn media_type(format: Format) -> &'static str {
    if let Some(rdf) = format.rdf() {
        return rdf.media_type();
    }
    match format {
        Format::Dot => "text/vnd.graphviz; charset=utf-8",
        Format::Svg => "image/svg+xml",
        Format::Png => "image/png",
        Format::GraphMl => "application/graphml+xml",
        Format::Json => "application/json",
        Format::Csv => "text/csv; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    }
}

//! The explorer: the page at `/` of `innograph serve` and the file
//! `innograph export --format html` writes, and the JSON answers it reads.
//!
//! The page asks for everything by a request path (`/entities/tongji`,
//! `/api/graph?id=tongji&depth=1&hubs=0`). The server answers each request
//! with [`answer`]; the exported file holds the same answers, computed by
//! [`answer`] ahead of time for every request the page can make and keyed
//! by that request ([`requests`]), in a `<script type="application/json">`.
//! Name search and the path between two entities cannot be listed ahead of
//! time, so the file's page runs them itself over what it holds; SPARQL
//! needs the server, and the file's page says so.
//!
//! The JavaScript libraries (Cytoscape.js for the graphs, CodeMirror for
//! the SPARQL editor) are vendored in `web/vendor/` (pinned, with their
//! licences and `refresh.sh`, which checks their SHA-256), embedded in the
//! binary, and served under `/vendor/` or inlined into the file.

use crate::anchor;
use crate::answer::{self, EntityRef};
use crate::bundled;
use crate::error::{Error, ResolveError};
use crate::links;
use crate::ontology::text;
use crate::query;
use crate::resolve::{resolve, resolve_among};
use crate::source::{GraphSource, Request, select};
use crate::view::View;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The vendored files, in the order the page loads them: name and text.
/// The style sheet (`.css`) goes in a `<style>` or `<link>`, the rest in
/// `<script>`s.
pub const VENDORED: [(&str, &str); 7] = [
    (
        "cytoscape.min.js",
        include_str!("../../web/vendor/cytoscape.min.js"),
    ),
    (
        "layout-base.js",
        include_str!("../../web/vendor/layout-base.js"),
    ),
    (
        "cose-base.js",
        include_str!("../../web/vendor/cose-base.js"),
    ),
    (
        "cytoscape-fcose.js",
        include_str!("../../web/vendor/cytoscape-fcose.js"),
    ),
    (
        "codemirror.css",
        include_str!("../../web/vendor/codemirror.css"),
    ),
    (
        "codemirror.js",
        include_str!("../../web/vendor/codemirror.js"),
    ),
    (
        "codemirror-sparql.js",
        include_str!("../../web/vendor/codemirror-sparql.js"),
    ),
];

/// Whether the vendored file `name` is a style sheet.
pub fn is_style(name: &str) -> bool {
    name.ends_with(".css")
}

/// The most neighbours one expansion of a node adds to the graph.
pub const EXPAND_CAP: usize = 40;

/// Why a request gets no answer: an HTTP status and a message.
pub type Refusal = (u16, String);

/// The vendored file `name`, if there is one.
pub fn vendored(name: &str) -> Option<&'static str> {
    VENDORED.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The page as the server sends it: scripts from `/vendor/`, answers
/// fetched.
pub fn served_page() -> String {
    let scripts: String = VENDORED
        .iter()
        .map(|(name, _)| {
            if is_style(name) {
                format!("<link rel=\"stylesheet\" href=\"/vendor/{name}\">\n")
            } else {
                format!("<script src=\"/vendor/{name}\"></script>\n")
            }
        })
        .collect();
    fill(&scripts, "null")
}

/// The page as one file: scripts inline, and `answers` (request → JSON).
pub fn file_page(answers: &BTreeMap<String, Value>) -> String {
    let scripts: String = VENDORED
        .iter()
        .map(|(name, text)| {
            if is_style(name) {
                format!("<style>{}</style>\n", text.replace("</style", "<\\/style"))
            } else {
                format!(
                    "<script>{}</script>\n",
                    text.replace("</script", "<\\/script")
                )
            }
        })
        .collect();
    fill(
        &scripts,
        &inline_json(&Value::from(
            answers
                .clone()
                .into_iter()
                .collect::<serde_json::Map<_, _>>(),
        )),
    )
}

/// JSON that cannot end the script element it stands in.
fn inline_json(value: &Value) -> String {
    // `<` only occurs inside JSON strings, where `\u003c` reads the same;
    // so no `</script` or `<!--` can end or change the script element.
    value.to_string().replace('<', "\\u003c")
}

fn fill(scripts: &str, answers: &str) -> String {
    let queries: Vec<Value> = bundled::query_names()
        .map(|name| {
            let text = bundled::query(name).unwrap_or_default();
            json!({
                "name": name,
                "description": query::description(text),
                "text": text,
                "parameters": parameters(text),
            })
        })
        .collect();
    let prefixes: Value = crate::rdf::PREFIXES
        .iter()
        .map(|(p, ns)| ((*p).to_owned(), Value::from(*ns)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    include_str!("page.html")
        .replace("<!--SCRIPTS-->", scripts)
        .replace("/*QUERIES*/[]", &inline_json(&Value::from(queries)))
        .replace("/*PREFIXES*/{}", &inline_json(&prefixes))
        .replace("/*ANSWERS*/null", answers)
}

/// The parameters a named query declares in its header (`# Parameter:
/// ?name` or `# Parameters: ?a, ?b`), in order.
fn parameters(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let line = line.trim_start_matches('#').trim();
        let Some(rest) = line
            .split_once("Parameters:")
            .or_else(|| line.split_once("Parameter:"))
            .map(|(_, rest)| rest)
        else {
            continue;
        };
        for word in rest.split([',', ' ', ';']) {
            if let Some(name) = word.strip_prefix('?') {
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && !found.contains(&name) {
                    found.push(name);
                }
            }
        }
    }
    found
}

/// Every request the page can make whose answer can be listed ahead of
/// time: what the exported file holds. Not the neighbourhood at depth 2
/// through hubs, which is most of the graph for every entity (it would make
/// the file several times larger); the file's page offers depth 2 without
/// hubs only.
pub fn requests(view: &View) -> Vec<String> {
    let mut out = vec![
        "/api/entities".to_owned(),
        "/api/figures".to_owned(),
        "/api/letter".to_owned(),
        "/api/links".to_owned(),
    ];
    for n in view.graph.node_indices() {
        let id = &view.node(n).id;
        out.push(format!("/entities/{id}"));
        for (depth, hubs) in [(1, 0), (1, 1), (2, 0)] {
            out.push(graph_request(id, depth, hubs));
        }
        if view.is_a(n, links::UNIVERSITY) {
            out.push(format!("/platforms?university={id}"));
        }
    }
    out
}

/// The request for the neighbourhood graph, as the page writes it.
fn graph_request(id: &str, depth: usize, hubs: u8) -> String {
    format!("/api/graph?id={id}&depth={depth}&hubs={hubs}")
}

/// The answer to `request` (a path with its query string), as JSON.
pub fn answer_request(
    source: &dyn GraphSource,
    view: &View,
    request: &str,
) -> Result<Value, Refusal> {
    let (path, query) = request.split_once('?').unwrap_or((request, ""));
    let params = super::protocol::form(query)
        .ok_or_else(|| (400, "the query string is not well-formed".to_owned()))?;
    answer(source, view, path, &params)
}

/// The answer at `path` with the query string's `params`, as JSON.
pub fn answer(
    source: &dyn GraphSource,
    view: &View,
    path: &str,
    params: &[(String, String)],
) -> Result<Value, Refusal> {
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let entity = |name: &str| -> Result<NodeIndex, Refusal> {
        let wanted = param(name).ok_or_else(|| (400, format!("give {name}=ID")))?;
        resolve(view, wanted).map_err(|e| (404, e.to_string()))
    };
    let failed = |e: Error| (500, e.to_string());
    let to_value = |v: Result<Value, serde_json::Error>| v.map_err(|e| (500, e.to_string()));
    match path {
        "/api/search" => Ok(search(view, param("q").unwrap_or_default())),
        "/api/entities" => to_value(serde_json::to_value(answer::Entities::ask(view, None))),
        "/api/figures" => figures(source, view).map_err(failed),
        "/api/letter" => letter(source, view).map_err(failed),
        "/api/links" => Ok(all_links(view)),
        "/api/bind" => {
            let name = param("name").unwrap_or_default();
            let value = param("value").unwrap_or_default();
            let (name, term) = query::parse_param(&format!("{name}={value}"), &mut |n| {
                resolve(view, n)
                    .map(|node| view.node(node).iri.clone())
                    .map_err(|e| Error::Usage(e.to_string()))
            })
            .map_err(|e| (400, e.to_string()))?;
            Ok(json!({"name": name, "term": term.to_string()}))
        }
        "/api/graph" => {
            let depth = match param("depth").unwrap_or("1") {
                "1" => 1,
                "2" => 2,
                _ => return Err((400, "depth is 1 or 2".to_owned())),
            };
            Ok(graph(
                view,
                entity("id")?,
                depth,
                param("hubs") == Some("1"),
            ))
        }
        "/api/path" => to_value(serde_json::to_value(answer::Path::ask(
            view,
            entity("from")?,
            entity("to")?,
            param("hubs") != Some("1"),
        ))),
        "/platforms" => {
            let wanted =
                param("university").ok_or_else(|| (400, "give university=ID".to_owned()))?;
            let node =
                resolve_among(view, wanted, links::UNIVERSITY).map_err(|e| (404, e.to_string()))?;
            to_value(serde_json::to_value(answer::Platforms::ask(view, node, 1)))
        }
        path if path.starts_with("/entities/") => {
            let node =
                resolve(view, &path["/entities/".len()..]).map_err(|e| (404, e.to_string()))?;
            let card = answer::Card::ask(source, view, node).map_err(failed)?;
            to_value(serde_json::to_value(card))
        }
        _ => Err((404, format!("the explorer has no answer at {path}"))),
    }
}

/// Entities for what a user has typed, by the command line's name
/// resolution: the one it resolves to, else the candidates it is ambiguous
/// between, else the nearest names (marked as suggestions).
fn search(view: &View, typed: &str) -> Value {
    let ids = |described: &[String]| -> Vec<Value> {
        described
            .iter()
            .filter_map(|d| d.split_whitespace().next())
            .filter_map(|id| resolve(view, id).ok())
            .map(|n| entity_json(view, n))
            .collect()
    };
    let (found, suggested) = match resolve(view, typed) {
        Ok(n) => (vec![entity_json(view, n)], false),
        Err(ResolveError::Ambiguous { candidates, .. }) => (ids(&candidates), false),
        Err(ResolveError::Unknown { suggestions, .. }) => (ids(&suggestions), true),
        Err(_) => (Vec::new(), true),
    };
    json!({"query": typed, "suggestions": suggested, "entities": found})
}

/// An entity with its kind's labels and whether it is a hub.
fn entity_json(view: &View, n: NodeIndex) -> Value {
    let e = EntityRef::of(view, n);
    json!({
        "id": e.id,
        "iri": e.iri,
        "kind": e.kind,
        "kind_zh": view.kind_label(&e.kind, "zh"),
        "kind_en": view.kind_label(&e.kind, "en"),
        "name_zh": e.name_zh,
        "name_en": e.name_en,
        "hub": view.is_hub(n),
        "university": view.is_a(n, links::UNIVERSITY),
    })
}

/// One relation of the view as the graph draws it.
fn edge_json(view: &View, edge: petgraph::graph::EdgeIndex) -> Value {
    let (from, to) = view.graph.edge_endpoints(edge).unwrap_or_default();
    let e = view.edge(edge);
    json!({
        "from": view.node(from).id,
        "to": view.node(to).id,
        "relation": e.predicate,
        "label_zh": view.predicate_label(&e.predicate, "zh"),
        "label_en": view.predicate_label(&e.predicate, "en"),
        "status": e.status.as_str(),
        "modality": e.modality.as_str(),
    })
}

/// The neighbourhood of `start` within `depth` links, hubs left out unless
/// `hubs` (the traversal rule of `platforms --avoid-hubs`), with every
/// relation among the entities shown, and for each entity how many
/// relations of each kind it has in the whole graph (what expanding it
/// would add).
fn graph(view: &View, start: NodeIndex, depth: usize, hubs: bool) -> Value {
    let mut shown: BTreeSet<NodeIndex> = links::reach(view, start, depth, hubs)
        .into_keys()
        .filter(|&n| hubs || !view.is_hub(n))
        .collect();
    shown.insert(start);
    let nodes: Vec<Value> = shown
        .iter()
        .map(|&n| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for (edge, _, _) in view.incident(n) {
                *counts.entry(view.edge(edge).predicate.clone()).or_default() += 1;
            }
            let mut value = entity_json(view, n);
            value["counts"] = json!(counts);
            value
        })
        .collect();
    let edges: Vec<Value> = view
        .graph
        .edge_references()
        .filter(|e| shown.contains(&e.source()) && shown.contains(&e.target()))
        .map(|e| edge_json(view, e.id()))
        .collect();
    json!({
        "center": view.node(start).id,
        "depth": depth,
        "hubs": hubs,
        "cap": EXPAND_CAP,
        "nodes": nodes,
        "edges": edges,
    })
}

/// Every entity and relation, without evidence: what the file's page walks
/// to find a path, and the legend's kinds and relations.
fn all_links(view: &View) -> Value {
    let nodes: Vec<Value> = view
        .graph
        .node_indices()
        .map(|n| entity_json(view, n))
        .collect();
    let edges: Vec<Value> = view
        .graph
        .edge_indices()
        .map(|e| edge_json(view, e))
        .collect();
    json!({"nodes": nodes, "edges": edges})
}

/// Every figure with the entity it is about.
fn figures(source: &dyn GraphSource, view: &View) -> Result<Value, Error> {
    let rows: Vec<Value> = answer::Figures::every(source)?
        .into_iter()
        .map(|(iri, figure)| {
            let entity = view
                .node_by_iri(&iri)
                .map_or(Value::Null, |n| entity_json(view, n));
            let mut value = serde_json::to_value(figure).unwrap_or(Value::Null);
            value["entity"] = entity;
            value
        })
        .collect();
    Ok(json!({"figures": rows}))
}

const TEXTS: &str = r#"
SELECT ?document ?text ?number WHERE {
  ?document ig:text ?text .
  OPTIONAL { ?document schema:identifier ?number }
} ORDER BY ?document"#;

/// The source texts with their sections, and every fact anchored in them
/// (relations, figures and names), with its span in code points.
fn letter(source: &dyn GraphSource, view: &View) -> Result<Value, Error> {
    let rows = select(
        source,
        &Request::new(TEXTS, "the explorer's letter query"),
        &["document", "text", "number"],
    )?;
    let mut facts: Vec<Value> = view
        .graph
        .edge_references()
        .filter_map(|e| {
            let edge = e.weight();
            let (start, end) = edge.anchor?;
            let mut value = edge_json(view, e.id());
            value["fact"] = json!("relation");
            value["document"] = json!(edge.source);
            value["section"] = json!(edge.section);
            value["quote"] = json!(edge.quote);
            value["anchor_start"] = json!(start);
            value["anchor_end"] = json!(end);
            Some(value)
        })
        .collect();
    for (iri, figure) in answer::Figures::every(source)? {
        let evidence = &figure.evidence;
        let (Some(start), Some(end)) = (evidence.anchor_start, evidence.anchor_end) else {
            continue;
        };
        facts.push(json!({
            "fact": "figure",
            "from": view.node_by_iri(&iri).map(|n| view.node(n).id.clone()),
            "relation": figure.indicator,
            "to": figure.as_written,
            "status": evidence.status,
            "document": evidence.document,
            "section": evidence.section,
            "quote": evidence.quote,
            "anchor_start": start,
            "anchor_end": end,
        }));
    }
    let documents: Vec<Value> = rows
        .iter()
        .filter_map(|row| {
            let Some(oxigraph::model::Term::NamedNode(iri)) = &row[0] else {
                return None;
            };
            let body = text(&row[1])?;
            let letter = anchor::Letter::new(&body);
            let sections: Vec<Value> = letter
                .sections()
                .iter()
                .map(|s| json!({"mark": s.mark, "start": s.span.start, "end": s.span.end}))
                .collect();
            let id = view
                .node_by_iri(iri.as_str())
                .map(|n| view.node(n).id.clone());
            Some(json!({
                "iri": iri.as_str(),
                "id": id,
                "number": text(&row[2]),
                "text": body,
                "sections": sections,
            }))
        })
        .collect();
    Ok(json!({"documents": documents, "facts": facts}))
}

#[cfg(test)]
mod tests {
    use super::parameters;

    #[test]
    fn parameters_from_the_header() {
        assert_eq!(
            parameters("# Which.\n# Parameter: ?university, e.g.\n#   x\nSELECT"),
            ["university"]
        );
        assert_eq!(
            parameters("# Parameters: ?a, ?b_c\nSELECT ?x"),
            ["a", "b_c"]
        );
        assert_eq!(
            parameters("# the evidence. Parameter: ?field, e.g."),
            ["field"]
        );
        assert!(parameters("SELECT ?x # Parameter: ?y").is_empty());
    }
}

//! Uploads a graph to a SPARQL endpoint: through the SPARQL 1.1 Graph Store
//! HTTP Protocol in one request, or, where the engine has no graph store
//! there, through SPARQL 1.1 UPDATE `INSERT DATA` in batches. With
//! `replace`, the target graph is emptied first, so a re-run leaves exactly
//! one copy. A failure part-way says how much was written.

use crate::error::Error;
use crate::remote::{Endpoint, status_error};
use crate::source::{Request, select};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Term, Triple};

/// How a push is carried out.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Empty the target graph first.
    pub replace: bool,
    /// The Graph Store Protocol URL; derived from the query URL when `None`
    /// (Oxigraph's `/query` → `/store`, Virtuoso's `/sparql` →
    /// `/sparql-graph-crud`).
    pub graph_store: Option<String>,
    /// The UPDATE URL; derived from the query URL when `None` (`/query` →
    /// `/update`, any other URL is its own update endpoint).
    pub update: Option<String>,
    /// Skip the Graph Store Protocol and use UPDATE.
    pub update_only: bool,
    /// Triples per `INSERT DATA` request.
    pub batch: usize,
}

/// How the triples went up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// One Graph Store Protocol request to this URL.
    GraphStore(String),
    /// `INSERT DATA` requests to this URL, in this many batches.
    Update(String, usize),
}

/// What a push did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Triples sent.
    pub sent: usize,
    /// How.
    pub method: Method,
    /// The triples the target graph holds afterwards, as the endpoint counts them.
    pub held: Option<u64>,
    /// Why the Graph Store Protocol was not used, when it was tried.
    pub fallback: Option<String>,
}

/// The target graph for messages: `<iri>` or `the default graph`.
pub fn target(endpoint: &Endpoint) -> String {
    endpoint
        .graph()
        .map_or_else(|| "the default graph".to_owned(), |g| g.to_string())
}

/// Uploads `triples` to `endpoint` (into its graph, or its default graph).
pub fn push(endpoint: &Endpoint, triples: &[Triple], options: &Options) -> Result<Report, Error> {
    let mut fallback = None;
    let graph_store = options
        .graph_store
        .clone()
        .or_else(|| derive(endpoint.url(), "/store", "/sparql-graph-crud"));
    if let (Some(url), false) = (&graph_store, options.update_only) {
        match graph_store_push(endpoint, url, triples, options.replace)? {
            None => {
                return checked(
                    endpoint,
                    Report {
                        sent: triples.len(),
                        method: Method::GraphStore(url.clone()),
                        held: count(endpoint)?,
                        fallback: None,
                    },
                );
            }
            Some(why) if options.graph_store.is_none() => fallback = Some(why),
            Some(why) => {
                return Err(Error::Endpoint {
                    url: url.clone(),
                    message: format!(
                        "{why}; nothing was written (leave out --graph-store to use SPARQL UPDATE instead)"
                    ),
                });
            }
        }
    }
    let update = options
        .update
        .clone()
        .or_else(|| derive(endpoint.url(), "/update", "/sparql"))
        .unwrap_or_else(|| endpoint.url().to_owned());
    let batches = update_push(endpoint, &update, triples, options)?;
    checked(
        endpoint,
        Report {
            sent: triples.len(),
            method: Method::Update(update, batches),
            held: count(endpoint)?,
            fallback,
        },
    )
}

/// The report, or an error when the graph holds fewer triples than were
/// sent: the engine answered success but did not keep them all.
fn checked(endpoint: &Endpoint, report: Report) -> Result<Report, Error> {
    match report.held {
        Some(held) if held < report.sent as u64 => {
            let url = match &report.method {
                Method::GraphStore(url) | Method::Update(url, _) => url.clone(),
            };
            Err(Error::Endpoint {
                url,
                message: format!(
                    "the upload was answered as a success, but {} holds {held} triples after {} were sent (counted at {}): the engine did not keep them all; check its logs and limits, then push again with --replace",
                    target(endpoint),
                    report.sent,
                    endpoint.url()
                ),
            })
        }
        _ => Ok(report),
    }
}

/// The URL beside a query URL ending in `/query` (Oxigraph) or `/sparql`
/// (Virtuoso) where the other service lives.
fn derive(query_url: &str, for_query: &str, for_sparql: &str) -> Option<String> {
    if query_url.contains('?') {
        return None;
    }
    let url = query_url.trim_end_matches('/');
    if let Some(base) = url.strip_suffix("/query") {
        Some(format!("{base}{for_query}"))
    } else {
        url.strip_suffix("/sparql")
            .map(|base| format!("{base}{for_sparql}"))
    }
}

/// One Graph Store Protocol request: `PUT` to replace, `POST` to add.
/// `Ok(Some(why))` when the endpoint has no graph store there.
fn graph_store_push(
    endpoint: &Endpoint,
    url: &str,
    triples: &[Triple],
    replace: bool,
) -> Result<Option<String>, Error> {
    let target = match endpoint.graph() {
        Some(graph) => format!("{url}?graph={}", percent_encode(graph.as_str())),
        None => format!("{url}?default"),
    };
    let body = ntriples(triples)?;
    let method = if replace { "PUT" } else { "POST" };
    let response = endpoint.send_body(method, &target, "application/n-triples", &body)?;
    match response.status().as_u16() {
        200..=299 => Ok(None),
        404 | 405 | 501 => Ok(Some(format!(
            "{method} {target} answered HTTP {}: no Graph Store Protocol there",
            response.status()
        ))),
        _ => Err(with_written(
            status_error(&target, response),
            0,
            triples.len(),
            endpoint,
        )),
    }
}

/// `INSERT DATA` in batches, after `DROP SILENT GRAPH` (or `CLEAR DEFAULT`)
/// to replace. Returns how many batches were sent.
fn update_push(
    endpoint: &Endpoint,
    url: &str,
    triples: &[Triple],
    options: &Options,
) -> Result<usize, Error> {
    let accept = "*/*";
    if options.replace {
        let clear = match endpoint.graph() {
            Some(graph) => format!("DROP SILENT GRAPH {graph}"),
            None => "CLEAR SILENT DEFAULT".to_owned(),
        };
        endpoint.post_form(url, "update", &clear, accept)?;
    }
    let size = options.batch.max(1);
    let mut written = 0;
    let mut batches = 0;
    for batch in triples.chunks(size) {
        let mut text = String::from("INSERT DATA {\n");
        if let Some(graph) = endpoint.graph() {
            text.push_str(&format!("GRAPH {graph} {{\n"));
        }
        for triple in batch {
            text.push_str(&triple.to_string());
            text.push_str(" .\n");
        }
        if endpoint.graph().is_some() {
            text.push_str("}\n");
        }
        text.push('}');
        let response = endpoint
            .post_form(url, "update", &text, accept)
            .map_err(|e| {
                let e = match e {
                    Error::Endpoint { url, message } => Error::Endpoint {
                        url,
                        message: format!(
                            "{message}\n(an engine may refuse a large INSERT DATA: try a smaller --batch than {size})"
                        ),
                    },
                    other => other,
                };
                with_written(e, written, triples.len(), endpoint)
            })?;
        drop(response);
        written += batch.len();
        batches += 1;
    }
    Ok(batches)
}

/// Adds to an error how much of the graph was written before it.
fn with_written(error: Error, written: usize, total: usize, endpoint: &Endpoint) -> Error {
    let target = target(endpoint);
    let (url, message) = match error {
        Error::Endpoint { url, message } => (url, message),
        other => (endpoint.url().to_owned(), other.to_string()),
    };
    let state = if written == 0 {
        format!("nothing was written to {target}")
    } else {
        format!(
            "{written} of {total} triples were written to {target} before this failure, so it is incomplete: run the push again with --replace to leave exactly one copy"
        )
    };
    Error::Endpoint {
        url,
        message: format!("{message}\n{state}"),
    }
}

/// How many triples the endpoint's graph holds.
fn count(endpoint: &Endpoint) -> Result<Option<u64>, Error> {
    let rows = select(
        endpoint,
        &Request::new(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "the triple count",
        ),
        &["n"],
    )?;
    Ok(rows.first().and_then(|row| match &row[0] {
        Some(Term::Literal(n)) => n.value().parse().ok(),
        _ => None,
    }))
}

/// The triples as N-Triples.
fn ntriples(triples: &[Triple]) -> Result<Vec<u8>, Error> {
    let mut writer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for triple in triples {
        writer.serialize_triple(triple)?;
    }
    Ok(writer.finish()?)
}

/// Percent-encodes everything but the unreserved characters, for a query
/// string value.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_services_sit_beside_the_query_url() {
        assert_eq!(
            derive("http://h:7878/query", "/store", "/sparql-graph-crud").as_deref(),
            Some("http://h:7878/store")
        );
        assert_eq!(
            derive("http://h:8890/sparql", "/store", "/sparql-graph-crud").as_deref(),
            Some("http://h:8890/sparql-graph-crud")
        );
        assert_eq!(derive("http://h/ds?x=1", "/store", "/x"), None);
        assert_eq!(derive("http://h/repositories/r", "/store", "/x"), None);
    }

    #[test]
    fn graph_names_are_percent_encoded() {
        assert_eq!(
            percent_encode("https://example.org/g?a=1"),
            "https%3A%2F%2Fexample.org%2Fg%3Fa%3D1"
        );
    }
}

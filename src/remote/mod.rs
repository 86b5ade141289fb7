//! A remote SPARQL 1.1 endpoint (Virtuoso, QLever, GraphDB, Amazon Neptune,
//! an Oxigraph server, `innograph serve`, ...) as a [`GraphSource`]: every
//! query is parsed here with the project prefixes and its bindings, sent as
//! SPARQL 1.1 Protocol text, and its results read back in the standard
//! formats. A command asks the engine only for what it needs: names are
//! resolved by bounded label queries ([`names`]), and the view of a
//! neighbourhood is built from the statements around its entities, fetched
//! a hop at a time ([`walk`]). Only what needs the whole graph (an export of
//! everything, a ranking) copies it, within [`Endpoint::answer_limit`] bytes.
//!
//! With a graph IRI, the graph lives in that named graph of the endpoint:
//! every query that names no dataset of its own reads `FROM` it, which also
//! keeps an engine's own triples (Virtuoso holds thousands) out of answers.

use crate::error::Error;
use crate::source::{self, GraphSource, Request, StoreSource};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Variable;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{GraphName, NamedNode, Quad, Triple};
use oxigraph::model::{Literal, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QueryTripleIter};
use oxigraph::sparql::{QuerySolution, QuerySolutionIter};
use oxigraph::store::Store;
use spargebra::algebra::{GraphPattern, PropertyPathExpression, QueryDataset};
use spargebra::term::{GroundTerm, TermPattern};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

pub mod names;
pub mod skeleton;
pub mod walk;

pub use walk::Walk;

/// What innograph asks for, best first, for SELECT and ASK answers.
const RESULTS_ACCEPT: &str = "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.5";
/// What innograph asks for, best first, for CONSTRUCT and DESCRIBE answers.
const GRAPH_ACCEPT: &str =
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, text/plain;q=0.1";
/// The most answers of a transitive path that are joined in as `VALUES`.
const INLINE_LIMIT: usize = 10_000;
/// How much of an error page goes into a message.
const ERROR_BODY_CHARS: usize = 600;
/// The most bytes of one answer read, after decompression: a larger answer
/// (or a gzip bomb) fails with a message rather than filling memory.
pub const ANSWER_LIMIT: u64 = 512 * 1024 * 1024;

/// A SPARQL 1.1 endpoint, optionally restricted to one named graph.
#[derive(Debug, Clone)]
pub struct Endpoint {
    url: String,
    /// The URL as messages name it: without a user name or password.
    shown: String,
    /// The most bytes of one answer read.
    answer_limit: u64,
    /// The schema's triples, fetched once for all the questions of a run.
    schema: Arc<std::sync::OnceLock<Vec<Triple>>>,
    /// What was fetched of the entities names resolved to, kept for the
    /// rest of the run.
    resolved: Arc<std::sync::Mutex<HashMap<String, Vec<Triple>>>>,
    graph: Option<NamedNode>,
    timeout: Duration,
    agent: ureq::Agent,
    /// The credential sent as `Authorization: Bearer` with every request.
    bearer: Option<crate::serve::Token>,
}

impl Endpoint {
    /// An endpoint at `url` (its query URL, e.g. `http://127.0.0.1:7878/query`
    /// or `http://127.0.0.1:8890/sparql`), read from `graph` when given;
    /// every request gives up after `timeout`.
    pub fn new(url: &str, graph: Option<NamedNode>, timeout: Duration) -> Result<Endpoint, Error> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::Usage(format!(
                "--endpoint {url}: give the endpoint's http:// or https:// URL (e.g. http://127.0.0.1:7878/query)"
            )));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .user_agent(concat!("innograph/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Endpoint {
            url: url.to_owned(),
            shown: redact(url),
            answer_limit: ANSWER_LIMIT,
            schema: Arc::default(),
            resolved: Arc::default(),
            graph,
            timeout,
            agent,
            bearer: None,
        })
    }

    /// The endpoint, sending `token` as `Authorization: Bearer` with every
    /// request (an `innograph serve --update-token-file` takes updates
    /// only so).
    pub fn with_bearer(mut self, token: crate::serve::Token) -> Endpoint {
        self.bearer = Some(token);
        self
    }

    /// The endpoint, reading at most `bytes` of any one answer.
    pub fn with_answer_limit(mut self, bytes: u64) -> Endpoint {
        self.answer_limit = bytes;
        self
    }

    /// The most bytes of one answer read.
    pub fn answer_limit(&self) -> u64 {
        self.answer_limit
    }

    /// The query URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The query URL as messages name it, without a user name or password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// An error about this endpoint.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::Endpoint {
            url: self.shown.clone(),
            message: message.into(),
        }
    }

    /// Keeps `triples`, what was fetched of the entity `iri` a name
    /// resolved to, for the rest of the run.
    pub(crate) fn remember(&self, iri: &str, triples: Vec<Triple>) {
        if let Ok(mut resolved) = self.resolved.lock() {
            resolved.insert(iri.to_owned(), triples);
        }
    }

    /// What was fetched of the entity `iri` when a name resolved to it.
    pub(crate) fn remembered(&self, iri: &str) -> Option<Vec<Triple>> {
        self.resolved.lock().ok()?.get(iri).cloned()
    }

    /// The named graph the graph lives in, if any.
    pub fn graph(&self) -> Option<&NamedNode> {
        self.graph.as_ref()
    }

    /// The query as sent: parsed with the project prefixes, bindings joined
    /// in, and reading the endpoint's graph when the query names no dataset.
    pub fn prepare(&self, request: &Request) -> Result<spargebra::Query, Error> {
        let mut query = source::parse(request)?;
        if let Some(graph) = &self.graph {
            let dataset = source::dataset_mut(&mut query);
            if dataset.is_none() {
                *dataset = Some(QueryDataset {
                    default: vec![graph.clone()],
                    named: None,
                });
            }
        }
        let pattern = match &mut query {
            spargebra::Query::Select { pattern, .. }
            | spargebra::Query::Construct { pattern, .. }
            | spargebra::Query::Describe { pattern, .. }
            | spargebra::Query::Ask { pattern, .. } => pattern,
        };
        blank_nodes_as_variables(pattern, &mut HashMap::new());
        Ok(query)
    }

    /// Sends a form-encoded POST (`query=` or `update=`) and returns the
    /// answer when its status is a success.
    pub(crate) fn post_form(
        &self,
        url: &str,
        field: &str,
        text: &str,
        accept: &str,
    ) -> Result<ureq::http::Response<ureq::Body>, Error> {
        // A redirect of a POST would lose its body, or carry it to another
        // host: it is answered with an error naming both URLs instead.
        let mut request = self
            .agent
            .post(url)
            .config()
            .max_redirects(0)
            .build()
            .header("Accept", accept);
        if let Some(bearer) = &self.bearer {
            request = request.header("Authorization", format!("Bearer {}", bearer.secret()));
        }
        let response = request
            .send_form([(field, text)])
            .map_err(|e| self.transport_error(url, &e))?;
        check_status(url, response)
    }

    /// Sends `body` with `content_type` by `method` (`PUT` or `POST`) and
    /// returns the answer, whatever its status.
    pub(crate) fn send_body(
        &self,
        method: &str,
        url: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<ureq::http::Response<ureq::Body>, Error> {
        let mut builder = match method {
            "PUT" => self.agent.put(url),
            _ => self.agent.post(url),
        }
        .config()
        .max_redirects(0)
        .build();
        if let Some(bearer) = &self.bearer {
            builder = builder.header("Authorization", format!("Bearer {}", bearer.secret()));
        }
        builder
            .content_type(content_type)
            .send(body)
            .map_err(|e| self.transport_error(url, &e))
    }

    /// A clear message for a request that got no HTTP answer.
    pub(crate) fn transport_error(&self, url: &str, error: &ureq::Error) -> Error {
        let message = match error {
            ureq::Error::Timeout(_) => format!(
                "no answer within {} s (give --endpoint-timeout SECS to wait longer)",
                self.timeout.as_secs_f64()
            ),
            ureq::Error::ConnectionFailed => {
                "cannot connect: is the SPARQL server running and listening there?".to_owned()
            }
            ureq::Error::HostNotFound => "cannot resolve the host name".to_owned(),
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused: is the SPARQL server running and listening there?".to_owned()
            }
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => format!(
                "no answer within {} s (give --endpoint-timeout SECS to wait longer)",
                self.timeout.as_secs_f64()
            ),
            other => format!("the request failed: {other}"),
        };
        Error::Endpoint {
            url: redact(url),
            message,
        }
    }

    /// Copies the whole graph (of the endpoint's graph, when given) into a
    /// new in-memory store with one CONSTRUCT.
    pub fn copy(&self) -> Result<StoreSource, Error> {
        self.copy_with(&|_| ())
    }

    /// [`Endpoint::copy`], the answer read into the store as it arrives, a
    /// chunk at a time (never held whole), calling `progress` with the
    /// number of triples read so far after each chunk. An answer larger
    /// than [`Endpoint::answer_limit`] fails with a message saying so.
    pub fn copy_with(&self, progress: &dyn Fn(u64)) -> Result<StoreSource, Error> {
        const CHUNK: usize = 16 * 1024;
        let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
        let triples = self.all_triples()?;
        let mut chunk: Vec<Quad> = Vec::with_capacity(CHUNK);
        let mut read = 0_u64;
        let flush = |chunk: &mut Vec<Quad>, read: &mut u64| -> Result<(), Error> {
            *read += chunk.len() as u64;
            store
                .extend(chunk.drain(..))
                .map_err(|e| Error::Store(e.to_string()))?;
            progress(*read);
            Ok(())
        };
        for triple in triples {
            chunk.push(triple?.in_graph(GraphName::DefaultGraph));
            if chunk.len() == CHUNK {
                flush(&mut chunk, &mut read)?;
            }
        }
        flush(&mut chunk, &mut read)?;
        if read == 0 {
            return Err(self.empty_error());
        }
        Ok(StoreSource::from_store(
            store,
            format!("a copy of {}", self.describe()),
        ))
    }

    /// Every triple of the graph, read as the answer arrives: the one
    /// CONSTRUCT that copies it.
    fn all_triples(&self) -> Result<impl Iterator<Item = Result<Triple, Error>> + '_, Error> {
        let request = Request::new(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "the graph copy",
        );
        let QueryResults::Graph(triples) = self.run(&request)? else {
            return Err(self.error("answered a CONSTRUCT with no graph"));
        };
        Ok(triples.map(|t| t.map_err(|e| self.error(format!("cannot read the graph: {e}")))))
    }

    /// The error for an endpoint whose graph holds nothing.
    pub(crate) fn empty_error(&self) -> Error {
        self.error(format!(
            "{} holds no triples: upload the graph first with `innograph push --endpoint {}{}`",
            self.graph
                .as_ref()
                .map_or_else(|| "the default graph".to_owned(), ToString::to_string),
            self.shown,
            self.graph
                .as_ref()
                .map(|g| format!(" --graph {}", g.as_str()))
                .unwrap_or_default()
        ))
    }

    /// Asks each transitive path with an IRI at one end and a variable at
    /// the other (`?k rdfs:subClassOf* ig:Platform`) on its own first, and
    /// joins its answers in as `VALUES`: the same solutions, but Virtuoso
    /// 7.2 loses some of them when it evaluates such a path with its
    /// variable already bound by a join. A path with more than
    /// [`INLINE_LIMIT`] answers stays as it is.
    fn inline_transitive_paths(
        &self,
        pattern: &mut GraphPattern,
        dataset: &Option<QueryDataset>,
        origin: &str,
    ) -> Result<(), Error> {
        match pattern {
            GraphPattern::Path {
                subject,
                path: PropertyPathExpression::ZeroOrMore(_) | PropertyPathExpression::OneOrMore(_),
                object,
            } => {
                let variable = match (&*subject, &*object) {
                    (TermPattern::Variable(v), TermPattern::NamedNode(_))
                    | (TermPattern::NamedNode(_), TermPattern::Variable(v)) => v.clone(),
                    _ => return Ok(()),
                };
                let closure = spargebra::Query::Select {
                    dataset: dataset.clone(),
                    pattern: GraphPattern::Distinct {
                        inner: Box::new(GraphPattern::Project {
                            inner: Box::new(pattern.clone()),
                            variables: vec![variable.clone()],
                        }),
                    },
                    base_iri: None,
                };
                let QueryResults::Solutions(solutions) =
                    self.send(&closure.to_string(), false, origin)?
                else {
                    return Ok(());
                };
                let mut bindings = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(|e| Error::Endpoint {
                        url: self.shown.clone(),
                        message: format!("cannot read the answer to {origin}: {e}"),
                    })?;
                    let value = match solution.get(&variable) {
                        Some(Term::NamedNode(n)) => GroundTerm::NamedNode(n.clone()),
                        Some(Term::Literal(l)) => GroundTerm::Literal(l.clone()),
                        _ => return Ok(()),
                    };
                    bindings.push(vec![Some(value)]);
                    if bindings.len() > INLINE_LIMIT {
                        return Ok(());
                    }
                }
                *pattern = GraphPattern::Values {
                    variables: vec![variable],
                    bindings,
                };
                Ok(())
            }
            GraphPattern::Join { left, right }
            | GraphPattern::LeftJoin { left, right, .. }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right } => {
                self.inline_transitive_paths(left, dataset, origin)?;
                self.inline_transitive_paths(right, dataset, origin)
            }
            GraphPattern::Filter { inner, .. }
            | GraphPattern::Extend { inner, .. }
            | GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::Group { inner, .. } => {
                self.inline_transitive_paths(inner, dataset, origin)
            }
            // Inside GRAPH or SERVICE the closure would need their dataset.
            _ => Ok(()),
        }
    }

    /// Sends query text and reads the answer: SPARQL results, or a graph
    /// when `graph`.
    fn send(&self, text: &str, graph: bool, origin: &str) -> Result<QueryResults<'static>, Error> {
        let accept = if graph { GRAPH_ACCEPT } else { RESULTS_ACCEPT };
        let response = self.post_form(&self.url, "query", text, accept)?;
        if let Some(max) = response.headers().get("X-SPARQL-MaxRows") {
            // Virtuoso's sign that it cut the answer at its ResultSetMaxRows.
            return Err(Error::Endpoint {
                url: self.shown.clone(),
                message: format!(
                    "the server cut the answer to {} of {} at {} rows (Virtuoso's ResultSetMaxRows); raise that limit in virtuoso.ini, or the answer would be incomplete",
                    origin,
                    if graph { "triples" } else { "rows" },
                    max.to_str().unwrap_or("?")
                ),
            });
        }
        let media_type = response
            .body()
            .mime_type()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let reader = Capped {
            inner: response.into_body().into_reader(),
            left: self.answer_limit,
            limit: self.answer_limit,
            url: self.shown.clone(),
        };
        if graph {
            let format = rdf_format(&media_type).ok_or_else(|| Error::Endpoint {
                url: self.shown.clone(),
                message: format!(
                    "answered {} with `{media_type}`, not an RDF format innograph reads (N-Triples, Turtle, RDF/XML)",
                    origin
                ),
            })?;
            let parser = RdfParser::from_format(format)
                .with_base_iri(&self.url)
                .map_err(|e| Error::Usage(format!("--endpoint {}: {e}", self.shown)))?
                .for_reader(reader);
            let triples = parser.map(|quad| {
                quad.map(|q| Triple::new(q.subject, q.predicate, canonical(q.object)))
                    .map_err(|e| QueryEvaluationError::Service(Box::new(e)))
            });
            Ok(QueryResults::Graph(QueryTripleIter::new(triples)))
        } else {
            let format =
                QueryResultsFormat::from_media_type(&media_type).ok_or_else(|| Error::Endpoint {
                    url: self.shown.clone(),
                    message: format!(
                        "answered {} with `{media_type}`, not a SPARQL results format innograph reads (JSON, XML, TSV)",
                        origin
                    ),
                })?;
            let output = QueryResultsParser::from_format(format)
                .for_reader(reader)
                .map_err(|e| Error::Endpoint {
                    url: self.shown.clone(),
                    message: format!("cannot read the answer to {origin}: {e}"),
                })?;
            Ok(match QueryResults::from(output) {
                QueryResults::Solutions(solutions) => {
                    let variables: Arc<[Variable]> = solutions.variables().into();
                    let rows = solutions.map(|solution| {
                        solution.map(|s| {
                            let values: Vec<Option<Term>> = s
                                .values()
                                .iter()
                                .cloned()
                                .map(|v| v.map(canonical))
                                .collect();
                            QuerySolution::from((s.variables().to_vec(), values))
                        })
                    });
                    QueryResults::Solutions(QuerySolutionIter::new(variables, rows))
                }
                other => other,
            })
        }
    }
}

/// A term in its canonical form where engines differ in theirs: Virtuoso
/// writes `xsd:boolean` as `0` and `1` in JSON results, innograph reads
/// `false` and `true`.
fn canonical(term: Term) -> Term {
    match &term {
        Term::Literal(literal) if literal.datatype() == xsd::BOOLEAN => match literal.value() {
            "1" => Literal::from(true).into(),
            "0" => Literal::from(false).into(),
            _ => term,
        },
        _ => term,
    }
}

impl GraphSource for Endpoint {
    fn run(&self, request: &Request) -> Result<QueryResults<'static>, Error> {
        let mut query = self.prepare(request)?;
        let graph = matches!(
            query,
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. }
        );
        let (pattern, dataset) = match &mut query {
            spargebra::Query::Select {
                pattern, dataset, ..
            }
            | spargebra::Query::Construct {
                pattern, dataset, ..
            }
            | spargebra::Query::Describe {
                pattern, dataset, ..
            }
            | spargebra::Query::Ask {
                pattern, dataset, ..
            } => (pattern, &*dataset),
        };
        self.inline_transitive_paths(pattern, dataset, &request.origin)?;
        self.send(&query.to_string(), graph, &request.origin)
    }

    fn triples(&self) -> Result<Vec<Triple>, Error> {
        self.all_triples()?.collect()
    }

    fn describe(&self) -> String {
        match &self.graph {
            Some(graph) => format!("{graph} at {}", self.shown),
            None => self.shown.clone(),
        }
    }

    fn local_copy(&self) -> Result<Option<StoreSource>, Error> {
        self.copy().map(Some)
    }
}

/// `VALUES` binding `?kind` to the kind `kind` (a local name) and its
/// subkinds, as the schema already fetched knows them: the same kinds as
/// `?kind rdfs:subClassOf* ig:Kind` on the engine, without a query of
/// their own.
pub(crate) fn kinds_of(schema: &crate::ontology::Schema, kind: &str) -> String {
    let mut kinds: Vec<String> = schema
        .kinds
        .values()
        .filter(|k| k.ancestors.iter().any(|a| a == kind))
        .map(|k| crate::rdf::term(&k.name).to_string())
        .collect();
    kinds.sort();
    format!("VALUES ?kind {{ {} }}", kinds.join(" "))
}

/// A URL as messages name it: without the user name and password of its
/// authority (`http://user:secret@host/q` is `http://host/q`).
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// An answer's body, read until [`Endpoint::answer_limit`] bytes and
/// refused beyond.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
    /// The endpoint's URL as messages name it.
    url: String,
}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut probe = [0_u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            return Err(std::io::Error::other(format!(
                "the answer of {} is larger than {}, the most innograph reads from an endpoint (--endpoint-max-bytes): ask for less (a focus, a kind, a LIMIT)",
                self.url,
                bytes(self.limit)
            )));
        }
        let most = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..most])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// A size in bytes, in MiB from 1 MiB on.
fn bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{} MiB", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

/// Passes a successful answer through; turns any other status into an
/// error naming the URL, the status and the start of the server's message.
pub(crate) fn check_status(
    url: &str,
    response: ureq::http::Response<ureq::Body>,
) -> Result<ureq::http::Response<ureq::Body>, Error> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    Err(status_error(url, response))
}

/// The error for an answer with a status that is not a success.
pub(crate) fn status_error(url: &str, mut response: ureq::http::Response<ureq::Body>) -> Error {
    let status = response.status();
    if status.is_redirection() {
        let to = response
            .headers()
            .get("Location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or("(no Location)");
        return Error::Endpoint {
            url: url.to_owned(),
            message: format!(
                "HTTP {status}: redirects to {to}; a request with a body is not sent on after a redirect (it would lose its body or carry it to another host): give that URL itself if it is meant"
            ),
        };
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .lossy_utf8(true)
        .read_to_string()
        .unwrap_or_default();
    let mut said: String = body.trim().chars().take(ERROR_BODY_CHARS).collect();
    if body.trim().chars().count() > ERROR_BODY_CHARS {
        said.push_str(" ...");
    }
    let hint = match status.as_u16() {
        401 | 403 => " (the server refuses: does this endpoint allow it without credentials?)",
        404 => " (is this the endpoint's URL? Oxigraph's is /query, Virtuoso's /sparql)",
        _ => "",
    };
    Error::Endpoint {
        url: redact(url),
        message: format!(
            "HTTP {}{hint}{}",
            status,
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        ),
    }
}

/// Turns the blank nodes of a query's patterns into variables of their own,
/// which mean the same there. The parser writes a path sequence such as
/// `?x a/rdfs:subClassOf* ig:Platform` as two patterns joined by a blank
/// node, and Virtuoso refuses a blank node as the subject of a `*` path.
/// (Patterns inside `FILTER EXISTS` expressions are left as they are.)
fn blank_nodes_as_variables(pattern: &mut GraphPattern, names: &mut HashMap<String, Variable>) {
    let mut term = |term: &mut TermPattern| {
        if let TermPattern::BlankNode(blank) = term {
            let count = names.len();
            let variable = names
                .entry(blank.as_str().to_owned())
                .or_insert_with(|| Variable::new_unchecked(format!("innograph_blank_{count}")))
                .clone();
            *term = TermPattern::Variable(variable);
        }
    };
    match pattern {
        GraphPattern::Bgp { patterns } => {
            for triple in patterns {
                term(&mut triple.subject);
                term(&mut triple.object);
            }
        }
        GraphPattern::Path {
            subject, object, ..
        } => {
            term(subject);
            term(object);
        }
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            blank_nodes_as_variables(left, names);
            blank_nodes_as_variables(right, names);
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Service { inner, .. } => blank_nodes_as_variables(inner, names),
        _ => {}
    }
}

/// The RDF format of a media type, `text/plain` read as N-Triples (as
/// older servers send it).
fn rdf_format(media_type: &str) -> Option<RdfFormat> {
    match media_type {
        "text/plain" => Some(RdfFormat::NTriples),
        other => RdfFormat::from_media_type(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_graph_becomes_the_default_dataset_unless_the_query_names_one() {
        let graph = NamedNode::new("https://example.org/g").unwrap();
        let endpoint = Endpoint::new(
            "http://127.0.0.1:9/query",
            Some(graph),
            Duration::from_secs(1),
        )
        .unwrap();
        let plain = endpoint
            .prepare(&Request::new("SELECT * WHERE { ?s ?p ?o }", "test"))
            .unwrap()
            .to_string();
        assert!(plain.contains("FROM <https://example.org/g>"), "{plain}");
        let own = endpoint
            .prepare(&Request::new(
                "SELECT * FROM <https://example.org/other> WHERE { ?s ?p ?o }",
                "test",
            ))
            .unwrap()
            .to_string();
        assert!(!own.contains("<https://example.org/g>"), "{own}");
    }

    /// The URL of a server on loopback answering one request with about
    /// `size` bytes of N-Triples; the URL holds a password.
    fn answering(size: usize) -> String {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://user:secret@{}/query",
            listener.local_addr().unwrap()
        );
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = n.trim().parse().unwrap();
                }
                if line == "\r\n" {
                    break;
                }
            }
            reader.read_exact(&mut vec![0; length]).unwrap();
            let line = "<http://example.org/s> <http://example.org/p> \"o\" .\n";
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\nContent-Length: {}\r\n\r\n",
                size / line.len() * line.len()
            );
            for _ in 0..size / line.len() {
                if stream.write_all(line.as_bytes()).is_err() {
                    return;
                }
            }
        });
        url
    }

    #[test]
    fn an_answer_larger_than_the_limit_fails_with_a_message() {
        let url = answering(200_000);
        let endpoint = Endpoint::new(&url, None, Duration::from_secs(10))
            .unwrap()
            .with_answer_limit(50_000);
        let error = endpoint
            .construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "the test")
            .unwrap_err()
            .to_string();
        assert!(error.contains("larger than 50000 bytes"), "{error}");
        assert!(!error.contains("secret"), "{error}");
        let url = answering(20_000);
        let endpoint = Endpoint::new(&url, None, Duration::from_secs(10))
            .unwrap()
            .with_answer_limit(50_000);
        let triples = endpoint
            .construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "the test")
            .unwrap();
        assert!(triples.len() > 300, "{}", triples.len());
    }

    #[test]
    fn messages_name_the_url_without_its_password() {
        assert_eq!(
            redact("https://user:pa@ss@example.org:8890/sparql?x=a@b"),
            "https://example.org:8890/sparql?x=a@b"
        );
        assert_eq!(redact("http://example.org/q"), "http://example.org/q");
        let endpoint = Endpoint::new(
            "http://user:secret@127.0.0.1:9/query",
            None,
            Duration::from_secs(1),
        )
        .unwrap();
        let Err(error) = endpoint.run(&Request::new("ASK { ?s ?p ?o }", "the test")) else {
            panic!("nothing listens on port 9");
        };
        let error = error.to_string();
        assert!(error.contains("http://127.0.0.1:9/query"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn an_endpoint_is_an_http_url() {
        assert!(Endpoint::new("localhost:7878", None, Duration::from_secs(1)).is_err());
    }
}

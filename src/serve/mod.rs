//! `innograph serve`: a SPARQL 1.1 Protocol endpoint of innograph's own, with
//! Oxigraph's paths (`/query`, `/update`) so that clients set up for an
//! Oxigraph server work unchanged, the domain questions as JSON
//! (`/platforms`, `/entities/{id}`, `/export`), and a page at `/` to type a
//! query into.
//!
//! Safe by default: it binds to loopback; it is read-only unless updates are
//! allowed; every query runs under a timeout that cancels its evaluation;
//! request bodies and answers have size limits; `SERVICE` calls are not
//! available (the engine is built without an HTTP client); CORS headers are
//! sent only when asked for. A fixed pool of worker threads answers many
//! readers at once; [`Stopper::stop`] lets the requests in flight finish
//! and returns from [`Server::run`].

mod api;
pub mod protocol;

use crate::error::Error;
use crate::rdf::PREFIXES;
use crate::source::{self, Request, StoreSource};
use crate::view::View;
use oxigraph::model::{BlankNode, Literal, NamedNode, Triple};
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use protocol::{Answer, GRAPHS, Limited, RESULTS, TOO_LARGE};
use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on (`127.0.0.1:7878`; port 0 picks a free one).
    pub bind: String,
    /// How long a query or update may run before it is cancelled; `None`: no limit.
    pub timeout: Option<Duration>,
    /// The most rows (or triples) an answer may have.
    pub max_rows: usize,
    /// The most bytes an answer may have.
    pub max_answer_bytes: usize,
    /// The most bytes a request body may have.
    pub max_request_bytes: usize,
    /// Accept SPARQL UPDATE at `/update`.
    pub allow_update: bool,
    /// Send CORS headers, so that pages from other origins may query.
    pub cors: bool,
    /// Worker threads answering requests.
    pub threads: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            bind: "127.0.0.1:7878".to_owned(),
            timeout: Some(Duration::from_secs(30)),
            max_rows: 100_000,
            max_answer_bytes: 64 * 1024 * 1024,
            max_request_bytes: 1024 * 1024,
            allow_update: false,
            cors: false,
            threads: 8,
        }
    }
}

/// A server bound to its address, ready to [`run`](Server::run).
pub struct Server {
    http: Arc<tiny_http::Server>,
    shared: Arc<Shared>,
}

/// What every worker shares.
struct Shared {
    source: StoreSource,
    view: RwLock<Arc<View>>,
    config: Config,
    watchdog: Watchdog,
    stop: AtomicBool,
    page: String,
}

/// Stops a running server from another thread (a signal handler).
#[derive(Clone)]
pub struct Stopper(Arc<Shared>);

impl Stopper {
    /// Stops taking requests; those in flight finish, then [`Server::run`] returns.
    pub fn stop(&self) {
        self.0.stop.store(true, Ordering::SeqCst);
    }
}

impl Server {
    /// Builds the view of `source` and binds to `config.bind`.
    pub fn bind(source: StoreSource, config: Config) -> Result<Server, Error> {
        let view = View::build(&source)?;
        let cannot = |e: &dyn std::fmt::Display| {
            Error::Usage(format!(
                "cannot listen on {}: {e} (give another address with --bind, e.g. 127.0.0.1:0 for any free port)",
                config.bind
            ))
        };
        let listener = listen(&config.bind).map_err(|e| cannot(&e))?;
        let http = tiny_http::Server::from_listener(listener, None).map_err(|e| cannot(&e))?;
        Ok(Server {
            http: Arc::new(http),
            shared: Arc::new(Shared {
                source,
                view: RwLock::new(Arc::new(view)),
                config,
                watchdog: Watchdog::default(),
                stop: AtomicBool::new(false),
                page: api::page(),
            }),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.http.server_addr().to_ip()
    }

    /// A handle that stops the server.
    pub fn stopper(&self) -> Stopper {
        Stopper(Arc::clone(&self.shared))
    }

    /// Answers requests until stopped.
    pub fn run(self) -> Result<(), Error> {
        let threads = self.shared.config.threads.max(1);
        let mut workers = Vec::with_capacity(threads + 1);
        {
            let shared = Arc::clone(&self.shared);
            workers.push(std::thread::spawn(move || {
                shared.watchdog.run(&shared.stop)
            }));
        }
        for _ in 0..threads {
            let shared = Arc::clone(&self.shared);
            let http = Arc::clone(&self.http);
            workers.push(std::thread::spawn(move || {
                while !shared.stop.load(Ordering::SeqCst) {
                    match http.recv_timeout(Duration::from_millis(100)) {
                        Ok(Some(request)) => shared.handle(request),
                        Ok(None) => {}
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            }));
        }
        for worker in workers {
            worker
                .join()
                .map_err(|_| Error::Store("a server thread panicked".to_owned()))?;
        }
        Ok(())
    }
}

/// An answer before it becomes an HTTP response.
pub(crate) struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A reply with a body.
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// A plain-text error.
    pub(crate) fn error(status: u16, message: impl std::fmt::Display) -> Reply {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            format!("{message}\n").into_bytes(),
        )
    }

    /// A JSON value.
    pub(crate) fn json(status: u16, value: &serde_json::Value) -> Reply {
        let mut body = serde_json::to_vec_pretty(value).unwrap_or_default();
        body.push(b'\n');
        Reply::new(status, "application/json", body)
    }

    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// One request's method, path, parameters and headers, read before the body.
pub(crate) struct Incoming {
    method: String,
    path: String,
    params: Vec<(String, String)>,
    accept: Option<String>,
    content_type: String,
    host: String,
}

impl Incoming {
    /// The first value of a parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Shared {
    fn handle(&self, mut request: tiny_http::Request) {
        // A panic inside the query engine answers this request with 500 and
        // leaves the worker alive for the next one.
        let reply =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.route(&mut request)))
                .unwrap_or_else(|_| {
                    Reply::error(
                        500,
                        "the query engine failed on this request (a bug in it); the server goes on",
                    )
                });
        let mut response = tiny_http::Response::from_data(reply.body)
            .with_status_code(reply.status)
            .with_header(header("Content-Type", &reply.content_type));
        for (name, value) in &reply.headers {
            response.add_header(header(name, value));
        }
        if self.config.cors {
            response.add_header(header("Access-Control-Allow-Origin", "*"));
        }
        // A client that went away is no concern of the server's.
        let _ = request.respond(response);
    }

    fn route(&self, request: &mut tiny_http::Request) -> Reply {
        let url = request.url().to_owned();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let Some(params) = protocol::form(query) else {
            return Reply::error(400, "the URL's query string is not UTF-8");
        };
        let header_value = |name: &'static str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.equiv(name))
                .map(|h| h.value.as_str().to_owned())
        };
        let incoming = Incoming {
            method: request.method().as_str().to_ascii_uppercase(),
            path: path.to_owned(),
            params,
            accept: header_value("Accept"),
            content_type: header_value("Content-Type")
                .and_then(|c| c.split(';').next().map(|m| m.trim().to_ascii_lowercase()))
                .unwrap_or_default(),
            host: header_value("Host").unwrap_or_else(|| self.config.bind.clone()),
        };
        if incoming.method == "OPTIONS" {
            let reply = Reply::new(204, "text/plain", Vec::new())
                .with_header("Allow", "GET, POST, OPTIONS");
            return if self.config.cors {
                reply
                    .with_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .with_header("Access-Control-Allow-Headers", "Content-Type, Accept")
                    .with_header("Access-Control-Max-Age", "600")
            } else {
                reply
            };
        }
        // Only the SPARQL services read a body: a POST elsewhere (a Graph Store
        // Protocol client trying /store) gets its 404, whatever its size.
        let body = if incoming.method == "POST" && ["/query", "/update"].contains(&path) {
            match self.body(request) {
                Ok(body) => body,
                Err(reply) => return reply,
            }
        } else {
            String::new()
        };
        let view = Arc::clone(&self.view.read().unwrap_or_else(PoisonError::into_inner));
        match (incoming.method.as_str(), incoming.path.as_str()) {
            ("GET" | "HEAD", "/") => Reply::new(200, "text/html; charset=utf-8", self.page.clone()),
            ("GET" | "HEAD" | "POST", "/query") => self.query(&incoming, &body),
            ("POST", "/update") => self.update(&incoming, &body),
            (_, "/update") => {
                Reply::error(405, "send SPARQL UPDATE by POST").with_header("Allow", "POST")
            }
            ("GET" | "HEAD", "/platforms") => api::platforms(&view, &incoming),
            ("GET" | "HEAD", "/export") => api::export(&self.source, &view, &incoming),
            ("GET" | "HEAD", path) if path.starts_with("/entities/") => {
                api::entity(&self.source, &view, &path["/entities/".len()..])
            }
            (_, "/" | "/query" | "/platforms" | "/export") => {
                Reply::error(405, "this path answers GET (and /query POST)")
                    .with_header("Allow", "GET, POST")
            }
            _ => Reply::error(
                404,
                "not here: the SPARQL endpoint is /query (and /update), the page is /, and /platforms?university=, /entities/{id} and /export?format= answer JSON and diagrams",
            ),
        }
    }

    /// The request body, within the size limit and in UTF-8.
    fn body(&self, request: &mut tiny_http::Request) -> Result<String, Reply> {
        let limit = self.config.max_request_bytes;
        let too_large = || {
            Reply::error(
                413,
                format!("the request body is larger than this server's limit of {limit} bytes"),
            )
        };
        if request.body_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        request
            .as_reader()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Reply::error(400, format!("cannot read the request body: {e}")))?;
        if bytes.len() > limit {
            return Err(too_large());
        }
        String::from_utf8(bytes).map_err(|_| Reply::error(400, "the request body is not UTF-8"))
    }

    /// `/query`: the query from the URL, a form or the body; the service
    /// description when there is none.
    fn query(&self, incoming: &Incoming, body: &str) -> Reply {
        let mut params = incoming.params.clone();
        let text = match (incoming.method.as_str(), incoming.content_type.as_str()) {
            ("POST", "application/x-www-form-urlencoded") => {
                let Some(form) = protocol::form(body) else {
                    return Reply::error(400, "the form is not UTF-8");
                };
                params.extend(form);
                None
            }
            ("POST", "application/sparql-query") => Some(body.to_owned()),
            ("POST", other) => {
                return Reply::error(
                    415,
                    format!(
                        "a query comes as application/sparql-query or application/x-www-form-urlencoded, not `{other}`"
                    ),
                );
            }
            _ => None,
        };
        let queries: Vec<&String> = params
            .iter()
            .filter(|(n, _)| n == "query")
            .map(|(_, v)| v)
            .collect();
        let text = match (text, queries.as_slice()) {
            (Some(text), []) => text,
            (None, [one]) => (*one).clone(),
            (None, []) => return self.service_description(incoming),
            _ => return Reply::error(400, "give exactly one query"),
        };
        let values = |name: &str| -> Result<Vec<NamedNode>, Reply> {
            params
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| {
                    NamedNode::new(v.as_str())
                        .map_err(|e| Reply::error(400, format!("{name} {v}: {e}")))
                })
                .collect()
        };
        let (default, named) = match (values("default-graph-uri"), values("named-graph-uri")) {
            (Ok(d), Ok(n)) => (d, n),
            (Err(reply), _) | (_, Err(reply)) => return reply,
        };
        let format = params
            .iter()
            .find(|(n, _)| n == "format" || n == "output")
            .map(|(_, v)| v.clone());
        self.answer(&text, default, named, format.as_deref(), incoming)
    }

    fn answer(
        &self,
        text: &str,
        default: Vec<NamedNode>,
        named: Vec<NamedNode>,
        format: Option<&str>,
        incoming: &Incoming,
    ) -> Reply {
        let mut query = match source::parse(&Request::new(text, "the query")) {
            Ok(query) => query,
            Err(e) => return Reply::error(400, e),
        };
        if !default.is_empty() || !named.is_empty() {
            let dataset = match &mut query {
                spargebra::Query::Select { dataset, .. }
                | spargebra::Query::Construct { dataset, .. }
                | spargebra::Query::Describe { dataset, .. }
                | spargebra::Query::Ask { dataset, .. } => dataset,
            };
            *dataset = Some(spargebra::algebra::QueryDataset {
                default,
                named: (!named.is_empty()).then_some(named),
            });
        }
        let offers: &[(&str, Answer)] = match query {
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => &GRAPHS,
            _ => &RESULTS,
        };
        let answer = match format {
            Some(name) => protocol::by_name(name, offers),
            None => protocol::negotiate(incoming.accept.as_deref(), offers),
        };
        let Some(answer) = answer else {
            let mut media: Vec<&str> = offers.iter().map(|(m, _)| *m).collect();
            media.dedup();
            return Reply::error(
                406,
                format!(
                    "this answer can be given as {} (ask with Accept or format=)",
                    media.join(", ")
                ),
            );
        };
        let token = CancellationToken::new();
        let _watch = self
            .config
            .timeout
            .map(|timeout| self.watchdog.watch(token.clone(), Instant::now() + timeout));
        let results = SparqlEvaluator::new()
            .with_cancellation_token(token)
            .for_query(query)
            .on_store(self.source.store())
            .execute();
        let written = results
            .map_err(Failure::from)
            .and_then(|results| self.serialize(results, answer));
        match written {
            Ok(bytes) => Reply::new(200, answer.media_type(), bytes).with_header("Vary", "Accept"),
            Err(failure) => failure.reply(&self.config),
        }
    }

    /// Writes the results in `answer`'s format, within the size limits.
    fn serialize(&self, results: QueryResults<'_>, answer: Answer) -> Result<Vec<u8>, Failure> {
        let mut out = Limited::new(self.config.max_answer_bytes);
        let max_rows = self.config.max_rows;
        match (results, answer) {
            (QueryResults::Solutions(solutions), Answer::Results(format)) => {
                let mut writer = QueryResultsSerializer::from_format(format)
                    .serialize_solutions_to_writer(&mut out, solutions.variables().to_vec())?;
                for (row, solution) in solutions.enumerate() {
                    if row >= max_rows {
                        return Err(Failure::TooLarge);
                    }
                    writer.serialize(&solution?)?;
                }
                writer.finish()?;
            }
            (QueryResults::Boolean(value), Answer::Results(format)) => {
                QueryResultsSerializer::from_format(format)
                    .serialize_boolean_to_writer(&mut out, value)?;
            }
            (QueryResults::Graph(triples), Answer::Graph(format)) => {
                let mut writer = crate::query::serializer(format).for_writer(&mut out);
                for (row, triple) in triples.enumerate() {
                    if row >= max_rows {
                        return Err(Failure::TooLarge);
                    }
                    writer.serialize_triple(&triple?)?;
                }
                writer.finish()?;
            }
            _ => {
                return Err(Failure::Other(
                    "the answer does not fit the format".to_owned(),
                ));
            }
        }
        Ok(out.bytes)
    }

    /// `/update`: refused unless allowed; the view follows the new graph.
    fn update(&self, incoming: &Incoming, body: &str) -> Reply {
        if !self.config.allow_update {
            return Reply::error(
                403,
                "this server is read-only: start it with --allow-update to accept SPARQL UPDATE",
            );
        }
        let text = match incoming.content_type.as_str() {
            "application/sparql-update" => body.to_owned(),
            "application/x-www-form-urlencoded" => {
                let updates: Vec<String> = protocol::form(body)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(n, _)| n == "update")
                    .map(|(_, v)| v)
                    .collect();
                match updates.as_slice() {
                    [one] => one.clone(),
                    _ => return Reply::error(400, "give exactly one update"),
                }
            }
            other => {
                return Reply::error(
                    415,
                    format!(
                        "an update comes as application/sparql-update or application/x-www-form-urlencoded, not `{other}`"
                    ),
                );
            }
        };
        let evaluator = PREFIXES
            .iter()
            .try_fold(SparqlEvaluator::new(), |e, (p, ns)| e.with_prefix(*p, *ns));
        let prepared = match evaluator.map(|e| e.parse_update(&text)) {
            Ok(Ok(prepared)) => prepared,
            Ok(Err(e)) => return Reply::error(400, format!("SPARQL syntax error: {e}")),
            Err(e) => return Reply::error(500, e),
        };
        if let Err(e) = prepared.on_store(self.source.store()).execute() {
            return Reply::error(500, format!("the update failed: {e}"));
        }
        // A view that cannot be rebuilt keeps the old one: SPARQL still sees
        // the update, and the domain questions answer from the last good graph.
        if let Ok(view) = View::build(&self.source) {
            *self.view.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(view);
        }
        Reply::new(204, "text/plain", Vec::new())
    }

    /// The SPARQL 1.1 Service Description of this endpoint, in the format asked for.
    fn service_description(&self, incoming: &Incoming) -> Reply {
        let offers = &GRAPHS;
        let answer = match incoming.param("format") {
            Some(name) => protocol::by_name(name, offers),
            None => protocol::negotiate(incoming.accept.as_deref(), offers),
        };
        let Some(Answer::Graph(format)) = answer else {
            return Reply::error(
                406,
                "the service description is RDF: ask for Turtle, N-Triples, JSON-LD or RDF/XML",
            );
        };
        let sd = "http://www.w3.org/ns/sparql-service-description#";
        let formats = "http://www.w3.org/ns/formats/";
        let iri = |s: String| NamedNode::new_unchecked(s);
        let service = BlankNode::default();
        let dataset = BlankNode::default();
        let graph = BlankNode::default();
        let mut triples = vec![
            Triple::new(
                service.clone(),
                oxigraph::model::vocab::rdf::TYPE,
                iri(format!("{sd}Service")),
            ),
            Triple::new(
                service.clone(),
                iri(format!("{sd}endpoint")),
                // The Host header is the client's word: used only when it makes an IRI.
                NamedNode::new(format!("http://{}/query", incoming.host))
                    .unwrap_or_else(|_| iri(format!("http://{}/query", self.config.bind))),
            ),
            Triple::new(
                service.clone(),
                iri(format!("{sd}supportedLanguage")),
                iri(format!("{sd}SPARQL11Query")),
            ),
            Triple::new(
                service.clone(),
                iri(format!("{sd}defaultDataset")),
                dataset.clone(),
            ),
            Triple::new(
                dataset.clone(),
                oxigraph::model::vocab::rdf::TYPE,
                iri(format!("{sd}Dataset")),
            ),
            Triple::new(dataset, iri(format!("{sd}defaultGraph")), graph.clone()),
            Triple::new(
                graph.clone(),
                oxigraph::model::vocab::rdf::TYPE,
                iri(format!("{sd}Graph")),
            ),
            Triple::new(
                graph,
                iri("http://rdfs.org/ns/void#triples".to_owned()),
                Literal::from(self.source.store().len().unwrap_or_default() as u64),
            ),
        ];
        if self.config.allow_update {
            triples.push(Triple::new(
                service.clone(),
                iri(format!("{sd}supportedLanguage")),
                iri(format!("{sd}SPARQL11Update")),
            ));
        }
        for name in [
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        ] {
            triples.push(Triple::new(
                service.clone(),
                iri(format!("{sd}resultFormat")),
                iri(format!("{formats}{name}")),
            ));
        }
        let written = (|| -> Result<Vec<u8>, Box<dyn std::error::Error>> {
            let mut writer = oxigraph::io::RdfSerializer::from_format(format)
                .with_prefix("sd", sd)?
                .with_prefix("formats", formats)?
                .for_writer(Vec::new());
            for triple in &triples {
                writer.serialize_triple(triple)?;
            }
            Ok(writer.finish()?)
        })();
        match written {
            Ok(bytes) => Reply::new(200, format.media_type(), bytes).with_header("Vary", "Accept"),
            Err(e) => Reply::error(500, format!("cannot write the service description: {e}")),
        }
    }
}

/// Why a query gave no answer.
enum Failure {
    /// It ran past the timeout and was cancelled.
    Cancelled,
    /// The answer passed the row or byte limit.
    TooLarge,
    /// It asked for a `SERVICE`.
    Service(String),
    /// Anything else.
    Other(String),
}

impl From<QueryEvaluationError> for Failure {
    fn from(error: QueryEvaluationError) -> Failure {
        match error {
            QueryEvaluationError::Cancelled => Failure::Cancelled,
            QueryEvaluationError::UnsupportedService(_)
            | QueryEvaluationError::Service(_)
            | QueryEvaluationError::UnboundService
            | QueryEvaluationError::InvalidServiceName(_) => Failure::Service(error.to_string()),
            other => Failure::Other(other.to_string()),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Failure {
        if error.to_string() == TOO_LARGE {
            Failure::TooLarge
        } else {
            Failure::Other(error.to_string())
        }
    }
}

impl Failure {
    fn reply(self, config: &Config) -> Reply {
        match self {
            Failure::Cancelled => Reply::error(
                503,
                format!(
                    "the query ran past this server's timeout of {} s and was stopped: narrow it, or add LIMIT",
                    config.timeout.unwrap_or_default().as_secs_f64()
                ),
            ),
            Failure::TooLarge => Reply::error(
                500,
                format!(
                    "{TOO_LARGE} ({} rows or {} bytes): add LIMIT, or page with LIMIT and OFFSET",
                    config.max_rows, config.max_answer_bytes
                ),
            ),
            Failure::Service(message) => Reply::error(
                400,
                format!("federated SERVICE calls are not available on this server: {message}"),
            ),
            Failure::Other(message) => Reply::error(500, format!("the query failed: {message}")),
        }
    }
}

/// Cancels the queries that run past their deadline.
#[derive(Default)]
struct Watchdog {
    watched: Mutex<Vec<(u64, Instant, CancellationToken)>>,
    next: AtomicU64,
}

/// Stops watching a query when dropped.
struct Watch<'a> {
    watchdog: &'a Watchdog,
    id: u64,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        self.watchdog
            .watched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(id, _, _)| *id != self.id);
    }
}

impl Watchdog {
    fn watch(&self, token: CancellationToken, deadline: Instant) -> Watch<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.watched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, deadline, token));
        Watch { watchdog: self, id }
    }

    fn run(&self, stop: &AtomicBool) {
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
            let now = Instant::now();
            for (_, deadline, token) in self
                .watched
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
            {
                if *deadline <= now {
                    token.cancel();
                }
            }
        }
    }
}

/// A listening socket with `TCP_NODELAY`, which the connections it accepts
/// inherit: an answer's headers and body then leave at once instead of the
/// body waiting for the client's delayed ACK of the headers.
fn listen(bind: &str) -> std::io::Result<std::net::TcpListener> {
    use std::net::ToSocketAddrs;
    let address = bind
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no such address"))?;
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(address),
        socket2::Type::STREAM,
        Some(socket2::Protocol::TCP),
    )?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&address.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        tiny_http::Header::from_bytes(&b"X-Invalid-Header"[..], &b"1"[..])
            .expect("a fixed header is valid")
    })
}

//! `innograph serve`: a SPARQL 1.1 Protocol endpoint of innograph's own, with
//! Oxigraph's paths (`/query`, `/update`) so that clients set up for an
//! Oxigraph server work unchanged, the domain questions as JSON
//! (`/platforms`, `/entities/{id}`, `/export`), and a page at `/` to type a
//! query into.
//!
//! Safe by default: it binds to loopback; it is read-only unless updates are
//! allowed, and then takes them only with its credential (or, without one,
//! only on loopback), never from another site's page; it answers only
//! under the names it goes by (no DNS rebinding); every query runs under a timeout that stops its evaluation;
//! request bodies and answers have size limits; `SERVICE` calls are not
//! available (the engine is built without an HTTP client); CORS headers are
//! sent only when asked for. A fixed pool of worker threads answers many
//! readers at once; queries and updates are evaluated in processes of their own
//! ([`crate::sandbox`]), killed at their deadline and held to a memory
//! limit; [`Stopper::stop`] lets the requests in flight finish (within
//! a grace period) and returns from [`Server::run`].

mod api;
mod change;
mod description;
pub mod explorer;
mod guard;
mod http;
pub mod protocol;
mod sparql;
mod watchdog;

use crate::error::Error;
use crate::sandbox::{Launcher, Pool};
use crate::source::StoreSource;
use crate::view::View;
use guard::Hosts;
pub use guard::Token;
use http::{Exchange, Listener, Reply};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;
use watchdog::Watchdog;

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
    /// The credential an update must carry (`Authorization: Bearer`).
    /// Without one, updates are allowed only on a loopback address.
    pub update_token: Option<Token>,
    /// Names besides the bound address that a request's `Host` may give
    /// (the server behind a proxy or a DNS name); others get 421.
    pub allow_hosts: Vec<String>,
    /// Send CORS headers, so that pages from other origins may query.
    pub cors: bool,
    /// Worker threads answering requests.
    pub threads: usize,
    /// The most memory one query's evaluator may take beyond the graph
    /// it holds; `None`: no limit.
    pub max_query_memory: Option<u64>,
    /// How to start an evaluator process over the same graph, so that a
    /// query or an update is killed at its deadline and held to its memory
    /// limit (an update's change is then applied here and replayed in every
    /// evaluator). `None`: queries and updates run in the server, and the
    /// timeout only asks the engine to stop.
    pub evaluator: Option<Launcher>,
    /// The most updates kept for evaluators to replay (see
    /// [`Pool::rebase`]).
    pub max_changes: usize,
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
            update_token: None,
            allow_hosts: Vec::new(),
            cors: false,
            threads: 8,
            max_query_memory: Some(1 << 30),
            evaluator: None,
            max_changes: crate::sandbox::MAX_CHANGES,
        }
    }
}

/// Runs an evaluator process (see [`crate::sandbox`]): confined to
/// `max_memory` bytes beyond the graph of `source` it holds, it answers
/// the queries that come on `input` on `output` until `input` ends.
pub fn evaluator(
    source: &StoreSource,
    max_memory: Option<u64>,
    input: &mut dyn std::io::Read,
    output: &mut dyn std::io::Write,
) -> Result<(), Error> {
    let failed = |e: std::io::Error| Error::Store(format!("query evaluator: {e}"));
    match crate::sandbox::confine(max_memory) {
        // The server went away before this started: nothing to answer.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        other => other.map_err(failed)?,
    }
    let mut view = std::sync::OnceLock::new();
    crate::sandbox::serve(input, output, |request| {
        sparql::evaluate_job(source, &mut view, request)
    })
    .map_err(failed)
}

/// The graph a server wrote for its evaluators (N-Quads, blank nodes
/// keeping their labels, which the changes recorded after it name).
pub fn served_graph(file: &std::path::Path) -> Result<StoreSource, Error> {
    use oxigraph::io::{RdfFormat, RdfParser};
    let failed = |e: &dyn std::fmt::Display| {
        Error::Store(format!(
            "cannot read the served graph {}: {e}",
            file.display()
        ))
    };
    let reader = std::fs::File::open(file).map_err(|e| failed(&e))?;
    let store = oxigraph::store::Store::new().map_err(|e| failed(&e))?;
    let mut loader = store.bulk_loader();
    loader
        .load_ok_quads::<_, std::io::Error>(
            RdfParser::from_format(RdfFormat::NQuads)
                .for_reader(std::io::BufReader::new(reader))
                .map(|quad| quad.map_err(std::io::Error::other)),
        )
        .map_err(|e| failed(&e))?;
    loader.commit().map_err(|e| failed(&e))?;
    Ok(StoreSource::from_store(
        store,
        format!("the served graph {}", file.display()),
    ))
}

/// The stack of each worker thread (reserved, and used only as deep as a
/// query needs).
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// A server bound to its address, ready to [`run`](Server::run).
pub struct Server {
    http: Arc<Listener>,
    shared: Arc<Shared>,
}

/// What every worker shares.
pub(crate) struct Shared {
    source: StoreSource,
    view: RwLock<Arc<View>>,
    config: Config,
    hosts: Hosts,
    watchdog: Watchdog,
    /// The evaluator processes, when queries run outside the server.
    pool: Option<Pool>,
    /// Held while an update is worked out and applied: one at a time.
    updates: Mutex<()>,
    /// The graph as the server held it when its evaluators were last
    /// started again (see [`Pool::rebase`]): they start from it.
    graph_file: Mutex<Option<tempfile::NamedTempFile>>,
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
        let http =
            Listener::bind(&config.bind, config.max_request_bytes).map_err(|e| cannot(&e))?;
        let address = http
            .local_addr()
            .ok_or_else(|| cannot(&"not an IP address"))?;
        if config.allow_update && config.update_token.is_none() && !address.ip().is_loopback() {
            return Err(Error::Usage(format!(
                "--allow-update on {}, which other machines can reach, needs a credential: give --update-token-file FILE (or set INNOGRAPH_UPDATE_TOKEN) and send it as `Authorization: Bearer TOKEN`, or bind to 127.0.0.1",
                config.bind
            )));
        }
        let hosts = Hosts::new(address, &config.allow_hosts);
        let pool = config
            .evaluator
            .clone()
            .map(|launcher| Pool::new(launcher, config.threads.max(1), config.max_changes));
        if let Some(pool) = &pool {
            pool.warm_all();
        }
        Ok(Server {
            http: Arc::new(http),
            shared: Arc::new(Shared {
                source,
                view: RwLock::new(Arc::new(view)),
                config,
                hosts,
                watchdog: Watchdog::default(),
                pool,
                updates: Mutex::new(()),
                graph_file: Mutex::new(None),
                stop: AtomicBool::new(false),
                page: explorer::served_page(),
            }),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.http.local_addr()
    }

    /// A handle that stops the server.
    pub fn stopper(&self) -> Stopper {
        Stopper(Arc::clone(&self.shared))
    }

    /// Answers requests until stopped.
    pub fn run(self) -> Result<(), Error> {
        let threads = self.shared.config.threads.max(1);
        let mut workers = Vec::with_capacity(threads);
        let done = Arc::new(AtomicBool::new(false));
        let watchdog = {
            let (shared, done) = (Arc::clone(&self.shared), Arc::clone(&done));
            std::thread::spawn(move || shared.watchdog.run(&shared.stop, &done))
        };
        for _ in 0..threads {
            let shared = Arc::clone(&self.shared);
            let http = Arc::clone(&self.http);
            // The engine recurses over the query's algebra: a worker has the
            // stack of a main thread, so that what passes the depth limit of
            // [`crate::depth`] runs here as it runs on the command line.
            let worker = std::thread::Builder::new()
                .name("innograph-worker".to_owned())
                .stack_size(WORKER_STACK)
                .spawn(move || {
                    while !shared.stop.load(Ordering::SeqCst) {
                        if let Some(exchange) = http.next(Duration::from_millis(100)) {
                            shared.handle(exchange);
                        }
                    }
                    // Requests read, or being read, but not taken:
                    // answered, not dropped.
                    let until = std::time::Instant::now() + watchdog::GRACE;
                    while let Some(exchange) = http.leftover(until) {
                        exchange.refuse(http::stopping_reply());
                    }
                })
                .map_err(|e| Error::Store(format!("cannot start a server thread: {e}")))?;
            workers.push(worker);
        }
        let mut joined = Ok(());
        for worker in workers {
            if worker.join().is_err() {
                joined = Err(Error::Store("a server thread panicked".to_owned()));
            }
        }
        done.store(true, Ordering::SeqCst);
        let _ = watchdog.join();
        joined
    }
}

impl Shared {
    fn handle(&self, mut exchange: Exchange) {
        // A panic inside the query engine answers this request with 500 and
        // leaves the worker alive for the next one.
        let reply =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.route(&mut exchange)))
                .unwrap_or_else(|_| {
                    Reply::error(
                        500,
                        "the query engine failed on this request (a bug in it); the server goes on",
                    )
                });
        let reply = if self.config.cors {
            reply.with_header("Access-Control-Allow-Origin", "*")
        } else {
            reply
        };
        exchange.respond(reply);
    }

    fn route(&self, exchange: &mut Exchange) -> Reply {
        let Some(incoming) = &exchange.incoming else {
            return Reply::error(400, "the URL's query string is not UTF-8");
        };
        // Before anything is read or answered: a name this server does not
        // go by is a DNS-rebinding page, even for a read.
        if let Some(refusal) = self.hosts.check(incoming.host()) {
            return refusal;
        }
        if incoming.method == "POST"
            && incoming.path == "/update"
            && self.config.allow_update
            && let Some(refusal) = guard::check_write(incoming, self.config.update_token.as_ref())
        {
            return refusal;
        }
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
        let (method, path) = (incoming.method.clone(), incoming.path.clone());
        // Only the SPARQL services read a body: a POST elsewhere (a Graph Store
        // Protocol client trying /store) gets its 404, whatever its size.
        let body = if method == "POST" && ["/query", "/update"].contains(&path.as_str()) {
            match exchange.body(self.config.max_request_bytes) {
                Ok(body) => body,
                Err(reply) => return reply,
            }
        } else {
            String::new()
        };
        let Some(incoming) = &exchange.incoming else {
            unreachable!("checked above");
        };
        let view = Arc::clone(&self.view.read().unwrap_or_else(PoisonError::into_inner));
        match (method.as_str(), path.as_str()) {
            ("GET" | "HEAD", "/") => Reply::new(200, "text/html; charset=utf-8", self.page.clone()),
            ("GET" | "HEAD" | "POST", "/query") => self.query(incoming, &body),
            ("POST", "/update") => self.update(incoming, &body),
            (_, "/update") => {
                Reply::error(405, "send SPARQL UPDATE by POST").with_header("Allow", "POST")
            }
            ("GET" | "HEAD", "/platforms") => api::platforms(&view, incoming),
            ("GET" | "HEAD", "/export") => self
                .api_apart(incoming)
                .unwrap_or_else(|| api::export(&self.source, &view, incoming)),
            ("GET" | "HEAD", path) if path.starts_with("/api/") => {
                api::explorer(&self.source, &view, incoming)
            }
            ("GET" | "HEAD", path) if path.starts_with("/vendor/") => {
                api::vendor(&path["/vendor/".len()..])
            }
            ("GET" | "HEAD", path) if path.starts_with("/entities/") => {
                self.api_apart(incoming).unwrap_or_else(|| {
                    api::entity(&self.source, &view, incoming, &path["/entities/".len()..])
                })
            }
            (_, "/" | "/query" | "/platforms" | "/export") => {
                Reply::error(405, "this path answers GET (and /query POST)")
                    .with_header("Allow", "GET, POST")
            }
            _ => Reply::error(
                404,
                "not here: the SPARQL endpoint is /query (and /update), the explorer is / (its answers under /api/), and /platforms?university=, /entities/{id} and /export?format= answer JSON and diagrams",
            ),
        }
    }
}

//! The SPARQL 1.1 Protocol at `/query` and `/update`: the query from the
//! URL, a form or the body, the dataset of `default-graph-uri` and
//! `named-graph-uri`, the result format by `Accept` or `format=`, evaluated
//! under the timeout and written within the size limits.

use super::Shared;
use super::change::{Change, Limits as ChangeLimits, Refused};
use super::http::{Incoming, Reply};
use super::protocol::{self, Answer, GRAPHS, Limited, RESULTS, TOO_LARGE};
use super::watchdog::Stop;
use crate::rdf::PREFIXES;
use crate::sandbox::{Outcome, Pool};
use crate::source::StoreSource;
use crate::source::{self, Request};
use crate::view::View;
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::{Duration, Instant};

impl Shared {
    /// `/query`: the query from the URL, a form or the body; the service
    /// description when there is none.
    pub(crate) fn query(&self, incoming: &Incoming, body: &str) -> Reply {
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
        let (default_iris, named_iris) = (
            default.iter().map(|n| n.as_str().to_owned()).collect(),
            named.iter().map(|n| n.as_str().to_owned()).collect(),
        );
        let query = match prepare(text, default, named) {
            Ok(query) => query,
            Err(e) => return Reply::error(400, e),
        };
        let offers: &[(&str, Answer)] = match query {
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => &GRAPHS,
            _ => &RESULTS,
        };
        let answer = match format {
            Some(name) => protocol::by_name(name, offers),
            None => protocol::negotiate(incoming.accept(), offers),
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
        let limits = self.limits();
        let written = match &self.pool {
            Some(pool) => {
                let job = Job::Query {
                    query: text.to_owned(),
                    default: default_iris,
                    named: named_iris,
                    format: offers.iter().position(|(_, a)| *a == answer).unwrap_or(0),
                    max_rows: limits.max_rows,
                    max_bytes: limits.max_bytes,
                };
                match self.apart(pool, &job) {
                    Ok(reply) => return reply,
                    Err(failure) => Err(failure),
                }
            }
            None => {
                let token = CancellationToken::new();
                let deadline = self.config.timeout.map(|t| Instant::now() + t);
                let _watch = self.watchdog.watch(Stop::Token(token.clone()), deadline);
                evaluate(self.source.store(), query, answer, &limits, Some(token))
            }
        };
        match written {
            Ok(bytes) => Reply::new(200, answer.media_type(), bytes).with_header("Vary", "Accept"),
            Err(failure) => failure.reply(&limits, "the query"),
        }
    }

    /// A domain question (`/export`, `/entities/{id}`) answered by an
    /// evaluator process, under the same deadline and memory limit as a
    /// query (Graphviz included); `None` when queries run in the server.
    pub(crate) fn api_apart(&self, incoming: &Incoming) -> Option<Reply> {
        let pool = self.pool.as_ref()?;
        let job = Job::Api {
            path: incoming.path.clone(),
            params: incoming.params.clone(),
            accept: incoming.accept().map(str::to_owned),
            max_bytes: self.config.max_answer_bytes,
        };
        Some(
            self.apart(pool, &job)
                .unwrap_or_else(|failure| failure.reply(&self.limits(), "the query")),
        )
    }

    /// Has `job` done by an evaluator process, killed at the deadline.
    fn apart(&self, pool: &Pool, job: &Job) -> Result<Reply, Failure> {
        self.apart_frame(pool, job, None)
            .map(|frame| decode(&frame))
    }

    /// The encoded answer of an evaluator process to `job`; `updating`
    /// when the caller holds the update lock. An evaluator that cannot
    /// apply a recorded change has the pool rebased on the server's graph,
    /// and the job is asked once more.
    fn apart_frame(
        &self,
        pool: &Pool,
        job: &Job,
        updating: Option<&MutexGuard<'_, ()>>,
    ) -> Result<Vec<u8>, Failure> {
        let request = serde_json::to_vec(job).unwrap_or_default();
        let call = || {
            pool.call(&request, |kill, starting| {
                let deadline = if starting {
                    Some(Instant::now() + STARTUP)
                } else {
                    self.config.timeout.map(|t| Instant::now() + t)
                };
                self.watchdog.watch(Stop::Process(kill), deadline)
            })
        };
        let generation = pool.generation();
        let mut outcome = call();
        if let Outcome::Behind(why) = &outcome {
            // Rebased once, however many requests found an evaluator behind.
            let rebase = || {
                if pool.generation() == generation {
                    self.rebase(pool)
                } else {
                    Ok(())
                }
            };
            let rebased = match updating {
                Some(_) => rebase(),
                None => {
                    let deadline = Instant::now() + self.config.timeout.unwrap_or(STARTUP);
                    match turn(&self.updates, deadline) {
                        Some(_one_at_a_time) => rebase(),
                        None => Err("the updates before it took too long".to_owned()),
                    }
                }
            };
            outcome = match rebased {
                Ok(()) => call(),
                Err(e) => Outcome::Unavailable(format!(
                    "{why}; and the evaluators could not be started again from this server's graph: {e}"
                )),
            };
        }
        match outcome {
            Outcome::Answer(frame) => Ok(frame),
            Outcome::Killed if self.stop.load(Ordering::SeqCst) => Err(Failure::Stopping),
            Outcome::Killed => Err(Failure::Cancelled),
            Outcome::Died(how) => Err(Failure::Died(how)),
            Outcome::Unavailable(why) | Outcome::Behind(why) => Err(Failure::Other(format!(
                "no query evaluator could be started: {why}"
            ))),
        }
    }

    /// Writes this server's graph to a new file, and has the pool start
    /// its evaluators from it, with no change to replay. The caller holds
    /// the update lock, so that no change is made meanwhile.
    fn rebase(&self, pool: &Pool) -> Result<(), String> {
        let Some(launcher) = &self.config.evaluator else {
            return Err("this server has no evaluator processes".to_owned());
        };
        let failed = |e: &dyn std::fmt::Display| format!("cannot write its graph: {e}");
        let file = tempfile::Builder::new()
            .prefix("innograph-served-")
            .suffix(".nq")
            .tempfile()
            .map_err(|e| failed(&e))?;
        let writer = std::io::BufWriter::new(file.as_file());
        self.source
            .store()
            .dump_to_writer(oxigraph::io::RdfFormat::NQuads, writer)
            .map_err(|e| failed(&e))?
            .into_inner()
            .map_err(|e| failed(&e))?;
        let mut launcher = launcher.clone();
        launcher
            .args
            .extend(["--graph-file".into(), file.path().as_os_str().to_owned()]);
        pool.rebase(launcher);
        // The file before, if any, is removed: no evaluator starts from it now.
        *self
            .graph_file
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(file);
        pool.warm_all();
        Ok(())
    }

    /// The limits of one query.
    fn limits(&self) -> Limits {
        Limits {
            timeout: self.config.timeout,
            max_rows: self.config.max_rows,
            max_bytes: self.config.max_answer_bytes,
            max_memory: self.config.max_query_memory,
        }
    }

    /// `/update`: refused unless allowed; the view follows the new graph.
    pub(crate) fn update(&self, incoming: &Incoming, body: &str) -> Reply {
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
        if let Err(message) = crate::depth::check(&text) {
            return Reply::error(400, format!("the update is refused: {message}"));
        }
        match &self.pool {
            Some(pool) => self.update_apart(pool, text),
            None => self.update_here(&text),
        }
    }

    /// Has an evaluator process work out the update's change (killed at
    /// the deadline, held to the memory limit), applies the change here
    /// and records it for every evaluator. Updates are taken one at a time,
    /// so that each is worked out on the graph the one before left.
    fn update_apart(&self, pool: &Pool, text: String) -> Reply {
        let deadline = Instant::now() + self.config.timeout.unwrap_or(STARTUP);
        let Some(one_at_a_time) = turn(&self.updates, deadline) else {
            return Reply::error(
                503,
                format!(
                    "the update waited {} s for the updates before it, and was not made: send it again",
                    self.config.timeout.unwrap_or(STARTUP).as_secs_f64()
                ),
            )
            .with_header("Retry-After", "1");
        };
        let job = Job::Update {
            update: text,
            limits: ChangeLimits {
                quads: self.config.max_rows,
                bytes: self.config.max_answer_bytes,
            },
        };
        let frame = match self.apart_frame(pool, &job, Some(&one_at_a_time)) {
            Ok(frame) => frame,
            Err(failure) => return failure.reply(&self.limits(), "the update"),
        };
        let change = match parts(&frame) {
            Some((200, CHANGE, body)) => match serde_json::from_slice::<Change>(body) {
                Ok(change) => change,
                Err(e) => return Reply::error(500, format!("the update failed: {e}")),
            },
            _ => return decode(&frame),
        };
        if !change.is_empty() {
            let replay = Job::Replay(change);
            let frame = serde_json::to_vec(&replay).unwrap_or_default();
            // Refused before it is made: a change made here must reach
            // every evaluator. A full record is first emptied by starting
            // the evaluators from this server's graph.
            if let Err(why) = pool
                .admits(frame.len())
                .or_else(|why| match self.rebase(pool) {
                    Ok(()) => pool.admits(frame.len()),
                    Err(e) => Err(format!("{why}, and {e}")),
                })
            {
                return Reply::error(507, format!("the update was not made: {why}"));
            }
            if let Job::Replay(change) = &replay
                && let Err(e) = change.apply(self.source.store())
            {
                return Reply::error(500, format!("the update failed: {e}"));
            }
            pool.record(frame);
            self.rebuild_view();
        }
        Reply::new(204, "text/plain", Vec::new())
    }

    /// Runs the update in this process, under the engine's cancellation
    /// only (a server started without evaluator processes).
    fn update_here(&self, text: &str) -> Reply {
        let evaluator = PREFIXES
            .iter()
            .try_fold(SparqlEvaluator::new(), |e, (p, ns)| e.with_prefix(*p, *ns));
        let prepared = match evaluator.map(|e| e.parse_update(text)) {
            Ok(Ok(prepared)) => prepared,
            Ok(Err(e)) => return Reply::error(400, format!("SPARQL syntax error: {e}")),
            Err(e) => return Reply::error(500, e),
        };
        if let Err(e) = prepared.on_store(self.source.store()).execute() {
            return Reply::error(500, format!("the update failed: {e}"));
        }
        self.rebuild_view();
        Reply::new(204, "text/plain", Vec::new())
    }

    /// The view follows the changed graph. A view that cannot be rebuilt
    /// keeps the old one: SPARQL still sees the update, and the domain
    /// questions answer from the last good graph.
    fn rebuild_view(&self) {
        if let Ok(view) = View::build(&self.source) {
            *self.view.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(view);
        }
    }
}

/// Waits for `lock` until `deadline`: `None` when it is still held then
/// (an update does not wait longer than it may run, so that updates
/// queued behind a slow one do not hold every worker).
fn turn(lock: &Mutex<()>, deadline: Instant) -> Option<MutexGuard<'_, ()>> {
    loop {
        match lock.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => return Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) if Instant::now() >= deadline => return None,
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Writes the results in `answer`'s format, within the size limits.
fn serialize(
    results: QueryResults<'_>,
    answer: Answer,
    limits: &Limits,
) -> Result<Vec<u8>, Failure> {
    let mut out = Limited::new(limits.max_bytes);
    let max_rows = limits.max_rows;
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

/// Evaluates `query` on `store` and writes its answer within the limits.
fn evaluate(
    store: &Store,
    query: spargebra::Query,
    answer: Answer,
    limits: &Limits,
    token: Option<CancellationToken>,
) -> Result<Vec<u8>, Failure> {
    let evaluator = match token {
        Some(token) => SparqlEvaluator::new().with_cancellation_token(token),
        None => SparqlEvaluator::new(),
    };
    let results = evaluator.for_query(query).on_store(store).execute()?;
    serialize(results, answer, limits)
}

/// The limits of one query.
struct Limits {
    timeout: Option<Duration>,
    max_rows: usize,
    max_bytes: usize,
    max_memory: Option<u64>,
}

/// What an evaluator process is asked to do.
#[derive(Serialize, Deserialize)]
pub(crate) enum Job {
    /// A query: its text, its dataset, the answer's format and the size limits.
    Query {
        query: String,
        default: Vec<String>,
        named: Vec<String>,
        /// The answer's format: its place among the offers for the query's form.
        format: usize,
        max_rows: usize,
        max_bytes: usize,
    },
    /// An update: its text, and the limits of the change it may make. The
    /// evaluator answers with the [`Change`], not applying it.
    Update {
        update: String,
        limits: ChangeLimits,
    },
    /// A change to apply to the evaluator's graph (an update the server
    /// took); answered with an empty frame once applied.
    Replay(Change),
    /// A domain question (`/export`, `/entities/{id}`) and its parameters.
    Api {
        path: String,
        params: Vec<(String, String)>,
        /// The request's `Accept`, which picks the answer's form.
        accept: Option<String>,
        max_bytes: usize,
    },
}

/// What an evaluator process does with a request: carries out the [`Job`]
/// on `source` (and its view, built at the first question that needs it)
/// and answers with an encoded reply (status, media type, body).
pub(crate) fn evaluate_job(
    source: &StoreSource,
    view: &mut OnceLock<Result<View, String>>,
    request: &[u8],
) -> Vec<u8> {
    let job = match serde_json::from_slice(request) {
        Ok(Job::Replay(change)) => {
            // The view is built again, from the changed graph, when asked for.
            *view = OnceLock::new();
            let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                change.apply(source.store())
            }));
            return match applied {
                Ok(Ok(())) => Vec::new(),
                Ok(Err(message)) => message.into_bytes(),
                Err(_) => b"the store failed on it (a bug in it)".to_vec(),
            };
        }
        Ok(job) => Ok(job),
        Err(e) => Err((500, format!("a request the evaluator cannot read: {e}"))),
    };
    let view = &*view;
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        job.and_then(|job| run_job(source, view, job))
    }));
    let (status, media, body) = match run {
        Ok(Ok((status, media, bytes))) => (status, media, bytes),
        Ok(Err((status, message))) => (
            status,
            PLAIN.to_owned(),
            format!("{message}\n").into_bytes(),
        ),
        Err(_) => (500, PLAIN.to_owned(), ENGINE_FAILED.as_bytes().to_vec()),
    };
    let media = media.as_str();
    let mut frame = Vec::with_capacity(body.len() + 64);
    frame.extend_from_slice(&u16::to_be_bytes(status));
    frame.extend_from_slice(media.as_bytes());
    frame.push(b'\n');
    frame.extend_from_slice(&body);
    frame
}

/// The longest an evaluator may take to load the graph before it takes
/// a request (the request's own deadline starts after it).
const STARTUP: Duration = Duration::from_secs(120);

/// The media type of an evaluator's answer to an update: a [`Change`] as JSON.
const CHANGE: &str = "application/x-innograph-change+json";

/// The media type of a message.
const PLAIN: &str = "text/plain; charset=utf-8";

/// The message of a panic inside the query engine.
pub(crate) const ENGINE_FAILED: &str =
    "the query engine failed on this request (a bug in it); the server goes on\n";

/// Carries out a job (not a [`Job::Replay`]): the status, media type and answer, or a status and
/// a message.
fn run_job(
    source: &StoreSource,
    view: &OnceLock<Result<View, String>>,
    job: Job,
) -> Result<(u16, String, Vec<u8>), (u16, String)> {
    let (query, default, named, format, max_rows, max_bytes) = match job {
        Job::Query {
            query,
            default,
            named,
            format,
            max_rows,
            max_bytes,
        } => (query, default, named, format, max_rows, max_bytes),
        Job::Update { update, limits } => {
            let change = Change::of_update(source.store(), &update, limits)
                .map_err(Refused::status_and_message)?;
            let body = serde_json::to_vec(&change).map_err(|e| (500, e.to_string()))?;
            return Ok((200, CHANGE.to_owned(), body));
        }
        Job::Replay(_) => return Err((500, "a change comes alone".to_owned())),
        Job::Api {
            path,
            params,
            accept,
            max_bytes,
        } => {
            let view = view
                .get_or_init(|| View::build(source).map_err(|e| e.to_string()))
                .as_ref()
                .map_err(|e| (500, e.clone()))?;
            let incoming = Incoming::asking(&path, params, accept);
            let reply = match path.strip_prefix("/entities/") {
                Some(name) => super::api::entity(source, view, &incoming, name),
                None => super::api::export(source, view, &incoming),
            };
            let (status, media, body) = reply.into_parts();
            if body.len() > max_bytes {
                return Err((
                    500,
                    format!(
                        "{TOO_LARGE} of {max_bytes} bytes: ask for a smaller part (focus=, depth=)"
                    ),
                ));
            }
            return Ok((status, media, body));
        }
    };
    let iris = |values: &[String]| -> Result<Vec<NamedNode>, (u16, String)> {
        values
            .iter()
            .map(|v| NamedNode::new(v.as_str()).map_err(|e| (400, format!("{v}: {e}"))))
            .collect()
    };
    let query =
        prepare(&query, iris(&default)?, iris(&named)?).map_err(|e| (400, e.to_string()))?;
    let offers: &[(&str, Answer)] = match query {
        spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => &GRAPHS,
        _ => &RESULTS,
    };
    let (_, answer) = offers
        .get(format)
        .ok_or_else(|| (500, format!("no format {format}")))?;
    let answer = *answer;
    let limits = Limits {
        timeout: None,
        max_rows,
        max_bytes,
        max_memory: None,
    };
    evaluate(source.store(), query, answer, &limits, None)
        .map(|bytes| (200, answer.media_type().to_owned(), bytes))
        .map_err(|failure| failure.status_and_message(&limits, "the query"))
}

/// The query of `text`, over the dataset `default` and `named` when given.
fn prepare(
    text: &str,
    default: Vec<NamedNode>,
    named: Vec<NamedNode>,
) -> Result<spargebra::Query, crate::Error> {
    let mut query = source::parse(&Request::new(text, "the query"))?;
    if !default.is_empty() || !named.is_empty() {
        let dataset = source::dataset_mut(&mut query);
        *dataset = Some(spargebra::algebra::QueryDataset {
            default,
            named: (!named.is_empty()).then_some(named),
        });
    }
    Ok(query)
}

/// The reply an evaluator process encoded.
fn decode(frame: &[u8]) -> Reply {
    match parts(frame) {
        Some((200, media, body)) => {
            Reply::new(200, media, body.to_vec()).with_header("Vary", "Accept")
        }
        Some((status, media, body)) => Reply::new(status, media, body.to_vec()),
        None => Reply::error(
            500,
            "the query evaluator gave an answer that cannot be read",
        ),
    }
}

/// The status, media type and body of an evaluator's encoded reply.
fn parts(frame: &[u8]) -> Option<(u16, &str, &[u8])> {
    let (status, rest) = frame.split_first_chunk::<2>()?;
    let end = rest.iter().position(|b| *b == b'\n')?;
    let media = std::str::from_utf8(&rest[..end]).ok()?;
    Some((u16::from_be_bytes(*status), media, &rest[end + 1..]))
}

/// Why a query gave no answer.
enum Failure {
    /// It ran past the timeout and was cancelled.
    Cancelled,
    /// The answer passed the row or byte limit.
    TooLarge,
    /// The server stops, and the query ran past the grace period.
    Stopping,
    /// Its evaluator process ended without an answer (out of its memory).
    Died(String),
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
    /// The reply of a failed `what` ("the query", "the update").
    fn reply(self, limits: &Limits, what: &str) -> Reply {
        let (status, message) = self.status_and_message(limits, what);
        let reply = Reply::error(status, message);
        if status == 503 {
            reply.with_header("Retry-After", "1")
        } else {
            reply
        }
    }

    /// The status and message of a failed `what` ("the query", "the update").
    fn status_and_message(self, limits: &Limits, what: &str) -> (u16, String) {
        match self {
            Failure::Cancelled => (
                503,
                format!(
                    "{what} ran past this server's timeout of {} s and was stopped: narrow it, or add LIMIT",
                    limits.timeout.unwrap_or_default().as_secs_f64()
                ),
            ),
            Failure::Stopping => (
                503,
                format!("the server is stopping and {what} was stopped: ask again when it is back"),
            ),
            Failure::Died(how) => (
                503,
                match limits.max_memory {
                    Some(memory) => format!(
                        "{what} was stopped: its evaluation ended without an answer ({how}; this server's memory limit for one query is {memory} bytes): narrow it, or add LIMIT"
                    ),
                    None => format!(
                        "{what} was stopped: its evaluation ended without an answer ({how}): narrow it, or add LIMIT"
                    ),
                },
            ),
            Failure::TooLarge => (
                500,
                format!(
                    "{TOO_LARGE} ({} rows or {} bytes): add LIMIT, or page with LIMIT and OFFSET",
                    limits.max_rows, limits.max_bytes
                ),
            ),
            Failure::Service(message) => (
                400,
                format!("federated SERVICE calls are not available on this server: {message}"),
            ),
            Failure::Other(message) => (500, format!("{what} failed: {message}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_waits_for_its_turn_no_longer_than_its_deadline() {
        let lock = Mutex::new(());
        let held = lock.lock().unwrap();
        let start = Instant::now();
        assert!(turn(&lock, start + Duration::from_millis(50)).is_none());
        assert!(start.elapsed() >= Duration::from_millis(50));
        drop(held);
        assert!(turn(&lock, Instant::now()).is_some());
        // Given up by another waiter, the lock is taken at once.
        std::thread::scope(|scope| {
            let held = lock.lock().unwrap();
            let waiter =
                scope.spawn(|| turn(&lock, Instant::now() + Duration::from_secs(60)).is_some());
            std::thread::sleep(Duration::from_millis(20));
            drop(held);
            assert!(waiter.join().unwrap());
        });
    }
}

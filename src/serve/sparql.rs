//! The SPARQL 1.1 Protocol at `/query` and `/update`: the query from the
//! URL, a form or the body, the dataset of `default-graph-uri` and
//! `named-graph-uri`, the result format by `Accept` or `format=`, evaluated
//! under the timeout and written within the size limits.

use super::Config;
use super::Shared;
use super::http::{Incoming, Reply};
use super::protocol::{self, Answer, GRAPHS, Limited, RESULTS, TOO_LARGE};
use crate::rdf::PREFIXES;
use crate::source::{self, Request};
use crate::view::View;
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use std::sync::{Arc, PoisonError};
use std::time::Instant;

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

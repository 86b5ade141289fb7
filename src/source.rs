//! The graph source: the one seam every command asks. Whatever holds the
//! triples (the in-memory store of a dataset, an on-disk store, a remote
//! endpoint) answers SPARQL through [`GraphSource`]; the petgraph view and
//! every question are built from those answers.

use crate::error::Error;
use crate::rdf;
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;

/// A SPARQL query with where it came from and the values bound to its variables.
#[derive(Debug, Clone)]
pub struct Request {
    /// The query text.
    pub text: String,
    /// Where it came from, for messages (`queries/x.rq`, `-e`, ...).
    pub origin: String,
    /// Variables bound to values, without pasting text into the query.
    pub bindings: Vec<(Variable, Term)>,
}

impl Request {
    /// A request with no bindings.
    pub fn new(text: impl Into<String>, origin: impl Into<String>) -> Request {
        Request {
            text: text.into(),
            origin: origin.into(),
            bindings: Vec::new(),
        }
    }

    /// Binds `variable` (without `?`) to `value`.
    pub fn bind(mut self, variable: &str, value: impl Into<Term>) -> Request {
        self.bindings
            .push((Variable::new_unchecked(variable), value.into()));
        self
    }
}

/// Anything that answers SPARQL queries over an innograph graph.
pub trait GraphSource {
    /// Runs a query (with the project prefixes predeclared).
    fn run(&self, request: &Request) -> Result<QueryResults<'static>, Error>;

    /// Every triple of the default graph, for exports.
    fn triples(&self) -> Result<Vec<oxigraph::model::Triple>, Error> {
        let request = Request::new("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "export");
        match self.run(&request)? {
            QueryResults::Graph(triples) => triples
                .map(|t| t.map_err(|e| Error::Evaluation(e.to_string())))
                .collect(),
            _ => Err(Error::Evaluation("CONSTRUCT gave no graph".to_owned())),
        }
    }

    /// A short description for messages (`bundled data`, a folder, a URL).
    fn describe(&self) -> String;

    /// A local copy of the graph to build the petgraph view from, for a
    /// source where many small queries cost more than one large one (a
    /// remote endpoint copies its graph with one CONSTRUCT). `None`, the
    /// default, builds the view from the source itself.
    fn local_copy(&self) -> Result<Option<StoreSource>, Error> {
        Ok(None)
    }
}

/// An Oxigraph store holding a dataset (`StoreSource::load`, in
/// `load.rs`, reads, checks and loads one).
pub struct StoreSource {
    store: Store,
    description: String,
}

impl StoreSource {
    /// Wraps an existing store.
    pub fn from_store(store: Store, description: impl Into<String>) -> StoreSource {
        StoreSource {
            store,
            description: description.into(),
        }
    }

    /// The underlying store.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// The dataset clause (`FROM`, `FROM NAMED`) of `query`, whatever its form.
pub fn dataset_mut(query: &mut spargebra::Query) -> &mut Option<spargebra::algebra::QueryDataset> {
    match query {
        spargebra::Query::Select { dataset, .. }
        | spargebra::Query::Construct { dataset, .. }
        | spargebra::Query::Describe { dataset, .. }
        | spargebra::Query::Ask { dataset, .. } => dataset,
    }
}

/// Parses a request's query with the project prefixes predeclared, and binds
/// its variables as initial bindings: a one-row `VALUES` joined into the
/// query's own pattern, beneath any projection, grouping, ordering or
/// filter, so a bound variable needs not be selected and no text is pasted
/// into the query.
pub fn parse(request: &Request) -> Result<spargebra::Query, Error> {
    let parser =
        rdf::PREFIXES
            .iter()
            .fold(spargebra::SparqlParser::new(), |parser, (prefix, ns)| {
                parser
                    .with_prefix(*prefix, *ns)
                    .expect("the project prefixes are valid IRIs")
            });
    // Before the parser, which recurses once per level.
    crate::depth::check(&request.text).map_err(|message| Error::Sparql {
        origin: request.origin.clone(),
        message,
    })?;
    let mut query = parser.parse_query(&request.text).map_err(|e| {
        match crate::query::explain(&request.text) {
            Some(message) => Error::Sparql {
                origin: request.origin.clone(),
                message,
            },
            None => syntax_error(request, &e.to_string()),
        }
    })?;
    if request.bindings.is_empty() {
        return Ok(query);
    }
    let mut variables = Vec::new();
    let mut row = Vec::new();
    for (variable, value) in &request.bindings {
        let ground = match value {
            Term::NamedNode(n) => GroundTerm::NamedNode(n.clone()),
            Term::Literal(l) => GroundTerm::Literal(l.clone()),
            other => {
                return Err(Error::Usage(format!(
                    "?{variable} cannot be bound to {other}: bind an IRI or a literal"
                )));
            }
        };
        variables.push(variable.clone());
        row.push(Some(ground));
    }
    let values = GraphPattern::Values {
        variables,
        bindings: vec![row],
    };
    let known = variables_of(&query);
    if let Some((unknown, _)) = request
        .bindings
        .iter()
        .find(|(variable, _)| !known.contains(variable))
    {
        return Err(Error::Usage(format!(
            "{} has no variable ?{}: its variables are {}",
            request.origin,
            unknown.as_str(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known
                    .iter()
                    .map(|v| format!("?{}", v.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )));
    }
    let pattern = match &mut query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. } => pattern,
    };
    bind_into(pattern, values);
    Ok(query)
}

/// The variables a query mentions anywhere (patterns, expressions,
/// projections), read from its algebra written back as SPARQL, where a
/// string is in quotes and an IRI in angle brackets.
fn variables_of(query: &spargebra::Query) -> Vec<Variable> {
    let text = query.to_string();
    let mut variables = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                let mut escaped = false;
                for d in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
            }
            '<' if chars
                .peek()
                .is_some_and(|d| !d.is_whitespace() && *d != '=') =>
            {
                for d in chars.by_ref() {
                    if d == '>' {
                        break;
                    }
                }
            }
            '?' | '$' => {
                let mut name = String::new();
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' {
                        name.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if !name.is_empty() {
                    variables.push(Variable::new_unchecked(name));
                }
            }
            _ => {}
        }
    }
    variables.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    variables.dedup();
    variables
}

/// Joins `values` into the innermost group pattern of `pattern`, descending
/// through the solution modifiers and the group's own filters and binds,
/// and at the start of the group: into the left side of its joins,
/// OPTIONALs, LATERALs and MINUSes, as if the query began with the VALUES block. An
/// OPTIONAL is evaluated with the value already bound, so a group of
/// OPTIONALs about `?x` answers for the bound `?x` alone.
fn bind_into(pattern: &mut GraphPattern, values: GraphPattern) {
    match pattern {
        GraphPattern::Slice { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Filter { inner, .. }
        | GraphPattern::Extend { inner, .. } => bind_into(inner, values),
        GraphPattern::Join { left, .. }
        | GraphPattern::LeftJoin { left, .. }
        | GraphPattern::Lateral { left, .. }
        | GraphPattern::Minus { left, .. } => bind_into(left, values),
        GraphPattern::Bgp { patterns } if patterns.is_empty() => *pattern = values,
        other => {
            let inner = std::mem::replace(
                other,
                GraphPattern::Bgp {
                    patterns: Vec::new(),
                },
            );
            *other = GraphPattern::Join {
                left: Box::new(values),
                right: Box::new(inner),
            };
        }
    }
}

impl GraphSource for StoreSource {
    fn run(&self, request: &Request) -> Result<QueryResults<'static>, Error> {
        SparqlEvaluator::new()
            .for_query(parse(request)?)
            .on_store(&self.store)
            .execute()
            .map_err(|e| Error::Evaluation(format!("{}: {e}", request.origin)))
    }

    fn triples(&self) -> Result<Vec<oxigraph::model::Triple>, Error> {
        self.store
            .iter()
            .map(|q| {
                q.map(|q| oxigraph::model::Triple::new(q.subject, q.predicate, q.object))
                    .map_err(|e| Error::Store(e.to_string()))
            })
            .collect()
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

/// The rows of a SELECT query, each as the values of `variables` in order.
pub fn select(
    source: &dyn GraphSource,
    request: &Request,
    variables: &[&str],
) -> Result<Vec<Vec<Option<Term>>>, Error> {
    match source.run(request)? {
        QueryResults::Solutions(solutions) => solutions
            .map(|solution| {
                let solution = solution.map_err(|e| Error::Evaluation(e.to_string()))?;
                Ok(variables
                    .iter()
                    .map(|v| solution.get(*v).cloned())
                    .collect())
            })
            .collect(),
        _ => Err(Error::Evaluation(format!(
            "{} is not a SELECT query",
            request.origin
        ))),
    }
}

/// A SPARQL syntax error with the line and column, the offending line with a
/// caret under the column, and the parser's expectations, shortened to the
/// literal tokens it wanted.
pub fn syntax_error(request: &Request, message: &str) -> Error {
    let position = message
        .strip_prefix("error at ")
        .and_then(|rest| rest.split_once(':').zip(rest.split_once(": ")))
        .and_then(|((line, _), (at, _))| {
            let (_, column) = at.split_once(':')?;
            Some((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?))
        });
    let Some((line, column)) = position else {
        return Error::Sparql {
            origin: request.origin.clone(),
            message: message.to_owned(),
        };
    };
    let expected = message
        .split_once("expected ")
        .map(|(_, e)| e)
        .unwrap_or("");
    let tokens: Vec<&str> = expected
        .split(", ")
        .map(|t| t.trim_start_matches("one of "))
        .filter(|t| t.starts_with('"') && t.ends_with('"') && t.len() > 2)
        .take(12)
        .collect();
    let source_line = request
        .text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("");
    let caret_at: usize = source_line
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| crate::table::width(&c.to_string()))
        .sum();
    let wanted = if tokens.is_empty() {
        expected.chars().take(120).collect::<String>()
    } else {
        format!("one of {}", tokens.join(" "))
    };
    Error::Sparql {
        origin: request.origin.clone(),
        message: format!(
            "line {line}, column {column}: expected {wanted}\n  {source_line}\n  {}^",
            " ".repeat(caret_at)
        ),
    }
}

//! Query running: finds a query (inline text, a `.rq` file or a named query),
//! binds its parameters without pasting text into it, and writes its results
//! as an aligned table or in the standard SPARQL and RDF formats.

use crate::bundled;
use crate::error::Error;
use crate::rdf::{self, PREFIXES};
use crate::source::Request;
use crate::table::Table;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Literal, NamedNode, Term, vocab::xsd};
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

/// How query results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// An aligned text table (SELECT, ASK, and triples of CONSTRUCT).
    Table,
    /// SPARQL 1.1 CSV results.
    Csv,
    /// SPARQL 1.1 TSV results.
    Tsv,
    /// SPARQL 1.1 JSON results.
    Json,
    /// SPARQL XML results.
    Xml,
    /// An RDF format, for CONSTRUCT and DESCRIBE.
    Rdf(RdfFormat),
}

/// The names `--format` accepts.
pub const FORMAT_NAMES: &str = "table (or text), csv, tsv, json, xml (SELECT/ASK); turtle, ntriples, nquads, trig, rdfxml, jsonld, n3 (CONSTRUCT/DESCRIBE)";

impl FromStr for ResultFormat {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Error> {
        Ok(match name.to_ascii_lowercase().as_str() {
            // `text`, as every other answering command calls it.
            "table" | "text" => ResultFormat::Table,
            "csv" => ResultFormat::Csv,
            "tsv" => ResultFormat::Tsv,
            "json" => ResultFormat::Json,
            "xml" => ResultFormat::Xml,
            other => ResultFormat::Rdf(rdf_format(other).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown format `{name}`; the formats are {FORMAT_NAMES}"
                ))
            })?),
        })
    }
}

/// The RDF format called `name` (`turtle`, `ttl`, `ntriples`, `nt`, ...).
pub fn rdf_format(name: &str) -> Option<RdfFormat> {
    Some(match name {
        "turtle" | "ttl" => RdfFormat::Turtle,
        "ntriples" | "nt" => RdfFormat::NTriples,
        "nquads" | "nq" => RdfFormat::NQuads,
        "trig" => RdfFormat::TriG,
        "rdfxml" | "rdf" | "owl" => RdfFormat::RdfXml,
        "jsonld" => RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        "n3" => RdfFormat::N3,
        _ => return None,
    })
}

/// Finds a query: a `.rq` file when `spec` names an existing file, otherwise
/// the named query `spec` from `queries/`.
pub fn find(spec: &str) -> Result<Request, Error> {
    let path = Path::new(spec);
    if path.is_file() {
        let io = |source| Error::Io {
            path: spec.to_owned(),
            source,
        };
        let bytes = crate::dataset::read_regular(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "not UTF-8 (first bad byte at offset {}); save the file as UTF-8",
                    e.utf8_error().valid_up_to()
                ),
            ))
        })?;
        return Ok(Request::new(text, spec));
    }
    let name = spec.strip_suffix(".rq").unwrap_or(spec);
    let name = name.strip_prefix("queries/").unwrap_or(name);
    match bundled::query(name) {
        Some(text) => Ok(Request::new(text, format!("queries/{name}.rq"))),
        None => Err(Error::Usage(format!(
            "`{spec}` is neither a file nor a named query; the named queries are: {}\n(use -e to give the query text itself)",
            bundled::query_names().collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// What hides behind a query text the parser refuses, said plainly: that it
/// is empty, that it is an update (`LOAD`, `INSERT`, ...) rather than a
/// query, or which prefix it uses without declaring it, and where. `None`
/// when none of these is the case, and the parser's message says best.
pub fn explain(text: &str) -> Option<String> {
    let words = Words::new(text);
    let mut declared: Vec<String> = PREFIXES.iter().map(|(p, _)| (*p).to_owned()).collect();
    let mut previous: Option<String> = None;
    let mut first_keyword = None;
    let mut any = false;
    for word in words {
        any = true;
        match word.kind {
            WordKind::Prefixed(prefix) => {
                if previous
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case("PREFIX"))
                {
                    declared.push(prefix);
                } else if !declared.contains(&prefix) {
                    return Some(format!(
                        "line {}, column {}: the prefix `{prefix}:` is not declared: add `PREFIX {prefix}: <...>` before the query, or use one of the project's: {}",
                        word.line,
                        word.column,
                        PREFIXES
                            .iter()
                            .map(|(p, _)| format!("{p}:"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    ));
                }
                previous = None;
            }
            WordKind::Word(name) => {
                let after_prologue = !previous.as_deref().is_some_and(|p| {
                    p.eq_ignore_ascii_case("PREFIX") || p.eq_ignore_ascii_case("BASE")
                });
                let is_prologue =
                    name.eq_ignore_ascii_case("PREFIX") || name.eq_ignore_ascii_case("BASE");
                if first_keyword.is_none() && after_prologue && !is_prologue {
                    first_keyword = Some((name.to_ascii_uppercase(), word.line, word.column));
                }
                previous = Some(name);
            }
            WordKind::Other => previous = None,
        }
    }
    if !any {
        return Some(
            "the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query (`innograph query --list` shows the named ones)"
                .to_owned(),
        );
    }
    const UPDATES: [&str; 10] = [
        "LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
    ];
    match first_keyword {
        Some((keyword, line, column)) if UPDATES.contains(&keyword.as_str()) => Some(format!(
            "line {line}, column {column}: `{keyword}` begins a SPARQL update, not a query: `innograph query` only reads the graph; change a graph with `innograph push`, or send updates to a server that takes them"
        )),
        _ => None,
    }
}

/// A word of a SPARQL text, with its 1-based line and column.
struct Word {
    kind: WordKind,
    line: usize,
    column: usize,
}

enum WordKind {
    /// A keyword or a local name (`SELECT`, `a`, `true`).
    Word(String),
    /// A prefixed name's prefix (`ig` of `ig:University`, empty for `:x`).
    Prefixed(String),
    /// Anything else: a variable, an IRI, a string, a number, punctuation.
    Other,
}

/// The words of a SPARQL text, skipping comments, strings and IRIs, whose
/// content never names a prefix.
struct Words {
    chars: Vec<char>,
    at: usize,
    line: usize,
    column: usize,
}

impl Words {
    fn new(text: &str) -> Words {
        Words {
            chars: text.chars().collect(),
            at: 0,
            line: 1,
            column: 1,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = *self.chars.get(self.at)?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }
}

impl Iterator for Words {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        loop {
            let c = self.peek(0)?;
            let (line, column) = (self.line, self.column);
            let word = |kind| Some(Word { kind, line, column });
            let name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
            if c.is_whitespace() {
                self.bump();
            } else if c == '#' {
                while self.peek(0).is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c == '"' || c == '\'' {
                let long = self.peek(1) == Some(c) && self.peek(2) == Some(c);
                let quotes = if long { 3 } else { 1 };
                for _ in 0..quotes {
                    self.bump();
                }
                loop {
                    match self.bump() {
                        None => return word(WordKind::Other),
                        Some('\\') => {
                            self.bump();
                        }
                        Some(q)
                            if q == c
                                && (!long
                                    || (self.peek(0) == Some(c) && self.peek(1) == Some(c))) =>
                        {
                            if long {
                                self.bump();
                                self.bump();
                            }
                            break;
                        }
                        Some(_) => {}
                    }
                }
                return word(WordKind::Other);
            } else if c == '<'
                && (1..)
                    .map(|i| self.peek(i))
                    .take_while(|c| c.is_some_and(|c| !c.is_whitespace()))
                    .any(|c| c == Some('>'))
            {
                while self.bump().is_some_and(|c| c != '>') {}
                return word(WordKind::Other);
            } else if c == '?' || c == '$' {
                self.bump();
                while self
                    .peek(0)
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    self.bump();
                }
                return word(WordKind::Other);
            } else if c.is_alphabetic() || c == '_' || c == ':' {
                let mut name = String::new();
                while let Some(c) = self.peek(0).filter(|&c| name_char(c)) {
                    name.push(c);
                    self.bump();
                }
                if self.peek(0) == Some(':') {
                    self.bump();
                    // The local part.
                    while self
                        .peek(0)
                        .is_some_and(|c| name_char(c) || c == ':' || c == '%')
                    {
                        self.bump();
                    }
                    return word(WordKind::Prefixed(name));
                }
                return word(WordKind::Word(name));
            } else {
                self.bump();
                while self.peek(0).is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    self.bump();
                }
                return word(WordKind::Other);
            }
        }
    }
}

/// The first comment block of a query: what it answers.
pub fn description(text: &str) -> String {
    text.lines()
        .map_while(|l| l.trim_start().strip_prefix('#'))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses `--param name=value`. The value is an `<IRI>`, a `prefix:name`,
/// a `"quoted literal"` (optionally `@lang`), a number, or else the name of
/// an entity, which `entity` turns into its IRI (resolving it as entity
/// arguments are); only then is the view needed.
pub fn parse_param(
    param: &str,
    entity: &mut dyn FnMut(&str) -> Result<String, Error>,
) -> Result<(String, Term), Error> {
    let (name, value) = param.split_once('=').ok_or_else(|| {
        Error::Usage(format!(
            "--param `{param}` is not name=value (e.g. --param university=同济)"
        ))
    })?;
    let name = name.trim().trim_start_matches(['?', '$']);
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(Error::Usage(format!(
            "--param `{param}`: `{name}` is not a variable name"
        )));
    }
    let value = value.trim();
    let term: Term = if let Some(iri) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        NamedNode::new(iri)
            .map_err(|e| Error::Usage(format!("--param {name}: <{iri}> is not an IRI: {e}")))?
            .into()
    } else if let Some(rest) = value.strip_prefix('"') {
        let (text, tail) = rest.rsplit_once('"').ok_or_else(|| {
            Error::Usage(format!(
                "--param {name}: the literal {value} lacks its closing quote"
            ))
        })?;
        match tail.strip_prefix('@') {
            Some(language) => Literal::new_language_tagged_literal(text, language)
                .map_err(|e| Error::Usage(format!("--param {name}: {e}")))?
                .into(),
            None => Literal::from(text).into(),
        }
    } else if let Some(iri) = expand(value) {
        iri.into()
    } else if value.parse::<i64>().is_ok() {
        Literal::new_typed_literal(value, xsd::INTEGER).into()
    } else if value.parse::<f64>().is_ok()
        // A plain decimal: not `inf`, `NaN` or an exponent, which Rust
        // parses but xsd:decimal does not have.
        && value.chars().any(|c| c.is_ascii_digit())
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        Literal::new_typed_literal(value, xsd::DECIMAL).into()
    } else {
        let iri = entity(value).map_err(|e| {
            Error::Usage(format!(
                "--param {name}: {e}\n(for a plain string, quote it: --param '{name}=\"{value}\"')"
            ))
        })?;
        NamedNode::new_unchecked(iri).into()
    };
    Ok((name.to_owned(), term))
}

/// `prefix:local` with a project prefix, as an IRI.
fn expand(value: &str) -> Option<NamedNode> {
    NamedNode::new(rdf::expand(value)?).ok()
}

/// A term as shown in a table: IRIs compacted with the project prefixes,
/// literals as their text.
pub fn show_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => rdf::compact(n.as_str()),
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => l.value().to_owned(),
        #[expect(
            unreachable_patterns,
            reason = "triple terms exist only with oxigraph's rdf-12 feature"
        )]
        other => other.to_string(),
    }
}

/// Writes query results in `format` (a table for SELECT/ASK and Turtle for
/// CONSTRUCT/DESCRIBE when `None`). Returns the number of rows (or
/// triples) written, `None` for the answer of an ASK query.
pub fn write_results(
    results: QueryResults<'_>,
    format: Option<ResultFormat>,
    out: &mut dyn Write,
) -> Result<Option<usize>, Error> {
    let mut rows = 0;
    let evaluation = |e: oxigraph::sparql::QueryEvaluationError| Error::Evaluation(e.to_string());
    match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            match results_format(format.unwrap_or(ResultFormat::Table), "a SELECT query")? {
                None => {
                    let mut table = Table::new(variables.iter().map(|v| v.as_str().to_owned()));
                    for solution in solutions {
                        let solution = solution.map_err(evaluation)?;
                        rows += 1;
                        table.push(
                            variables
                                .iter()
                                .map(|v| solution.get(v).map(show_term).unwrap_or_default()),
                        );
                    }
                    table.write(out)?;
                }
                Some(format) => {
                    let mut writer = QueryResultsSerializer::from_format(format)
                        .serialize_solutions_to_writer(&mut *out, variables)?;
                    for solution in solutions {
                        writer.serialize(&solution.map_err(evaluation)?)?;
                        rows += 1;
                    }
                    writer.finish()?;
                }
            }
        }
        QueryResults::Boolean(value) => {
            match results_format(format.unwrap_or(ResultFormat::Table), "an ASK query")? {
                None => writeln!(out, "{value}")?,
                Some(format) => {
                    QueryResultsSerializer::from_format(format)
                        .serialize_boolean_to_writer(&mut *out, value)?;
                }
            }
            return Ok(None);
        }
        QueryResults::Graph(triples) => {
            match format.unwrap_or(ResultFormat::Rdf(RdfFormat::Turtle)) {
                ResultFormat::Table => {
                    let mut table = Table::new(["subject", "predicate", "object"]);
                    for triple in triples {
                        let t = triple.map_err(evaluation)?;
                        rows += 1;
                        table.push([
                            show_term(&t.subject.into()),
                            show_term(&t.predicate.into()),
                            show_term(&t.object),
                        ]);
                    }
                    table.write(out)?;
                }
                ResultFormat::Rdf(format) => {
                    let mut writer = serializer(format).for_writer(&mut *out);
                    for triple in triples {
                        writer.serialize_triple(&triple.map_err(evaluation)?)?;
                        rows += 1;
                    }
                    writer.finish()?;
                }
                other => {
                    return Err(Error::Usage(format!(
                        "a CONSTRUCT or DESCRIBE query gives triples, not {other:?} results: use table, turtle, ntriples, nquads, trig, rdfxml, jsonld or n3"
                    )));
                }
            }
        }
    }
    Ok(Some(rows))
}

/// An RDF serializer for `format` with the project prefixes.
pub fn serializer(format: RdfFormat) -> RdfSerializer {
    PREFIXES
        .iter()
        .fold(RdfSerializer::from_format(format), |s, (prefix, ns)| {
            s.with_prefix(*prefix, *ns)
                .expect("the project prefixes are valid")
        })
}

fn results_format(format: ResultFormat, what: &str) -> Result<Option<QueryResultsFormat>, Error> {
    Ok(Some(match format {
        ResultFormat::Table => return Ok(None),
        ResultFormat::Csv => QueryResultsFormat::Csv,
        ResultFormat::Tsv => QueryResultsFormat::Tsv,
        ResultFormat::Json => QueryResultsFormat::Json,
        ResultFormat::Xml => QueryResultsFormat::Xml,
        ResultFormat::Rdf(f) => {
            return Err(Error::Usage(format!(
                "{what} gives a table of results, not {}: use table, csv, tsv, json or xml",
                f.name()
            )));
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn explains_what_the_parser_hides() {
        assert!(explain("").is_some_and(|m| m.contains("empty")));
        assert!(explain("  # only a comment\n").is_some_and(|m| m.contains("empty")));
        let load = explain("LOAD <http://example.org/x>").expect("an update");
        assert!(load.contains("`LOAD`") && load.contains("update"), "{load}");
        let insert =
            explain("PREFIX x: <http://x/>\nINSERT DATA { x:a x:b x:c }").expect("an update");
        assert!(insert.contains("line 2, column 1"), "{insert}");
        let prefix = explain("SELECT * WHERE { ?s foo:bar ?o }").expect("a prefix");
        assert!(
            prefix.contains("`foo:`") && prefix.contains("column 21"),
            "{prefix}"
        );
        assert_eq!(
            explain("PREFIX foo: <http://x/> SELECT * WHERE { ?s foo:bar ?o }"),
            None
        );
        assert_eq!(
            explain("SELECT * WHERE { ?s ig:x \"no:prefix\" . ?s <http://a/b:c> ?o }"),
            None
        );
        assert_eq!(explain("SELECT ?s WHERE { ?s ?p ?o FILTER(?o < 3) }"), None);
    }
}

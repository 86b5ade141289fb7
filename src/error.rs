//! The library's error type, and the location of a problem in an input file.

use std::fmt;

/// A place in an input file: the file as the user named it, a 1-based line and
/// a 1-based column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, as shown to the user (e.g. `data/entities.csv`).
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// 1-based column number, in characters.
    pub column: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One thing wrong with the data, where it is, and what to change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong and what to change.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid CSV or lacks a required column.
    #[error("{location}: {message}")]
    Syntax {
        /// Where.
        location: Location,
        /// What.
        message: String,
    },
    /// The data has problems; all of them are listed.
    #[error("{}", problems_message(.0))]
    Invalid(Vec<Problem>),
    /// A SPARQL query does not parse.
    #[error("SPARQL syntax error in {origin}: {message}")]
    Sparql {
        /// Where the query came from (a file, `-e`, a named query).
        origin: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A query failed while running.
    #[error("query failed: {0}")]
    Evaluation(String),
    /// The RDF store failed.
    #[error("RDF store: {0}")]
    Store(String),
    /// A name given on the command line does not name one entity.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// A request the library cannot carry out, with what to do instead.
    #[error("{0}")]
    Usage(String),
    /// Writing output failed.
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
    /// A SPARQL endpoint could not be reached, did not answer in time, or
    /// answered with an error.
    #[error("{url}: {message}")]
    Endpoint {
        /// The URL asked.
        url: String,
        /// What went wrong: the HTTP status and the server's message, a
        /// timeout, or why it could not be reached; and what to do.
        message: String,
    },
    /// An external program innograph needs is not installed.
    #[error("{program} is not installed (or not on PATH): {help}")]
    MissingProgram {
        /// The program, as run (`dot`).
        program: String,
        /// What it is needed for and how to install it.
        help: String,
    },
    /// An external program failed.
    #[error("{program} failed: {message}")]
    Program {
        /// The program, as run (`dot -Tsvg`).
        program: String,
        /// Its exit status and what it wrote to standard error.
        message: String,
    },
}

fn problems_message(problems: &[Problem]) -> String {
    let mut text = format!(
        "the data has {} problem{}; nothing was loaded:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        text.push_str("\n  ");
        text.push_str(&problem.to_string());
    }
    text
}

/// A name that does not resolve to exactly one entity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// Several entities match.
    #[error("`{query}` is ambiguous; it could be:{}\nname one of them more fully (or by its id)", Listing(.candidates))]
    Ambiguous {
        /// What the user typed.
        query: String,
        /// `id  name_zh  name_en` of each candidate.
        candidates: Vec<String>,
    },
    /// No entity matches.
    #[error("no entity is named `{query}`{}", Suggestions(.suggestions))]
    Unknown {
        /// What the user typed.
        query: String,
        /// The nearest names.
        suggestions: Vec<String>,
    },
    /// The name is longer than any name may be; it is not looked up.
    #[error(
        "a name of {length} characters names no entity (names are at most {limit}): give the entity's id, or a shorter part of its name"
    )]
    TooLong {
        /// Its length, in characters.
        length: usize,
        /// [`crate::resolve::MAX_NAME_CHARS`].
        limit: usize,
    },
    /// The name is an entity's, but not one of the kind the command wants.
    #[error("`{query}` names {entity}, whose kind is {kind}, not {wanted}{}", Suggestions(.suggestions))]
    NotOfKind {
        /// What the user typed.
        query: String,
        /// `id  name_zh  name_en` of the entity it names.
        entity: String,
        /// The label of the entity's kind (`place`).
        kind: String,
        /// The label of the kind wanted (`university`).
        wanted: String,
        /// The nearest names of the kind wanted.
        suggestions: Vec<String>,
    },
}

struct Listing<'a>(&'a [String]);

impl fmt::Display for Listing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for candidate in self.0 {
            write!(f, "\n  {candidate}")?;
        }
        Ok(())
    }
}

struct Suggestions<'a>(&'a [String]);

impl fmt::Display for Suggestions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return write!(f, "; `innograph entities` lists every entity");
        }
        write!(f, "; the nearest names are:")?;
        Listing(self.0).fmt(f)?;
        write!(f, "\n`innograph entities` lists every entity")
    }
}

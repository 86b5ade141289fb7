//! What `innograph validate` finds: every problem of a dataset with its
//! file, line and column, or the counts of a dataset with none.

use super::{Answer, Style, plural};
use crate::dataset::{Dataset, Files};
use crate::error::{Error, Problem};
use crate::shown::escaped;
use crate::validate;
use serde::Serialize;
use std::io::{self, Write};

/// The result of checking a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The dataset checked (`the bundled data` or its folder).
    pub source: String,
    /// Whether the data has no problem.
    pub ok: bool,
    /// What the dataset holds, when it could be read.
    pub counts: Option<Counts>,
    /// Every problem, in file, line and column order.
    pub problems: Vec<ProblemEntry>,
}

/// The rows of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Entities.
    pub entities: usize,
    /// Relations.
    pub relations: usize,
    /// Figures.
    pub figures: usize,
    /// Sources.
    pub sources: usize,
}

/// One problem, where it is and what to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemEntry {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// What is wrong and what to change.
    pub message: String,
}

impl From<&Problem> for ProblemEntry {
    fn from(problem: &Problem) -> ProblemEntry {
        ProblemEntry {
            file: problem.location.file.clone(),
            line: problem.location.line,
            column: problem.location.column,
            message: problem.message.clone(),
        }
    }
}

impl Report {
    /// Reads and checks the dataset `files`. A file that is not valid CSV
    /// is a problem of the report; a file that cannot be read is an error.
    pub fn check(files: &Files) -> Result<Report, Error> {
        let source = crate::load::describe(files);
        let dataset = match Dataset::read(files) {
            Ok(dataset) => dataset,
            Err(Error::Syntax { location, message }) => {
                return Ok(Report {
                    source,
                    ok: false,
                    counts: None,
                    problems: vec![ProblemEntry::from(&Problem { location, message })],
                });
            }
            Err(other) => return Err(other),
        };
        let problems: Vec<ProblemEntry> = validate::check(&dataset)?
            .iter()
            .map(ProblemEntry::from)
            .collect();
        Ok(Report {
            source,
            ok: problems.is_empty(),
            counts: Some(Counts {
                entities: dataset.entities.rows.len(),
                relations: dataset.relations.rows.len(),
                figures: dataset.figures.rows.len(),
                sources: dataset.sources.rows.len(),
            }),
            problems,
        })
    }
}

impl Answer for Report {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        if let (true, Some(c)) = (self.ok, &self.counts) {
            return writeln!(
                out,
                "ok: {} entities, {} relations, {} figures, {} sources; every quote anchored to one span of its source, inside its section",
                c.entities, c.relations, c.figures, c.sources
            );
        }
        for p in &self.problems {
            // Escaped: a path or a message may quote what the data holds.
            writeln!(
                out,
                "{}:{}:{}: {}",
                escaped(&p.file),
                p.line,
                p.column,
                escaped(&p.message)
            )?;
        }
        let n = self.problems.len();
        writeln!(
            out,
            "{}",
            style.heading(&format!(
                "{n} problem{} in {}",
                plural(n, "", "s"),
                escaped(&self.source)
            ))
        )
    }

    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        out.write_record(["file", "line", "column", "message"])?;
        for p in &self.problems {
            out.write_record([
                p.file.clone(),
                p.line.to_string(),
                p.column.to_string(),
                p.message.clone(),
            ])?;
        }
        Ok(())
    }

    /// No answer, in grep's sense, is a dataset with problems.
    fn is_empty(&self) -> bool {
        !self.ok
    }
}

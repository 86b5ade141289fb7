//! `innograph report` on the command line: the form from the file name,
//! the report gathered by the library, and the file (and, for Markdown,
//! the diagrams beside it) written only once all of it is ready.

use crate::cli::LangArg;
use crate::open::Graph;
use anyhow::{Context, Result, bail};
use innograph::export::Lang;
use innograph::report::{self, Diagram, Report};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The SVG file of `diagram` beside the Markdown report `output`:
/// `report.md` → `report.overview.svg`.
fn diagram_file(output: &Path, diagram: &Diagram) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".to_owned());
    output.with_file_name(format!("{stem}.{}.svg", diagram.slug))
}

/// Writes the report of `graph` to `output` in `lang`.
pub fn write(graph: &Graph, output: &Path, lang: LangArg) -> Result<ExitCode> {
    let extension = output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let markdown = match extension.as_str() {
        "html" | "htm" => false,
        "md" | "markdown" => true,
        _ => bail!(
            "-o {} says no report form: name the file report.html (one page, diagrams inline) or report.md (diagrams as SVG files beside it)",
            output.display()
        ),
    };
    let lang = match lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
        LangArg::Both => Lang::Both,
    };
    let report = Report::build(graph.source(), graph.view()?, lang)?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if markdown {
        let link = |d: &Diagram| {
            diagram_file(output, d)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        files.push((
            output.to_owned(),
            report::markdown::write(&report, &link).into_bytes(),
        ));
        for diagram in report.diagrams() {
            files.push((
                diagram_file(output, diagram),
                diagram.svg.clone().into_bytes(),
            ));
        }
    } else {
        files.push((output.to_owned(), report::html::write(&report).into_bytes()));
    }
    for (path, bytes) in files {
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut err = std::io::stderr().lock();
    for warning in report.warnings() {
        writeln!(err, "warning: {warning}")?;
    }
    Ok(ExitCode::SUCCESS)
}

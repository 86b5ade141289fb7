//! `innograph report` and `innograph figures -o` on the command line: the
//! form from the file name, the report or table gathered by the library,
//! and the file (and, for a Markdown report, the diagrams beside it) written
//! only once all of it is ready.

use crate::cli::LangArg;
use crate::open::Graph;
use anyhow::{Context, Result, bail};
use innograph::answer::{self, FigureTable, Form};
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
    let (markdown, pdf) = match extension.as_str() {
        "html" | "htm" => (false, false),
        "md" | "markdown" => (true, false),
        "pdf" => (false, true),
        _ => bail!(
            "-o {} says no report form: name the file report.html (one page, diagrams inline), report.md (diagrams as SVG files beside it) or report.pdf (printed by headless Chromium)",
            output.display()
        ),
    };
    let lang = match lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
        LangArg::Both => Lang::Both,
    };
    let report = Report::build(graph.whole()?, graph.view()?, lang)?;
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
    } else if pdf {
        let bytes = report::pdf::print(&report::html::write(&report))
            .context("cannot print the PDF report; nothing was written")?;
        files.push((output.to_owned(), bytes));
    } else {
        files.push((output.to_owned(), report::html::write(&report).into_bytes()));
    }
    for (path, bytes) in files {
        innograph::output::write(&path, &bytes)?;
    }
    let mut err = std::io::stderr().lock();
    for warning in report.warnings() {
        writeln!(
            err,
            "warning: {}",
            innograph::shown::escaped(&warning.to_string())
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The byte-order mark that tells a spreadsheet a CSV file is UTF-8: Excel
/// reads one without it in the legacy code page and garbles the Chinese.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes the figures table to `output`, in the form its name says: CSV
/// (UTF-8 with a byte-order mark), an `.xlsx` workbook, or JSON.
pub fn figures(table: &FigureTable, output: &Path) -> Result<ExitCode> {
    let extension = output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let bytes = match extension.as_str() {
        "csv" => [BOM, &answer::to_bytes(table, Form::Csv)?].concat(),
        "json" => answer::to_bytes(table, Form::Json)?,
        "xlsx" => table.xlsx()?,
        _ => bail!(
            "-o {} says no table form: name the file figures.csv (UTF-8 with a byte-order mark, for Excel), figures.xlsx or figures.json",
            output.display()
        ),
    };
    innograph::output::write(output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

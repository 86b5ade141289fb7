//! `innograph export` on the command line: the format from --format or the
//! file name, options that change nothing for it refused, and the file
//! written only once the whole export succeeded.

use crate::cli::{ClusterArg, LangArg, LegendArg};
use anyhow::{Context, Result, bail};
use innograph::export::{self, DiagramOption, Format};
use innograph::format::Described;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// The export format: --format, else the extension of -o, else DOT. A
/// file name that says another format than --format is refused.
pub fn format(format: Option<Format>, output: Option<&Path>) -> Result<Format> {
    let named = output.and_then(Format::from_path);
    match (format, output) {
        (Some(format), Some(path)) => {
            if let Some(other) = named.filter(|&n| n != format) {
                bail!(
                    "-o {} names a .{} file, but --format {} writes {}: name the file {} or drop --format",
                    path.display(),
                    other.extension(),
                    format.name(),
                    format.info().help,
                    path.with_extension(format.extension()).display()
                );
            }
            Ok(format)
        }
        (Some(format), None) => Ok(format),
        (None, None) => Ok(Format::Dot),
        (None, Some(path)) => named.with_context(|| {
            format!(
                "cannot tell the format from the name {}: give --format ({})",
                path.display(),
                Format::names()
            )
        }),
    }
}

/// Refuses options that change nothing in `format`, saying why.
pub fn check_options(
    format: Format,
    lang: Option<LangArg>,
    cluster: Option<ClusterArg>,
) -> Result<()> {
    if cluster.is_some() && !format.takes(DiagramOption::Cluster) {
        bail!(
            "--cluster draws boxes in a diagram (dot, svg, png, pdf); --format {} has none",
            format.name()
        );
    }
    if lang.is_some() && !format.takes(DiagramOption::Lang) {
        bail!(
            "--lang picks the language of labels (dot, svg, png, pdf, graphml, json, mermaid); --format {} writes every name in both languages",
            format.name()
        );
    }
    Ok(())
}

/// Refuses --title, --collapse and --no-source-line for a format that
/// draws no diagram.
pub fn check_drawing(format: Format, asked: bool) -> Result<()> {
    if asked && !format.takes(DiagramOption::Cluster) {
        bail!(
            "--title, --collapse and --no-source-line change a diagram (dot, svg, png, pdf); --format {} draws none",
            format.name()
        );
    }
    Ok(())
}

/// Refuses --dpi for any format but PNG.
pub fn check_dpi(format: Format, dpi: Option<u32>) -> Result<()> {
    if dpi.is_some() && format != Format::Png {
        bail!(
            "--dpi sets the resolution of a PNG; --format {} is not a bitmap",
            format.name()
        );
    }
    Ok(())
}

/// The library's legend placement for `--legend`.
pub fn legend(legend: LegendArg) -> export::Legend {
    match legend {
        LegendArg::Side => export::Legend::Side,
        LegendArg::Bottom => export::Legend::Bottom,
        LegendArg::None => export::Legend::None,
    }
}

/// `innograph export`: a file is written only once the whole export succeeded.
pub fn write(
    context: &export::Context<'_>,
    format: Format,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    if format.rdf().is_none() && context.selected.nodes.is_empty() {
        bail!("the selection leaves nothing to draw: loosen --kinds or --relations");
    }
    match output {
        Some(path) => {
            let mut bytes = Vec::new();
            export::write(format, context, &mut bytes)?;
            innograph::output::write(path, &bytes)?;
        }
        None => {
            if format.is_binary() && io::stdout().is_terminal() {
                bail!(
                    "--format {} is binary: write it to a file with -o diagram.{} (or redirect standard output)",
                    format.name(),
                    format.extension()
                );
            }
            export::write(format, context, out)?;
        }
    }
    let mut err = io::stderr().lock();
    for warning in context.warnings() {
        writeln!(
            err,
            "warning: {}",
            innograph::shown::escaped(&warning.to_string())
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

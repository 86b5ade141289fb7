//! SVG, PNG and PDF: the DOT diagram drawn by the installed Graphviz `dot`, fed
//! through a pipe. Graphviz's warnings become warnings of the export; a
//! missing `dot` is an error that says how to install it.

use super::dot::Dot;
use super::{Context, Exporter};
use crate::error::Error;
use std::io::{ErrorKind, Read, Write};
use std::process::{Command, Stdio};

/// The picture formats Graphviz draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    /// Scalable vector graphics (text stays text: searchable, selectable).
    Svg,
    /// A bitmap.
    Png,
    /// A page for print (text stays text).
    Pdf,
}

impl Image {
    /// The `-T` argument of `dot`.
    pub fn graphviz_name(self) -> &'static str {
        match self {
            Image::Svg => "svg",
            Image::Png => "png",
            Image::Pdf => "pdf",
        }
    }
}

/// The exporter that draws the DOT diagram with Graphviz.
#[derive(Debug, Clone, Copy)]
pub struct Render(pub Image);

/// The program that draws DOT diagrams.
pub const GRAPHVIZ: &str = "dot";

impl Exporter for Render {
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
        let mut diagram = Vec::new();
        Dot.write(context, &mut diagram)?;
        let dpi = match self.0 {
            Image::Png => context.options.dpi,
            Image::Svg | Image::Pdf => None,
        };
        let (picture, warnings) = draw_at(&diagram, self.0, dpi)?;
        for warning in warnings {
            context.warn(format!("graphviz: {warning}"));
        }
        out.write_all(&picture)?;
        Ok(())
    }
}

/// Draws a DOT diagram with Graphviz's `dot`: the picture, and the lines
/// Graphviz wrote to standard error (warnings).
pub fn draw(diagram: &[u8], image: Image) -> Result<(Vec<u8>, Vec<String>), Error> {
    draw_at(diagram, image, None)
}

/// [`draw`], at `dpi` dots per inch when given (Graphviz's `-Gdpi`).
pub fn draw_at(
    diagram: &[u8],
    image: Image,
    dpi: Option<u32>,
) -> Result<(Vec<u8>, Vec<String>), Error> {
    let mut args = vec![format!("-T{}", image.graphviz_name())];
    args.extend(dpi.map(|dpi| format!("-Gdpi={dpi}")));
    let program = format!("{GRAPHVIZ} {}", args.join(" "));
    let mut child = Command::new(GRAPHVIZ)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => Error::MissingProgram {
                program: GRAPHVIZ.to_owned(),
                help: format!(
                    "Graphviz's `dot` draws --format {}; install Graphviz (Debian or Ubuntu: apt-get install graphviz fonts-noto-cjk; macOS: brew install graphviz), or write --format dot and draw it elsewhere",
                    image.graphviz_name()
                ),
            },
            _ => Error::Program {
                program: program.clone(),
                message: format!("cannot start it: {e}"),
            },
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Feed, drain and collect at once, so that no pipe fills up and blocks.
    let (fed, picture, errors) = std::thread::scope(|scope| {
        let feeder = scope.spawn(move || {
            let result = stdin.write_all(diagram);
            drop(stdin);
            result
        });
        let reader = scope.spawn(move || {
            let mut errors = Vec::new();
            stderr.read_to_end(&mut errors).map(|_| errors)
        });
        let mut picture = Vec::new();
        let read = stdout.read_to_end(&mut picture).map(|_| picture);
        (
            feeder.join().unwrap_or(Ok(())),
            read,
            reader.join().unwrap_or_else(|_| Ok(Vec::new())),
        )
    });
    let status = child.wait().map_err(|e| Error::Program {
        program: program.clone(),
        message: e.to_string(),
    })?;
    let errors = String::from_utf8_lossy(&errors.unwrap_or_default()).into_owned();
    if !status.success() {
        return Err(Error::Program {
            program,
            message: format!("{status}: {}", errors.trim()),
        });
    }
    let picture = picture.map_err(|e| Error::Program {
        program: program.clone(),
        message: format!("cannot read its output: {e}"),
    })?;
    // A write that failed although `dot` succeeded means it stopped reading early.
    fed.map_err(|e| Error::Program {
        program,
        message: format!("it did not read the whole diagram: {e}"),
    })?;
    let warnings = errors
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((picture, warnings))
}

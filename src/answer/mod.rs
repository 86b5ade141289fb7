//! Answers: each question innograph answers is a typed value here that
//! writes itself as text for people, as CSV and as JSON. The command line
//! and `innograph serve` both write these values, so the two cannot say the
//! same thing in different ways.
//!
//! An answer is built from the view (and the graph source, for what only
//! SPARQL knows) by its `ask` function, and written by [`write`] in a
//! [`Form`]. Its JSON is its `serde::Serialize` shape, declared once on its
//! type; its CSV columns and its text are written by its [`Answer`] impl.
//! The evidence of a relation or a figure is one [`Evidence`] value,
//! rendered in one place for every answer and every form.

mod card;
mod entities;
mod entity;
mod evidence;
mod figures;
mod neighbors;
mod path;
mod platforms;
mod rank;
mod report;
mod stats;

pub use card::Card;
pub use entities::{Entities, EntityRow};
pub use entity::{Direction, EntityRef, Link};
pub use evidence::Evidence;
pub use figures::{Figure, FigureRow, FigureTable, Figures};
pub use neighbors::{Neighbor, Neighbors};
pub use path::Path;
pub use platforms::{PlatformEntry, Platforms};
pub use rank::{Rank, RankRow};
pub use report::{Counts, ProblemEntry, Report};
pub use stats::{Hub, KindCount, PredicateCount, Stats};

use crate::error::Error;
use crate::format::{Described, Info};
use serde::Serialize;
use std::io::{self, Write};

/// The forms an answer is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Text for people: an aligned table, or one block per item with its quotes.
    Text,
    /// Comma-separated values with a header; entities by id.
    Csv,
    /// JSON.
    Json,
}

impl Described for Form {
    const ALL: &'static [Form] = &[Form::Text, Form::Csv, Form::Json];
    const APPLIES_TO: &'static str = "the answers of platforms, show, path, neighbors, rank, entities, figures, stats and validate";

    fn info(self) -> &'static Info {
        static TEXT: Info = Info {
            name: "text",
            extensions: &["txt"],
            media_type: "text/plain; charset=utf-8",
            help: "text for people: an aligned table, or one block per item with its quotes",
            binary: false,
        };
        static CSV: Info = Info {
            name: "csv",
            extensions: &["csv"],
            media_type: "text/csv; charset=utf-8",
            help: "comma-separated values with a header, entities by id",
            binary: false,
        };
        static JSON: Info = Info {
            name: "json",
            extensions: &["json"],
            media_type: "application/json",
            help: "JSON",
            binary: false,
        };
        match self {
            Form::Text => &TEXT,
            Form::Csv => &CSV,
            Form::Json => &JSON,
        }
    }
}

/// How text answers look: plain, or with colour and within the width of a
/// terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Colour headings and inferred facts (ANSI escapes).
    pub colour: bool,
    /// Fit tables within this many columns.
    pub width: Option<usize>,
}

impl Style {
    /// No colour, no width limit.
    pub const PLAIN: Style = Style {
        colour: false,
        width: None,
    };

    /// The looks text is painted with.
    const LOOKS: [anstyle::Style; 3] = [
        anstyle::Style::new().bold(),
        anstyle::Style::new().dimmed(),
        anstyle::Style::new().fg_color(Some(anstyle::Color::Ansi(anstyle::AnsiColor::Yellow))),
    ];

    /// `text` as a heading.
    pub fn heading(&self, text: &str) -> String {
        self.paint(text, Style::LOOKS[0])
    }

    /// `text` dimmed: what supports an answer rather than the answer.
    pub fn quiet(&self, text: &str) -> String {
        self.paint(text, Style::LOOKS[1])
    }

    /// `text` marked as inferred rather than stated.
    pub fn inferred(&self, text: &str) -> String {
        self.paint(text, Style::LOOKS[2])
    }

    /// The escape sequences [`Style::paint`] writes, when in colour: the
    /// only ones a text answer passes to the terminal.
    fn sequences(&self) -> Vec<String> {
        if !self.colour {
            return Vec::new();
        }
        Style::LOOKS
            .iter()
            .flat_map(|look| [look.render().to_string(), look.render_reset().to_string()])
            .collect()
    }

    fn paint(&self, text: &str, style: anstyle::Style) -> String {
        if self.colour {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

/// A question's answer, written in every form.
pub trait Answer: Serialize {
    /// Writes the answer for people.
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()>;

    /// Writes the answer as CSV records, the header first.
    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()>;

    /// Whether there is no answer (no chain, nothing matched): the command
    /// line then exits with status 1, as grep does.
    fn is_empty(&self) -> bool {
        false
    }
}

/// Writes `answer` in `form` to `out`. A closed pipe is reported as
/// [`Error::Write`] with [`io::ErrorKind::BrokenPipe`], whatever the form.
pub fn write<A: Answer>(
    answer: &A,
    form: Form,
    style: &Style,
    out: &mut dyn Write,
) -> Result<(), Error> {
    match form {
        Form::Text => {
            // Names and quotes may come from an endpoint: shown escaped,
            // but for the colours painted here. The answer is written
            // without colour too, so that whatever it holds is told from
            // what painting added (a name may hold a colour's sequence).
            let plain = text_of(
                answer,
                &Style {
                    colour: false,
                    ..*style
                },
            )?;
            let shown = if style.colour {
                crate::shown::escaped_painted(&text_of(answer, style)?, &plain, &style.sequences())
            } else {
                None
            };
            let shown = shown.unwrap_or_else(|| crate::shown::escaped(&plain).into_owned());
            out.write_all(shown.as_bytes())?;
        }
        Form::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            answer.csv(&mut writer).map_err(csv_error)?;
            writer.flush()?;
        }
        Form::Json => {
            serde_json::to_writer_pretty(&mut *out, answer).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// The text of `answer` for people, in `style`.
fn text_of<A: Answer>(answer: &A, style: &Style) -> Result<String, Error> {
    let mut text = Vec::new();
    answer.text(&mut text, style)?;
    Ok(String::from_utf8_lossy(&text).into_owned())
}

/// The bytes of `answer` in `form`, without colour (for the server).
pub fn to_bytes<A: Answer>(answer: &A, form: Form) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    write(answer, form, &Style::PLAIN, &mut bytes)?;
    Ok(bytes)
}

fn csv_error(error: csv::Error) -> Error {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => Error::Write(e),
        other => Error::Write(io::Error::other(format!("{other:?}"))),
    }
}

/// `s` when `n` is not one.
fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name from an endpoint, written as answers write one: plain, then
    /// marked as inferred.
    #[derive(Serialize)]
    struct Named(&'static str);

    impl Answer for Named {
        fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
            writeln!(out, "{} {}", self.0, style.inferred("inferred"))
        }

        fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
            out.write_record([self.0])
        }
    }

    fn shown(name: &'static str, colour: bool) -> String {
        let style = Style {
            colour,
            width: None,
        };
        let mut out = Vec::new();
        write(&Named(name), Form::Text, &style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_name_cannot_paint_itself() {
        let yellow = Style::LOOKS[2].render().to_string();
        let reset = Style::LOOKS[2].render_reset().to_string();
        for name in [
            "A\u{1b}[33mB",
            "\u{1b}[33m",
            "A\u{1b}[0m\u{1b}[1mB\u{1b}[2J",
        ] {
            let escaped = crate::shown::escaped(name).into_owned();
            assert_eq!(
                shown(name, true),
                format!("{escaped} {yellow}inferred{reset}\n"),
                "{name:?}"
            );
            assert_eq!(shown(name, false), format!("{escaped} inferred\n"));
        }
    }
}

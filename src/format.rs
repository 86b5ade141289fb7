//! What innograph knows about a format, written once: its name, file
//! extensions, media type and what it is for. The command line (`--format`
//! values and their help, the format of `-o FILE`), the server's content
//! negotiation and the messages that list the formats all read it here.
//!
//! Two families of formats implement [`Described`]: the forms of an answer
//! ([`crate::answer::Form`]: text, CSV, JSON) and the export formats
//! ([`crate::export::Format`]).

use std::path::Path;

/// The facts about one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    /// The name `--format` and `?format=` take (lower case; matched without case).
    pub name: &'static str,
    /// File extensions without the dot, the usual one first; empty when a
    /// file name cannot say this format.
    pub extensions: &'static [&'static str],
    /// The media type the server answers with, and that `Accept` asks for.
    pub media_type: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// Whether the output is binary (not text).
    pub binary: bool,
}

/// A family of formats, each described by an [`Info`].
pub trait Described: Copy + PartialEq + 'static {
    /// Every format of the family, in the order help lists them.
    const ALL: &'static [Self];
    /// What the family's formats write (for messages: "answers", "exports").
    const APPLIES_TO: &'static str;

    /// The facts about this format.
    fn info(self) -> &'static Info;

    /// The format called `name`, ignoring case.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.info().name.eq_ignore_ascii_case(name.trim()))
    }

    /// The format a file name asks for by its extension, if any.
    fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?;
        Self::ALL.iter().copied().find(|f| {
            f.info()
                .extensions
                .iter()
                .any(|e| e.eq_ignore_ascii_case(extension))
        })
    }

    /// The format whose media type is `media_type` (parameters ignored).
    fn from_media_type(media_type: &str) -> Option<Self> {
        let wanted = media_type.split(';').next().unwrap_or("").trim();
        Self::ALL.iter().copied().find(|f| {
            f.info()
                .media_type
                .split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case(wanted))
        })
    }

    /// What to say when no format of the family is called `name`.
    fn unknown(name: &str) -> String {
        format!(
            "no format of {} is called `{name}`; the formats are: {}",
            Self::APPLIES_TO,
            Self::names()
        )
    }

    /// The names of every format, comma-separated, for messages.
    fn names() -> String {
        Self::ALL
            .iter()
            .map(|f| f.info().name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

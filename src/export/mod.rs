//! Exports: the graph written in the formats other tools read, one file per
//! format behind the [`Exporter`] trait.

pub mod dot;

use crate::error::Error;
use crate::view::View;
use std::io::Write;

/// Which language names and relation labels are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese.
    Zh,
    /// English.
    En,
    /// Chinese with the English beneath.
    #[default]
    Both,
}

/// What to draw and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The language of labels.
    pub lang: Lang,
}

/// A format the view can be written in.
pub trait Exporter {
    /// Writes `view` to `out`.
    fn write(&self, view: &View, options: &Options, out: &mut dyn Write) -> Result<(), Error>;
}

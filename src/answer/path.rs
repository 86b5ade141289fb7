//! The shortest chain of relations between two entities: `innograph path`.

use super::{Answer, EntityRef, Link, Style, plural};
use crate::links;
use crate::view::View;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::io::{self, Write};

/// The shortest chain between two entities, or none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    /// Where the chain starts.
    pub from: EntityRef,
    /// Where it ends.
    pub to: EntityRef,
    /// Whether the chain may not pass through hubs.
    pub avoid_hubs: bool,
    /// The links, or `null` when no chain links the two.
    pub path: Option<Vec<Link>>,
}

impl Path {
    /// The shortest chain from `from` to `to` in `view`.
    pub fn ask(view: &View, from: NodeIndex, to: NodeIndex, avoid_hubs: bool) -> Path {
        Path {
            from: EntityRef::of(view, from),
            to: EntityRef::of(view, to),
            avoid_hubs,
            path: links::path(view, from, to, !avoid_hubs).map(|hops| Link::chain(view, &hops)),
        }
    }
}

impl Answer for Path {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        let Some(links) = &self.path else {
            return writeln!(
                out,
                "No chain of relations links {} and {}{}.",
                self.from.both_names(),
                self.to.both_names(),
                if self.avoid_hubs {
                    " without passing through a hub (try without --avoid-hubs)"
                } else {
                    ""
                }
            );
        };
        writeln!(
            out,
            "{}",
            style.heading(&format!(
                "{} → {}: {} link{}{}",
                self.from.both_names(),
                self.to.both_names(),
                links.len(),
                plural(links.len(), "", "s"),
                if self.avoid_hubs {
                    ", not through hubs"
                } else {
                    ""
                }
            ))
        )?;
        writeln!(out, "  {}\n", Link::chain_text(&self.from.name_zh, links))?;
        for (i, link) in links.iter().enumerate() {
            writeln!(
                out,
                "{}. {} {}  {}",
                i + 1,
                link.from_zh,
                link.arrow(),
                link.to_names.1
            )?;
            writeln!(out, "   {}", link.evidence_line(style))?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        out.write_record(Link::columns())?;
        for (i, link) in self.path.iter().flatten().enumerate() {
            out.write_record(link.record(i + 1))?;
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.path.is_none()
    }
}

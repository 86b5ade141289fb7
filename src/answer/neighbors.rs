//! The entities within some links of one entity, nearest first:
//! `innograph neighbors`.

use super::{Answer, EntityRef, Link, Style, plural};
use crate::links;
use crate::table::Table;
use crate::view::View;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::io::{self, Write};

/// The neighbourhood of one entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbors {
    /// The entity.
    pub entity: EntityRef,
    /// How many links were followed.
    pub depth: usize,
    /// Whether the chains may not pass through hubs.
    pub avoid_hubs: bool,
    /// The entities reached, nearest first, then by id.
    pub neighbors: Vec<Neighbor>,
}

/// An entity reached, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbor {
    /// The entity.
    #[serde(flatten)]
    pub entity: EntityRef,
    /// Links from the start.
    pub distance: usize,
    /// One shortest chain from the start.
    pub path: Vec<Link>,
}

impl Neighbors {
    /// The entities within `depth` links of `start` in `view`.
    pub fn ask(view: &View, start: NodeIndex, depth: usize, avoid_hubs: bool) -> Neighbors {
        Neighbors {
            entity: EntityRef::of(view, start),
            depth,
            avoid_hubs,
            neighbors: links::neighbors(view, start, depth, !avoid_hubs)
                .into_iter()
                .map(|n| Neighbor {
                    entity: EntityRef::of(view, n.node),
                    distance: n.distance,
                    path: Link::chain(view, &n.path),
                })
                .collect(),
        }
    }
}

impl Answer for Neighbors {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        let n = self.neighbors.len();
        writeln!(
            out,
            "{}\n",
            style.heading(&format!(
                "{} ({}): {n} entit{} within {} link{}{}",
                self.entity.both_names(),
                self.entity.id,
                plural(n, "y", "ies"),
                self.depth,
                plural(self.depth, "", "s"),
                if self.avoid_hubs {
                    ", not through hubs"
                } else {
                    ""
                }
            ))
        )?;
        let mut table = Table::new(["distance", "id", "kind", "name_zh", "name_en", "via"]);
        for n in &self.neighbors {
            let e = &n.entity;
            table.push([
                n.distance.to_string(),
                e.id.clone(),
                e.kind.clone(),
                e.name_zh.clone(),
                e.name_en.clone(),
                Link::arrows(&n.path),
            ]);
        }
        table.write_within(out, style.width)
    }

    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        let mut header = vec!["id", "kind", "name_zh", "name_en", "distance"];
        header.extend(Link::columns());
        out.write_record(header)?;
        for n in &self.neighbors {
            let e = &n.entity;
            for (i, link) in n.path.iter().enumerate() {
                let mut record = vec![
                    e.id.clone(),
                    e.kind.clone(),
                    e.name_zh.clone(),
                    e.name_en.clone(),
                    n.distance.to_string(),
                ];
                record.extend(link.record(i + 1));
                out.write_record(record)?;
            }
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.neighbors.is_empty()
    }
}

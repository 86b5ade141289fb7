//! Which platforms are linked to a university, with the chains and their
//! evidence: `innograph platforms` and the server's `/platforms`.

use super::{Answer, EntityRef, Link, Style, plural};
use crate::links;
use crate::view::View;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::io::{self, Write};

/// The platforms linked to a university within some links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Platforms {
    /// The university.
    pub university: EntityRef,
    /// How many links were followed.
    pub depth: usize,
    /// The platforms, nearest first, then by id.
    pub platforms: Vec<PlatformEntry>,
}

/// One platform and how it is linked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlatformEntry {
    /// The platform.
    #[serde(flatten)]
    pub platform: EntityRef,
    /// Links from the university.
    pub distance: usize,
    /// Every direct relation at distance 1, else one shortest chain.
    pub paths: Vec<Vec<Link>>,
}

impl Platforms {
    /// The platforms linked to `university` within `depth` links of `view`.
    pub fn ask(view: &View, university: NodeIndex, depth: usize) -> Platforms {
        let platforms = links::platforms(view, university, depth)
            .into_iter()
            .map(|link| PlatformEntry {
                platform: EntityRef::of(view, link.platform),
                distance: link.distance,
                paths: link
                    .paths
                    .iter()
                    .map(|path| Link::chain(view, path))
                    .collect(),
            })
            .collect();
        Platforms {
            university: EntityRef::of(view, university),
            depth,
            platforms,
        }
    }
}

impl Answer for Platforms {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        let u = &self.university;
        let n = self.platforms.len();
        writeln!(
            out,
            "{}",
            style.heading(&format!(
                "{} {} ({}): {n} platform{} within {} link{}",
                u.name_zh,
                u.name_en,
                u.id,
                plural(n, "", "s"),
                self.depth,
                plural(self.depth, "", "s"),
            ))
        )?;
        for (i, entry) in self.platforms.iter().enumerate() {
            let p = &entry.platform;
            writeln!(out, "\n{}. {}  {}  [{}]", i + 1, p.name_zh, p.name_en, p.id)?;
            for path in &entry.paths {
                writeln!(out, "   {}", Link::chain_text(&u.name_zh, path))?;
                for link in path {
                    writeln!(out, "     {}", link.evidence_line(style))?;
                }
            }
        }
        Ok(())
    }

    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        let mut header = vec![
            "university",
            "platform",
            "platform_zh",
            "platform_en",
            "distance",
            "path",
        ];
        header.extend(Link::columns());
        out.write_record(header)?;
        for entry in &self.platforms {
            let p = &entry.platform;
            for (path_no, path) in entry.paths.iter().enumerate() {
                for (hop_no, link) in path.iter().enumerate() {
                    let mut record = vec![
                        self.university.id.clone(),
                        p.id.clone(),
                        p.name_zh.clone(),
                        p.name_en.clone(),
                        entry.distance.to_string(),
                        (path_no + 1).to_string(),
                    ];
                    record.extend(link.record(hop_no + 1));
                    out.write_record(record)?;
                }
            }
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.platforms.is_empty()
    }
}

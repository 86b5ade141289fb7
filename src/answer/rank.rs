//! Which entities hold the ecosystem together: `innograph rank`.

use super::{Answer, EntityRef, Style};
use crate::rank::{self, Measure};
use crate::table::Table;
use crate::view::View;
use serde::Serialize;
use std::io::{self, Write};

/// Entities ranked by one measure; the JSON is the list of rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Rank {
    /// The rows, best first.
    pub rows: Vec<RankRow>,
}

/// One entity's place and measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRow {
    /// 1 for the first.
    pub rank: usize,
    /// The entity.
    #[serde(flatten)]
    pub entity: EntityRef,
    /// Relations, both ways.
    pub degree: usize,
    /// PageRank.
    pub pagerank: f64,
    /// Betweenness.
    pub betweenness: f64,
}

impl Rank {
    /// The first `top` entities (all when 0) of `view` by `measure`, only
    /// those of `kind` (a kind's local name, subkinds included) when given;
    /// the measures are taken over the whole graph.
    pub fn ask(view: &View, measure: Measure, top: usize, kind: Option<&str>) -> Rank {
        Rank {
            rows: rank::rank(view, measure)
                .into_iter()
                .filter(|s| kind.is_none_or(|k| view.is_a(s.node, k)))
                .take(if top == 0 { usize::MAX } else { top })
                .enumerate()
                .map(|(i, s)| RankRow {
                    rank: i + 1,
                    entity: EntityRef::of(view, s.node),
                    degree: s.degree,
                    pagerank: s.pagerank,
                    betweenness: s.betweenness,
                })
                .collect(),
        }
    }
}

impl Answer for Rank {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        let mut table = Table::new([
            "#",
            "id",
            "kind",
            "name_zh",
            "name_en",
            "degree",
            "pagerank",
            "betweenness",
        ]);
        for row in &self.rows {
            let e = &row.entity;
            table.push([
                row.rank.to_string(),
                e.id.clone(),
                e.kind.clone(),
                e.name_zh.clone(),
                e.name_en.clone(),
                row.degree.to_string(),
                format!("{:.4}", row.pagerank),
                format!("{:.1}", row.betweenness),
            ]);
        }
        table.write_within(out, style.width)
    }

    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        out.write_record([
            "rank",
            "id",
            "kind",
            "name_zh",
            "name_en",
            "degree",
            "pagerank",
            "betweenness",
        ])?;
        for row in &self.rows {
            let e = &row.entity;
            out.write_record([
                row.rank.to_string(),
                e.id.clone(),
                e.kind.clone(),
                e.name_zh.clone(),
                e.name_en.clone(),
                row.degree.to_string(),
                format!("{:.8}", row.pagerank),
                format!("{:.6}", row.betweenness),
            ])?;
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

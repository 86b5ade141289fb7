//! The entities, optionally of one kind: `innograph entities`.

use super::{Answer, Style};
use crate::table::Table;
use crate::view::View;
use serde::Serialize;
use std::io::{self, Write};

/// A list of entities by kind then id; the JSON is the list of rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Entities {
    /// The entities.
    pub rows: Vec<EntityRow>,
}

/// One entity with its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRow {
    /// Its id.
    pub id: String,
    /// The local name of its kind.
    pub kind: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name.
    pub name_en: String,
    /// Its other names.
    pub aliases: Vec<String>,
    /// Its IRI.
    pub iri: String,
}

impl Entities {
    /// The entities of `view`, only those of `kind` (a kind's local name,
    /// subkinds included) when given.
    pub fn ask(view: &View, kind: Option<&str>) -> Entities {
        let mut rows: Vec<EntityRow> = view
            .graph
            .node_indices()
            .filter(|&n| kind.is_none_or(|k| view.is_a(n, k)))
            .map(|n| {
                let node = view.node(n);
                EntityRow {
                    id: node.id.clone(),
                    kind: node.kind.clone(),
                    name_zh: node.name_zh.clone(),
                    name_en: node.name_en.clone(),
                    aliases: node.aliases.clone(),
                    iri: node.iri.clone(),
                }
            })
            .collect();
        rows.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
        Entities { rows }
    }
}

impl Answer for Entities {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        let mut table = Table::new(["id", "kind", "name_zh", "name_en"]);
        for row in &self.rows {
            table.push([
                row.id.clone(),
                row.kind.clone(),
                row.name_zh.clone(),
                row.name_en.clone(),
            ]);
        }
        table.write_within(out, style.width)
    }

    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        out.write_record(["id", "kind", "name_zh", "name_en", "aliases", "iri"])?;
        for row in &self.rows {
            out.write_record([
                &row.id,
                &row.kind,
                &row.name_zh,
                &row.name_en,
                &row.aliases.join("|"),
                &row.iri,
            ])?;
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

//! Counts that describe a graph: `innograph stats`.

use super::{Answer, Style, plural};
use crate::error::Error;
use crate::source::GraphSource;
use crate::table::Table;
use crate::view::View;
use serde::Serialize;
use std::io::{self, Write};

/// The counts of a graph and the shape of its view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Where the graph comes from.
    pub source: String,
    /// Entities.
    pub entities: usize,
    /// Relations.
    pub relations: usize,
    /// Figures.
    pub figures: usize,
    /// Triples in the store.
    pub triples: usize,
    /// Entities by kind.
    pub kinds: Vec<KindCount>,
    /// Relations by predicate.
    pub predicates: Vec<PredicateCount>,
    /// Inferred relations.
    pub inferred_relations: usize,
    /// Entities and figures marked inferred.
    pub inferred_entities_and_figures: usize,
    /// Relations drafted by `innograph draft`, not yet reviewed.
    pub draft_relations: usize,
    /// Connected components, links taken both ways.
    pub components: usize,
    /// The entities with most relations, at most ten.
    pub hubs: Vec<Hub>,
    /// Relations the source announces rather than reports done.
    pub planned_relations: usize,
    /// Figures the source announces (targets) rather than reports.
    pub planned_figures: usize,
    /// Literals typed `xsd:date` or `xsd:gYear`.
    pub typed_dates: usize,
    /// The ids of the entities no relation touches and no figure is about.
    pub unlinked: Vec<String>,
}

/// The entities of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindCount {
    /// The kind's local name.
    pub kind: String,
    /// Its Chinese label.
    pub label_zh: String,
    /// Its English label.
    pub label_en: String,
    /// How many entities.
    pub entities: usize,
}

/// The relations of one predicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PredicateCount {
    /// The predicate's local name.
    pub predicate: String,
    /// Its Chinese label.
    pub label_zh: String,
    /// Its English label.
    pub label_en: String,
    /// Stated relations.
    pub stated: usize,
    /// Inferred relations.
    pub inferred: usize,
}

/// An entity with many relations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hub {
    /// Its id.
    pub id: String,
    /// Its relations, both ways.
    pub relations: usize,
}

impl Stats {
    /// Counts what `source` holds, with its view.
    pub fn ask(source: &dyn GraphSource, view: &View) -> Result<Stats, Error> {
        let stats = crate::stats::Stats::compute(source, view)?;
        Ok(Stats {
            source: source.describe(),
            entities: stats.nodes,
            relations: stats.edges,
            figures: stats.figures,
            triples: stats.triples,
            kinds: stats
                .kinds
                .iter()
                .map(|(kind, &entities)| KindCount {
                    kind: kind.clone(),
                    label_zh: view.kind_label(kind, "zh"),
                    label_en: view.kind_label(kind, "en"),
                    entities,
                })
                .collect(),
            predicates: stats
                .predicates
                .iter()
                .map(|(predicate, &(stated, inferred))| PredicateCount {
                    predicate: predicate.clone(),
                    label_zh: view.predicate_label(predicate, "zh"),
                    label_en: view.predicate_label(predicate, "en"),
                    stated,
                    inferred,
                })
                .collect(),
            inferred_relations: stats.predicates.values().map(|(_, i)| i).sum(),
            inferred_entities_and_figures: stats.inferred_entities_and_figures,
            draft_relations: stats.drafts,
            components: stats.components,
            hubs: stats
                .hubs
                .into_iter()
                .map(|(id, relations)| Hub { id, relations })
                .collect(),
            planned_relations: stats.planned.0,
            planned_figures: stats.planned.1,
            typed_dates: stats.dates,
            unlinked: stats.unlinked,
        })
    }
}

impl Answer for Stats {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        writeln!(out, "Source: {}", self.source)?;
        writeln!(
            out,
            "{}\n",
            style.heading(&format!(
                "{} entities, {} relations, {} figures, {} triples",
                self.entities, self.relations, self.figures, self.triples
            ))
        )?;
        let mut kinds = Table::new(["kind", "label", "entities"]);
        for k in &self.kinds {
            kinds.push([
                k.kind.clone(),
                format!("{} {}", k.label_zh, k.label_en),
                k.entities.to_string(),
            ]);
        }
        kinds.write_within(out, style.width)?;
        writeln!(out)?;
        let mut predicates = Table::new(["predicate", "label", "stated", "inferred"]);
        for p in &self.predicates {
            predicates.push([
                p.predicate.clone(),
                format!("{} {}", p.label_zh, p.label_en),
                p.stated.to_string(),
                p.inferred.to_string(),
            ]);
        }
        predicates.write_within(out, style.width)?;
        writeln!(
            out,
            "\nInferred: {} relations, {} entities and figures",
            self.inferred_relations, self.inferred_entities_and_figures
        )?;
        if self.draft_relations > 0 {
            writeln!(
                out,
                "Draft (awaiting review): {} relations",
                self.draft_relations
            )?;
        }
        writeln!(
            out,
            "Graph: {} nodes, {} edges, {} connected component{}",
            self.entities,
            self.relations,
            self.components,
            plural(self.components, "", "s")
        )?;
        let hubs: Vec<String> = self
            .hubs
            .iter()
            .map(|h| format!("{} ({})", h.id, h.relations))
            .collect();
        writeln!(out, "Largest hubs (relations): {}", hubs.join(", "))?;
        writeln!(
            out,
            "Planned (announced, not reported done): {} relations, {} figures; typed dates: {}",
            self.planned_relations, self.planned_figures, self.typed_dates
        )?;
        writeln!(
            out,
            "Unlinked (no relation, no figure): {}",
            if self.unlinked.is_empty() {
                "none".to_owned()
            } else {
                self.unlinked.join(", ")
            }
        )
    }

    /// One count a row: what is counted (`total`, `kind`, `stated`,
    /// `inferred`, `hub`), of what, and how many.
    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        out.write_record(["count", "name", "label_zh", "label_en", "value"])?;
        let mut row = |count: &str, name: &str, zh: &str, en: &str, value: usize| {
            out.write_record([count, name, zh, en, &value.to_string()])
        };
        for (name, value) in [
            ("entities", self.entities),
            ("relations", self.relations),
            ("figures", self.figures),
            ("triples", self.triples),
            ("inferred_relations", self.inferred_relations),
            ("draft_relations", self.draft_relations),
            (
                "inferred_entities_and_figures",
                self.inferred_entities_and_figures,
            ),
            ("components", self.components),
            ("planned_relations", self.planned_relations),
            ("planned_figures", self.planned_figures),
            ("typed_dates", self.typed_dates),
        ] {
            row("total", name, "", "", value)?;
        }
        for k in &self.kinds {
            row("kind", &k.kind, &k.label_zh, &k.label_en, k.entities)?;
        }
        for p in &self.predicates {
            row("stated", &p.predicate, &p.label_zh, &p.label_en, p.stated)?;
            row(
                "inferred",
                &p.predicate,
                &p.label_zh,
                &p.label_en,
                p.inferred,
            )?;
        }
        for h in &self.hubs {
            row("hub", &h.id, "", "", h.relations)?;
        }
        for id in &self.unlinked {
            row("unlinked", id, "", "", 0)?;
        }
        Ok(())
    }
}

//! Everything known about one entity: names, kind, identifiers, where the
//! source names it, its relations both ways and its figures, each with its
//! evidence. `innograph show` and the server's `/entities/{id}`.

use super::evidence;
use super::{Answer, EntityRef, Evidence, Figures, Link, Style};
use crate::error::Error;
use crate::links::Hop;
use crate::ontology::text;
use crate::query::show_term;
use crate::source::{GraphSource, Request, select};
use crate::view::View;
use oxigraph::model::NamedNode;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::io::{self, Write};

/// The card of one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// The entity.
    #[serde(flatten)]
    pub entity: EntityRef,
    /// Its kind's Chinese label.
    pub kind_zh: String,
    /// Its kind's English label.
    pub kind_en: String,
    /// Its other names, as the source writes them.
    pub aliases: Vec<String>,
    /// Names kept only to help find it, which the source does not use.
    pub search_aliases: Vec<String>,
    /// An identifier the source gives (a document number, a code).
    pub identifier: Option<String>,
    /// A date the source gives.
    pub date: Option<String>,
    /// When it started, where the source says (a year or a date).
    pub start: Option<String>,
    /// The same thing elsewhere (Wikidata, ROR), compacted.
    pub same_as: Vec<String>,
    /// Where the source names it.
    pub named: Option<Evidence>,
    /// Its relations, both ways.
    pub relations: Vec<Link>,
    /// The figures about it.
    pub figures: Figures,
}

/// What the source holds about `?node`: identifiers, dates, and the
/// evidence [`evidence::PATTERN`] reads.
fn facts_query() -> String {
    format!(
        r#"
SELECT * WHERE {{
  OPTIONAL {{ ?node schema:identifier ?identifier }}
  OPTIONAL {{ ?node dcterms:date ?date }}
  OPTIONAL {{ ?node schema:startDate ?start }}
  OPTIONAL {{ ?node schema:sameAs ?same }}
  {}
}}"#,
        evidence::PATTERN
    )
}

impl Card {
    /// The card of `node`: the view's names and relations, and what the
    /// source holds about it.
    pub fn ask(source: &dyn GraphSource, view: &View, node: NodeIndex) -> Result<Card, Error> {
        let entity = EntityRef::of(view, node);
        let iri = NamedNode::new(entity.iri.clone())
            .map_err(|e| Error::Usage(format!("{}: {e}", entity.iri)))?;
        let rows = select(
            source,
            &Request::new(facts_query(), "the entity query").bind("node", iri),
            &[
                ["identifier", "date", "start", "same"].as_slice(),
                &evidence::VARIABLES,
            ]
            .concat(),
        )?;
        let mut same_as: Vec<String> = rows
            .iter()
            .filter_map(|r| r[3].as_ref().map(show_term))
            .collect();
        same_as.sort();
        same_as.dedup();
        let first = rows.first();
        let named = first
            .map(|row| Evidence::from_row(&row[4..]))
            .filter(|e| !e.quote.is_empty());
        let relations = view
            .incident(node)
            .into_iter()
            .map(|(edge, other, forward)| {
                Link::of(
                    view,
                    &Hop {
                        from: node,
                        to: other,
                        edge,
                        forward,
                    },
                )
            })
            .collect();
        Ok(Card {
            kind_zh: view.kind_label(&entity.kind, "zh"),
            kind_en: view.kind_label(&entity.kind, "en"),
            aliases: view.node(node).aliases.clone(),
            search_aliases: view.node(node).search_aliases.clone(),
            identifier: first.and_then(|row| text(&row[0])),
            date: first.and_then(|row| text(&row[1])),
            start: first.and_then(|row| text(&row[2])),
            same_as,
            named,
            relations,
            figures: Figures::ask(source, &entity.iri)?,
            entity,
        })
    }
}

impl Answer for Card {
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        let e = &self.entity;
        writeln!(
            out,
            "{}",
            style.heading(&format!("{}  {}", e.name_zh, e.name_en))
        )?;
        writeln!(
            out,
            "  id: {}   kind: {} {}",
            e.id, self.kind_zh, self.kind_en
        )?;
        writeln!(out, "  iri: {}", e.iri)?;
        if !self.aliases.is_empty() {
            writeln!(out, "  aliases: {}", self.aliases.join(", "))?;
        }
        if let Some(identifier) = &self.identifier {
            writeln!(out, "  identifier: {identifier}")?;
        }
        if !self.search_aliases.is_empty() {
            writeln!(
                out,
                "  search aliases (not the source's words): {}",
                self.search_aliases.join(", ")
            )?;
        }
        if let Some(date) = &self.date {
            writeln!(out, "  date: {date}")?;
        }
        if let Some(start) = &self.start {
            writeln!(out, "  since: {start}")?;
        }
        if !self.same_as.is_empty() {
            writeln!(out, "  same as: {}", self.same_as.join(", "))?;
        }
        if let Some(named) = &self.named {
            writeln!(out, "  named: {}", named.line(style))?;
        }
        writeln!(
            out,
            "\n{}",
            style.heading(&format!("Relations ({}):", self.relations.len()))
        )?;
        for link in &self.relations {
            writeln!(
                out,
                "  {}  {}  [{}]",
                link.arrow(),
                link.to_names.1,
                link.to
            )?;
            writeln!(out, "     {}", link.evidence_line(style))?;
        }
        writeln!(
            out,
            "\n{}",
            style.heading(&format!("Figures ({}):", self.figures.figures.len()))
        )?;
        self.figures.text(out, style)
    }

    /// One fact a row: `fact` says what it is (`name_zh`, `alias`,
    /// `relation`, `figure`, ...), `name` the predicate or indicator,
    /// `other` the entity or figure it links to, `value` the text; the
    /// evidence columns follow where the fact has evidence.
    fn csv(&self, out: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        let mut header = vec!["entity", "fact", "name", "direction", "other", "value"];
        header.extend(Evidence::COLUMNS);
        out.write_record(&header)?;
        let id = self.entity.id.as_str();
        let blank = vec![String::new(); Evidence::COLUMNS.len()];
        let mut row = |fact: &str,
                       name: &str,
                       direction: &str,
                       other: &str,
                       value: &str,
                       evidence: Vec<String>| {
            let mut record: Vec<String> = [id, fact, name, direction, other, value]
                .into_iter()
                .map(str::to_owned)
                .collect();
            record.extend(evidence);
            out.write_record(record)
        };
        let e = &self.entity;
        row("iri", "", "", "", &e.iri, blank.clone())?;
        row("kind", &e.kind, "", "", &self.kind_en, blank.clone())?;
        row(
            "name_zh",
            "",
            "",
            "",
            &e.name_zh,
            self.named
                .as_ref()
                .map_or_else(|| blank.clone(), Evidence::record),
        )?;
        row("name_en", "", "", "", &e.name_en, blank.clone())?;
        for alias in &self.aliases {
            row("alias", "", "", "", alias, blank.clone())?;
        }
        if let Some(identifier) = &self.identifier {
            row("identifier", "", "", "", identifier, blank.clone())?;
        }
        for alias in &self.search_aliases {
            row("search_alias", "", "", "", alias, blank.clone())?;
        }
        if let Some(date) = &self.date {
            row("date", "", "", "", date, blank.clone())?;
        }
        if let Some(start) = &self.start {
            row("start", "", "", "", start, blank.clone())?;
        }
        for same in &self.same_as {
            row("same_as", "", "", "", same, blank.clone())?;
        }
        for link in &self.relations {
            row(
                "relation",
                &link.relation,
                link.direction.as_str(),
                &link.to,
                "",
                link.evidence.record(),
            )?;
        }
        for figure in &self.figures.figures {
            row(
                "figure",
                &figure.indicator,
                "",
                &figure.figure,
                &figure.as_written,
                figure.evidence.record(),
            )?;
        }
        Ok(())
    }
}

//! Counts that describe a graph: entities by kind, relations by predicate
//! and status, figures, what is planned rather than achieved, typed dates,
//! the entities nothing links, and the shape of the petgraph view.

use crate::error::Error;
use crate::source::{GraphSource, Request, select};
use crate::view::{Status, View};
use petgraph::algo::connected_components;
use std::collections::BTreeMap;

/// The counts of a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Entities by kind.
    pub kinds: BTreeMap<String, usize>,
    /// Relations by predicate: (stated, inferred).
    pub predicates: BTreeMap<String, (usize, usize)>,
    /// Relations drafted by `innograph draft` and not yet reviewed.
    pub drafts: usize,
    /// Figures.
    pub figures: usize,
    /// Entities and figures marked inferred.
    pub inferred_entities_and_figures: usize,
    /// Triples in the store.
    pub triples: usize,
    /// Nodes of the view.
    pub nodes: usize,
    /// Edges of the view.
    pub edges: usize,
    /// Connected components of the view (links taken both ways).
    pub components: usize,
    /// The entities with most relations: (id, degree), at most ten.
    pub hubs: Vec<(String, usize)>,
    /// Relations and figures the source announces rather than reports:
    /// (relations, figures).
    pub planned: (usize, usize),
    /// Literals typed `xsd:date` or `xsd:gYear`.
    pub dates: usize,
    /// The ids of the entities that no relation touches and no figure is
    /// about or measures, in id order.
    pub unlinked: Vec<String>,
}

const COUNTS: &str = r#"
SELECT
  (COUNT(DISTINCT ?figure) AS ?figures)
  (COUNT(DISTINCT ?inferred) AS ?inferred_count)
WHERE {
  { ?figure a ig:Figure } UNION
  { ?inferred ig:status ig:Inferred FILTER NOT EXISTS { ?inferred a ig:Statement } }
}"#;

const TRIPLES: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";

const PLANNED: &str = r#"
SELECT (COUNT(DISTINCT ?statement) AS ?relations) (COUNT(DISTINCT ?figure) AS ?figures) WHERE {
  { ?statement a ig:Statement ; ig:modality ig:Planned } UNION
  { ?figure a ig:Figure ; ig:modality ig:Planned }
}"#;

const DATES: &str = r#"
SELECT (COUNT(*) AS ?n) WHERE {
  ?s ?p ?date FILTER(isLiteral(?date) && DATATYPE(?date) IN (xsd:date, xsd:gYear))
}"#;

const FIGURE_LINKS: &str = r#"
SELECT DISTINCT ?entity WHERE { ?figure a ig:Figure ; ig:about|ig:measures ?entity }"#;

impl Stats {
    /// Counts what `source` holds, using its view.
    pub fn compute(source: &dyn GraphSource, view: &View) -> Result<Stats, Error> {
        let number = |rows: Vec<Vec<Option<oxigraph::model::Term>>>, i: usize| {
            crate::ontology::text(&rows.first().and_then(|r| r.get(i).cloned()).flatten())
                .and_then(|t| t.parse().ok())
                .unwrap_or(0)
        };
        let counts = select(
            source,
            &Request::new(COUNTS, "the counts query"),
            &["figures", "inferred_count"],
        )?;
        let figures = number(counts.clone(), 0);
        let inferred_entities_and_figures = number(counts, 1);
        let triples = number(
            select(source, &Request::new(TRIPLES, "the triple count"), &["n"])?,
            0,
        );
        let planned = select(
            source,
            &Request::new(PLANNED, "the planned count"),
            &["relations", "figures"],
        )?;
        let planned = (number(planned.clone(), 0), number(planned, 1));
        let dates = number(
            select(source, &Request::new(DATES, "the dates count"), &["n"])?,
            0,
        );
        let counted: std::collections::BTreeSet<String> = select(
            source,
            &Request::new(FIGURE_LINKS, "the figure links query"),
            &["entity"],
        )?
        .into_iter()
        .filter_map(|row| match row.into_iter().next().flatten() {
            Some(oxigraph::model::Term::NamedNode(n)) => Some(n.into_string()),
            _ => None,
        })
        .collect();
        let mut unlinked: Vec<String> = view
            .graph
            .node_indices()
            .filter(|&n| view.incident(n).is_empty() && !counted.contains(&view.node(n).iri))
            .map(|n| view.node(n).id.clone())
            .collect();
        unlinked.sort();
        let mut kinds = BTreeMap::new();
        for node in view.graph.node_weights() {
            *kinds.entry(node.kind.clone()).or_insert(0) += 1;
        }
        let mut predicates = BTreeMap::new();
        let mut drafts = 0;
        for edge in view.graph.edge_weights() {
            let entry: &mut (usize, usize) = predicates.entry(edge.predicate.clone()).or_default();
            match edge.status {
                Status::Stated => entry.0 += 1,
                Status::Inferred => entry.1 += 1,
                Status::Draft => drafts += 1,
            }
        }
        let mut hubs: Vec<(String, usize)> = view
            .graph
            .node_indices()
            .map(|n| (view.node(n).id.clone(), view.incident(n).len()))
            .collect();
        hubs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hubs.truncate(10);
        Ok(Stats {
            kinds,
            predicates,
            drafts,
            figures,
            inferred_entities_and_figures,
            triples,
            nodes: view.graph.node_count(),
            edges: view.graph.edge_count(),
            components: connected_components(&view.graph),
            hubs,
            planned,
            dates,
            unlinked,
        })
    }
}

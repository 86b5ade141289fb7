//! The pieces answers are made of: an entity as answers name it, and one
//! link of a chain of relations with its evidence.

use super::{Evidence, Style};
use crate::links::Hop;
use crate::view::View;
use petgraph::graph::NodeIndex;
use serde::Serialize;

/// An entity as answers name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRef {
    /// Its id.
    pub id: String,
    /// Its IRI.
    pub iri: String,
    /// The local name of its kind.
    pub kind: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name.
    pub name_en: String,
}

impl EntityRef {
    /// The entity `node` of `view`.
    pub fn of(view: &View, node: NodeIndex) -> EntityRef {
        let node = view.node(node);
        EntityRef {
            id: node.id.clone(),
            iri: node.iri.clone(),
            kind: node.kind.clone(),
            name_zh: node.name_zh.clone(),
            name_en: node.name_en.clone(),
        }
    }

    /// `name_zh name_en`, or the one name when both are the same.
    pub fn both_names(&self) -> String {
        if self.name_zh == self.name_en {
            self.name_zh.clone()
        } else {
            format!("{} {}", self.name_zh, self.name_en)
        }
    }
}

/// Which way a relation points, seen from where a link starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the start of the link to its end.
    Out,
    /// From the end of the link to its start.
    In,
}

impl Direction {
    /// `out` or `in`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Out => "out",
            Direction::In => "in",
        }
    }
}

/// One link of a chain: a relation walked from one entity to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The id of the entity the link starts from.
    pub from: String,
    /// The id of the entity it reaches.
    pub to: String,
    /// The local name of the relation's predicate.
    pub relation: String,
    /// The relation's Chinese label.
    pub label_zh: String,
    /// The relation's English label.
    pub label_en: String,
    /// Whether the relation points from `from` to `to`.
    pub direction: Direction,
    /// Why the relation is in the graph.
    #[serde(flatten)]
    pub evidence: Evidence,
    /// The Chinese name of `from`, for text.
    #[serde(skip)]
    pub from_zh: String,
    /// The names of `to`, for text.
    #[serde(skip)]
    pub to_names: (String, String),
}

impl Link {
    /// The CSV columns of a link, after the columns that say which chain it is on.
    pub fn columns() -> Vec<&'static str> {
        let mut columns = vec!["hop", "from", "relation", "direction", "to"];
        columns.extend(Evidence::COLUMNS);
        columns
    }

    /// A hop of `view` as a link.
    pub fn of(view: &View, hop: &Hop) -> Link {
        let edge = view.edge(hop.edge);
        let (from, to) = (view.node(hop.from), view.node(hop.to));
        Link {
            from: from.id.clone(),
            to: to.id.clone(),
            relation: edge.predicate.clone(),
            label_zh: view.predicate_label(&edge.predicate, "zh"),
            label_en: view.predicate_label(&edge.predicate, "en"),
            direction: if hop.forward {
                Direction::Out
            } else {
                Direction::In
            },
            evidence: Evidence::of(edge),
            from_zh: from.name_zh.clone(),
            to_names: (to.name_zh.clone(), to.name_en.clone()),
        }
    }

    /// The links of a chain of hops.
    pub fn chain(view: &View, hops: &[Hop]) -> Vec<Link> {
        hops.iter().map(|hop| Link::of(view, hop)).collect()
    }

    /// The CSV cells, numbered `number` on its chain, in [`Link::columns`]' order.
    pub fn record(&self, number: usize) -> Vec<String> {
        let mut record = vec![
            number.to_string(),
            self.from.clone(),
            self.relation.clone(),
            self.direction.as_str().to_owned(),
            self.to.clone(),
        ];
        record.extend(self.evidence.record());
        record
    }

    /// `—label→ 名称` or `←label— 名称`, in both languages.
    pub fn arrow(&self) -> String {
        let label = format!("{} {}", self.label_zh, self.label_en);
        match self.direction {
            Direction::Out => format!("—{label}→ {}", self.to_names.0),
            Direction::In => format!("←{label}— {}", self.to_names.0),
        }
    }

    /// The arrows of a chain, one after the other.
    pub fn arrows(chain: &[Link]) -> String {
        chain.iter().map(Link::arrow).collect::<Vec<_>>().join(" ")
    }

    /// A chain as text: the start's name, then each link's arrow.
    pub fn chain_text(start_zh: &str, chain: &[Link]) -> String {
        format!("{start_zh} {}", Link::arrows(chain))
    }

    /// The evidence line of the link.
    pub fn evidence_line(&self, style: &Style) -> String {
        self.evidence.line(style)
    }
}

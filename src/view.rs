//! The petgraph view: entities as nodes, relations as edges carrying their
//! predicate and evidence. Built from what a [`GraphSource`] answers (the
//! statement nodes, not the direct triples, so that inferred relations come
//! with their status), so it is the same over any store.

use crate::error::Error;
use crate::index::NameIndex;
use crate::ontology::{Schema, text};
use crate::query;
use crate::rdf::{self, ID, ONTOLOGY};
use crate::source::{GraphSource, Request, select};
use oxigraph::model::Term;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// An entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Its IRI.
    pub iri: String,
    /// Its id (the IRI without the entity namespace).
    pub id: String,
    /// The local name of its kind.
    pub kind: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Other names the source uses (`skos:altLabel`).
    pub aliases: Vec<String>,
    /// Names kept only to help find it, which the source does not use
    /// (`skos:hiddenLabel`): English short forms, spelt-out names.
    pub search_aliases: Vec<String>,
    /// IRIs of the same thing elsewhere (Wikidata, ROR).
    pub same_as: Vec<String>,
}

/// Whether the source states a fact, the curators inferred it, or
/// `innograph draft` proposed it and no curator has confirmed it yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The source states it.
    Stated,
    /// The curators inferred it.
    Inferred,
    /// Drafted from a letter, awaiting review.
    Draft,
}

impl Status {
    /// `stated`, `inferred` or `draft`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Stated => "stated",
            Status::Inferred => "inferred",
            Status::Draft => "draft",
        }
    }

    /// The status an `ig:` status IRI names (`ig:Stated` and anything
    /// unknown are stated).
    pub fn from_iri(iri: &str) -> Status {
        match iri.strip_prefix(ONTOLOGY) {
            Some("Inferred") => Status::Inferred,
            Some("Draft") => Status::Draft,
            _ => Status::Stated,
        }
    }
}

/// Whether the source reports a relation as done or announces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Modality {
    /// Reported as done or in place.
    Achieved,
    /// Announced: a next step, or what is being explored or built (将, 拟, 探索, 逐步构建).
    Planned,
}

impl Modality {
    /// `achieved` or `planned`.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Achieved => "achieved",
            Modality::Planned => "planned",
        }
    }
}

// Both are written as their names (`answer/evidence.rs`) and read back
// from them.
impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Status, D::Error> {
        let name = String::deserialize(deserializer)?;
        [Status::Stated, Status::Inferred, Status::Draft]
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown status {name}")))
    }
}

impl<'de> Deserialize<'de> for Modality {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Modality, D::Error> {
        let name = String::deserialize(deserializer)?;
        [Modality::Achieved, Modality::Planned]
            .into_iter()
            .find(|m| m.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown modality {name}")))
    }
}

/// A relation with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// The IRI of its statement node.
    pub statement: String,
    /// The local name of its predicate.
    pub predicate: String,
    /// Stated or inferred.
    pub status: Status,
    /// Achieved or planned.
    pub modality: Modality,
    /// When the stated act happened, as the source gives it (`2023-03-24`,
    /// `2023`), or `None`.
    pub date: Option<String>,
    /// When the relation started (`2016` for 自 2016 年起), or `None`.
    pub start: Option<String>,
    /// Section of the source.
    pub section: String,
    /// Verbatim quote.
    pub quote: String,
    /// Why it was inferred.
    pub reason: Option<String>,
    /// The IRI of the source document, when the statement names one.
    pub source: Option<String>,
    /// The source's short citation: its document number (`杨府〔2023〕6号`),
    /// else its Chinese name, else its IRI in short form; empty without a source.
    pub citation: String,
    /// Where the quote stands in the source's text: code points `(start, end)`.
    pub anchor: Option<(u64, u64)>,
}

/// The petgraph view of a graph, with its schema.
#[derive(Debug, Clone)]
pub struct View {
    /// Entities and relations. Nodes are in id order and edges in
    /// (subject, predicate, object) order, so every output is deterministic.
    pub graph: DiGraph<Node, Edge>,
    /// Kinds and predicates: shared, since every part of a large view
    /// read for one question has the same.
    pub schema: Arc<Schema>,
    by_iri: HashMap<String, NodeIndex>,
    /// The name index, when the view came ready-made with one.
    index: Option<NameIndex>,
}

/// A view taken apart into plain data, to store and compare: its nodes in
/// order, its edges as (subject, object, edge) by node position, in order,
/// and its schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parts {
    /// The nodes, in the view's order.
    pub nodes: Vec<Node>,
    /// The edges, in the view's order: positions of their ends in `nodes`.
    pub edges: Vec<(u32, u32, Edge)>,
    /// Kinds and predicates.
    pub schema: Arc<Schema>,
}

const ENTITIES: &str = r#"
SELECT ?entity ?kind ?zh ?en WHERE {
  ?entity a ?kind .
  # Statements and figures are most of the typed nodes of a large graph.
  FILTER(?kind != ig:Statement && ?kind != ig:Figure)
  ?kind a owl:Class .
  OPTIONAL { ?entity skos:prefLabel ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }
  OPTIONAL { ?entity skos:prefLabel ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
}"#;

// Search aids (skos:hiddenLabel) are kept apart from the source's own names.
const ALIASES: &str = r#"
SELECT ?entity ?alias ?label WHERE {
  { ?entity skos:altLabel ?alias BIND("alt" AS ?label) }
  UNION { ?entity skos:hiddenLabel ?alias BIND("hidden" AS ?label) }
}"#;

const SAME_AS: &str =
    "SELECT ?entity ?same WHERE { ?entity schema:sameAs ?same FILTER(isIRI(?same)) }";

const STATEMENTS: &str = r#"
SELECT ?statement ?subject ?predicate ?object ?status ?section ?quote ?reason ?modality ?date ?start
       ?source ?identifier ?title ?anchorStart ?anchorEnd WHERE {
  ?statement a ig:Statement ; rdf:subject ?subject ; rdf:predicate ?predicate ;
             rdf:object ?object ; ig:status ?status .
  OPTIONAL { ?statement ig:section ?section }
  OPTIONAL { ?statement ig:quote ?quote }
  OPTIONAL { ?statement ig:reason ?reason }
  OPTIONAL { ?statement ig:modality ?modality }
  OPTIONAL { ?statement dcterms:date ?date }
  OPTIONAL { ?statement schema:startDate ?start }
  OPTIONAL {
    ?statement prov:wasDerivedFrom ?source .
    FILTER NOT EXISTS { ?source a oa:SpecificResource }
    OPTIONAL { ?source schema:identifier ?identifier }
    OPTIONAL { ?source skos:prefLabel ?title FILTER(LANGMATCHES(LANG(?title), "zh")) }
  }
  OPTIONAL {
    ?statement ig:anchor/oa:hasSelector ?position .
    ?position a oa:TextPositionSelector ; oa:start ?anchorStart ; oa:end ?anchorEnd .
  }
}"#;

impl View {
    /// Builds the view of everything `source` holds, from its local copy
    /// when it offers one (a remote endpoint: one CONSTRUCT).
    pub fn build(source: &dyn GraphSource) -> Result<View, Error> {
        if let Some(copy) = source.local_copy()? {
            return View::build(&copy);
        }
        let schema = Schema::from_source(source)?;
        let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
        for row in select(
            source,
            &Request::new(ENTITIES, "the entities query"),
            &["entity", "kind", "zh", "en"],
        )? {
            let (Some(Term::NamedNode(entity)), Some(Term::NamedNode(kind))) = (&row[0], &row[1])
            else {
                continue;
            };
            let Some(kind) = rdf::local_name(kind.as_str(), ONTOLOGY) else {
                continue;
            };
            if !schema.kinds.contains_key(kind) {
                continue;
            }
            let iri = entity.as_str().to_owned();
            let id = rdf::local_name(&iri, ID).map_or_else(|| rdf::compact(&iri), str::to_owned);
            let node = nodes.entry(iri.clone()).or_insert_with(|| Node {
                iri,
                id: id.clone(),
                kind: kind.to_owned(),
                name_zh: String::new(),
                name_en: String::new(),
                aliases: Vec::new(),
                search_aliases: Vec::new(),
                same_as: Vec::new(),
            });
            // One kind per node: the first in name order, whatever the store's order.
            if kind < node.kind.as_str() {
                node.kind = kind.to_owned();
            }
            node.name_zh = text(&row[2]).unwrap_or_else(|| node.name_zh.clone());
            node.name_en = text(&row[3]).unwrap_or_else(|| node.name_en.clone());
        }
        for row in select(
            source,
            &Request::new(ALIASES, "the aliases query"),
            &["entity", "alias", "label"],
        )? {
            if let (Some(Term::NamedNode(entity)), Some(alias)) = (&row[0], text(&row[1]))
                && let Some(node) = nodes.get_mut(entity.as_str())
            {
                if text(&row[2]).as_deref() == Some("hidden") {
                    node.search_aliases.push(alias);
                } else {
                    node.aliases.push(alias);
                }
            }
        }
        for row in select(
            source,
            &Request::new(SAME_AS, "the same-as query"),
            &["entity", "same"],
        )? {
            if let (Some(Term::NamedNode(entity)), Some(Term::NamedNode(same))) = (&row[0], &row[1])
                && let Some(node) = nodes.get_mut(entity.as_str())
            {
                node.same_as.push(same.as_str().to_owned());
            }
        }
        let mut rows = Vec::new();
        for row in select(
            source,
            &Request::new(STATEMENTS, "the statements query"),
            &[
                "statement",
                "subject",
                "predicate",
                "object",
                "status",
                "section",
                "quote",
                "reason",
                "modality",
                "date",
                "start",
                "source",
                "identifier",
                "title",
                "anchorStart",
                "anchorEnd",
            ],
        )? {
            let iri = |t: &Option<Term>| match t {
                Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
                _ => None,
            };
            let (Some(statement), Some(subject), Some(predicate), Some(object), Some(status)) = (
                iri(&row[0]),
                iri(&row[1]),
                iri(&row[2]),
                iri(&row[3]),
                iri(&row[4]),
            ) else {
                continue;
            };
            let predicate = rdf::local_name(&predicate, ONTOLOGY)
                .map_or_else(|| rdf::compact(&predicate), str::to_owned);
            let status = Status::from_iri(&status);
            let modality = if iri(&row[8]).is_some_and(|m| m == format!("{ONTOLOGY}Planned")) {
                Modality::Planned
            } else {
                Modality::Achieved
            };
            rows.push((
                subject,
                object,
                Edge {
                    statement,
                    predicate,
                    status,
                    modality,
                    date: text(&row[9]),
                    start: text(&row[10]),
                    section: text(&row[5]).unwrap_or_default(),
                    quote: text(&row[6]).unwrap_or_default(),
                    reason: text(&row[7]),
                    citation: match (&row[11], text(&row[12]), text(&row[13])) {
                        (None, _, _) => String::new(),
                        (_, Some(identifier), _) => identifier,
                        (_, None, Some(title)) => title,
                        (Some(source), None, None) => query::show_term(source),
                    },
                    source: iri(&row[11]),
                    anchor: text(&row[14])
                        .and_then(|s| s.parse().ok())
                        .zip(text(&row[15]).and_then(|e| e.parse().ok())),
                },
            ));
        }
        Ok(View::assemble(schema, nodes, rows))
    }

    /// The view of the entities `nodes` (by IRI) and of the statement
    /// rows `rows` (subject and object IRIs, and the edge), as the view's
    /// queries give them: names filled in, lists sorted, rows whose ends
    /// are no entity dropped, one edge per statement. Shared by
    /// [`View::build`] and the derivation by scans ([`crate::scan`]), so
    /// both give the same view.
    pub(crate) fn assemble(
        schema: Schema,
        nodes: BTreeMap<String, Node>,
        rows: Vec<(String, String, Edge)>,
    ) -> View {
        let mut graph = DiGraph::new();
        let mut by_iri = HashMap::new();
        let mut ordered: Vec<Node> = nodes.into_values().collect();
        ordered.sort_by(|a, b| a.id.cmp(&b.id));
        for mut node in ordered {
            if node.name_zh.is_empty() {
                node.name_zh = node.name_en.clone();
            }
            if node.name_en.is_empty() {
                node.name_en = node.name_zh.clone();
            }
            node.aliases.sort();
            node.aliases.dedup();
            node.search_aliases.sort();
            node.search_aliases.dedup();
            node.same_as.sort();
            node.same_as.dedup();
            let iri = node.iri.clone();
            by_iri.insert(iri, graph.add_node(node));
        }
        let mut edges: Vec<_> = rows
            .into_iter()
            .filter_map(|(subject, object, edge)| {
                Some((*by_iri.get(&subject)?, *by_iri.get(&object)?, edge))
            })
            .collect();
        // A source with two numbers or names gives two rows: keep the first in order.
        edges.sort_by(|a, b| {
            (a.0, &a.2.predicate, a.1, &a.2.statement, &a.2.citation).cmp(&(
                b.0,
                &b.2.predicate,
                b.1,
                &b.2.statement,
                &b.2.citation,
            ))
        });
        edges.dedup_by(|a, b| a.2.statement == b.2.statement);
        for (s, o, edge) in edges {
            graph.add_edge(s, o, edge);
        }
        View {
            graph,
            schema: Arc::new(schema),
            by_iri,
            index: None,
        }
    }

    /// The view as plain data: what [`View::from_parts`] turns back into
    /// the same view.
    pub fn parts(&self) -> Parts {
        Parts {
            nodes: self.graph.node_weights().cloned().collect(),
            edges: self
                .graph
                .edge_references()
                .map(|e| {
                    (
                        e.source().index() as u32,
                        e.target().index() as u32,
                        e.weight().clone(),
                    )
                })
                .collect(),
            schema: self.schema.clone(),
        }
    }

    /// The view of `parts`, with `index` as its name index when given.
    /// Fails when an edge names a node that `parts` does not hold.
    pub fn from_parts(parts: Parts, index: Option<NameIndex>) -> Result<View, Error> {
        let mut graph = DiGraph::with_capacity(parts.nodes.len(), parts.edges.len());
        let mut by_iri = HashMap::with_capacity(parts.nodes.len());
        for node in parts.nodes {
            let iri = node.iri.clone();
            by_iri.insert(iri, graph.add_node(node));
        }
        let count = graph.node_count();
        for (s, o, edge) in parts.edges {
            if s as usize >= count || o as usize >= count {
                return Err(Error::Store(format!(
                    "the stored view is damaged: edge {} names node {} of {count}",
                    edge.statement,
                    s.max(o)
                )));
            }
            graph.add_edge(NodeIndex::new(s as usize), NodeIndex::new(o as usize), edge);
        }
        if let Some(index) = &index {
            if index.nodes() != count {
                return Err(Error::Store(format!(
                    "the stored name index is damaged: it names {} nodes, the view holds {count}",
                    index.nodes()
                )));
            }
            index
                .check()
                .map_err(|e| Error::Store(format!("the stored name index is damaged: {e}")))?;
        }
        Ok(View {
            graph,
            schema: parts.schema,
            by_iri,
            index,
        })
    }

    /// The name index, when the view came ready-made with one
    /// ([`View::from_parts`]); [`crate::resolve`] scans the nodes otherwise.
    pub fn index(&self) -> Option<&NameIndex> {
        self.index.as_ref()
    }

    /// The view with a name index built over its nodes.
    pub fn with_index(mut self) -> View {
        self.index = Some(NameIndex::build(&self));
        self
    }

    /// The node with this IRI.
    pub fn node_by_iri(&self, iri: &str) -> Option<NodeIndex> {
        self.by_iri.get(iri).copied()
    }

    /// The node.
    pub fn node(&self, index: NodeIndex) -> &Node {
        &self.graph[index]
    }

    /// The edge.
    pub fn edge(&self, index: EdgeIndex) -> &Edge {
        &self.graph[index]
    }

    /// Whether the node's kind is a platform kind.
    pub fn is_platform(&self, index: NodeIndex) -> bool {
        self.schema
            .kinds
            .get(&self.graph[index].kind)
            .is_some_and(|k| k.platform)
    }

    /// Whether the node's kind is a hub kind.
    pub fn is_hub(&self, index: NodeIndex) -> bool {
        self.schema.is_hub(&self.graph[index].kind)
    }

    /// Whether the node's kind is `kind` or a subclass of it.
    pub fn is_a(&self, index: NodeIndex, kind: &str) -> bool {
        self.schema.kind_is_a(&self.graph[index].kind, kind)
    }

    /// Every edge touching `node`, as (edge, other end, `true` when the edge
    /// leaves `node`), in a stable order.
    pub fn incident(&self, node: NodeIndex) -> Vec<(EdgeIndex, NodeIndex, bool)> {
        let mut out: Vec<_> = self
            .graph
            .edges_directed(node, petgraph::Direction::Outgoing)
            .map(|e| (e.id(), e.target(), true))
            .chain(
                self.graph
                    .edges_directed(node, petgraph::Direction::Incoming)
                    .map(|e| (e.id(), e.source(), false)),
            )
            .collect();
        out.sort_by_key(|(e, n, _)| (*n, *e));
        out
    }

    /// The label of a predicate in `lang` (`zh` or `en`).
    pub fn predicate_label(&self, predicate: &str, lang: &str) -> String {
        self.schema.predicates.get(predicate).map_or_else(
            || predicate.to_owned(),
            |p| {
                if lang == "zh" {
                    p.label_zh.clone()
                } else {
                    p.label_en.clone()
                }
            },
        )
    }

    /// The label of a kind in `lang` (`zh` or `en`).
    pub fn kind_label(&self, kind: &str, lang: &str) -> String {
        self.schema.kinds.get(kind).map_or_else(
            || kind.to_owned(),
            |k| {
                if lang == "zh" {
                    k.label_zh.clone()
                } else {
                    k.label_en.clone()
                }
            },
        )
    }
}

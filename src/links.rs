//! Questions about how entities are linked: which platforms are linked to a
//! university (directly or through other organisations), answered both from
//! the petgraph view and by the named SPARQL query, so the two can be compared;
//! the shortest chain of relations between two entities; and the
//! neighbourhood of one entity.
//!
//! The traversal rule: links are followed in both directions; a path may pass
//! through platforms and organisations, but never *through* an entity whose
//! kind is a hub (government bodies, places, fields, ... marked `ig:hub true`
//! in the ontology), since a hub links everything to everything. A hub can
//! still be the start or the end of a path. `platforms` always keeps the
//! rule; `path` and `neighbors` keep it when asked to avoid hubs.

use crate::bundled;
use crate::error::Error;
use crate::source::{GraphSource, Request, select};
use crate::view::{Status, View};
use oxigraph::model::{NamedNode, Term};
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// The kind whose platforms `platforms` answers for (its local name).
pub const UNIVERSITY: &str = "University";

/// One step of a path: an edge walked from `from` to `to` (in a view, or
/// by other names for its nodes and edges, as a derived index's positions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop<N = NodeIndex, E = EdgeIndex> {
    /// Where the step starts.
    pub from: N,
    /// Where it ends.
    pub to: N,
    /// The relation.
    pub edge: E,
    /// `true` when the relation points from `from` to `to`.
    pub forward: bool,
}

/// A platform and how it is linked to the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformLink {
    /// The platform.
    pub platform: NodeIndex,
    /// The number of hops from the start.
    pub distance: usize,
    /// The paths: every direct relation when `distance` is 1, else one shortest path.
    pub paths: Vec<Vec<Hop>>,
}

/// Shortest paths from `start` to every entity within `depth` hops, following
/// the traversal rule (never through a hub unless `through_hubs`). Returns,
/// for each reached entity, the hops of one shortest path (found in a stable
/// order, so the same data gives the same paths).
pub fn reach(
    view: &View,
    start: NodeIndex,
    depth: usize,
    through_hubs: bool,
) -> BTreeMap<NodeIndex, Vec<Hop>> {
    reach_where(view, start, depth, through_hubs, |_, _| true)
}

/// Like [`reach`], following only the relations for which `follow(edge,
/// other end)` holds: the neighbourhood of `start` within a part of the graph.
pub fn reach_where(
    view: &View,
    start: NodeIndex,
    depth: usize,
    through_hubs: bool,
    follow: impl Fn(EdgeIndex, NodeIndex) -> bool,
) -> BTreeMap<NodeIndex, Vec<Hop>> {
    let mut paths: HashMap<NodeIndex, Vec<Hop>> = HashMap::new();
    paths.insert(start, Vec::new());
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        let path = paths[&node].clone();
        if path.len() >= depth || (node != start && !through_hubs && view.is_hub(node)) {
            continue;
        }
        for (edge, other, forward) in view.incident(node) {
            if paths.contains_key(&other) || !follow(edge, other) {
                continue;
            }
            let mut next = path.clone();
            next.push(Hop {
                from: node,
                to: other,
                edge,
                forward,
            });
            paths.insert(other, next);
            queue.push_back(other);
        }
    }
    paths.remove(&start);
    paths.into_iter().collect()
}

/// What the search for a shortest path needs of a graph: each entity's
/// relations, in order, and which entities are hubs. The view is one; a
/// derived index's skeleton is another, so both find the same path.
pub trait Adjacency {
    /// What names an entity.
    type Node: Copy + Eq + std::hash::Hash;
    /// What names a relation.
    type Edge: Copy;
    /// The relations of `node` as [`View::incident`] lists them: (relation,
    /// other end, whether it leaves `node`), by other end then relation.
    fn incident(&self, node: Self::Node) -> Vec<(Self::Edge, Self::Node, bool)>;
    /// Whether `node` is of a hub kind.
    fn is_hub(&self, node: Self::Node) -> bool;
}

impl Adjacency for View {
    type Node = NodeIndex;
    type Edge = EdgeIndex;

    fn incident(&self, node: NodeIndex) -> Vec<(EdgeIndex, NodeIndex, bool)> {
        View::incident(self, node)
    }

    fn is_hub(&self, node: NodeIndex) -> bool {
        View::is_hub(self, node)
    }
}

/// The shortest chain of relations from `from` to `to` (links taken both
/// ways), never through a hub unless `through_hubs`; the same data gives the
/// same chain. `None` when no chain links them; an empty chain when they are
/// the same entity.
pub fn path(view: &View, from: NodeIndex, to: NodeIndex, through_hubs: bool) -> Option<Vec<Hop>> {
    chain(view, from, to, through_hubs)
}

/// [`path`] in any [`Adjacency`].
pub fn chain<G: Adjacency>(
    graph: &G,
    from: G::Node,
    to: G::Node,
    through_hubs: bool,
) -> Option<Vec<Hop<G::Node, G::Edge>>> {
    if from == to {
        return Some(Vec::new());
    }
    // Breadth first, remembering how each entity was first reached.
    let mut reached: HashMap<G::Node, Hop<G::Node, G::Edge>> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        if node != from && !through_hubs && graph.is_hub(node) {
            continue;
        }
        for (edge, other, forward) in graph.incident(node) {
            if other == from || reached.contains_key(&other) {
                continue;
            }
            reached.insert(
                other,
                Hop {
                    from: node,
                    to: other,
                    edge,
                    forward,
                },
            );
            if other == to {
                let mut hops = vec![reached[&to]];
                while hops[hops.len() - 1].from != from {
                    hops.push(reached[&hops[hops.len() - 1].from]);
                }
                hops.reverse();
                return Some(hops);
            }
            queue.push_back(other);
        }
    }
    None
}

/// An entity near another, and how it is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    /// The entity.
    pub node: NodeIndex,
    /// The number of hops from the start.
    pub distance: usize,
    /// One shortest path from the start.
    pub path: Vec<Hop>,
}

/// The entities within `depth` hops of `start` (links taken both ways, never
/// through a hub unless `through_hubs`), sorted by distance then id.
pub fn neighbors(view: &View, start: NodeIndex, depth: usize, through_hubs: bool) -> Vec<Neighbor> {
    let mut found: Vec<Neighbor> = reach(view, start, depth, through_hubs)
        .into_iter()
        .map(|(node, path)| Neighbor {
            node,
            distance: path.len(),
            path,
        })
        .collect();
    found.sort_by(|a, b| {
        (a.distance, &view.node(a.node).id).cmp(&(b.distance, &view.node(b.node).id))
    });
    found
}

/// The platforms linked to `start` within `depth` hops (at least 1), sorted
/// by distance then id.
pub fn platforms(view: &View, start: NodeIndex, depth: usize) -> Vec<PlatformLink> {
    // Once, not once per platform: a university may have hundreds.
    let incident = view.incident(start);
    let mut links: Vec<PlatformLink> = reach(view, start, depth.max(1), false)
        .into_iter()
        .filter(|(node, _)| view.is_platform(*node))
        .map(|(platform, path)| {
            let distance = path.len();
            let paths = if distance == 1 {
                incident
                    .iter()
                    .copied()
                    .filter(|(_, other, _)| *other == platform)
                    .map(|(edge, to, forward)| {
                        vec![Hop {
                            from: start,
                            to,
                            edge,
                            forward,
                        }]
                    })
                    .collect()
            } else {
                vec![path]
            };
            PlatformLink {
                platform,
                distance,
                paths,
            }
        })
        .collect();
    links.sort_by(|a, b| {
        (a.distance, &view.node(a.platform).id).cmp(&(b.distance, &view.node(b.platform).id))
    });
    links
}

/// A direct link between a university and a platform, as the named query
/// `platforms-of-university` answers it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DirectLink {
    /// The platform's IRI.
    pub platform: String,
    /// The relation's predicate IRI.
    pub predicate: String,
    /// `true` when the relation points from the university to the platform.
    pub forward: bool,
    /// Stated or inferred.
    pub status: Status,
    /// The quote.
    pub quote: String,
}

/// The name of the named query that answers `platforms` at depth 1.
pub const PLATFORMS_QUERY: &str = "platforms-of-university";

/// The direct links of `university` (an IRI) by running the named SPARQL
/// query `platforms-of-university` on `source`.
pub fn platforms_by_sparql(
    source: &dyn GraphSource,
    university: &str,
) -> Result<Vec<DirectLink>, Error> {
    let text = bundled::query(PLATFORMS_QUERY)
        .ok_or_else(|| Error::Usage(format!("the named query {PLATFORMS_QUERY} is not bundled")))?;
    let request = Request::new(text, format!("queries/{PLATFORMS_QUERY}.rq")).bind(
        "university",
        NamedNode::new(university).map_err(|e| Error::Usage(e.to_string()))?,
    );
    let rows = select(
        source,
        &request,
        &["platform", "relation", "direction", "status", "quote"],
    )?;
    let mut links: Vec<DirectLink> = rows
        .into_iter()
        .filter_map(|row| {
            let iri = |t: &Option<Term>| match t {
                Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
                _ => None,
            };
            let literal = |t: &Option<Term>| match t {
                Some(Term::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            };
            Some(DirectLink {
                platform: iri(&row[0])?,
                predicate: iri(&row[1])?,
                forward: literal(&row[2])? == "out",
                status: Status::from_iri(&iri(&row[3])?),
                quote: literal(&row[4]).unwrap_or_default(),
            })
        })
        .collect();
    links.sort();
    Ok(links)
}

/// The same direct links, from the petgraph view.
pub fn platforms_by_view(view: &View, start: NodeIndex) -> Vec<DirectLink> {
    let mut links: Vec<DirectLink> = platforms(view, start, 1)
        .into_iter()
        .flat_map(|link| link.paths)
        .filter_map(|path| path.first().copied())
        .map(|hop| {
            let edge = view.edge(hop.edge);
            DirectLink {
                platform: view.node(hop.to).iri.clone(),
                predicate: format!("{}{}", crate::rdf::ONTOLOGY, edge.predicate),
                forward: hop.forward,
                status: edge.status,
                quote: edge.quote.clone(),
            }
        })
        .collect();
    links.sort();
    links
}

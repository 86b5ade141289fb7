//! Which entities hold the ecosystem together: for every entity of the
//! petgraph view, its degree (relations), its PageRank and its betweenness.
//!
//! Links are taken both ways, as in every traversal here, and PageRank and
//! betweenness are measured on the simple undirected graph (two relations
//! between the same two entities count once), as networkx's `pagerank` and
//! `betweenness_centrality` do on `nx.Graph(G.to_undirected())`; the tests
//! check the numbers against networkx.
//!
//! PageRank is computed here rather than with `petgraph::algo::page_rank`:
//! petgraph 0.8's version drops the random jump from a node to the nodes it
//! links to (petgraph issue #960), so its numbers are not PageRank, and it
//! costs O(|V|²|E|) per iteration.

use crate::view::View;
use petgraph::graph::NodeIndex;
use std::collections::VecDeque;

/// The damping factor of PageRank (the usual 0.85).
pub const DAMPING: f64 = 0.85;

/// How central one entity is.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// The entity.
    pub node: NodeIndex,
    /// Its relations, both ways (as `innograph stats` counts them).
    pub degree: usize,
    /// Its PageRank (the scores of all entities add up to 1).
    pub pagerank: f64,
    /// Its betweenness: over all pairs of other entities, the share of their
    /// shortest chains that pass through it, added up (not normalised).
    pub betweenness: f64,
}

/// What to rank by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Relations.
    Degree,
    /// PageRank.
    PageRank,
    /// Betweenness.
    #[default]
    Betweenness,
}

/// Every entity's scores, the highest by `measure` first; ties go by the
/// other measures (degree first), then by id.
pub fn rank(view: &View, measure: Measure) -> Vec<Score> {
    let adjacency = undirected(view);
    let pagerank = pagerank(&adjacency, DAMPING);
    let betweenness = betweenness(&adjacency);
    let mut scores: Vec<Score> = view
        .graph
        .node_indices()
        .map(|n| Score {
            node: n,
            degree: view.incident(n).len(),
            pagerank: pagerank[n.index()],
            betweenness: betweenness[n.index()],
        })
        .collect();
    // Rounded, so that sums taken in another order cannot swap equal scores.
    let degree = |s: &Score| s.degree as f64;
    let pagerank = |s: &Score| (s.pagerank * 1e9).round();
    let betweenness = |s: &Score| (s.betweenness * 1e6).round();
    let order: [&dyn Fn(&Score) -> f64; 3] = match measure {
        Measure::Degree => [&degree, &pagerank, &betweenness],
        Measure::PageRank => [&pagerank, &degree, &betweenness],
        Measure::Betweenness => [&betweenness, &degree, &pagerank],
    };
    scores.sort_by(|a, b| {
        order
            .iter()
            .map(|key| key(b).total_cmp(&key(a)))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| view.node(a.node).id.cmp(&view.node(b.node).id))
    });
    scores
}

/// The neighbours of every node (by index) in the simple undirected graph:
/// sorted, without repeats or loops.
pub fn undirected(view: &View) -> Vec<Vec<usize>> {
    let mut adjacency = vec![Vec::new(); view.graph.node_count()];
    for e in view.graph.edge_indices() {
        let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
        if s != o {
            adjacency[s.index()].push(o.index());
            adjacency[o.index()].push(s.index());
        }
    }
    for neighbours in &mut adjacency {
        neighbours.sort_unstable();
        neighbours.dedup();
    }
    adjacency
}

/// PageRank of an undirected graph given by its neighbour lists, by power
/// iteration: a node shares its score among its neighbours; an isolated node
/// shares it among all nodes; everyone jumps anywhere with probability
/// `1 - damping`. Stops when the scores move by less than 1e-12 in total.
pub fn pagerank(adjacency: &[Vec<usize>], damping: f64) -> Vec<f64> {
    let n = adjacency.len();
    if n == 0 {
        return Vec::new();
    }
    let size = n as f64;
    let mut ranks = vec![1.0 / size; n];
    for _ in 0..1000 {
        let dangling: f64 = (0..n)
            .filter(|&v| adjacency[v].is_empty())
            .map(|v| ranks[v])
            .sum();
        let base = (1.0 - damping) / size + damping * dangling / size;
        let mut next = vec![base; n];
        for (v, neighbours) in adjacency.iter().enumerate() {
            if neighbours.is_empty() {
                continue;
            }
            let share = damping * ranks[v] / neighbours.len() as f64;
            for &w in neighbours {
                next[w] += share;
            }
        }
        let change: f64 = next.iter().zip(&ranks).map(|(a, b)| (a - b).abs()).sum();
        ranks = next;
        if change < 1e-12 {
            break;
        }
    }
    ranks
}

/// Betweenness of an undirected, unweighted graph given by its neighbour
/// lists (Brandes 2001), each unordered pair counted once.
pub fn betweenness(adjacency: &[Vec<usize>]) -> Vec<f64> {
    let n = adjacency.len();
    let mut centrality = vec![0.0; n];
    let mut order = Vec::with_capacity(n);
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut paths = vec![0.0_f64; n];
    let mut distance = vec![usize::MAX; n];
    let mut dependency = vec![0.0_f64; n];
    let mut queue = VecDeque::new();
    for source in 0..n {
        order.clear();
        for v in 0..n {
            predecessors[v].clear();
            paths[v] = 0.0;
            distance[v] = usize::MAX;
            dependency[v] = 0.0;
        }
        paths[source] = 1.0;
        distance[source] = 0;
        queue.push_back(source);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for &w in &adjacency[v] {
                if distance[w] == usize::MAX {
                    distance[w] = distance[v] + 1;
                    queue.push_back(w);
                }
                if distance[w] == distance[v] + 1 {
                    paths[w] += paths[v];
                    predecessors[w].push(v);
                }
            }
        }
        while let Some(w) = order.pop() {
            for &v in &predecessors[w] {
                dependency[v] += paths[v] / paths[w] * (1.0 + dependency[w]);
            }
            if w != source {
                centrality[w] += dependency[w];
            }
        }
    }
    // Each pair was counted from both ends.
    centrality.iter().map(|c| c / 2.0).collect()
}

#[cfg(test)]
mod tests {
    use super::{betweenness, pagerank};

    /// A path a - b - c - d and an isolated e.
    fn path_and_one() -> Vec<Vec<usize>> {
        vec![vec![1], vec![0, 2], vec![1, 3], vec![2], vec![]]
    }

    #[test]
    fn betweenness_of_a_path() {
        // b lies on a-c and a-d; c on a-d and b-d.
        assert_eq!(betweenness(&path_and_one()), vec![0.0, 2.0, 2.0, 0.0, 0.0]);
        // The centre of a star lies on every pair of leaves.
        let star = vec![vec![1, 2, 3], vec![0], vec![0], vec![0]];
        assert_eq!(betweenness(&star), vec![3.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn pagerank_is_a_distribution_favouring_the_middle() {
        let ranks = pagerank(&path_and_one(), 0.85);
        assert!((ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(ranks[1] > ranks[0] && (ranks[1] - ranks[2]).abs() < 1e-12);
        assert!(ranks[4] < ranks[0]);
        // A symmetric graph gives everyone the same score.
        let triangle = vec![vec![1, 2], vec![0, 2], vec![0, 1]];
        for r in pagerank(&triangle, 0.85) {
            assert!((r - 1.0 / 3.0).abs() < 1e-12);
        }
    }
}

//! The name index: every name an entity answers to (id, IRI, `prefix:id`,
//! Chinese and English names, aliases, search aliases, same-as IRIs), in
//! the form name resolution compares, as a sorted table for exact and
//! prefix lookups and a suffix array for substrings. Binary searches
//! instead of a scan of every node; built once with the view it indexes
//! and stored beside it (`prebuilt.rs`).

use crate::rdf;
use crate::view::View;
use petgraph::graph::NodeIndex;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How a name matches what a user typed (both normalised by [`normalise`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The name is the query.
    Exact,
    /// The name starts with the query.
    Prefix,
    /// The name contains the query.
    Substring,
}

impl Match {
    /// Whether `name` matches `wanted` this way.
    pub fn holds(self, name: &str, wanted: &str) -> bool {
        match self {
            Match::Exact => name == wanted,
            Match::Prefix => name.starts_with(wanted),
            Match::Substring => name.contains(wanted),
        }
    }
}

/// How names compare: lower case, full-width brackets and spaces as ASCII ones.
pub fn normalise(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '［' | '【' | '〔' => '[',
            '］' | '】' | '〕' => ']',
            '\u{3000}' => ' ',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Every name of a node, normalised: id, IRI, `prefix:id`, names, aliases,
/// search aliases, and each same-as IRI in full and in short form.
pub fn names(view: &View, n: NodeIndex) -> Vec<String> {
    let node = view.node(n);
    [
        node.id.as_str(),
        node.iri.as_str(),
        &rdf::compact(&node.iri),
        node.name_zh.as_str(),
        node.name_en.as_str(),
    ]
    .into_iter()
    .map(normalise)
    .chain(node.aliases.iter().map(|a| normalise(a)))
    .chain(node.search_aliases.iter().map(|a| normalise(a)))
    .chain(
        node.same_as
            .iter()
            .flat_map(|iri| [normalise(iri), normalise(&rdf::compact(iri))]),
    )
    .collect()
}

/// The names of a view's nodes, for exact, prefix and substring lookups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameIndex {
    /// Distinct normalised names, sorted.
    names: Vec<String>,
    /// The nodes of each name (positions in the view), ascending.
    owners: Vec<Vec<u32>>,
    /// Every suffix of every name, starting at a character boundary, as
    /// (name, byte offset), sorted by the suffix's text.
    suffixes: Vec<(u32, u32)>,
    /// How many nodes the indexed view holds.
    nodes: u32,
}

impl NameIndex {
    /// Indexes the names of every node of `view`.
    pub fn build(view: &View) -> NameIndex {
        let mut pairs: Vec<(String, u32)> = view
            .graph
            .node_indices()
            .flat_map(|n| {
                names(view, n)
                    .into_iter()
                    .map(move |name| (name, n.index() as u32))
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut names: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        for (name, node) in pairs {
            if names.last() != Some(&name) {
                names.push(name);
                owners.push(Vec::new());
            }
            owners.last_mut().expect("pushed above").push(node);
        }
        let mut suffixes: Vec<(u32, u32)> = names
            .iter()
            .enumerate()
            .flat_map(|(i, name)| {
                name.char_indices()
                    .map(move |(offset, _)| (i as u32, offset as u32))
            })
            .collect();
        suffixes.sort_unstable_by(|a, b| suffix(&names, *a).cmp(suffix(&names, *b)).then(a.cmp(b)));
        NameIndex {
            names,
            owners,
            suffixes,
            nodes: view.graph.node_count() as u32,
        }
    }

    /// How many suffixes it holds.
    pub fn suffix_count(&self) -> usize {
        self.suffixes.len()
    }

    /// How many nodes the indexed view holds.
    pub fn nodes(&self) -> usize {
        self.nodes as usize
    }

    /// The nodes one of whose names matches `wanted` (normalised) the way
    /// `how` says, ascending.
    pub fn find(&self, how: Match, wanted: &str) -> Vec<NodeIndex> {
        let mut found: Vec<u32> = match how {
            Match::Exact => self
                .names
                .binary_search_by(|name| name.as_str().cmp(wanted))
                .map(|i| self.owners[i].clone())
                .unwrap_or_default(),
            Match::Prefix => {
                let start = self.names.partition_point(|name| name.as_str() < wanted);
                self.names[start..]
                    .iter()
                    .take_while(|name| name.starts_with(wanted))
                    .enumerate()
                    .flat_map(|(i, _)| self.owners[start + i].iter().copied())
                    .collect()
            }
            Match::Substring => {
                let start = self
                    .suffixes
                    .partition_point(|&s| suffix(&self.names, s).cmp(wanted) == Ordering::Less);
                self.suffixes[start..]
                    .iter()
                    .take_while(|&&s| suffix(&self.names, s).starts_with(wanted))
                    .flat_map(|&(i, _)| self.owners[i as usize].iter().copied())
                    .collect()
            }
        };
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|n| NodeIndex::new(n as usize))
            .collect()
    }
}

/// The text of a suffix: name `i` from byte `offset`.
fn suffix(names: &[String], (i, offset): (u32, u32)) -> &str {
    &names[i as usize][offset as usize..]
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn brackets_match_whatever_their_width() {
        assert_eq!(normalise("上海理工（USST）"), normalise("上海理工(usst)"));
    }
}

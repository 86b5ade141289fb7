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

/// The names of a view's nodes, for exact, prefix and substring lookups:
/// a few flat arrays, so that a stored index reads in a few copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameIndex {
    /// Distinct normalised names, sorted, one after the other.
    text: String,
    /// Where each name ends in `text` (it starts where the one before ends).
    ends: U32s,
    /// Where the nodes of each name end in `owners`.
    owner_ends: U32s,
    /// The nodes of each name (positions in the view), ascending.
    owners: U32s,
    /// Every suffix of every name, from a character boundary, as its start
    /// in `text`, sorted by the suffix's text (to the end of its name).
    suffixes: U32s,
    /// How many nodes the indexed view holds.
    nodes: u32,
}

/// `u32`s as little-endian bytes, read in one copy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct U32s(#[serde(with = "serde_bytes")] Vec<u8>);

impl U32s {
    fn len(&self) -> usize {
        self.0.len() / 4
    }

    fn get(&self, i: usize) -> usize {
        let bytes = &self.0[i * 4..i * 4 + 4];
        u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize
    }

    fn push(&mut self, value: usize) {
        self.0.extend_from_slice(&(value as u32).to_le_bytes());
    }
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
        let mut index = NameIndex {
            text: String::new(),
            ends: U32s::default(),
            owner_ends: U32s::default(),
            owners: U32s::default(),
            suffixes: U32s::default(),
            nodes: view.graph.node_count() as u32,
        };
        let mut last: Option<&str> = None;
        for (name, node) in &pairs {
            if last != Some(name.as_str()) {
                if last.is_some() {
                    index.owner_ends.push(index.owners.len());
                }
                index.text.push_str(name);
                index.ends.push(index.text.len());
                last = Some(name);
            }
            index.owners.push(*node as usize);
        }
        if last.is_some() {
            index.owner_ends.push(index.owners.len());
        }
        let mut suffixes: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        for i in 0..index.ends.len() {
            let end = index.ends.get(i);
            suffixes.extend(
                index.text[start..end]
                    .char_indices()
                    .map(|(offset, _)| (start + offset, end)),
            );
            start = end;
        }
        suffixes.sort_unstable_by(|a, b| {
            index.text[a.0..a.1]
                .cmp(&index.text[b.0..b.1])
                .then(a.cmp(b))
        });
        for (start, _) in suffixes {
            index.suffixes.push(start);
        }
        index
    }

    /// How many nodes the indexed view holds.
    pub fn nodes(&self) -> usize {
        self.nodes as usize
    }

    /// Whether its arrays agree with each other, so that no lookup reads
    /// out of them: what a stored index is checked with before use.
    pub fn check(&self) -> Result<(), String> {
        let ordered = |values: &U32s, limit: usize| {
            (0..values.len())
                .all(|i| values.get(i) <= limit && (i == 0 || values.get(i - 1) <= values.get(i)))
        };
        if self.ends.len() != self.owner_ends.len()
            || !ordered(&self.ends, self.text.len())
            || !(0..self.ends.len()).all(|i| self.text.is_char_boundary(self.ends.get(i)))
            || !ordered(&self.owner_ends, self.owners.len())
            || !(0..self.owners.len()).all(|i| self.owners.get(i) < self.nodes as usize)
            || !(0..self.suffixes.len()).all(|k| {
                let start = self.suffixes.get(k);
                start < self.text.len() && self.text.is_char_boundary(start)
            })
        {
            return Err("its arrays disagree".to_owned());
        }
        Ok(())
    }

    /// Name `i`.
    fn name(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends.get(i - 1) };
        &self.text[start..self.ends.get(i)]
    }

    /// The nodes of name `i`.
    fn owners_of(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        let start = if i == 0 {
            0
        } else {
            self.owner_ends.get(i - 1)
        };
        (start..self.owner_ends.get(i)).map(|k| self.owners.get(k) as u32)
    }

    /// The name a position of `text` is in, and the suffix of that name from it.
    fn suffix(&self, start: usize) -> (usize, &str) {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let middle = (low + high) / 2;
            if self.ends.get(middle) <= start {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        (low, &self.text[start..self.ends.get(low)])
    }

    /// The first position in `0..len` where `before` stops holding.
    fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
        let (mut low, mut high) = (0, len);
        while low < high {
            let middle = (low + high) / 2;
            if before(middle) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The nodes one of whose names matches `wanted` (normalised) the way
    /// `how` says, ascending.
    pub fn find(&self, how: Match, wanted: &str) -> Vec<NodeIndex> {
        let names = self.ends.len();
        let mut found: Vec<u32> = match how {
            Match::Exact => {
                let i = NameIndex::partition(names, |i| self.name(i) < wanted);
                if i < names && self.name(i) == wanted {
                    self.owners_of(i).collect()
                } else {
                    Vec::new()
                }
            }
            Match::Prefix => {
                let start = NameIndex::partition(names, |i| self.name(i) < wanted);
                (start..names)
                    .take_while(|&i| self.name(i).starts_with(wanted))
                    .flat_map(|i| self.owners_of(i))
                    .collect()
            }
            Match::Substring => {
                let count = self.suffixes.len();
                let start = NameIndex::partition(count, |k| {
                    self.suffix(self.suffixes.get(k)).1.cmp(wanted) == Ordering::Less
                });
                (start..count)
                    .map(|k| self.suffix(self.suffixes.get(k)))
                    .take_while(|(_, text)| text.starts_with(wanted))
                    .flat_map(|(i, _)| self.owners_of(i))
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

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn brackets_match_whatever_their_width() {
        assert_eq!(normalise("上海理工（USST）"), normalise("上海理工(usst)"));
    }
}

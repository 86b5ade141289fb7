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
use std::borrow::Cow;
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

    /// The index's arrays, as stored: the names' text, where each name
    /// ends, where each name's owners end, the owners, the suffixes (the
    /// `u32`s as little-endian bytes), and how many nodes it indexes. What
    /// an index kept on disk is written from ([`crate::derived`]).
    pub(crate) fn raw(&self) -> (&str, [&[u8]; 4], u32) {
        (
            &self.text,
            [
                &self.ends.0,
                &self.owner_ends.0,
                &self.owners.0,
                &self.suffixes.0,
            ],
            self.nodes,
        )
    }

    /// The index of stored arrays, as [`NameIndex::raw`] gives them; to
    /// be checked ([`NameIndex::check`]) before use.
    pub(crate) fn from_raw(text: String, arrays: [Vec<u8>; 4], nodes: u32) -> NameIndex {
        let [ends, owner_ends, owners, suffixes] = arrays.map(U32s);
        NameIndex {
            text,
            ends,
            owner_ends,
            owners,
            suffixes,
            nodes,
        }
    }

    /// The nodes one of whose names matches `wanted` (normalised) the way
    /// `how` says, ascending.
    pub fn find(&self, how: Match, wanted: &str) -> Vec<NodeIndex> {
        let found: Result<_, std::convert::Infallible> = find_in(self, how, wanted);
        let Ok(found) = found;
        found
    }
}

/// One of the index's arrays of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Array {
    /// Where each name ends in the text.
    Ends,
    /// Where the owners of each name end.
    OwnerEnds,
    /// The owners of the names.
    Owners,
    /// The suffixes, by their start in the text.
    Suffixes,
}

/// A name index's arrays, read where they are: in memory ([`NameIndex`]) or
/// in a file by positioned reads ([`crate::derived`]). Lookups are written
/// once, over this, so both find the same.
pub(crate) trait Arrays {
    /// What a read can fail with.
    type Error;
    /// How many numbers `array` holds.
    fn count(&self, array: Array) -> usize;
    /// Number `i` of `array`.
    fn get(&self, array: Array, i: usize) -> Result<usize, Self::Error>;
    /// The text from `start` to `end`.
    fn text(&self, start: usize, end: usize) -> Result<Cow<'_, str>, Self::Error>;
}

impl Arrays for NameIndex {
    type Error = std::convert::Infallible;

    fn count(&self, array: Array) -> usize {
        self.array(array).len()
    }

    fn get(&self, array: Array, i: usize) -> Result<usize, Self::Error> {
        Ok(self.array(array).get(i))
    }

    fn text(&self, start: usize, end: usize) -> Result<Cow<'_, str>, Self::Error> {
        Ok(Cow::Borrowed(&self.text[start..end]))
    }
}

impl NameIndex {
    fn array(&self, array: Array) -> &U32s {
        match array {
            Array::Ends => &self.ends,
            Array::OwnerEnds => &self.owner_ends,
            Array::Owners => &self.owners,
            Array::Suffixes => &self.suffixes,
        }
    }
}

/// Name `i`.
fn name<A: Arrays>(a: &A, i: usize) -> Result<Cow<'_, str>, A::Error> {
    let start = if i == 0 {
        0
    } else {
        a.get(Array::Ends, i - 1)?
    };
    a.text(start, a.get(Array::Ends, i)?)
}

/// The nodes of name `i`, added to `out`.
fn owners_of<A: Arrays>(a: &A, i: usize, out: &mut Vec<u32>) -> Result<(), A::Error> {
    let start = if i == 0 {
        0
    } else {
        a.get(Array::OwnerEnds, i - 1)?
    };
    for k in start..a.get(Array::OwnerEnds, i)? {
        out.push(a.get(Array::Owners, k)? as u32);
    }
    Ok(())
}

/// The name a position of the text is in, and the suffix of that name from it.
fn suffix<A: Arrays>(a: &A, start: usize) -> Result<(usize, Cow<'_, str>), A::Error> {
    let (mut low, mut high) = (0, a.count(Array::Ends));
    while low < high {
        let middle = (low + high) / 2;
        if a.get(Array::Ends, middle)? <= start {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    Ok((low, a.text(start, a.get(Array::Ends, low)?)?))
}

/// The first position in `0..len` where `before` stops holding.
fn partition<E>(len: usize, before: impl Fn(usize) -> Result<bool, E>) -> Result<usize, E> {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = (low + high) / 2;
        if before(middle)? {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    Ok(low)
}

/// The nodes one of whose names in `a` matches `wanted` (normalised) the
/// way `how` says, ascending.
pub(crate) fn find_in<A: Arrays>(
    a: &A,
    how: Match,
    wanted: &str,
) -> Result<Vec<NodeIndex>, A::Error> {
    let names = a.count(Array::Ends);
    let mut found: Vec<u32> = Vec::new();
    match how {
        Match::Exact => {
            let i = partition(names, |i| Ok(name(a, i)?.as_ref() < wanted))?;
            if i < names && name(a, i)? == wanted {
                owners_of(a, i, &mut found)?;
            }
        }
        Match::Prefix => {
            let mut i = partition(names, |i| Ok(name(a, i)?.as_ref() < wanted))?;
            while i < names && name(a, i)?.starts_with(wanted) {
                owners_of(a, i, &mut found)?;
                i += 1;
            }
        }
        Match::Substring => {
            let count = a.count(Array::Suffixes);
            let mut k = partition(count, |k| {
                Ok(suffix(a, a.get(Array::Suffixes, k)?)?
                    .1
                    .as_ref()
                    .cmp(wanted)
                    == Ordering::Less)
            })?;
            while k < count {
                let (i, text) = suffix(a, a.get(Array::Suffixes, k)?)?;
                if !text.starts_with(wanted) {
                    break;
                }
                owners_of(a, i, &mut found)?;
                k += 1;
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    Ok(found
        .into_iter()
        .map(|n| NodeIndex::new(n as usize))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn brackets_match_whatever_their_width() {
        assert_eq!(normalise("上海理工（USST）"), normalise("上海理工(usst)"));
    }
}

//! The name index: every name an entity answers to (id, IRI, `prefix:id`,
//! Chinese and English names, aliases, search aliases, same-as IRIs), in
//! the form name resolution compares, as a sorted table for exact and
//! prefix lookups and a suffix array for substrings. Binary searches
//! instead of a scan of every node; built once with the view it indexes
//! and stored beside it (`prebuilt.rs`, and read in place in a store's
//! derived index, `derived.rs`). A lookup reads a few dozen numbers and
//! pieces of names, then the owners of every match in one run, however many
//! it finds.

use crate::rdf;
use crate::view::View;
use petgraph::graph::NodeIndex;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

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

/// What follows each name in the text: a byte UTF-8 never holds, so a piece
/// of a name read from any position stops at the name's end without a look
/// at where names end.
const END: u8 = 0xFF;

/// Marks an entry of the suffixes' owners that gives a name (one with
/// several owners, by its position) rather than the one node of its name.
const SEVERAL: u32 = 1 << 31;

/// The names of a view's nodes, for exact, prefix and substring lookups:
/// a few flat arrays, so that a stored index reads in a few copies.
///
/// Every lookup is two binary searches, for the first and the last match,
/// and a read of the owners of the matches in one piece: the names of a
/// prefix lie side by side, and so do their owners; a substring's suffixes
/// lie side by side, and so do their owners (`suffix_owners`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameIndex {
    /// Distinct normalised names, sorted, one after the other, each
    /// followed by [`END`].
    #[serde(with = "serde_bytes")]
    text: Vec<u8>,
    /// Where each name's [`END`] ends in `text` (the next name starts there).
    ends: U32s,
    /// Where the nodes of each name end in `owners`.
    owner_ends: U32s,
    /// The nodes of each name (positions in the view), ascending.
    owners: U32s,
    /// Every suffix of every name, from a character boundary, as its start
    /// in `text`, sorted by the suffix's text (to the end of its name).
    suffixes: U32s,
    /// For each suffix, the node of its name when the name has one, else
    /// [`SEVERAL`] with the name's position.
    suffix_owners: U32s,
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

    /// Number `i`; 0 past the end (a checked index reads none there).
    fn get(&self, i: usize) -> usize {
        self.0
            .get(i * 4..i * 4 + 4)
            .map_or(0, |bytes| u32_at(bytes) as usize)
    }

    fn push(&mut self, value: usize) {
        self.0.extend_from_slice(&(value as u32).to_le_bytes());
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        numbers(&self.0).map(|n| n as usize)
    }
}

/// The `u32` of four little-endian bytes.
fn u32_at(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// The `u32`s of little-endian bytes.
fn numbers(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(4).map(u32_at)
}

impl NameIndex {
    /// Indexes the names of every node of `view`.
    pub fn build(view: &View) -> NameIndex {
        NameIndex::of_names(
            view.graph.node_indices().flat_map(|n| {
                names(view, n)
                    .into_iter()
                    .map(move |name| (name, n.index() as u32))
            }),
            view.graph.node_count() as u32,
        )
    }

    /// Indexes `names`, each with its node (a position below `nodes`).
    fn of_names(names: impl Iterator<Item = (String, u32)>, nodes: u32) -> NameIndex {
        let mut pairs: Vec<(String, u32)> = names.collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut index = NameIndex {
            text: Vec::new(),
            ends: U32s::default(),
            owner_ends: U32s::default(),
            owners: U32s::default(),
            suffixes: U32s::default(),
            suffix_owners: U32s::default(),
            nodes,
        };
        // Each distinct name, where it starts in the text, and its owners.
        let mut distinct: Vec<(&str, u32, std::ops::Range<u32>)> = Vec::new();
        for (name, node) in &pairs {
            if distinct.last().is_none_or(|(last, _, _)| last != name) {
                if !distinct.is_empty() {
                    index.owner_ends.push(index.owners.len());
                }
                let owners = index.owners.len() as u32;
                distinct.push((name, index.text.len() as u32, owners..owners));
                index.text.extend_from_slice(name.as_bytes());
                index.text.push(END);
                index.ends.push(index.text.len());
            }
            index.owners.push(*node as usize);
            if let Some((_, _, owners)) = distinct.last_mut() {
                owners.end += 1;
            }
        }
        if !distinct.is_empty() {
            index.owner_ends.push(index.owners.len());
        }
        // Each suffix: its start, its name's end (before END), its name.
        let mut suffixes: Vec<(u32, u32, u32)> = Vec::new();
        for (i, (name, start, _)) in distinct.iter().enumerate() {
            let end = start + name.len() as u32;
            suffixes.extend(
                name.char_indices()
                    .map(|(offset, _)| (start + offset as u32, end, i as u32)),
            );
        }
        let text = &index.text;
        suffixes.sort_unstable_by(|a, b| {
            text[a.0 as usize..a.1 as usize]
                .cmp(&text[b.0 as usize..b.1 as usize])
                .then(a.0.cmp(&b.0))
        });
        for (start, _, name) in suffixes {
            index.suffixes.push(start as usize);
            let owners = &distinct[name as usize].2;
            index.suffix_owners.push(if owners.len() == 1 {
                index.owners.get(owners.start as usize)
            } else {
                (SEVERAL | name) as usize
            });
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
        let names = self.ends.len();
        let nodes = self.nodes as usize;
        let ordered = |values: &U32s, limit: usize| {
            let mut previous = 0;
            values.iter().all(|value| {
                let ok = previous <= value && value <= limit;
                previous = value;
                ok
            })
        };
        let mut start = 0;
        let names_end = self.ends.iter().all(|end| {
            // Each name is followed by END, and holds none itself.
            let ok = start < end
                && end <= self.text.len()
                && self.text[end - 1] == END
                && !self.text[start..end - 1].contains(&END);
            start = end;
            ok
        });
        if self.nodes >= SEVERAL
            || self.owner_ends.len() != names
            || self.suffix_owners.len() != self.suffixes.len()
            || !names_end
            || start != self.text.len()
            || !ordered(&self.owner_ends, self.owners.len())
            || !self.owners.iter().all(|n| n < nodes)
            || !self
                .suffixes
                .iter()
                .all(|start| start < self.text.len() && self.text[start] != END)
            || !self.suffix_owners.iter().all(|entry| {
                let entry = entry as u32;
                if entry & SEVERAL == 0 {
                    (entry as usize) < nodes
                } else {
                    ((entry & !SEVERAL) as usize) < names
                }
            })
        {
            return Err("its arrays disagree".to_owned());
        }
        Ok(())
    }

    /// The index's arrays, as stored: the names' text, where each name
    /// ends, where each name's owners end, the owners, the suffixes, the
    /// suffixes' owners (the `u32`s as little-endian bytes), and how many
    /// nodes it indexes. What an index kept on disk is written from
    /// ([`crate::derived`]).
    pub(crate) fn raw(&self) -> (&[u8], [&[u8]; 5], u32) {
        (
            &self.text,
            [
                &self.ends.0,
                &self.owner_ends.0,
                &self.owners.0,
                &self.suffixes.0,
                &self.suffix_owners.0,
            ],
            self.nodes,
        )
    }

    /// The index of stored arrays, as [`NameIndex::raw`] gives them; to
    /// be checked ([`NameIndex::check`]) before use.
    pub(crate) fn from_raw(text: Vec<u8>, arrays: [Vec<u8>; 5], nodes: u32) -> NameIndex {
        let [ends, owner_ends, owners, suffixes, suffix_owners] = arrays.map(U32s);
        NameIndex {
            text,
            ends,
            owner_ends,
            owners,
            suffixes,
            suffix_owners,
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
    /// The owner (or the name) of each suffix.
    SuffixOwners,
}

/// A name index's arrays, read where they are: in memory ([`NameIndex`]) or
/// in a file by positioned reads ([`crate::derived`]). Lookups are written
/// once, over this, so both find the same.
pub(crate) trait Arrays {
    /// What a read can fail with.
    type Error;
    /// How many numbers `array` holds.
    fn count(&self, array: Array) -> usize;
    /// How many bytes the text holds.
    fn text_len(&self) -> usize;
    /// How many nodes the index indexes.
    fn nodes(&self) -> usize;
    /// Number `i` of `array`.
    fn get(&self, array: Array, i: usize) -> Result<usize, Self::Error>;
    /// Numbers `start..end` of `array`, as little-endian bytes, in one read.
    fn numbers(&self, array: Array, start: usize, end: usize)
    -> Result<Cow<'_, [u8]>, Self::Error>;
    /// The text's bytes from `start` to `end`.
    fn text(&self, start: usize, end: usize) -> Result<Cow<'_, [u8]>, Self::Error>;
}

impl Arrays for NameIndex {
    type Error = std::convert::Infallible;

    fn count(&self, array: Array) -> usize {
        self.array(array).len()
    }

    fn text_len(&self) -> usize {
        self.text.len()
    }

    fn nodes(&self) -> usize {
        self.nodes as usize
    }

    fn get(&self, array: Array, i: usize) -> Result<usize, Self::Error> {
        Ok(self.array(array).get(i))
    }

    fn numbers(
        &self,
        array: Array,
        start: usize,
        end: usize,
    ) -> Result<Cow<'_, [u8]>, Self::Error> {
        let bytes = &self.array(array).0;
        Ok(Cow::Borrowed(
            bytes.get(start * 4..end * 4).unwrap_or_default(),
        ))
    }

    fn text(&self, start: usize, end: usize) -> Result<Cow<'_, [u8]>, Self::Error> {
        Ok(Cow::Borrowed(self.text.get(start..end).unwrap_or_default()))
    }
}

impl NameIndex {
    fn array(&self, array: Array) -> &U32s {
        match array {
            Array::Ends => &self.ends,
            Array::OwnerEnds => &self.owner_ends,
            Array::Owners => &self.owners,
            Array::Suffixes => &self.suffixes,
            Array::SuffixOwners => &self.suffix_owners,
        }
    }
}

/// Where entry `i` starts, by an array of where each entry ends (`ends`:
/// names in the text, `owner_ends`: a name's owners in `owners`).
fn start_of<A: Arrays>(a: &A, ends: Array, i: usize) -> Result<usize, A::Error> {
    if i == 0 { Ok(0) } else { a.get(ends, i - 1) }
}

/// Where name `i` starts in the text.
fn name_start<A: Arrays>(a: &A, i: usize) -> Result<usize, A::Error> {
    start_of(a, Array::Ends, i)
}

/// Up to `len` bytes of the text from `start`, to the end of the name they
/// are in at most: all a comparison with a query of `len` bytes needs.
fn piece<A: Arrays>(a: &A, start: usize, len: usize) -> Result<Cow<'_, [u8]>, A::Error> {
    let end = start.saturating_add(len).min(a.text_len());
    let bytes = a.text(start.min(end), end)?;
    Ok(match bytes.iter().position(|&b| b == END) {
        None => bytes,
        Some(at) => match bytes {
            Cow::Borrowed(bytes) => Cow::Borrowed(&bytes[..at]),
            Cow::Owned(mut bytes) => {
                bytes.truncate(at);
                Cow::Owned(bytes)
            }
        },
    })
}

/// The nodes of names `first..last`, added to `out`: a read of where their
/// owners start and end, and one of the owners.
fn owners_of<A: Arrays>(
    a: &A,
    first: usize,
    last: usize,
    out: &mut Vec<u32>,
) -> Result<(), A::Error> {
    if first >= last {
        return Ok(());
    }
    let start = start_of(a, Array::OwnerEnds, first)?;
    let end = a.get(Array::OwnerEnds, last - 1)?;
    out.extend(numbers(&a.numbers(Array::Owners, start, end)?));
    Ok(())
}

/// The first position in `0..len` where `before` stops holding.
fn partition<E>(len: usize, before: impl Fn(usize) -> Result<bool, E>) -> Result<usize, E> {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        if before(middle)? {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    Ok(low)
}

/// The positions of the first and past the last of `count` entries whose
/// `len`-byte piece (from where `start` says) starts with `wanted`: two
/// binary searches over entries sorted by their text.
fn range<A: Arrays>(
    a: &A,
    count: usize,
    wanted: &[u8],
    start: impl Fn(usize) -> Result<usize, A::Error>,
) -> Result<(usize, usize), A::Error> {
    let first = partition(count, |i| {
        Ok(piece(a, start(i)?, wanted.len())?.as_ref() < wanted)
    })?;
    let after = partition(count - first, |i| {
        Ok(piece(a, start(first + i)?, wanted.len())?.as_ref() <= wanted)
    })?;
    Ok((first, first + after))
}

/// The nodes one of whose names in `a` matches `wanted` (normalised) the
/// way `how` says, ascending.
pub(crate) fn find_in<A: Arrays>(
    a: &A,
    how: Match,
    wanted: &str,
) -> Result<Vec<NodeIndex>, A::Error> {
    let wanted = wanted.as_bytes();
    let mut found: Vec<u32> = Vec::new();
    match how {
        Match::Exact => {
            let names = a.count(Array::Ends);
            let i = partition(names, |i| {
                Ok(piece(a, name_start(a, i)?, wanted.len())?.as_ref() < wanted)
            })?;
            // A longer name shows its next byte; only the name itself ends here.
            if i < names && piece(a, name_start(a, i)?, wanted.len() + 1)?.as_ref() == wanted {
                owners_of(a, i, i + 1, &mut found)?;
            }
        }
        Match::Prefix => {
            let (first, last) = range(a, a.count(Array::Ends), wanted, |i| name_start(a, i))?;
            owners_of(a, first, last, &mut found)?;
        }
        Match::Substring => {
            let (first, last) = range(a, a.count(Array::Suffixes), wanted, |k| {
                a.get(Array::Suffixes, k)
            })?;
            for entry in numbers(&a.numbers(Array::SuffixOwners, first, last)?) {
                if entry & SEVERAL == 0 {
                    found.push(entry);
                } else {
                    let name = (entry & !SEVERAL) as usize;
                    owners_of(a, name, name + 1, &mut found)?;
                }
            }
        }
    }
    Ok(ascending(found, a.nodes())
        .into_iter()
        .map(|n| NodeIndex::new(n as usize))
        .collect())
}

/// `found`, ascending and without repeats: sorted when they are few, else
/// marked in a set of `nodes` bits and read back in order.
fn ascending(mut found: Vec<u32>, nodes: usize) -> Vec<u32> {
    if found.windows(2).all(|w| w[0] < w[1]) {
        return found;
    }
    // A node past `nodes` (a damaged file) is kept, for the reader of its
    // record to refuse, so it takes the sort.
    if found.len() < nodes / 1024 || found.iter().any(|&n| n as usize >= nodes) {
        found.sort_unstable();
        found.dedup();
        return found;
    }
    let mut bits = vec![0u64; nodes.div_ceil(64)];
    for &n in &found {
        bits[n as usize / 64] |= 1 << (n % 64);
    }
    found.clear();
    for (word, &set) in bits.iter().enumerate() {
        let mut set = set;
        while set != 0 {
            found.push((word * 64) as u32 + set.trailing_zeros());
            set &= set - 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn brackets_match_whatever_their_width() {
        assert_eq!(normalise("上海理工（USST）"), normalise("上海理工(usst)"));
    }
}

//! Name resolution: turns what a user types (an id, an IRI, a Chinese or
//! English name, an alias, a unique prefix or substring, in any case) into one
//! entity, or says which candidates it could be or which names are nearest.

use crate::rdf;
use crate::view::View;
use petgraph::graph::NodeIndex;
use std::fmt;

/// A name that does not resolve to exactly one entity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// Several entities match.
    #[error("`{query}` is ambiguous; it could be:{}\nname one of them more fully (or by its id)", Listing(.candidates))]
    Ambiguous {
        /// What the user typed.
        query: String,
        /// `id  name_zh  name_en` of each candidate.
        candidates: Vec<String>,
    },
    /// No entity matches.
    #[error("no entity is named `{query}`{}", Suggestions(.suggestions))]
    Unknown {
        /// What the user typed.
        query: String,
        /// The nearest names.
        suggestions: Vec<String>,
    },
}

struct Listing<'a>(&'a [String]);

impl fmt::Display for Listing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for candidate in self.0 {
            write!(f, "\n  {candidate}")?;
        }
        Ok(())
    }
}

struct Suggestions<'a>(&'a [String]);

impl fmt::Display for Suggestions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return write!(f, "; `innograph entities` lists every entity");
        }
        write!(f, "; the nearest names are:")?;
        Listing(self.0).fmt(f)?;
        write!(f, "\n`innograph entities` lists every entity")
    }
}

/// Resolves `query` to one entity of `view`.
///
/// Tried in order, stopping at the first step that matches anything: exact
/// id, IRI, `prefix:id`, name or alias (ignoring case); then names that start
/// with it; then names that contain it. One match resolves; several are
/// ambiguous.
pub fn resolve(view: &View, query: &str) -> Result<NodeIndex, ResolveError> {
    let wanted = query.trim().to_lowercase();
    let nodes: Vec<NodeIndex> = view.graph.node_indices().collect();
    let names = |n: NodeIndex| {
        let node = view.node(n);
        [
            node.id.to_lowercase(),
            node.iri.to_lowercase(),
            rdf::compact(&node.iri).to_lowercase(),
            node.name_zh.to_lowercase(),
            node.name_en.to_lowercase(),
        ]
        .into_iter()
        .chain(node.aliases.iter().map(|a| a.to_lowercase()))
        .chain(node.search_aliases.iter().map(|a| a.to_lowercase()))
        .collect::<Vec<_>>()
    };
    let steps: [&dyn Fn(&str) -> bool; 3] = [
        &|name: &str| name == wanted,
        &|name: &str| name.starts_with(&wanted),
        &|name: &str| name.contains(&wanted),
    ];
    if !wanted.is_empty() {
        for matches in steps {
            let found: Vec<NodeIndex> = nodes
                .iter()
                .copied()
                .filter(|&n| names(n).iter().any(|name| matches(name)))
                .collect();
            match found.as_slice() {
                [] => continue,
                [one] => return Ok(*one),
                many => {
                    return Err(ResolveError::Ambiguous {
                        query: query.to_owned(),
                        candidates: many.iter().map(|&n| describe(view, n)).collect(),
                    });
                }
            }
        }
    }
    let mut scored: Vec<(usize, NodeIndex)> = nodes
        .iter()
        .map(|&n| {
            let best = names(n)
                .iter()
                .map(|name| distance(&wanted, name))
                .min()
                .unwrap_or(usize::MAX);
            (best, n)
        })
        .collect();
    scored.sort();
    let limit = wanted.chars().count().max(2);
    Err(ResolveError::Unknown {
        query: query.to_owned(),
        suggestions: scored
            .into_iter()
            .filter(|(d, _)| *d <= limit)
            .take(5)
            .map(|(_, n)| describe(view, n))
            .collect(),
    })
}

fn describe(view: &View, n: NodeIndex) -> String {
    let node = view.node(n);
    format!("{}  {}  {}", node.id, node.name_zh, node.name_en)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn levenshtein() {
        assert_eq!(distance("tongji", "tongji"), 0);
        assert_eq!(distance("tonji", "tongji"), 1);
        assert_eq!(distance("复旦", "复旦大学"), 2);
    }
}

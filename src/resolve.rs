//! Name resolution: turns what a user types (an id, an IRI, a Chinese or
//! English name, an alias, a unique prefix or substring, in any case) into one
//! entity, or says which candidates it could be or which names are nearest.

use crate::error::Error;
pub use crate::error::ResolveError;
use crate::index::names;
pub use crate::index::{Match, normalise};
use crate::rdf;
use crate::source::{GraphSource, Request, select};
use crate::view::{Node, View};
use oxigraph::model::{Literal, Term};
use petgraph::graph::NodeIndex;

/// Resolves `query` to one entity of `view`.
///
/// Tried in order, stopping at the first step that matches anything: exact
/// id, IRI, `prefix:id`, an IRI the entity is the same as (`wd:Q495015`, a
/// ROR URL), name or alias (ignoring case, and ASCII brackets matching
/// full-width ones); then names that start with it; then names that
/// contain it. One match resolves; several are ambiguous. Suggestions for
/// a name that matches nothing come nearest first. A view with a name
/// index ([`View::index`]) is searched in it; any other is scanned.
pub fn resolve(view: &View, query: &str) -> Result<NodeIndex, ResolveError> {
    bounded(query)?;
    resolve_in(view, query, &|_| true)
}

/// The longest name looked up, in characters: far above any entity's name,
/// and short enough that the search for the nearest names stays quick.
pub const MAX_NAME_CHARS: usize = 500;

/// Refuses a name longer than [`MAX_NAME_CHARS`] before it is compared
/// with every entity's names.
pub(crate) fn bounded(query: &str) -> Result<(), ResolveError> {
    let length = query.chars().count();
    if length > MAX_NAME_CHARS {
        return Err(ResolveError::TooLong {
            length,
            limit: MAX_NAME_CHARS,
        });
    }
    Ok(())
}

const BY_LABEL: &str = r#"
SELECT DISTINCT ?entity WHERE {
  { ?entity skos:prefLabel ?label } UNION { ?entity skos:altLabel ?label }
  FILTER(LCASE(STR(?label)) = LCASE(STR(?name)))
} LIMIT 2"#;

const BY_ID: &str = "SELECT ?entity WHERE { ?entity a ?kind } LIMIT 1";

/// The IRI of the entity whose id is `name`, when `name` is a well-formed
/// id and `source` holds an entity with it: one query that reads one
/// entity, on any source.
pub fn by_id(source: &dyn GraphSource, name: &str) -> Result<Option<String>, Error> {
    let name = name.trim();
    // Only a well-formed id makes an IRI (rdf.rs mints from checked slugs).
    let slug = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !slug {
        return Ok(None);
    }
    let id = rdf::entity(name);
    let found = select(
        source,
        &Request::new(BY_ID, "the id lookup").bind("entity", id.clone()),
        &["entity"],
    )?;
    Ok((!found.is_empty()).then(|| id.into_string()))
}

/// The IRI of the one entity whose id, name or alias is exactly `name`
/// (ignoring case), asked of `source` with two bounded queries, without
/// the view: what `query --param` tries before building it. `None` when no
/// entity, or more than one, has it; [`resolve`] then says which.
pub fn by_name(source: &dyn GraphSource, name: &str) -> Result<Option<String>, Error> {
    if let Some(iri) = by_id(source, name)? {
        return Ok(Some(iri));
    }
    let rows = select(
        source,
        &Request::new(BY_LABEL, "the name lookup").bind("name", Literal::from(name.trim())),
        &["entity"],
    )?;
    Ok(match rows.as_slice() {
        [row] => match &row[0] {
            Some(Term::NamedNode(entity)) => Some(entity.as_str().to_owned()),
            _ => None,
        },
        _ => None,
    })
}

/// Resolves `query` among the entities of one kind (`kind` a local name,
/// subkinds included): `platforms tongj` looks among universities only.
pub fn resolve_among(view: &View, query: &str, kind: &str) -> Result<NodeIndex, ResolveError> {
    bounded(query)?;
    if !view.graph.node_indices().any(|n| view.is_a(n, kind)) {
        return resolve(view, query);
    }
    match resolve_in(view, query, &|n| view.is_a(n, kind)) {
        Err(ResolveError::Unknown { query, suggestions }) => match resolve(view, &query) {
            Ok(other) => Err(ResolveError::NotOfKind {
                entity: describe(view, other),
                kind: view.kind_label(&view.node(other).kind, "en"),
                wanted: view.kind_label(kind, "en"),
                query,
                suggestions,
            }),
            Err(_) => Err(ResolveError::Unknown { query, suggestions }),
        },
        found => found,
    }
}

/// The nodes kept by `keep` one of whose names matches `wanted` the way
/// `how` says, ascending: from the view's name index, or by a scan.
pub fn matching(
    view: &View,
    how: Match,
    wanted: &str,
    keep: &dyn Fn(NodeIndex) -> bool,
) -> Vec<NodeIndex> {
    match view.index() {
        Some(index) => index
            .find(how, wanted)
            .into_iter()
            .filter(|&n| keep(n))
            .collect(),
        None => scan(view, how, wanted, keep),
    }
}

/// [`matching`] by a scan of every node, without the index.
pub fn scan(
    view: &View,
    how: Match,
    wanted: &str,
    keep: &dyn Fn(NodeIndex) -> bool,
) -> Vec<NodeIndex> {
    view.graph
        .node_indices()
        .filter(|&n| keep(n) && names(view, n).iter().any(|name| how.holds(name, wanted)))
        .collect()
}

fn resolve_in(
    view: &View,
    query: &str,
    keep: &dyn Fn(NodeIndex) -> bool,
) -> Result<NodeIndex, ResolveError> {
    let wanted = normalise(query);
    let found: Result<_, std::convert::Infallible> =
        steps(&wanted, |how| Ok(matching(view, how, &wanted, keep)));
    let Ok(found) = found;
    match found {
        Found::One(n) => return Ok(n),
        Found::Many(many) => {
            return Err(ResolveError::Ambiguous {
                query: query.to_owned(),
                candidates: many.iter().map(|&n| describe(view, n)).collect(),
            });
        }
        Found::Nothing => {}
    }
    // Nearest first: an entity one of whose names the query contains (`USST
    // university` holds `usst`) before one whose name is a few edits away.
    // Only a name that matches nothing comes here, so this scans.
    let mut scored: Vec<((bool, usize), NodeIndex)> = view
        .graph
        .node_indices()
        .filter(|&n| keep(n))
        .map(|n| {
            let names = names(view, n);
            let contained = names
                .iter()
                .any(|name| name.chars().count() >= 2 && wanted.contains(name.as_str()));
            let best = names
                .iter()
                .map(|name| distance(&wanted, name))
                .min()
                .unwrap_or(usize::MAX);
            ((!contained, best), n)
        })
        .collect();
    scored.sort();
    let limit = wanted.chars().count().max(2);
    Err(ResolveError::Unknown {
        query: query.to_owned(),
        suggestions: scored
            .into_iter()
            .filter(|((far, d), _)| !far || *d <= limit)
            .take(5)
            .map(|(_, n)| describe(view, n))
            .collect(),
    })
}

fn describe(view: &View, n: NodeIndex) -> String {
    describe_node(view.node(n))
}

/// How a candidate is shown in a message: id, Chinese and English names.
pub(crate) fn describe_node(node: &Node) -> String {
    format!("{}  {}  {}", node.id, node.name_zh, node.name_en)
}

/// What the steps of resolution found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// One entity: the name resolves.
    One(NodeIndex),
    /// Several at the first step that matched anything: ambiguous.
    Many(Vec<NodeIndex>),
    /// No step matched.
    Nothing,
}

/// The steps of resolution, in order, over any lookup of the names
/// (`wanted` normalised): exact, then prefix, then substring; the first
/// that matches anything decides. Shared by the view's index and the one
/// kept beside an on-disk store, so both resolve alike.
pub(crate) fn steps<E>(
    wanted: &str,
    mut matching: impl FnMut(Match) -> Result<Vec<NodeIndex>, E>,
) -> Result<Found, E> {
    if !wanted.is_empty() {
        for how in [Match::Exact, Match::Prefix, Match::Substring] {
            match matching(how)?.as_slice() {
                [] => continue,
                [one] => return Ok(Found::One(*one)),
                many => return Ok(Found::Many(many.to_vec())),
            }
        }
    }
    Ok(Found::Nothing)
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

//! Name resolution: turns what a user types (an id, an IRI, a Chinese or
//! English name, an alias, a unique prefix or substring, in any case) into one
//! entity, or says which candidates it could be or which names are nearest.

use crate::error::Error;
pub use crate::error::ResolveError;
use crate::rdf;
use crate::source::{GraphSource, Request, select};
use crate::view::View;
use oxigraph::model::{Literal, Term};
use petgraph::graph::NodeIndex;

/// Resolves `query` to one entity of `view`.
///
/// Tried in order, stopping at the first step that matches anything: exact
/// id, IRI, `prefix:id`, an IRI the entity is the same as (`wd:Q495015`, a
/// ROR URL), name or alias (ignoring case, and ASCII brackets matching
/// full-width ones); then names that start with it; then names that
/// contain it. One match resolves; several are ambiguous. Suggestions for
/// a name that matches nothing come nearest first.
pub fn resolve(view: &View, query: &str) -> Result<NodeIndex, ResolveError> {
    bounded(query)?;
    resolve_in(view, query, view.graph.node_indices().collect())
}

/// The longest name looked up, in characters: far above any entity's name,
/// and short enough that the search for the nearest names stays quick.
pub const MAX_NAME_CHARS: usize = 500;

/// Refuses a name longer than [`MAX_NAME_CHARS`] before it is compared
/// with every entity's names.
fn bounded(query: &str) -> Result<(), ResolveError> {
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

/// The IRI of the one entity whose id, name or alias is exactly `name`
/// (ignoring case), asked of `source` with two bounded queries, without
/// the view: what `query --param` tries before building it. `None` when no
/// entity, or more than one, has it; [`resolve`] then says which.
pub fn by_name(source: &dyn GraphSource, name: &str) -> Result<Option<String>, Error> {
    let name = name.trim();
    // Only a well-formed id makes an IRI (rdf.rs mints from checked slugs).
    let slug = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if slug {
        let id = rdf::entity(name);
        let found = select(
            source,
            &Request::new(BY_ID, "the id lookup").bind("entity", id.clone()),
            &["entity"],
        )?;
        if !found.is_empty() {
            return Ok(Some(id.into_string()));
        }
    }
    let rows = select(
        source,
        &Request::new(BY_LABEL, "the name lookup").bind("name", Literal::from(name)),
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
    let nodes: Vec<NodeIndex> = view
        .graph
        .node_indices()
        .filter(|&n| view.is_a(n, kind))
        .collect();
    if nodes.is_empty() {
        return resolve(view, query);
    }
    match resolve_in(view, query, nodes) {
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

/// How names compare: lower case, full-width brackets and spaces as ASCII ones.
fn normalise(name: &str) -> String {
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

fn resolve_in(view: &View, query: &str, nodes: Vec<NodeIndex>) -> Result<NodeIndex, ResolveError> {
    let wanted = normalise(query);
    let names = |n: NodeIndex| {
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
    // Nearest first: an entity one of whose names the query contains (`USST
    // university` holds `usst`) before one whose name is a few edits away.
    let mut scored: Vec<((bool, usize), NodeIndex)> = nodes
        .iter()
        .map(|&n| {
            let names = names(n);
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
    use super::{distance, normalise};

    #[test]
    fn brackets_match_whatever_their_width() {
        assert_eq!(normalise("上海理工（USST）"), normalise("上海理工(usst)"));
    }

    #[test]
    fn levenshtein() {
        assert_eq!(distance("tongji", "tongji"), 0);
        assert_eq!(distance("tonji", "tongji"), 1);
        assert_eq!(distance("复旦", "复旦大学"), 2);
    }
}

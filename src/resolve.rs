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
use oxigraph::model::{Literal, NamedNode, Term};
use petgraph::graph::NodeIndex;

/// Resolves `query` to one entity of `view`.
///
/// Tried in order, stopping at the first step that matches anything: the
/// entity's own id (in any case), IRI or `prefix:id`, looked up; then an
/// IRI the entity is the same as (`wd:Q495015`, a ROR URL), name or alias
/// (ignoring case, and ASCII brackets matching full-width ones); then
/// names that start with it; then names that contain it. One match
/// resolves; several are ambiguous. An id names its entity even where
/// another entity has a name equal to it, so it is looked up, not searched
/// for, locally and over an endpoint alike. Suggestions for
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
    if !is_id(name) {
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

/// Whether `text` can be an id: lower-case ASCII letters, digits and `-`.
fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The IRIs `query` can be as an entity's own name: the IRI of the id it
/// is (in any case), the IRI it is, or the `prefix:id` it writes out, each
/// looked up by the first step of resolution.
pub fn iris_of(query: &str) -> Vec<String> {
    let text = query.trim();
    let text = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(text);
    let mut iris = Vec::new();
    let id = text.to_lowercase();
    if is_id(&id) {
        iris.push(rdf::entity(&id).into_string());
    }
    // A project prefix is read as one, not as an IRI's scheme.
    let prefixed = text
        .split_once(':')
        .is_some_and(|(prefix, _)| rdf::namespace(prefix).is_some());
    let iri = if prefixed {
        rdf::expand(text)
    } else {
        Some(text.to_owned())
    };
    iris.extend(iri.and_then(|iri| NamedNode::new(iri).ok().map(NamedNode::into_string)));
    iris.dedup();
    iris
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
    let found: Result<_, std::convert::Infallible> = steps(
        query,
        |iri| Ok(view.node_by_iri(iri).filter(|&n| keep(n))),
        |how| Ok(matching(view, how, &wanted, keep)),
    );
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

/// The steps of resolution of `query`, in order: the entity each of its
/// [`iris_of`] names (`entity`, kept to the kind wanted), then any lookup
/// of the names (by `wanted`, the query normalised): exact, prefix,
/// substring; the first that matches anything decides. Shared by the
/// view, its index and the one kept beside an on-disk store, so all
/// resolve alike.
pub(crate) fn steps<E>(
    query: &str,
    mut entity: impl FnMut(&str) -> Result<Option<NodeIndex>, E>,
    mut matching: impl FnMut(Match) -> Result<Vec<NodeIndex>, E>,
) -> Result<Found, E> {
    let mut named: Vec<NodeIndex> = Vec::new();
    for iri in iris_of(query) {
        if let Some(n) = entity(&iri)?
            && !named.contains(&n)
        {
            named.push(n);
        }
    }
    match named.as_slice() {
        [] => {}
        [one] => return Ok(Found::One(*one)),
        many => return Ok(Found::Many(many.to_vec())),
    }
    let wanted = normalise(query);
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
    use super::{distance, iris_of};
    use crate::rdf::ID;

    #[test]
    fn an_id_an_iri_and_a_prefixed_id_are_the_iris_looked_up_first() {
        assert_eq!(iris_of(" Tongji "), [format!("{ID}tongji")]);
        assert_eq!(iris_of("id:tongji"), [format!("{ID}tongji")]);
        assert_eq!(
            iris_of("WD:Q495015"),
            ["http://www.wikidata.org/entity/Q495015"]
        );
        assert_eq!(
            iris_of("https://ror.org/013q1eq08"),
            ["https://ror.org/013q1eq08"]
        );
        assert_eq!(iris_of(&format!("<{ID}tongji>")), [format!("{ID}tongji")]);
        assert!(iris_of("同济大学").is_empty());
        assert!(iris_of("tongji university").is_empty());
        assert!(iris_of("id:").is_empty());
    }

    #[test]
    fn levenshtein() {
        assert_eq!(distance("tongji", "tongji"), 0);
        assert_eq!(distance("tonji", "tongji"), 1);
        assert_eq!(distance("复旦", "复旦大学"), 2);
    }
}

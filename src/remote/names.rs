//! Name resolution over an endpoint: bounded label queries, one step at a
//! time as [`crate::resolve`] takes them (exact name, id or IRI, in any
//! language tag and case, so that every exact match is found; then names
//! starting with what was typed; then names containing it), each asking for
//! at most [`CANDIDATES`] entities. The candidates of the first step that
//! finds any are fetched into a partial view and ranked there by
//! [`crate::resolve`] itself, so a name resolves over an endpoint as it does
//! locally. A name that matches nothing gets its suggestions from at most
//! 200 entities with a name sharing two characters in a row with it or
//! short enough to be near it, ranked as locally.

use super::Endpoint;
use super::walk::Partial;
use crate::error::{Error, ResolveError};
use crate::index::normalise;
use crate::rdf::{self, ID};
use crate::resolve::{resolve, resolve_among};
use crate::source::{Request, select};
use oxigraph::model::{Literal, NamedNode, Term};

/// The most candidates one step asks for.
pub const CANDIDATES: usize = 50;
/// The most entities asked for to suggest names from.
const SUGGESTIONS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Exact,
    Prefix,
    Contains,
}

impl Endpoint {
    /// Resolves what a user typed to the IRI of one entity of the
    /// endpoint's graph (of `kind`, a local name, subkinds included, when
    /// given), with the answers and messages of [`resolve`] and
    /// [`resolve_among`].
    pub fn resolve(&self, query: &str, kind: Option<&str>) -> Result<String, Error> {
        // A name too long to be one is refused before any query is sent.
        crate::resolve::bounded(query)?;
        let mut partial = Partial::new(self)?;
        let kind = kind.filter(|k| partial.schema().kinds.contains_key(*k));
        let of_kind = kind
            .map(|k| format!("{} ?entity a ?kind .", super::kinds_of(partial.schema(), k)))
            .unwrap_or_default();
        // An id or IRI of an entity is looked up first, as locally: one
        // query that reads the entities it names.
        let named = self.named(query, &of_kind)?;
        partial.describe(&named)?;
        if named.iter().any(|iri| partial.kind(iri).is_some()) {
            return pick(&partial, query, kind);
        }
        let wanted = normalise(query);
        let steps = [Step::Exact, Step::Prefix, Step::Contains];
        if !wanted.is_empty() {
            // Every exact match is asked for, whatever its language tag,
            // case or spaces, so that a name matching several entities is
            // ambiguous here as it is locally: no lookup by value can
            // list every literal that compares equal, so labels are
            // compared by the engine.
            for step in steps {
                let found = self.candidates(step, query, &wanted, &of_kind, CANDIDATES)?;
                partial.describe(&found)?;
                if found.iter().any(|iri| partial.kind(iri).is_some()) {
                    return pick(&partial, query, kind);
                }
            }
            // The entity of another kind it names, if any, for the message.
            if kind.is_some() {
                for step in steps {
                    let found = self.candidates(step, query, &wanted, "", CANDIDATES)?;
                    partial.describe(&found)?;
                    if found.iter().any(|iri| partial.kind(iri).is_some()) {
                        break;
                    }
                }
            }
        }
        let near = self.near(&wanted, &of_kind)?;
        partial.describe(&near)?;
        pick(&partial, query, kind)
    }

    /// The entities (restricted by the pattern `of_kind`, empty for any
    /// kind) that `query` names by their id or IRI
    /// ([`crate::resolve::iris_of`]).
    fn named(&self, query: &str, of_kind: &str) -> Result<Vec<String>, Error> {
        let iris = crate::resolve::iris_of(query);
        if iris.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<String> = iris.iter().map(|iri| format!("<{iri}>")).collect();
        let text = format!(
            "SELECT DISTINCT ?entity WHERE {{ VALUES ?entity {{ {} }} ?entity a ?any . {of_kind} }}",
            values.join(" ")
        );
        self.entities(&text, "the id lookup")
    }

    /// The entities (restricted by the pattern `of_kind`, empty for any
    /// kind) with a name matching `wanted` at `step`.
    fn candidates(
        &self,
        step: Step,
        query: &str,
        wanted: &str,
        of_kind: &str,
        limit: usize,
    ) -> Result<Vec<String>, Error> {
        let label = |name: &str| matches(name, step, &[wanted.to_owned()]);
        let iri = |name: &str| matches(name, step, &iri_forms(wanted));
        let by_iri = match step {
            // An id or IRI is looked up, not searched for.
            Step::Exact => {
                let mut forms = iri_forms(query.trim());
                forms.extend(iri_forms(wanted));
                let nodes: Vec<String> = forms
                    .iter()
                    .filter_map(|f| NamedNode::new(f.as_str()).ok())
                    .map(|n| n.to_string())
                    .collect();
                format!(
                    "{{ VALUES ?entity {{ {} }} ?entity a ?any }}",
                    nodes.join(" ")
                )
            }
            _ => format!(
                "{{ ?entity skos:prefLabel ?any FILTER({}) }}",
                iri("?entity")
            ),
        };
        let text = format!(
            r#"SELECT DISTINCT ?entity WHERE {{
  {{ {by_iri}
    UNION {{ ?entity skos:prefLabel ?name FILTER({label}) }}
    UNION {{ ?entity skos:altLabel ?name FILTER({label}) }}
    UNION {{ ?entity skos:hiddenLabel ?name FILTER({label}) }}
    UNION {{ ?entity schema:sameAs ?same FILTER(isIRI(?same) && {same}) }}
  }}
  {of_kind}
}} LIMIT {limit}"#,
            label = label("?name"),
            same = iri("?same"),
        );
        self.entities(&text, "the name lookup")
    }

    /// Entities (restricted by the pattern `of_kind`) with a name sharing two characters
    /// in a row with `wanted`, or short enough to be a few edits away, to
    /// suggest names from.
    fn near(&self, wanted: &str, of_kind: &str) -> Result<Vec<String>, Error> {
        let chars: Vec<char> = wanted.chars().collect();
        let mut pieces: Vec<String> = chars
            .windows(2)
            .map(|w| w.iter().collect::<String>())
            .filter(|p| !p.trim().is_empty())
            .collect();
        if chars.len() == 1 {
            pieces.push(chars[0].to_string());
        }
        pieces.sort();
        pieces.dedup();
        if pieces.is_empty() {
            return Ok(Vec::new());
        }
        let any = Literal::from(
            pieces
                .iter()
                .map(|p| pattern(p))
                .collect::<Vec<_>>()
                .join("|"),
        )
        .to_string();
        // A name further than this many edits is never suggested (as in
        // resolve.rs), and one that much longer is further.
        let short = chars.len() + chars.len().max(2);
        let text = format!(
            r#"SELECT DISTINCT ?entity WHERE {{
  {{ ?entity skos:prefLabel ?name }} UNION {{ ?entity skos:altLabel ?name }}
  UNION {{ ?entity skos:hiddenLabel ?name }}
  FILTER(REGEX(LCASE(STR(?name)), {any}) || STRLEN(STR(?name)) <= {short})
  {of_kind}
}} LIMIT {SUGGESTIONS}"#
        );
        self.entities(&text, "the suggestions query")
    }

    fn entities(&self, text: &str, origin: &str) -> Result<Vec<String>, Error> {
        Ok(select(self, &Request::new(text, origin), &["entity"])?
            .into_iter()
            .filter_map(|row| match &row[0] {
                Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect())
    }
}

/// Resolves among the entities fetched so far, as locally.
fn pick(partial: &Partial, query: &str, kind: Option<&str>) -> Result<String, Error> {
    let view = partial.view()?;
    let found = match kind {
        Some(kind) => resolve_among(&view, query, kind),
        None => resolve(&view, query),
    }?;
    let node = view.node(found);
    if let Some(wanted) = kind
        && !view.is_a(found, wanted)
    {
        // Among no entity of the kind, resolve_among takes any kind.
        return Err(ResolveError::NotOfKind {
            query: query.to_owned(),
            entity: format!("{}  {}  {}", node.id, node.name_zh, node.name_en),
            kind: view.kind_label(&node.kind, "en"),
            wanted: view.kind_label(wanted, "en"),
            suggestions: Vec::new(),
        }
        .into());
    }
    partial.remember(&node.iri)?;
    Ok(node.iri.clone())
}

/// A regular expression (XPath's, as SPARQL's `REGEX` reads it) matching
/// `name` (in lower case) as [`normalise`] compares names: brackets of
/// either width, and an ideographic space as a space. It is matched
/// against `LCASE` of a name, not with the `i` flag, with which Virtuoso
/// 7.2 matches no Chinese text.
fn pattern(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            '(' => out.push_str("[(（]"),
            ')' => out.push_str("[)）]"),
            '[' => out.push_str("[\\[［【〔]"),
            ']' => out.push_str("[\\]］】〕]"),
            ' ' => out.push_str("[ \u{3000}]"),
            '\\' | '.' | '+' | '*' | '?' | '{' | '}' | '|' | '^' | '$' | '-' => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

/// The IRIs `wanted` can name: an id, an IRI, a `prefix:name`.
fn iri_forms(wanted: &str) -> Vec<String> {
    let wanted = wanted.trim_start_matches('<').trim_end_matches('>');
    let mut forms = vec![format!("{ID}{wanted}"), wanted.to_owned()];
    forms.extend(rdf::expand(wanted));
    forms
}

/// The SPARQL expression that holds when `LCASE(STR(variable))` matches
/// one of `forms` (in lower case) at `step`: by string functions where
/// they compare as [`normalise`] does, else by `REGEX`.
fn matches(variable: &str, step: Step, forms: &[String]) -> String {
    let subject = format!("LCASE(STR({variable}))");
    let plain = forms.iter().all(|f| !f.contains(['(', ')', '[', ']', ' ']));
    if plain {
        let tests: Vec<String> = forms
            .iter()
            .map(|f| {
                let f = Literal::from(f.as_str()).to_string();
                match step {
                    Step::Exact => format!("{subject} = {f}"),
                    Step::Prefix => format!("STRSTARTS({subject}, {f})"),
                    Step::Contains => format!("CONTAINS({subject}, {f})"),
                }
            })
            .collect();
        if step == Step::Exact {
            // A name stored with spaces around it is equal once trimmed:
            // REGEX tells, on the few names that contain the form.
            let contains: Vec<String> = forms
                .iter()
                .map(|f| format!("CONTAINS({subject}, {})", Literal::from(f.as_str())))
                .collect();
            let any = forms
                .iter()
                .map(|f| pattern(f))
                .collect::<Vec<_>>()
                .join("|");
            let trimmed = Literal::from(format!("^\\s*({any})\\s*$"));
            return format!(
                "({} || (({}) && REGEX({subject}, {trimmed})))",
                tests.join(" || "),
                contains.join(" || ")
            );
        }
        return format!("({})", tests.join(" || "));
    }
    let any = forms
        .iter()
        .map(|f| pattern(f))
        .collect::<Vec<_>>()
        .join("|");
    let regex = match step {
        Step::Exact => format!("^\\s*({any})\\s*$"),
        Step::Prefix => format!("^\\s*({any})"),
        Step::Contains => any,
    };
    format!("REGEX({subject}, {})", Literal::from(regex))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_brackets_of_either_width_and_escape_the_rest() {
        assert_eq!(pattern("a(b)"), "a[(（]b[)）]");
        assert_eq!(pattern("a.b*"), "a\\.b\\*");
    }
}

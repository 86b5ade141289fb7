//! What an update changed: the quads it removed and the quads it added.
//! An evaluator process works an update out on its copy of the graph
//! (killed at the deadline like a query) and answers with the change, not
//! applying it; the server applies the change to its own store and records
//! it, and every evaluator applies the same change before its next request.
//! The change is replayed, not the update text, so that `NOW()`, `UUID()`
//! and blank nodes come out the same in every copy.
//!
//! The change is found without a copy of the graph: the digests of the
//! quads before the update are compared with those after it (16 bytes a
//! quad), and a second pass over the graph finds the quads that went.

use crate::rdf::PREFIXES;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::Quad;
use oxigraph::sparql::SparqlEvaluator;
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::HashSet;
use std::hash::{BuildHasher, Hash};

/// The quads an update removed and added, each as N-Quads (blank nodes
/// keep their labels).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Change {
    removed: String,
    added: String,
}

/// Why an update gave no change.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The update is not SPARQL UPDATE.
    Syntax(String),
    /// The change is larger than the limits.
    TooLarge(String),
    /// The engine or the store failed.
    Failed(String),
}

impl Refused {
    /// The HTTP status and message of the refusal.
    pub(crate) fn status_and_message(self) -> (u16, String) {
        match self {
            Refused::Syntax(message) => (400, message),
            Refused::TooLarge(message) => (413, message),
            Refused::Failed(message) => (500, message),
        }
    }
}

/// The limits of one change.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct Limits {
    /// The most quads removed and added together.
    pub(crate) quads: usize,
    /// The most bytes of the change, as N-Quads.
    pub(crate) bytes: usize,
}

impl Change {
    /// The change that the update `text` makes to `store`, worked out in a
    /// transaction that is then rolled back: `store` is left as it was.
    pub(crate) fn of_update(store: &Store, text: &str, limits: Limits) -> Result<Change, Refused> {
        let failed = |e: &dyn std::fmt::Display| Refused::Failed(format!("the update failed: {e}"));
        let evaluator = PREFIXES
            .iter()
            .try_fold(SparqlEvaluator::new(), |e, (p, ns)| e.with_prefix(*p, *ns))
            .map_err(|e| failed(&e))?;
        let prepared = evaluator
            .parse_update(text)
            .map_err(|e| Refused::Syntax(format!("SPARQL syntax error: {e}")))?;
        let digest = Digest::new();
        let mut before = HashSet::new();
        for quad in store.iter() {
            before.insert(digest.of(&quad.map_err(|e| failed(&e))?));
        }
        let mut transaction = store.start_transaction().map_err(|e| failed(&e))?;
        prepared
            .on_transaction(&mut transaction)
            .execute()
            .map_err(|e| failed(&e))?;
        // The quads added, kept up to the limit and counted beyond it.
        let (mut added, mut adds) = (Vec::new(), 0_usize);
        for quad in transaction.iter() {
            let quad = quad.map_err(|e| failed(&e))?;
            if !before.remove(&digest.of(&quad)) {
                adds += 1;
                if adds <= limits.quads {
                    added.push(quad);
                }
            }
        }
        // Rolled back: the change is applied when it is replayed.
        drop(transaction);
        // What is left of `before` are the digests of the quads removed.
        let count = before.len() + adds;
        if count > limits.quads {
            return Err(Refused::TooLarge(format!(
                "the update would change {count} quads, more than this server's limit of {} (--max-rows): change less at a time, or start the server with a higher --max-rows",
                limits.quads
            )));
        }
        let mut removed = Vec::with_capacity(before.len());
        if !before.is_empty() {
            for quad in store.iter() {
                let quad = quad.map_err(|e| failed(&e))?;
                if before.contains(&digest.of(&quad)) {
                    removed.push(quad);
                }
            }
        }
        let change = Change {
            removed: nquads(&removed).map_err(|e| failed(&e))?,
            added: nquads(&added).map_err(|e| failed(&e))?,
        };
        let size = change.removed.len() + change.added.len();
        if size > limits.bytes {
            return Err(Refused::TooLarge(format!(
                "the update's change is {size} bytes as N-Quads, more than this server's limit of {} (--max-answer-bytes): change less at a time, or start the server with a higher --max-answer-bytes",
                limits.bytes
            )));
        }
        Ok(change)
    }

    /// Whether the update changed nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.added.is_empty()
    }

    /// Applies the change to `store` in one transaction.
    pub(crate) fn apply(&self, store: &Store) -> Result<(), String> {
        let removed = quads(&self.removed)?;
        let added = quads(&self.added)?;
        let mut transaction = store.start_transaction().map_err(|e| e.to_string())?;
        for quad in &removed {
            transaction.remove(quad);
        }
        for quad in &added {
            transaction.insert(quad);
        }
        transaction.commit().map_err(|e| e.to_string())
    }
}

/// A 128-bit digest of quads, keyed anew in each process, so that two
/// quads that share one cannot be made on purpose (and by chance, one
/// pair in about 2^64 pairs).
struct Digest(SipHasher13);

impl Digest {
    fn new() -> Digest {
        // Random keys, from the standard library's per-process random state.
        let random = std::collections::hash_map::RandomState::new();
        Digest(SipHasher13::new_with_keys(
            random.hash_one(0_u8),
            random.hash_one(1_u8),
        ))
    }

    fn of(&self, quad: &Quad) -> u128 {
        let mut hasher = self.0;
        quad.hash(&mut hasher);
        hasher.finish128().as_u128()
    }
}

/// `quads` as N-Quads.
fn nquads(quads: &[Quad]) -> Result<String, std::io::Error> {
    let mut writer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(Vec::new());
    for quad in quads {
        writer.serialize_quad(quad)?;
    }
    String::from_utf8(writer.finish()?).map_err(std::io::Error::other)
}

/// The quads of N-Quads text, blank nodes with their labels.
fn quads(text: &str) -> Result<Vec<Quad>, String> {
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("a change that cannot be read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::sparql::QueryResults;

    const LIMITS: Limits = Limits {
        quads: 1000,
        bytes: 1 << 20,
    };

    fn dump(store: &Store) -> Vec<String> {
        let mut quads: Vec<String> = store.iter().map(|q| q.unwrap().to_string()).collect();
        quads.sort();
        quads
    }

    #[test]
    fn a_replayed_change_gives_the_same_graph_blank_nodes_and_now_included() {
        let (one, two) = (Store::new().unwrap(), Store::new().unwrap());
        let text = "INSERT DATA { <http://e/a> <http://e/p> _:b . _:b <http://e/q> 1 } ; \
                    INSERT { <http://e/a> <http://e/at> ?now } WHERE { BIND(NOW() AS ?now) }";
        let change = Change::of_update(&one, text, LIMITS).unwrap();
        assert!(dump(&one).is_empty(), "worked out, not applied");
        change.apply(&one).unwrap();
        change.apply(&two).unwrap();
        assert_eq!(dump(&one).len(), 3);
        assert_eq!(dump(&one), dump(&two));
        let delete =
            Change::of_update(&two, "DELETE WHERE { ?s <http://e/q> ?o }", LIMITS).unwrap();
        delete.apply(&one).unwrap();
        delete.apply(&two).unwrap();
        assert_eq!(dump(&one).len(), 2);
        assert_eq!(dump(&one), dump(&two));
        let Ok(QueryResults::Boolean(linked)) = SparqlEvaluator::new()
            .parse_query("ASK { <http://e/a> <http://e/p> ?b . FILTER(isBlank(?b)) }")
            .unwrap()
            .on_store(&two)
            .execute()
        else {
            panic!("an ASK answers a boolean");
        };
        assert!(linked);
    }

    #[test]
    fn the_change_holds_exactly_the_quads_removed_and_added_in_a_larger_graph() {
        let store = Store::new().unwrap();
        let fill = "INSERT { ?s <http://e/p> ?o } WHERE { VALUES ?s { <http://e/a> <http://e/b> <http://e/c> <http://e/d> } VALUES ?o { 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 } }";
        Change::of_update(&store, fill, LIMITS)
            .unwrap()
            .apply(&store)
            .unwrap();
        assert_eq!(dump(&store).len(), 80);
        let text = "DELETE { <http://e/b> <http://e/p> ?o } INSERT { <http://e/b> <http://e/q> ?o } WHERE { <http://e/b> <http://e/p> ?o FILTER(?o < 3) }";
        let change = Change::of_update(&store, text, LIMITS).unwrap();
        let sorted = |text: &str| {
            let mut lines: Vec<&str> = text.lines().collect();
            lines.sort_unstable();
            lines.join("\n")
        };
        let quad = |p: &str, o: u8| {
            format!(
                "<http://e/b> <http://e/{p}> \"{o}\"^^<http://www.w3.org/2001/XMLSchema#integer> ."
            )
        };
        let expected = |p| (0..3).map(|o| quad(p, o)).collect::<Vec<_>>().join("\n");
        assert_eq!(sorted(&change.removed), expected("p"));
        assert_eq!(sorted(&change.added), expected("q"));
        change.apply(&store).unwrap();
        assert_eq!(dump(&store).len(), 80);
        // A quad put back as it was is no change.
        let same = "DELETE DATA { <http://e/a> <http://e/p> 1 } ; INSERT DATA { <http://e/a> <http://e/p> 1 }";
        assert!(Change::of_update(&store, same, LIMITS).unwrap().is_empty());
    }

    #[test]
    fn a_change_over_the_limit_is_refused_and_changes_nothing() {
        let store = Store::new().unwrap();
        let text = "INSERT { ?s <http://e/p> ?o } WHERE { VALUES ?s { <http://e/a> <http://e/b> } VALUES ?o { 1 2 3 } }";
        let limits = Limits {
            quads: 5,
            bytes: 1 << 20,
        };
        let Err(Refused::TooLarge(message)) = Change::of_update(&store, text, limits) else {
            panic!("six quads are more than five");
        };
        assert!(
            message.contains("change 6 quads") && message.contains("--max-rows"),
            "{message}"
        );
        assert!(dump(&store).is_empty());
        let limits = Limits {
            quads: 10,
            bytes: 100,
        };
        let Err(Refused::TooLarge(message)) = Change::of_update(&store, text, limits) else {
            panic!("six quads are more than 100 bytes");
        };
        assert!(message.contains("--max-answer-bytes"), "{message}");
        assert!(matches!(
            Change::of_update(&store, "INSERT DATA {", LIMITS),
            Err(Refused::Syntax(_))
        ));
    }
}

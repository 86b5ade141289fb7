//! The petgraph view and the RDF store hold the same facts, and the
//! `platforms` answer from the view agrees with the named SPARQL query.

use innograph::dataset::Files;
use innograph::links;
use innograph::source::{GraphSource, Request, StoreSource, select};
use innograph::view::{Status, View};
use oxigraph::model::Term;
use std::collections::BTreeSet;

fn iri(term: &Option<Term>) -> String {
    match term {
        Some(Term::NamedNode(n)) => n.as_str().to_owned(),
        other => panic!("expected an IRI, got {other:?}"),
    }
}

fn bundled() -> (StoreSource, View) {
    let source = StoreSource::load(&Files::Bundled).expect("the bundled data loads");
    let view = View::build(&source).expect("the view builds");
    (source, view)
}

#[test]
fn store_and_view_hold_exactly_the_same_relations() {
    let (source, view) = bundled();
    let in_view: BTreeSet<(String, String, String, Status)> = view
        .graph
        .edge_indices()
        .map(|e| {
            let (s, o) = view.graph.edge_endpoints(e).unwrap();
            let edge = view.edge(e);
            (
                view.node(s).iri.clone(),
                format!("{}{}", innograph::rdf::ONTOLOGY, edge.predicate),
                view.node(o).iri.clone(),
                edge.status,
            )
        })
        .collect();
    let statements = select(
        &source,
        &Request::new(
            "SELECT ?s ?p ?o ?status WHERE { ?st a ig:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ig:status ?status }",
            "test",
        ),
        &["s", "p", "o", "status"],
    )
    .unwrap();
    let in_store: BTreeSet<(String, String, String, Status)> = statements
        .iter()
        .map(|r| {
            let status = if iri(&r[3]).ends_with("#Inferred") {
                Status::Inferred
            } else {
                Status::Stated
            };
            (iri(&r[0]), iri(&r[1]), iri(&r[2]), status)
        })
        .collect();
    assert!(!in_view.is_empty());
    assert_eq!(
        in_view.len(),
        view.graph.edge_count(),
        "no relation twice in the view"
    );
    assert_eq!(in_view, in_store);

    // Direct triples between entities are exactly the stated relations.
    let direct = select(
        &source,
        &Request::new(
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o . ?s a ?k . ?o a ?l . ?p a owl:ObjectProperty . FILTER(STRSTARTS(STR(?p), STR(ig:)) && ?p NOT IN (ig:status, ig:about, ig:qualifier, ig:modality, ig:measures, ig:anchor)) FILTER NOT EXISTS { ?s a ig:Statement } FILTER NOT EXISTS { ?s a ig:Figure } }",
            "test",
        ),
        &["s", "p", "o"],
    )
    .unwrap();
    let direct: BTreeSet<(String, String, String)> = direct
        .iter()
        .map(|r| (iri(&r[0]), iri(&r[1]), iri(&r[2])))
        .collect();
    // A stated relation is asserted with its predicate and with every
    // predicate the ontology declares that one a sub-property of.
    let stated: BTreeSet<(String, String, String)> = in_store
        .iter()
        .filter(|r| r.3 == Status::Stated)
        .flat_map(|r| {
            let local = r.1.trim_start_matches(innograph::rdf::ONTOLOGY);
            let broader = view.schema.predicates[local].broader.clone();
            std::iter::once(r.1.clone())
                .chain(
                    broader
                        .into_iter()
                        .map(|b| format!("{}{b}", innograph::rdf::ONTOLOGY)),
                )
                .map(|p| (r.0.clone(), p, r.2.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        stated.len() > in_store.iter().filter(|r| r.3 == Status::Stated).count(),
        "some stated relation has a finer predicate than its coarse one"
    );
    assert_eq!(
        direct, stated,
        "inferred relations are never asserted directly"
    );
}

#[test]
fn view_and_sparql_agree_on_every_universitys_platforms() {
    let (source, view) = bundled();
    let universities: Vec<_> = view
        .graph
        .node_indices()
        .filter(|&n| view.is_a(n, "University"))
        .collect();
    assert!(
        universities.len() >= 3,
        "the letter names three universities"
    );
    let mut linked = 0;
    for university in universities {
        let iri = view.node(university).iri.clone();
        let by_view = links::platforms_by_view(&view, university);
        let by_sparql = links::platforms_by_sparql(&source, &iri).unwrap();
        assert_eq!(by_view, by_sparql, "platforms of {iri}");
        linked += usize::from(!by_view.is_empty());
    }
    assert!(linked >= 3, "each named university has platforms");
}

#[test]
fn deeper_traversal_never_passes_through_a_hub() {
    let (_, view) = bundled();
    for start in view.graph.node_indices() {
        for path in links::reach(&view, start, 3, false).values() {
            for hop in &path[..path.len() - 1] {
                assert!(
                    !view.is_hub(hop.to),
                    "a path from {} passes through hub {}",
                    view.node(start).id,
                    view.node(hop.to).id
                );
            }
        }
    }
}

#[test]
fn the_view_is_the_same_every_time() {
    let (_, a) = bundled();
    let (_, b) = bundled();
    let nodes = |v: &View| v.graph.node_weights().cloned().collect::<Vec<_>>();
    let edges = |v: &View| v.graph.edge_weights().cloned().collect::<Vec<_>>();
    assert_eq!(nodes(&a), nodes(&b));
    assert_eq!(edges(&a), edges(&b));
}

#[test]
fn the_source_triples_are_the_store() {
    let (source, _) = bundled();
    let n = source.triples().unwrap().len();
    assert_eq!(n, source.store().len().unwrap());
}

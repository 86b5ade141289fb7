//! The RDF mapping: the namespaces, and the one place that turns checked rows
//! into triples and mints IRIs.
//!
//! An entity `x` becomes `id:x`, typed with its kind `ig:Kind`, named with
//! `skos:prefLabel`/`skos:altLabel`, carrying its evidence. A relation becomes
//! a node `st:s--p--o` of class `ig:Statement` (RDF reification) with its
//! evidence; a *stated* relation is also asserted as the direct triple
//! `id:s ig:p id:o`, an *inferred* one only as the statement node, so that a
//! query over direct triples never mixes inferred facts with stated ones.
//! A figure becomes a node `fig:x` of class `ig:Figure`.

use crate::dataset::{Dataset, Evidence};
use crate::error::{Error, Location};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

/// The project ontology.
pub const ONTOLOGY: &str = "https://example.org/innograph/ontology#";
/// Entities.
pub const ID: &str = "https://example.org/innograph/id/";
/// Relation statements.
pub const STATEMENT: &str = "https://example.org/innograph/statement/";
/// Figures.
pub const FIGURE: &str = "https://example.org/innograph/figure/";
/// SKOS.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// schema.org.
pub const SCHEMA: &str = "https://schema.org/";
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// Dublin Core terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// Wikidata entities.
pub const WIKIDATA: &str = "http://www.wikidata.org/entity/";

/// The prefixes predeclared in queries and used in RDF output, sorted by name.
pub const PREFIXES: &[(&str, &str)] = &[
    ("dcterms", DCTERMS),
    ("fig", FIGURE),
    ("id", ID),
    ("ig", ONTOLOGY),
    ("oa", "http://www.w3.org/ns/oa#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("prov", PROV),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("schema", SCHEMA),
    ("skos", SKOS),
    ("st", STATEMENT),
    ("wd", WIKIDATA),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

fn iri(text: String) -> NamedNode {
    // Every IRI minted here is a fixed namespace followed by a checked slug.
    NamedNode::new_unchecked(text)
}

/// The IRI of entity `id`.
pub fn entity(id: &str) -> NamedNode {
    iri(format!("{ID}{id}"))
}

/// The IRI of ontology term `local` (a kind, a predicate or a core term).
pub fn term(local: &str) -> NamedNode {
    iri(format!("{ONTOLOGY}{local}"))
}

/// The IRI of the statement node for `subject predicate object`.
pub fn statement(subject: &str, predicate: &str, object: &str) -> NamedNode {
    iri(format!("{STATEMENT}{subject}--{predicate}--{object}"))
}

/// The IRI of figure `id`.
pub fn figure(id: &str) -> NamedNode {
    iri(format!("{FIGURE}{id}"))
}

fn vocab(ns: &str, local: &str) -> NamedNode {
    iri(format!("{ns}{local}"))
}

/// `iri` without `namespace`, when it starts with it.
pub fn local_name<'a>(iri: &'a str, namespace: &str) -> Option<&'a str> {
    iri.strip_prefix(namespace)
}

/// The shortest `prefix:local` form of `iri`, or `<iri>` when no prefix fits.
pub fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter_map(|(prefix, ns)| {
            let local = iri.strip_prefix(ns)?;
            let plain = !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && !local.starts_with('-');
            plain.then(|| format!("{prefix}:{local}"))
        })
        .min_by_key(String::len)
        .unwrap_or_else(|| format!("<{iri}>"))
}

/// The triples of the ontology file.
pub fn ontology_triples(path: &str, turtle: &str) -> Result<Vec<Triple>, Error> {
    let mut triples = Vec::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
        let quad = quad.map_err(|e| {
            let (line, column) = e
                .location()
                .map_or((1, 1), |l| (l.start.line + 1, l.start.column + 1));
            Error::Syntax {
                location: Location {
                    file: path.to_owned(),
                    line,
                    column,
                },
                message: format!("invalid Turtle: {e}"),
            }
        })?;
        triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
    }
    Ok(triples)
}

/// All triples of a checked dataset: the ontology, the source texts, the
/// entities, the relations (direct and as statements) and the figures.
pub fn triples(dataset: &Dataset) -> Result<Vec<Triple>, Error> {
    let (path, turtle) = &dataset.ontology;
    let mut out = ontology_triples(path, turtle)?;
    let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
        out.push(Triple::new(NamedOrBlankNode::from(s.clone()), p, o));
    };
    let pref_label = vocab(SKOS, "prefLabel");
    let alt_label = vocab(SKOS, "altLabel");
    for (id, (_, text)) in &dataset.texts {
        add(
            &entity(id),
            term("text"),
            Literal::from(text.as_str()).into(),
        );
    }
    for row in &dataset.entities.rows {
        let e = &row.value;
        let node = entity(&e.id);
        add(&node, rdf::TYPE.into_owned(), term(&e.kind).into());
        add(&node, pref_label.clone(), lang(&e.name_zh, "zh"));
        add(&node, pref_label.clone(), lang(&e.name_en, "en"));
        for alias in aliases(&e.aliases) {
            add(&node, alt_label.clone(), lang(alias, alias_language(alias)));
        }
        if !e.wikidata.is_empty() {
            add(
                &node,
                vocab(SCHEMA, "sameAs"),
                vocab(WIKIDATA, &e.wikidata).into(),
            );
        }
        if !e.ror.is_empty() {
            add(&node, vocab(SCHEMA, "sameAs"), iri(e.ror.clone()).into());
        }
        if !e.identifier.is_empty() {
            add(
                &node,
                vocab(SCHEMA, "identifier"),
                Literal::from(e.identifier.as_str()).into(),
            );
        }
        if !e.date.is_empty() {
            add(
                &node,
                vocab(DCTERMS, "date"),
                Literal::new_typed_literal(e.date.as_str(), xsd::DATE).into(),
            );
        }
        evidence(dataset, &e.evidence, &node, &mut add);
    }
    for row in &dataset.relations.rows {
        let r = &row.value;
        let (s, p, o) = (entity(&r.subject), term(&r.predicate), entity(&r.object));
        if r.evidence.status == "stated" {
            add(&s, p.clone(), o.clone().into());
        }
        let node = statement(&r.subject, &r.predicate, &r.object);
        add(&node, rdf::TYPE.into_owned(), term("Statement").into());
        add(&node, rdf::SUBJECT.into_owned(), s.into());
        add(&node, rdf::PREDICATE.into_owned(), p.into());
        add(&node, rdf::OBJECT.into_owned(), o.into());
        evidence(dataset, &r.evidence, &node, &mut add);
    }
    for row in &dataset.figures.rows {
        let f = &row.value;
        let node = figure(&f.id);
        add(&node, rdf::TYPE.into_owned(), term("Figure").into());
        add(&node, term("about"), entity(&f.subject).into());
        add(&node, term("indicator"), lang(&f.indicator_zh, "zh"));
        add(&node, term("indicator"), lang(&f.indicator_en, "en"));
        add(
            &node,
            vocab(SCHEMA, "value"),
            Literal::new_typed_literal(f.value.as_str(), xsd::DECIMAL).into(),
        );
        add(&node, term("unit"), Literal::from(f.unit.as_str()).into());
        if f.unit == "CNY" {
            add(
                &node,
                vocab(SCHEMA, "currency"),
                Literal::from("CNY").into(),
            );
        }
        add(
            &node,
            term("asWritten"),
            Literal::from(f.as_written.as_str()).into(),
        );
        add(
            &node,
            term("qualifier"),
            term(qualifier_term(&f.qualifier)).into(),
        );
        add(
            &node,
            term("cumulative"),
            Literal::from(f.cumulative == "true").into(),
        );
        if !f.period.is_empty() {
            add(
                &node,
                term("period"),
                Literal::from(f.period.as_str()).into(),
            );
        }
        evidence(dataset, &f.evidence, &node, &mut add);
    }
    Ok(out)
}

/// The ontology term for a qualifier of `figures.csv` (`more-than` → `MoreThan`).
pub fn qualifier_term(qualifier: &str) -> &'static str {
    match qualifier {
        "more-than" => "MoreThan",
        "at-least" => "AtLeast",
        "about" => "About",
        _ => "Exact",
    }
}

/// The aliases of an `aliases` cell.
pub fn aliases(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|a| !a.is_empty())
}

fn alias_language(alias: &str) -> &'static str {
    if alias.is_ascii() { "en" } else { "zh" }
}

fn lang(text: &str, language: &str) -> Term {
    Literal::new_language_tagged_literal_unchecked(text, language).into()
}

fn evidence(
    dataset: &Dataset,
    evidence: &Evidence,
    node: &NamedNode,
    add: &mut impl FnMut(&NamedNode, NamedNode, Term),
) {
    if let Some(source) = dataset.source_of(evidence) {
        add(node, vocab(PROV, "wasDerivedFrom"), entity(source).into());
    }
    add(
        node,
        term("section"),
        Literal::from(evidence.section.as_str()).into(),
    );
    add(
        node,
        term("quote"),
        Literal::from(evidence.quote.as_str()).into(),
    );
    let status = if evidence.status == "inferred" {
        "Inferred"
    } else {
        "Stated"
    };
    add(node, term("status"), term(status).into());
    if !evidence.reason.is_empty() {
        add(node, term("reason"), lang(&evidence.reason, "en"));
    }
    if !evidence.note.is_empty() {
        add(node, term("note"), lang(&evidence.note, "en"));
    }
}

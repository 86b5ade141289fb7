//! The RDF mapping: the namespaces, and the one place that turns checked rows
//! into triples and mints IRIs.
//!
//! An entity `x` becomes `id:x`, typed with its kind `ig:Kind`, named with
//! `skos:prefLabel`/`skos:altLabel`, carrying its evidence. A relation becomes
//! a node `st:s--p--o` of class `ig:Statement` (RDF reification) with its
//! evidence; a *stated* relation is also asserted as the direct triple
//! `id:s ig:p id:o`, an *inferred* one only as the statement node, so that a
//! query over direct triples never mixes inferred facts with stated ones.
//! A stated relation whose predicate the ontology declares a sub-property
//! of other `ig:` predicates (`builds` of `supports`) is asserted directly
//! with each of them too, so that a query for the coarse predicate over
//! direct triples finds the finer ones without a reasoner. Each statement
//! carries its modality (`ig:Achieved` or `ig:Planned`) and its dates.
//! A figure becomes a node `fig:x` of class `ig:Figure`.
//!
//! Dates are typed by their form: a year `2016` is an `xsd:gYear`, a full
//! date `2023-03-24` an `xsd:date`.
//! Every node that carries evidence (entity, statement, figure) is also
//! anchored in its source with the W3C Web Annotation model: `ig:anchor` an
//! `oa:SpecificResource` whose `oa:hasSource` is the source document and
//! whose selectors are an `oa:TextPositionSelector` (code points into the
//! source's `ig:text`) and an `oa:TextQuoteSelector` (the exact text with
//! its prefix and suffix). An anchor's IRI is its node's with `anchor/` in
//! front of the path (`…/anchor/id/fudan`), its selectors' that IRI with
//! `/position` and `/quote`: no blank nodes, the same IRIs every time.

use crate::anchor::{self, Letter};
use crate::dataset::{Dataset, EntityRow, Evidence, FigureRow, RelationRow};
use crate::error::{Error, Location};
use crate::validate::{DateType, date_type};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Everything innograph mints lives under this.
const BASE: &str = "https://example.org/innograph/";
/// The project ontology.
pub const ONTOLOGY: &str = "https://example.org/innograph/ontology#";
/// Entities.
pub const ID: &str = "https://example.org/innograph/id/";
/// Relation statements.
pub const STATEMENT: &str = "https://example.org/innograph/statement/";
/// Figures.
pub const FIGURE: &str = "https://example.org/innograph/figure/";
/// Anchors of evidence in its source, and their selectors.
pub const ANCHOR: &str = "https://example.org/innograph/anchor/";
/// The W3C Web Annotation vocabulary.
pub const OA: &str = "http://www.w3.org/ns/oa#";
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
    ("oa", OA),
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

/// The namespace of `prefix` when it is one of the project [`PREFIXES`]
/// (in any case).
pub fn namespace(prefix: &str) -> Option<&'static str> {
    PREFIXES
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(prefix))
        .map(|(_, ns)| *ns)
}

/// `prefix:local` with one of the project [`PREFIXES`] (in any case)
/// written out as an IRI.
pub fn expand(text: &str) -> Option<String> {
    let (prefix, local) = text.split_once(':')?;
    let ns = namespace(prefix)?;
    (!local.is_empty() && !local.starts_with("//")).then(|| format!("{ns}{local}"))
}

/// The IRI of ontology term `local` (a kind, a predicate or a core term).
pub fn term(local: &str) -> NamedNode {
    iri(format!("{ONTOLOGY}{local}"))
}

/// `prov:wasDerivedFrom`, which links a fact to the document stating it.
pub fn derived_from() -> NamedNode {
    vocab(PROV, "wasDerivedFrom")
}

/// The IRI of the statement node for `subject predicate object`.
pub fn statement(subject: &str, predicate: &str, object: &str) -> NamedNode {
    iri(format!("{STATEMENT}{subject}--{predicate}--{object}"))
}

/// The IRI of figure `id`.
pub fn figure(id: &str) -> NamedNode {
    iri(format!("{FIGURE}{id}"))
}

/// The IRI of the anchor of the evidence on `node` (an entity, statement
/// or figure IRI).
pub fn anchor(node: &NamedNode) -> NamedNode {
    let path = node.as_str().strip_prefix(BASE).unwrap_or(node.as_str());
    iri(format!("{ANCHOR}{path}"))
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
    Ok(stream(dataset)?.collect())
}

/// The same triples as [`triples`], in the same order, made one row at a
/// time, so that a large dataset streams into a store without a second copy
/// of its triples in memory.
pub fn stream(dataset: &Dataset) -> Result<impl Iterator<Item = Triple> + '_, Error> {
    let (path, turtle) = &dataset.ontology;
    let ontology = ontology_triples(path, turtle)?;
    let mut terms = Terms::new();
    terms.broader = Arc::new(super_properties(&ontology));
    let letters: Letters = Arc::new(
        dataset
            .texts
            .iter()
            .map(|(id, (_, text))| (id.clone(), Letter::new(text)))
            .collect(),
    );
    let texts = dataset
        .texts
        .iter()
        .map(|(id, (_, text))| Triple::new(entity(id), term("text"), Literal::from(text.as_str())));
    let entities = dataset.entities.rows.iter().flat_map({
        let (terms, letters) = (terms.clone(), letters.clone());
        move |row| rows(|add| entity_triples(dataset, &terms, &letters, &row.value, add))
    });
    let relations = dataset.relations.rows.iter().flat_map({
        let (terms, letters) = (terms.clone(), letters.clone());
        move |row| rows(|add| relation_triples(dataset, &terms, &letters, &row.value, add))
    });
    let figures = dataset.figures.rows.iter().flat_map(move |row| {
        rows(|add| figure_triples(dataset, &terms, &letters, &row.value, add))
    });
    Ok(ontology
        .into_iter()
        .chain(texts)
        .chain(entities)
        .chain(relations)
        .chain(figures))
}

/// For each `ig:` predicate, every `ig:` predicate it is (transitively) an
/// `rdfs:subPropertyOf`, by local name, in name order.
pub fn super_properties(ontology: &[Triple]) -> BTreeMap<String, Vec<String>> {
    let mut direct: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in ontology {
        if t.predicate != rdfs::SUB_PROPERTY_OF {
            continue;
        }
        let (NamedOrBlankNode::NamedNode(sub), Term::NamedNode(sup)) = (&t.subject, &t.object)
        else {
            continue;
        };
        if let (Some(sub), Some(sup)) = (
            local_name(sub.as_str(), ONTOLOGY),
            local_name(sup.as_str(), ONTOLOGY),
        ) {
            direct
                .entry(sub.to_owned())
                .or_default()
                .insert(sup.to_owned());
        }
    }
    let mut closure = BTreeMap::new();
    for start in direct.keys() {
        let mut found = BTreeSet::new();
        let mut todo: Vec<&String> = direct[start].iter().collect();
        while let Some(next) = todo.pop() {
            // A cycle in a hand-written ontology must not loop forever.
            if next != start && found.insert(next.clone()) {
                todo.extend(direct.get(next).into_iter().flatten());
            }
        }
        closure.insert(start.clone(), found.into_iter().collect());
    }
    closure
}

/// A literal for a date cell: `xsd:date` or `xsd:gYear` by its form, or
/// `None` when it is neither (validation reports it).
pub fn date_literal(text: &str) -> Option<Literal> {
    match date_type(text)? {
        DateType::Date => Some(Literal::new_typed_literal(text, xsd::DATE)),
        DateType::Year => Some(Literal::new_typed_literal(text, xsd::G_YEAR)),
    }
}

/// The ontology term for a modality cell (empty is `Achieved`).
pub fn modality_term(modality: &str) -> &'static str {
    if modality == "planned" {
        "Planned"
    } else {
        "Achieved"
    }
}
/// The source texts by id, read for finding quotes.
type Letters = Arc<BTreeMap<String, Letter>>;

/// The terms every row uses, minted once.
#[derive(Clone)]
struct Terms {
    pref_label: NamedNode,
    alt_label: NamedNode,
    hidden_label: NamedNode,
    start_date: NamedNode,
    modality: NamedNode,
    measures: NamedNode,
    period_start: NamedNode,
    period_end: NamedNode,
    broader: Arc<BTreeMap<String, Vec<String>>>,
    same_as: NamedNode,
    identifier: NamedNode,
    date: NamedNode,
    statement: Term,
    figure: Term,
    about: NamedNode,
    indicator: NamedNode,
    value: NamedNode,
    unit: NamedNode,
    currency: NamedNode,
    as_written: NamedNode,
    qualifier: NamedNode,
    cumulative: NamedNode,
    period: NamedNode,
    derived_from: NamedNode,
    section: NamedNode,
    quote: NamedNode,
    status: NamedNode,
    stated: Term,
    inferred: Term,
    draft: Term,
    reason: NamedNode,
    note: NamedNode,
    anchor: NamedNode,
    specific_resource: Term,
    has_source: NamedNode,
    has_selector: NamedNode,
    position_selector: Term,
    quote_selector: Term,
    start: NamedNode,
    end: NamedNode,
    exact: NamedNode,
    prefix: NamedNode,
    suffix: NamedNode,
}

impl Terms {
    fn new() -> Terms {
        Terms {
            pref_label: vocab(SKOS, "prefLabel"),
            alt_label: vocab(SKOS, "altLabel"),
            hidden_label: vocab(SKOS, "hiddenLabel"),
            start_date: vocab(SCHEMA, "startDate"),
            modality: term("modality"),
            measures: term("measures"),
            period_start: term("periodStart"),
            period_end: term("periodEnd"),
            broader: Arc::default(),
            same_as: vocab(SCHEMA, "sameAs"),
            identifier: vocab(SCHEMA, "identifier"),
            date: vocab(DCTERMS, "date"),
            statement: term("Statement").into(),
            figure: term("Figure").into(),
            about: term("about"),
            indicator: term("indicator"),
            value: vocab(SCHEMA, "value"),
            unit: term("unit"),
            currency: vocab(SCHEMA, "currency"),
            as_written: term("asWritten"),
            qualifier: term("qualifier"),
            cumulative: term("cumulative"),
            period: term("period"),
            derived_from: vocab(PROV, "wasDerivedFrom"),
            section: term("section"),
            quote: term("quote"),
            status: term("status"),
            stated: term("Stated").into(),
            inferred: term("Inferred").into(),
            draft: term("Draft").into(),
            reason: term("reason"),
            note: term("note"),
            anchor: term("anchor"),
            specific_resource: vocab(OA, "SpecificResource").into(),
            has_source: vocab(OA, "hasSource"),
            has_selector: vocab(OA, "hasSelector"),
            position_selector: vocab(OA, "TextPositionSelector").into(),
            quote_selector: vocab(OA, "TextQuoteSelector").into(),
            start: vocab(OA, "start"),
            end: vocab(OA, "end"),
            exact: vocab(OA, "exact"),
            prefix: vocab(OA, "prefix"),
            suffix: vocab(OA, "suffix"),
        }
    }
}

/// The triples that `make` adds, one row's worth.
fn rows(make: impl FnOnce(&mut dyn FnMut(&NamedNode, NamedNode, Term))) -> Vec<Triple> {
    let mut out = Vec::with_capacity(16);
    make(&mut |s: &NamedNode, p: NamedNode, o: Term| {
        out.push(Triple::new(NamedOrBlankNode::from(s.clone()), p, o));
    });
    out
}

type Add<'a> = &'a mut dyn FnMut(&NamedNode, NamedNode, Term);

fn entity_triples(dataset: &Dataset, t: &Terms, letters: &Letters, e: &EntityRow, add: Add<'_>) {
    let node = entity(&e.id);
    add(&node, rdf::TYPE.into_owned(), term(&e.kind).into());
    add(&node, t.pref_label.clone(), lang(&e.name_zh, "zh"));
    add(&node, t.pref_label.clone(), lang(&e.name_en, "en"));
    for alias in aliases(&e.aliases) {
        add(
            &node,
            t.alt_label.clone(),
            lang(alias, alias_language(alias)),
        );
    }
    if !e.wikidata.is_empty() {
        add(
            &node,
            t.same_as.clone(),
            vocab(WIKIDATA, &e.wikidata).into(),
        );
    }
    if !e.ror.is_empty() {
        add(&node, t.same_as.clone(), iri(e.ror.clone()).into());
    }
    if !e.identifier.is_empty() {
        add(
            &node,
            t.identifier.clone(),
            Literal::from(e.identifier.as_str()).into(),
        );
    }
    for alias in aliases(&e.search_aliases) {
        add(
            &node,
            t.hidden_label.clone(),
            lang(alias, alias_language(alias)),
        );
    }
    dates(t, &e.date, &e.start, &node, add);
    evidence(dataset, t, letters, &e.evidence, &node, add);
}

fn relation_triples(
    dataset: &Dataset,
    t: &Terms,
    letters: &Letters,
    r: &RelationRow,
    add: Add<'_>,
) {
    let (s, p, o) = (entity(&r.subject), term(&r.predicate), entity(&r.object));
    if r.evidence.status == "stated" {
        add(&s, p.clone(), o.clone().into());
        for broader in t.broader.get(&r.predicate).into_iter().flatten() {
            add(&s, term(broader), o.clone().into());
        }
    }
    let node = statement(&r.subject, &r.predicate, &r.object);
    add(&node, rdf::TYPE.into_owned(), t.statement.clone());
    add(&node, rdf::SUBJECT.into_owned(), s.into());
    add(&node, rdf::PREDICATE.into_owned(), p.into());
    add(&node, rdf::OBJECT.into_owned(), o.into());
    add(
        &node,
        t.modality.clone(),
        term(modality_term(&r.modality)).into(),
    );
    dates(t, &r.date, &r.start, &node, add);
    evidence(dataset, t, letters, &r.evidence, &node, add);
}

fn figure_triples(dataset: &Dataset, t: &Terms, letters: &Letters, f: &FigureRow, add: Add<'_>) {
    let node = figure(&f.id);
    add(&node, rdf::TYPE.into_owned(), t.figure.clone());
    add(&node, t.about.clone(), entity(&f.subject).into());
    add(&node, t.indicator.clone(), lang(&f.indicator_zh, "zh"));
    add(&node, t.indicator.clone(), lang(&f.indicator_en, "en"));
    add(
        &node,
        t.value.clone(),
        Literal::new_typed_literal(f.value.as_str(), xsd::DECIMAL).into(),
    );
    add(&node, t.unit.clone(), Literal::from(f.unit.as_str()).into());
    if f.unit == "CNY" {
        add(&node, t.currency.clone(), Literal::from("CNY").into());
    }
    add(
        &node,
        t.as_written.clone(),
        Literal::from(f.as_written.as_str()).into(),
    );
    add(
        &node,
        t.qualifier.clone(),
        term(qualifier_term(&f.qualifier)).into(),
    );
    // An unknown running-total status is left unsaid rather than stated false.
    if f.cumulative == "true" || f.cumulative == "false" {
        add(
            &node,
            t.cumulative.clone(),
            Literal::from(f.cumulative == "true").into(),
        );
    }
    match f.period.split_once('/') {
        Some((from, to)) => {
            add(
                &node,
                t.period.clone(),
                Literal::from(f.period.as_str()).into(),
            );
            for (property, year) in [(&t.period_start, from), (&t.period_end, to)] {
                add(
                    &node,
                    property.clone(),
                    Literal::new_typed_literal(year, xsd::G_YEAR).into(),
                );
            }
        }
        None if !f.period.is_empty() => add(
            &node,
            t.period.clone(),
            Literal::new_typed_literal(f.period.as_str(), xsd::G_YEAR).into(),
        ),
        None => {}
    }
    if !f.measures.is_empty() {
        add(&node, t.measures.clone(), entity(&f.measures).into());
    }
    add(
        &node,
        t.modality.clone(),
        term(modality_term(&f.modality)).into(),
    );
    evidence(dataset, t, letters, &f.evidence, &node, add);
}

/// The anchor of `node`'s evidence at `span` of `source`.
fn anchored(
    t: &Terms,
    letter: &Letter,
    source: NamedNode,
    span: anchor::Span,
    node: &NamedNode,
    add: Add<'_>,
) {
    let anchor = anchor(node);
    let position = iri(format!("{}/position", anchor.as_str()));
    let quote = iri(format!("{}/quote", anchor.as_str()));
    add(node, t.anchor.clone(), anchor.clone().into());
    add(&anchor, rdf::TYPE.into_owned(), t.specific_resource.clone());
    add(&anchor, t.has_source.clone(), source.into());
    add(&anchor, t.has_selector.clone(), position.clone().into());
    add(&anchor, t.has_selector.clone(), quote.clone().into());
    add(
        &position,
        rdf::TYPE.into_owned(),
        t.position_selector.clone(),
    );
    // xsd:integer, not Web Annotation's xsd:nonNegativeInteger: Oxigraph
    // stores the latter as the former, so every export writes integers anyway.
    let count = |n: usize| Literal::from(n as i64);
    add(&position, t.start.clone(), count(span.start).into());
    add(&position, t.end.clone(), count(span.end).into());
    add(&quote, rdf::TYPE.into_owned(), t.quote_selector.clone());
    add(
        &quote,
        t.exact.clone(),
        Literal::from(letter.slice(span)).into(),
    );
    let (prefix, suffix) = letter.context(span);
    if !prefix.is_empty() {
        add(&quote, t.prefix.clone(), Literal::from(prefix).into());
    }
    if !suffix.is_empty() {
        add(&quote, t.suffix.clone(), Literal::from(suffix).into());
    }
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

/// The date (`dcterms:date`) and start (`schema:startDate`) of a row, typed.
fn dates(t: &Terms, date: &str, start: &str, node: &NamedNode, add: Add<'_>) {
    for (property, cell) in [(&t.date, date), (&t.start_date, start)] {
        if let Some(literal) = date_literal(cell) {
            add(node, property.clone(), literal.into());
        }
    }
}

fn evidence(
    dataset: &Dataset,
    t: &Terms,
    letters: &Letters,
    evidence: &Evidence,
    node: &NamedNode,
    add: Add<'_>,
) {
    if let Some(source) = dataset.source_of(evidence) {
        add(node, t.derived_from.clone(), entity(source).into());
        // A checked dataset resolves every quote; an unchecked one may not.
        let pin = anchor::pin(&evidence.occurrence).ok().flatten();
        if let Some(letter) = letters.get(source)
            && let Ok(span) = letter.resolve(&evidence.quote, &evidence.section, pin)
        {
            anchored(t, letter, entity(source), span, node, add);
        }
    }
    add(
        node,
        t.section.clone(),
        Literal::from(evidence.section.as_str()).into(),
    );
    add(
        node,
        t.quote.clone(),
        Literal::from(evidence.quote.as_str()).into(),
    );
    let status = match evidence.status.as_str() {
        "inferred" => &t.inferred,
        "draft" => &t.draft,
        _ => &t.stated,
    };
    add(node, t.status.clone(), status.clone());
    if !evidence.reason.is_empty() {
        add(node, t.reason.clone(), lang(&evidence.reason, "en"));
    }
    if !evidence.note.is_empty() {
        add(node, t.note.clone(), lang(&evidence.note, "en"));
    }
}

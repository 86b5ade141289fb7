//! The view of part of the graph over an endpoint: the schema, the entities
//! asked for, and the statement nodes touching the entities a traversal
//! expands, fetched a hop at a time (`VALUES` of the frontier, in batches)
//! into a small local store. The view is then built from that store by the
//! same [`View::build`] as everywhere, so a question answered on it gives
//! what it gives on the whole graph, as long as every entity the question
//! expands has all its relations in the store: that is what [`Walk`] keeps.

use super::Endpoint;
use crate::error::Error;
use crate::ontology::Schema;
use crate::rdf::{self, ONTOLOGY};
use crate::source::{GraphSource, Request, StoreSource};
use crate::view::View;
use oxigraph::model::vocab::rdf as rdf_vocab;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The most entities a frontier sends in one query's `VALUES`.
const BATCH: usize = 250;
/// The most entities sent in one `VALUES` when only kinds, names and the
/// ends of statements are fetched: the answers are small, and fewer,
/// larger queries cost the engine less than many small ones.
const LIGHT_BATCH: usize = 1000;
/// The most queries of one hop sent at once: an engine answers them on
/// several cores while innograph reads the answers.
const CONCURRENT: usize = 4;
/// The most entities a walk reaches before it stops with an error.
pub const NODE_CAP: usize = 20_000;

/// The schema: every class and object property with what [`Schema`] and
/// the view read of it (not its definitions and notes, most of its bytes).
const SCHEMA: &str = r#"
CONSTRUCT { ?term ?p ?o } WHERE {
  { ?term a owl:Class } UNION { ?term a owl:ObjectProperty }
  ?term ?p ?o .
  FILTER(?p IN (rdf:type, rdfs:label, rdfs:subClassOf, rdfs:subPropertyOf, ig:hub, ig:kindGroup))
}"#;

// Every query below joins `VALUES` with one triple pattern and filters
// predicates with `IN`: Oxigraph (0.4) evaluates a type test on the
// statements, or a second `VALUES`, before the join, which takes seconds
// on a large graph instead of milliseconds.

/// The statement nodes with an entity of the frontier at either end, and
/// everything said of them.
const STATEMENTS: &str = r#"
CONSTRUCT { ?statement ?p ?o } WHERE {
  { VALUES ?entity { ENTITIES } ?statement rdf:subject ?entity }
  UNION { VALUES ?entity { ENTITIES } ?statement rdf:object ?entity }
  ?statement ?p ?o .
}"#;

/// The statement nodes with an entity of the frontier at either end, with
/// only what a search for a path reads of them: their kind, ends,
/// predicate and status (none of their evidence).
const LINKS: &str = r#"
CONSTRUCT {
  ?statement a ?type ; rdf:subject ?subject ; rdf:predicate ?predicate ;
             rdf:object ?object ; ig:status ?status .
} WHERE {
  { VALUES ?entity { ENTITIES } ?statement rdf:subject ?entity }
  UNION { VALUES ?entity { ENTITIES } ?statement rdf:object ?entity }
  ?statement rdf:type ?type ; rdf:subject ?subject ; rdf:predicate ?predicate ;
             rdf:object ?object ; ig:status ?status .
}"#;

/// Only the kinds of an entity: what a search for a path reads of it.
const KINDS: &str = r#"{
    VALUES ?entity { ENTITIES }
    ?entity ?p ?o .
    FILTER(?p IN (rdf:type))
  }"#;

/// Only the kinds and names of an entity: what a list of neighbours shows
/// of it.
const NAMES: &str = r#"{
    VALUES ?entity { ENTITIES }
    ?entity ?p ?o .
    FILTER(?p IN (rdf:type, skos:prefLabel))
  }"#;

/// A few statement nodes, everything said of them, and what the view reads
/// of their sources and anchors (as [`SOURCE`] and [`ANCHOR`]).
const CHOSEN: &str = r#"
CONSTRUCT {
  ?statement ?p ?o . ?source ?sp ?so .
  ?anchor oa:hasSelector ?position .
  ?position a oa:TextPositionSelector ; oa:start ?qs ; oa:end ?qe .
} WHERE {
  { VALUES ?statement { STATEMENTS } ?statement ?p ?o }
  UNION {
    VALUES ?statement { STATEMENTS }
    ?statement prov:wasDerivedFrom ?source .
    ?source ?sp ?so .
    FILTER(?sp IN (rdf:type, schema:identifier, skos:prefLabel))
  } UNION {
    VALUES ?statement { STATEMENTS }
    ?statement ig:anchor ?anchor .
    ?anchor oa:hasSelector ?position .
    ?position a oa:TextPositionSelector ; oa:start ?qs ; oa:end ?qe .
  }
}"#;
/// The most statements [`CHOSEN`] asks for at once.
const CHOSEN_BATCH: usize = 500;

/// What the view reads of an entity: kinds, names, aliases, same-as links.
const ENTITY: &str = r#"{
    VALUES ?entity { ENTITIES }
    ?entity ?p ?o .
    FILTER(?p IN (rdf:type, skos:prefLabel, skos:altLabel, skos:hiddenLabel, schema:sameAs))
  }"#;

/// What the view reads of a statement's source: its kind, number and name.
const SOURCE: &str = r#"{
    VALUES ?source { SOURCES }
    ?source ?sp ?so .
    FILTER(?sp IN (rdf:type, schema:identifier, skos:prefLabel))
  }"#;

/// Where a statement's quote stands in its source: its text position
/// selector, as the view reads it (not its other selectors).
const ANCHOR: &str = r#"{
    VALUES ?anchor { ANCHORS }
    ?anchor oa:hasSelector ?position .
    ?position a oa:TextPositionSelector ; oa:start ?qs ; oa:end ?qe .
  }"#;

/// The branches of the card query, `NODE` the entity: everything said of
/// it; of each statement with it at an end and of each figure about it,
/// everything said of them, what the view reads of their sources and
/// anchors, and, for the statements, of the entities at their other ends.
/// Each branch starts from the entity, so that an engine evaluating the
/// branches apart from one another still reads only what touches it.
fn card_query(node: &str) -> String {
    let holders = [
        ("?holder rdf:subject NODE .", Some("rdf:object")),
        ("?holder rdf:object NODE .", Some("rdf:subject")),
        ("?holder ig:about NODE .", None),
    ];
    let mut branches = vec!["NODE ?hp ?ho . BIND(NODE AS ?holder)".to_owned()];
    let evidence = [
        "?holder prov:wasDerivedFrom ?source . ?source ?sp ?so . FILTER(?sp IN (rdf:type, schema:identifier, skos:prefLabel))",
        "?holder ig:anchor ?anchor . ?anchor oa:hasSelector ?position . ?position a oa:TextPositionSelector ; oa:start ?qs ; oa:end ?qe .",
    ];
    for part in evidence {
        branches.push(part.replace("?holder", "NODE"));
    }
    for (holder, other_end) in holders {
        branches.push(format!("{holder} ?holder ?hp ?ho ."));
        for part in evidence {
            branches.push(format!("{holder} {part}"));
        }
        if let Some(other_end) = other_end {
            branches.push(format!(
                "{holder} ?holder {other_end} ?end . ?end ?ep ?eo . FILTER(?ep IN (rdf:type, skos:prefLabel, skos:altLabel, skos:hiddenLabel, schema:sameAs))"
            ));
        }
    }
    format!(
        "CONSTRUCT {{\n  ?holder ?hp ?ho . ?end ?ep ?eo . ?source ?sp ?so .\n  ?anchor oa:hasSelector ?position .\n  ?position a oa:TextPositionSelector ; oa:start ?qs ; oa:end ?qe .\n}} WHERE {{\n  {{ {} }}\n}}",
        branches.join(" }\n  UNION { ")
    )
    .replace("NODE", node)
}

/// How far a traversal goes from its start, and what it may pass through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    /// The most links followed (`usize::MAX`: as many as there are).
    pub depth: usize,
    /// Whether entities of hub kinds are expanded too.
    pub through_hubs: bool,
    /// The other end of a path: the walk is then the search for the
    /// shortest path to it ([`Endpoint::view_around`]).
    pub until: Option<String>,
    /// The most entities reached before the walk fails.
    pub cap: usize,
    /// Whether only what a list of the entities reached shows is fetched:
    /// their kinds and names, and the evidence of the relations on the
    /// first path found to each ([`crate::links::reach`]). The view then
    /// holds those relations alone, on which `reach` finds the same paths.
    pub shown_only: bool,
}

impl Walk {
    /// Up to `depth` links, through hubs when `through_hubs`.
    pub fn within(depth: usize, through_hubs: bool) -> Walk {
        Walk {
            depth,
            through_hubs,
            until: None,
            cap: NODE_CAP,
            shown_only: false,
        }
    }

    /// Up to `depth` links, through hubs when `through_hubs`, fetching only
    /// what a list of the entities reached shows (see [`Walk::shown_only`]).
    pub fn shown(depth: usize, through_hubs: bool) -> Walk {
        Walk {
            shown_only: true,
            ..Walk::within(depth, through_hubs)
        }
    }

    /// As far as needed to reach `to`, through hubs when `through_hubs`.
    pub fn until(to: &str, through_hubs: bool) -> Walk {
        Walk {
            depth: usize::MAX,
            through_hubs,
            until: Some(to.to_owned()),
            cap: NODE_CAP,
            shown_only: false,
        }
    }
}

/// Part of the graph, copied from the endpoint into a local store.
pub(crate) struct Partial<'a> {
    endpoint: &'a Endpoint,
    store: Store,
    schema: Schema,
    /// The kind of each entity described (its first in name order), or
    /// `None` for an IRI that is no entity.
    kinds: HashMap<String, Option<String>>,
    /// The entities whose statements are in the store.
    expanded: HashSet<String>,
    /// The sources and anchors whose details are in the store.
    detailed: HashSet<String>,
    /// The entities at the other ends of the statements of each expanded
    /// entity.
    links: HashMap<String, BTreeSet<String>>,
    /// What is fetched of entities and statements.
    fetch: Fetch,
}

/// What a [`Partial`] fetches of the entities and statements it meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fetch {
    /// What the view reads: names, aliases, evidence.
    Everything,
    /// The kinds and names of entities, and everything said of statements
    /// but what their sources and anchors are: what a list of neighbours
    /// needs to find them. The sources and anchors of the relations it
    /// shows are fetched afterwards ([`Endpoint::shown_around`]).
    Names,
    /// Only the kinds of entities and the kinds, ends, predicates and
    /// statuses of statements: what a search for a path needs.
    Kinds,
}

impl<'a> Partial<'a> {
    /// The schema of the endpoint's graph, and nothing else yet.
    pub(crate) fn new(endpoint: &'a Endpoint) -> Result<Partial<'a>, Error> {
        let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
        let triples = match endpoint.schema.get() {
            Some(triples) => triples.clone(),
            None => {
                let triples = endpoint.construct(SCHEMA, "the schema query")?;
                if triples.is_empty() {
                    return Err(endpoint.empty_error());
                }
                endpoint.schema.get_or_init(|| triples).clone()
            }
        };
        insert(&store, triples)?;
        let schema = Schema::from_source(&StoreSource::from_store(store.clone(), "the schema"))?;
        Ok(Partial::holding(endpoint, store, schema))
    }

    /// A new part of the same graph, holding its schema alone, which is
    /// neither fetched nor read again.
    fn again(&self) -> Result<Partial<'a>, Error> {
        let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
        insert(
            &store,
            self.endpoint.schema.get().cloned().unwrap_or_default(),
        )?;
        Ok(Partial::holding(self.endpoint, store, self.schema.clone()))
    }

    fn holding(endpoint: &'a Endpoint, store: Store, schema: Schema) -> Partial<'a> {
        Partial {
            endpoint,
            store,
            schema,
            kinds: HashMap::new(),
            expanded: HashSet::new(),
            detailed: HashSet::new(),
            links: HashMap::new(),
            fetch: Fetch::Everything,
        }
    }

    /// The schema.
    pub(crate) fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Fetches what the view reads of each of `iris` not described yet.
    pub(crate) fn describe(&mut self, iris: &[String]) -> Result<(), Error> {
        self.details(iris, &[], &[])
    }

    /// Fetches, in as few queries as batches allow, what the view reads of
    /// each entity, source and anchor not fetched yet.
    fn details(
        &mut self,
        entities: &[String],
        sources: &[String],
        anchors: &[String],
    ) -> Result<(), Error> {
        let entities: Vec<&String> = entities
            .iter()
            .filter(|iri| !self.kinds.contains_key(*iri))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut others: [Vec<&String>; 2] = [Vec::new(), Vec::new()];
        for (list, iris) in others.iter_mut().zip([sources, anchors]) {
            *list = iris
                .iter()
                .filter(|iri| self.detailed.insert((*iri).clone()))
                .collect();
        }
        let [sources, anchors] = others;
        // Entities resolved earlier in the run are not asked for again.
        let mut unknown = Vec::new();
        for iri in entities {
            match self.endpoint.remembered(iri) {
                Some(triples) => self.learn(std::slice::from_ref(iri), triples)?,
                None => unknown.push(iri),
            }
        }
        let entities = unknown;
        let batch_size = match self.fetch {
            Fetch::Everything => BATCH,
            Fetch::Names | Fetch::Kinds => LIGHT_BATCH,
        };
        let batches = [&entities, &sources, &anchors]
            .iter()
            .map(|list| list.len().div_ceil(batch_size))
            .max()
            .unwrap_or(0);
        let mut asked = Vec::with_capacity(batches);
        let mut texts = Vec::with_capacity(batches);
        for batch in 0..batches {
            let chunk = |list: &[&String]| -> Vec<String> {
                list.iter()
                    .skip(batch * batch_size)
                    .take(batch_size)
                    .map(|iri| (*iri).clone())
                    .collect()
            };
            let (these, sources, anchors) = (chunk(&entities), chunk(&sources), chunk(&anchors));
            let mut parts = Vec::new();
            for (list, template, slot) in [
                (
                    &these,
                    match self.fetch {
                        Fetch::Everything => ENTITY,
                        Fetch::Names => NAMES,
                        Fetch::Kinds => KINDS,
                    },
                    "ENTITIES",
                ),
                (&sources, SOURCE, "SOURCES"),
                (&anchors, ANCHOR, "ANCHORS"),
            ] {
                if !list.is_empty() {
                    parts.push(template.replace(slot, &values(list)?));
                }
            }
            texts.push(format!(
                "CONSTRUCT {{\n  ?entity ?p ?o . ?source ?sp ?so .\n  ?anchor oa:hasSelector ?position .\n  ?position a oa:TextPositionSelector ; oa:start ?qs ; oa:end ?qe .\n}} WHERE {{\n  {}\n}}",
                parts.join("\n  UNION ")
            ));
            asked.push(these);
        }
        let answers = self.endpoint.construct_all(&texts, "the entity query")?;
        for (these, triples) in asked.iter().zip(answers) {
            self.learn(these, triples)?;
        }
        Ok(())
    }

    /// Adds `triples`, fetched about the entities `these` (among others),
    /// and notes the kind of each of them (`None` for an IRI that is no
    /// entity).
    fn learn(&mut self, these: &[String], triples: Vec<Triple>) -> Result<(), Error> {
        let wanted: HashSet<&str> = these.iter().map(String::as_str).collect();
        for triple in &triples {
            if triple.predicate == rdf_vocab::TYPE
                && let (NamedOrBlankNode::NamedNode(entity), Term::NamedNode(kind)) =
                    (&triple.subject, &triple.object)
                && wanted.contains(entity.as_str())
                && let Some(kind) = rdf::local_name(kind.as_str(), ONTOLOGY)
                && self.schema.kinds.contains_key(kind)
            {
                let slot = self.kinds.entry(entity.as_str().to_owned()).or_default();
                if slot.as_deref().is_none_or(|k| kind < k) {
                    *slot = Some(kind.to_owned());
                }
            }
        }
        insert(&self.store, triples)?;
        for iri in these {
            self.kinds.entry(iri.clone()).or_default();
        }
        Ok(())
    }

    /// Keeps what was fetched of the entity `iri` (described before) for
    /// the rest of the run: a command that resolved a name and then walks
    /// from the entity does not ask for it twice.
    pub(crate) fn remember(&self, iri: &str) -> Result<(), Error> {
        let subject = NamedNode::new(iri).map_err(|e| Error::Usage(format!("{iri}: {e}")))?;
        let triples = self
            .store
            .quads_for_pattern(Some(subject.as_ref().into()), None, None, None)
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::Store(e.to_string()))?;
        self.endpoint.remember(iri, triples);
        Ok(())
    }

    /// The kind of a described entity, `None` for anything else.
    pub(crate) fn kind(&self, iri: &str) -> Option<&str> {
        self.kinds.get(iri).and_then(Option::as_deref)
    }

    fn is_hub(&self, iri: &str) -> bool {
        self.kind(iri).is_some_and(|k| self.schema.is_hub(k))
    }

    /// Fetches the statements touching each of `iris` not expanded yet, and
    /// returns the IRIs at their other ends, their sources and anchors.
    fn expand(&mut self, iris: &[String]) -> Result<[BTreeSet<String>; 3], Error> {
        let new: Vec<String> = iris
            .iter()
            .filter(|iri| self.expanded.insert((*iri).clone()))
            .cloned()
            .collect();
        let [mut ends, mut sources, mut anchors] =
            [BTreeSet::new(), BTreeSet::new(), BTreeSet::new()];
        let (derived, anchor) = (rdf::derived_from(), rdf::term("anchor"));
        let terms = [rdf::term("Statement"), rdf::term("status")];
        let (template, batch_size) = match self.fetch {
            Fetch::Everything => (STATEMENTS, BATCH),
            Fetch::Names => (STATEMENTS, BATCH),
            Fetch::Kinds => (LINKS, LIGHT_BATCH),
        };
        let texts = new
            .chunks(batch_size)
            .map(|batch| Ok(template.replace("ENTITIES", &values(batch)?)))
            .collect::<Result<Vec<_>, Error>>()?;
        for triples in self
            .endpoint
            .construct_all(&texts, "the statements query")?
        {
            let mut shapes: HashMap<&NamedNode, Shape> = HashMap::new();
            for triple in &triples {
                if let NamedOrBlankNode::NamedNode(statement) = &triple.subject {
                    shapes.entry(statement).or_default().add(triple, &terms);
                }
                let Term::NamedNode(object) = &triple.object else {
                    continue;
                };
                let set = if triple.predicate == rdf_vocab::SUBJECT
                    || triple.predicate == rdf_vocab::OBJECT
                {
                    &mut ends
                } else if triple.predicate == derived {
                    &mut sources
                } else if triple.predicate == anchor {
                    &mut anchors
                } else {
                    continue;
                };
                set.insert(object.as_str().to_owned());
            }
            for shape in shapes.into_values().filter(Shape::in_view) {
                for (subject, object) in shape
                    .subjects
                    .iter()
                    .flat_map(|s| shape.objects.iter().map(move |o| (*s, *o)))
                {
                    for (one, other) in [(subject, object), (object, subject)] {
                        self.links
                            .entry(one.to_owned())
                            .or_default()
                            .insert(other.to_owned());
                    }
                }
            }
            insert(&self.store, triples)?;
        }
        Ok([ends, sources, anchors])
    }

    /// Fetches, in one query, what the card of `iri` reads: everything said
    /// of it, of the statements with it at an end and of the figures about
    /// it, what the view reads of their sources and anchors and of the
    /// entities at the statements' other ends.
    fn card(&mut self, iri: &str) -> Result<(), Error> {
        self.describe(&[iri.to_owned()])?;
        let node = NamedNode::new(iri).map_err(|e| Error::Usage(format!("{iri}: {e}")))?;
        let triples = self
            .endpoint
            .construct(&card_query(&node.to_string()), "the card query")?;
        let ends: BTreeSet<String> = triples
            .iter()
            .filter(|t| t.predicate == rdf_vocab::SUBJECT || t.predicate == rdf_vocab::OBJECT)
            .filter_map(|t| match &t.object {
                Term::NamedNode(end) if end.as_str() != iri => Some(end.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let ends: Vec<String> = ends.into_iter().collect();
        self.learn(&ends, triples)?;
        self.expanded.insert(iri.to_owned());
        Ok(())
    }

    /// Fetches everything said of each statement of `iris`, and what the
    /// view reads of their sources and anchors, in one query a batch; then
    /// what it reads of their ends not described yet.
    fn statements(&mut self, iris: &[String]) -> Result<(), Error> {
        let (derived, anchor) = (rdf::derived_from(), rdf::term("anchor"));
        let texts = iris
            .chunks(CHOSEN_BATCH)
            .map(|batch| Ok(CHOSEN.replace("STATEMENTS", &values(batch)?)))
            .collect::<Result<Vec<_>, Error>>()?;
        let mut ends = Vec::new();
        for triples in self
            .endpoint
            .construct_all(&texts, "the chosen statements query")?
        {
            let [mut sources, mut anchors] = [Vec::new(), Vec::new()];
            for triple in &triples {
                let Term::NamedNode(object) = &triple.object else {
                    continue;
                };
                if triple.predicate == rdf_vocab::SUBJECT || triple.predicate == rdf_vocab::OBJECT {
                    ends.push(object.as_str().to_owned());
                } else if triple.predicate == derived {
                    sources.push(object.as_str().to_owned());
                } else if triple.predicate == anchor {
                    anchors.push(object.as_str().to_owned());
                }
            }
            insert(&self.store, triples)?;
            self.detailed.extend(sources.into_iter().chain(anchors));
        }
        self.details(&ends, &[], &[])
    }

    /// The fetched part of the graph as a source to ask.
    pub(crate) fn source(&self) -> StoreSource {
        StoreSource::from_store(
            self.store.clone(),
            format!("part of {}", self.endpoint.describe()),
        )
    }

    /// Adds triples fetched otherwise.
    pub(crate) fn add(&mut self, triples: Vec<Triple>) -> Result<(), Error> {
        insert(&self.store, triples)
    }

    /// The view of what has been fetched.
    pub(crate) fn view(&self) -> Result<View, Error> {
        View::build(&StoreSource::from_store(
            self.store.clone(),
            format!("part of {}", self.endpoint.describe()),
        ))
    }

    /// Fetches what a breadth-first traversal from `start` as `walk` bounds
    /// it sees: the relations of every entity it expands, hubs skipped
    /// (except the start) unless the walk goes through them. The walk's
    /// `until` is not read: a path is searched for by [`Partial::between`].
    pub(crate) fn walk(&mut self, start: &str, walk: &Walk) -> Result<(), Error> {
        self.describe(&[start.to_owned()])?;
        let mut reached: HashSet<String> = HashSet::from([start.to_owned()]);
        let mut frontier = vec![start.to_owned()];
        let mut hop = 0;
        while hop < walk.depth && !frontier.is_empty() {
            let expand: Vec<String> = frontier
                .into_iter()
                .filter(|iri| {
                    self.kind(iri).is_some() && (hop == 0 || walk.through_hubs || !self.is_hub(iri))
                })
                .collect();
            let [ends, sources, anchors] = self.expand(&expand)?;
            let new: Vec<String> = ends
                .into_iter()
                .filter(|iri| !reached.contains(iri))
                .collect();
            let (sources, anchors): (Vec<String>, Vec<String>) = match self.fetch {
                Fetch::Names => Default::default(),
                _ => (sources.into_iter().collect(), anchors.into_iter().collect()),
            };
            self.details(&new, &sources, &anchors)?;
            let new: Vec<String> = new
                .into_iter()
                .filter(|iri| self.kind(iri).is_some())
                .collect();
            reached.extend(new.iter().cloned());
            if reached.len() > walk.cap {
                return Err(self.endpoint.error(format!(
                    "more than {} entities lie within {} links of {start}; innograph stops there rather than fetch a large part of the graph: ask for fewer links{}",
                    walk.cap,
                    hop + 1,
                    if walk.through_hubs { " or avoid hubs (--avoid-hubs)" } else { "" }
                )));
            }
            frontier = new;
            hop += 1;
        }
        Ok(())
    }
}

impl Partial<'_> {
    /// Whether a shortest path may pass through `iri`: an entity, of a kind
    /// that is no hub unless the path goes through hubs.
    fn passable(&self, iri: &str, through_hubs: bool) -> bool {
        self.kind(iri).is_some() && (through_hubs || !self.is_hub(iri))
    }

    /// Fetches what the shortest path from `from` to `to` (links taken both
    /// ways, through hubs only when `through_hubs`) needs, by a breadth-first
    /// search from both ends at once: a hop at a time from the end whose
    /// frontier is smaller, until the two searches meet. An end that is a
    /// hub the path may not pass through is not expanded: the search then
    /// goes from the other end alone.
    ///
    /// When they meet after `a` hops from `from` and `b` from `to`, the
    /// shortest paths have `a + b` links, and every entity on one of them
    /// lies within `a` hops of `from` or `b` hops of `to`. Every link between
    /// two consecutive entities of such paths then has one end expanded, so
    /// it is in the store, and any entity next to one of them at one hop
    /// less from `from` is on such a path too. [`crate::links::path`] on the
    /// fetched part therefore meets the entities of the shortest paths in the
    /// order it meets them on the whole graph (the view orders nodes by id
    /// and links by their ends, whatever else it holds), and returns the
    /// same path. When either search runs out, no path exists.
    pub(crate) fn between(
        &mut self,
        from: &str,
        to: &str,
        through_hubs: bool,
        cap: usize,
    ) -> Result<(), Error> {
        self.describe(&[from.to_owned(), to.to_owned()])?;
        if from == to || self.kind(from).is_none() || self.kind(to).is_none() {
            return Ok(());
        }
        let ends = [from, to];
        let mut hops: [HashMap<String, usize>; 2] = [
            HashMap::from([(from.to_owned(), 0)]),
            HashMap::from([(to.to_owned(), 0)]),
        ];
        let mut frontiers = [vec![from.to_owned()], vec![to.to_owned()]];
        let mut depth = [0; 2];
        // A hub end is never expanded (as links::path never expands its
        // end), so that its many links count against no cap: the search
        // goes from the other end alone. When both ends are hubs, `from`
        // is expanded, as links::path expands its start.
        let hub = |iri: &str| !through_hubs && self.is_hub(iri);
        let sealed = [hub(from) && !hub(to), hub(to)];
        loop {
            for (side, frontier) in frontiers.iter_mut().enumerate() {
                frontier.retain(|iri| iri == ends[side] || self.passable(iri, through_hubs));
            }
            if frontiers.iter().any(Vec::is_empty) {
                return Ok(());
            }
            let side = match sealed {
                [false, false] => usize::from(frontiers[1].len() < frontiers[0].len()),
                [true, _] => 1,
                [false, true] => 0,
            };
            let layer = std::mem::take(&mut frontiers[side]);
            let [_, sources, anchors] = self.expand(&layer)?;
            let new: BTreeSet<String> = layer
                .iter()
                .filter_map(|iri| self.links.get(iri))
                .flatten()
                .filter(|iri| !hops[side].contains_key(*iri))
                .cloned()
                .collect();
            let new: Vec<String> = new.into_iter().collect();
            let sources: Vec<String> = sources.into_iter().collect();
            let anchors: Vec<String> = anchors.into_iter().collect();
            self.details(&new, &sources, &anchors)?;
            depth[side] += 1;
            let new: Vec<String> = new
                .into_iter()
                .filter(|iri| self.kind(iri).is_some())
                .collect();
            for iri in &new {
                hops[side].insert(iri.clone(), depth[side]);
            }
            if hops[0].len() + hops[1].len() > cap {
                return Err(self.endpoint.error(format!(
                    "more than {cap} entities lie within {} links of {from} or {} links of {to}; innograph stops there rather than fetch a large part of the graph{}",
                    depth[0],
                    depth[1],
                    if through_hubs { ": avoid hubs (--avoid-hubs)" } else { "" }
                )));
            }
            let met = new.iter().any(|iri| {
                hops[1 - side].contains_key(iri)
                    && (ends.contains(&iri.as_str()) || self.passable(iri, through_hubs))
            });
            if met {
                return Ok(());
            }
            frontiers[side] = new;
        }
    }
}

impl Endpoint {
    /// The view of what a traversal from `start` (an entity's IRI) bounded
    /// by `walk` sees, fetched from the endpoint a hop at a time: the
    /// traversal gives on it what it gives on the whole graph.
    pub fn view_around(&self, start: &str, walk: &Walk) -> Result<View, Error> {
        if let Some(to) = &walk.until {
            return self.path_around(start, to, walk);
        }
        if walk.shown_only {
            return self.shown_around(start, walk);
        }
        let mut partial = Partial::new(self)?;
        partial.walk(start, walk)?;
        partial.view()
    }

    /// The view of what a list of the entities within `walk` of `start`
    /// shows: the walk fetches the relations of the entities it expands,
    /// but only the kinds and names of the entities they reach, and none
    /// of their sources and anchors; then the sources and anchors of the
    /// relations on the first path [`crate::links::reach`] finds to each
    /// entity, the only relations the list prints, are fetched too. The
    /// view holds every relation the walk met, so `reach` finds on it the
    /// entities and paths it finds on the whole graph.
    fn shown_around(&self, start: &str, walk: &Walk) -> Result<View, Error> {
        let mut partial = Partial::new(self)?;
        partial.fetch = Fetch::Names;
        partial.walk(start, walk)?;
        let found = partial.view()?;
        let Some(node) = found.node_by_iri(start) else {
            return Ok(found);
        };
        let shown: Vec<NamedNode> =
            crate::links::reach(&found, node, walk.depth, walk.through_hubs)
                .into_values()
                .filter_map(|path| {
                    path.last()
                        .map(|hop| found.graph[hop.edge].statement.clone())
                })
                .collect::<BTreeSet<String>>()
                .into_iter()
                .filter_map(|iri| NamedNode::new(iri).ok())
                .collect();
        let (derived, anchor) = (rdf::derived_from(), rdf::term("anchor"));
        let [mut sources, mut anchors] = [BTreeSet::new(), BTreeSet::new()];
        for statement in &shown {
            for (predicate, set) in [(&derived, &mut sources), (&anchor, &mut anchors)] {
                for quad in partial.store.quads_for_pattern(
                    Some(statement.as_ref().into()),
                    Some(predicate.as_ref()),
                    None,
                    None,
                ) {
                    if let Term::NamedNode(object) =
                        quad.map_err(|e| Error::Store(e.to_string()))?.object
                    {
                        set.insert(object.into_string());
                    }
                }
            }
        }
        let sources: Vec<String> = sources.into_iter().collect();
        let anchors: Vec<String> = anchors.into_iter().collect();
        partial.details(&[], &sources, &anchors)?;
        partial.view()
    }

    /// The view of the shortest path from `from` to `to` as `walk` bounds
    /// it: the path is searched for on the kinds of entities and the ends
    /// of statements alone ([`Partial::between`]), then the view is built
    /// of its two ends and the statements of that path, with everything
    /// said of them. [`crate::links::path`] gives on it the path it gives
    /// on the whole graph, as it is the only one there; with no path, the
    /// view holds the two ends alone.
    fn path_around(&self, from: &str, to: &str, walk: &Walk) -> Result<View, Error> {
        let mut search = Partial::new(self)?;
        search.fetch = Fetch::Kinds;
        search.between(from, to, walk.through_hubs, walk.cap)?;
        let found = search.view()?;
        let chosen: Vec<String> = match (found.node_by_iri(from), found.node_by_iri(to)) {
            (Some(start), Some(end)) => crate::links::path(&found, start, end, walk.through_hubs)
                .unwrap_or_default()
                .iter()
                .map(|hop| found.graph[hop.edge].statement.clone())
                .collect(),
            _ => Vec::new(),
        };
        let mut answer = search.again()?;
        answer.describe(&[from.to_owned(), to.to_owned()])?;
        answer.statements(&chosen)?;
        answer.view()
    }

    /// What the card of `iri` reads, fetched from the endpoint: the view
    /// of the entity and its relations, and a local store holding all the
    /// card's queries read (its facts, figures and their evidence).
    pub fn card_around(&self, iri: &str) -> Result<(View, StoreSource), Error> {
        let mut partial = Partial::new(self)?;
        partial.card(iri)?;
        Ok((partial.view()?, partial.source()))
    }

    /// Runs CONSTRUCT queries, up to [`CONCURRENT`] at once (the batches
    /// of one hop do not depend on one another), and reads their triples,
    /// in the order of `texts`.
    pub(crate) fn construct_all(
        &self,
        texts: &[String],
        origin: &str,
    ) -> Result<Vec<Vec<Triple>>, Error> {
        let mut answers = Vec::with_capacity(texts.len());
        for wave in texts.chunks(CONCURRENT) {
            if let [text] = wave {
                answers.push(self.construct(text, origin)?);
                continue;
            }
            let fetched: Vec<Result<Vec<Triple>, Error>> = std::thread::scope(|scope| {
                let running: Vec<_> = wave
                    .iter()
                    .map(|text| scope.spawn(move || self.construct(text, origin)))
                    .collect();
                running
                    .into_iter()
                    .map(|thread| {
                        thread
                            .join()
                            .unwrap_or_else(|_| Err(self.error(format!("{origin} failed"))))
                    })
                    .collect()
            });
            for answer in fetched {
                answers.push(answer?);
            }
        }
        Ok(answers)
    }

    /// Runs a CONSTRUCT and reads its triples.
    pub(crate) fn construct(&self, text: &str, origin: &str) -> Result<Vec<Triple>, Error> {
        match self.run(&Request::new(text, origin))? {
            QueryResults::Graph(triples) => triples
                .map(|t| {
                    t.map_err(|e| self.error(format!("cannot read the answer to {origin}: {e}")))
                })
                .collect(),
            _ => Err(self.error(format!("answered {origin} with no graph"))),
        }
    }
}

/// What a statement node was fetched with that tells whether the view
/// holds it as a relation: as [`View::build`] reads statements, an IRI
/// typed `ig:Statement` with IRIs for its ends, predicate and status.
#[derive(Default)]
struct Shape<'t> {
    statement: bool,
    predicate: bool,
    status: bool,
    subjects: Vec<&'t str>,
    objects: Vec<&'t str>,
}

impl<'t> Shape<'t> {
    /// Reads `triple` of the statement node; `kinds` is `ig:Statement`
    /// and `ig:status`.
    fn add(&mut self, triple: &'t Triple, [kind, status]: &[NamedNode; 2]) {
        let Term::NamedNode(object) = &triple.object else {
            return;
        };
        let p = &triple.predicate;
        if *p == rdf_vocab::TYPE {
            self.statement |= object == kind;
        } else if *p == rdf_vocab::PREDICATE {
            self.predicate = true;
        } else if p == status {
            self.status = true;
        } else if *p == rdf_vocab::SUBJECT {
            self.subjects.push(object.as_str());
        } else if *p == rdf_vocab::OBJECT {
            self.objects.push(object.as_str());
        }
    }

    fn in_view(&self) -> bool {
        self.statement && self.predicate && self.status
    }
}

/// The IRIs as the body of a `VALUES` block.
fn values(iris: &[String]) -> Result<String, Error> {
    let mut text = String::new();
    for iri in iris {
        let node = NamedNode::new(iri.as_str())
            .map_err(|e| Error::Usage(format!("{iri} is not an IRI: {e}")))?;
        text.push_str(&node.to_string());
        text.push(' ');
    }
    Ok(text)
}

fn insert(store: &Store, triples: Vec<Triple>) -> Result<(), Error> {
    store
        .extend(
            triples
                .into_iter()
                .map(|t| t.in_graph(GraphName::DefaultGraph)),
        )
        .map_err(|e| Error::Store(e.to_string()))
}

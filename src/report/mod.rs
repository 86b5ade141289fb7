//! `innograph report`: an overview of the ecosystem in one document, built
//! from the typed answers and SPARQL over the graph source. What the source
//! letter is and says, counts by kind, an overview diagram, one diagram per
//! section of the source and one per university, the programmes and funds with who runs them and whom
//! they serve, every figure, achieved against planned, the inferred facts
//! with their reasons, and the citations.
//!
//! [`Report::build`] gathers it (drawing the diagrams with Graphviz); the
//! [`html`] and [`markdown`] modules write it, [`pdf`] prints the HTML to
//! PDF. Everything is sorted, so the
//! same graph gives the same bytes.

pub mod html;
pub mod markdown;
pub mod pdf;

use crate::answer::{EntityRef, Evidence, Figure, Figures, Platforms, Stats};
use crate::error::Error;
use crate::export::render::{Image, draw};
use crate::export::{self, Context, Exporter, Lang, Legend, Options, Selection, dot::Dot};
use crate::ontology::text;
use crate::source::{GraphSource, Request, select};
use crate::view::{Modality, Status, View};
use oxigraph::model::Term;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The report of a graph.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The language of the report.
    #[serde(skip)]
    pub lang: Lang,
    /// The source documents the facts are drawn from.
    pub letters: Vec<Letter>,
    /// What the sources say, in a few sentences drawn from the data.
    pub summary: Vec<String>,
    /// The counts of the graph.
    pub stats: Stats,
    /// The overview diagram.
    pub overview: Diagram,
    /// One diagram per top-level section of the sources, in source order:
    /// each small enough to read on a printed page.
    pub sections: Vec<Diagram>,
    /// Each university with its platforms and its diagram.
    pub universities: Vec<University>,
    /// The programmes and funds.
    pub programmes: Vec<Programme>,
    /// Every figure, with the entity it is about.
    pub figures: Vec<(EntityRef, Figure)>,
    /// Achieved against planned.
    pub modality: ModalityCounts,
    /// The facts the source announces rather than reports done.
    pub planned: Vec<Fact>,
    /// The facts inferred by the curators, with their reasons.
    pub inferred: Vec<Fact>,
    /// The sources cited, with the sections the facts come from.
    pub citations: Vec<Citation>,
}

/// A source document, from the data.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    /// The entity of the document.
    pub entity: EntityRef,
    /// Its number (`杨府〔2023〕6号`), when it has one.
    pub number: Option<String>,
    /// Its date.
    pub date: Option<String>,
    /// Who issued it.
    pub issuers: Vec<EntityRef>,
    /// To whom it is addressed.
    pub addressees: Vec<EntityRef>,
}

impl Letter {
    /// The short citation: the number, else the Chinese title.
    pub fn citation(&self) -> &str {
        self.number.as_deref().unwrap_or(&self.entity.name_zh)
    }
}

/// A diagram: its title, DOT source and SVG drawing.
#[derive(Debug, Clone, Serialize)]
pub struct Diagram {
    /// A name for files (`overview`, `university-fudan`).
    pub slug: String,
    /// The title.
    pub title: String,
    /// The Graphviz DOT source.
    pub dot: String,
    /// The SVG drawing, without XML prolog (ready to be put inline).
    #[serde(skip)]
    pub svg: String,
    /// What Graphviz warned of while drawing it.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// A university, its platforms and its diagram.
#[derive(Debug, Clone, Serialize)]
pub struct University {
    /// The platforms linked to it directly.
    pub platforms: Platforms,
    /// Its neighbourhood, two links out without passing through hubs.
    pub diagram: Diagram,
}

/// One relation of a programme, told from the programme's side.
#[derive(Debug, Clone, Serialize)]
pub struct Relation {
    /// The relation's local name.
    pub predicate: String,
    /// Its label in the report's language.
    pub label: String,
    /// The entity at the other end.
    pub other: EntityRef,
    /// Why it is in the graph.
    pub evidence: Evidence,
}

/// A programme or fund.
#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    /// The programme.
    pub entity: EntityRef,
    /// Relations that point at it: who runs, implements, organises it.
    pub run_by: Vec<Relation>,
    /// Relations from it: whom it serves, what it supports or focuses on.
    pub serves: Vec<Relation>,
}

/// Statements and figures by modality.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ModalityCounts {
    /// Relations reported done.
    pub achieved_relations: usize,
    /// Relations announced.
    pub planned_relations: usize,
    /// Figures reported done.
    pub achieved_figures: usize,
    /// Figures announced.
    pub planned_figures: usize,
}

/// A fact as one line, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    /// The fact: `subject — relation → object`, an entity, or a figure.
    pub fact: String,
    /// Why it is in the graph (the reason of an inference is in here).
    pub evidence: Evidence,
}

/// A source and where the facts come from in it.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// The short citation.
    pub citation: String,
    /// Facts (relations, figures) drawn from each section, in section order.
    pub sections: Vec<(String, usize)>,
}

/// The kinds whose entities are programmes or funds (subkinds included).
const PROGRAMME_KINDS: [&str; 3] = ["Programme", "FundingScheme", "Fund"];

/// The kind of universities.
const UNIVERSITY: &str = "University";

const LETTERS: &str = r#"
SELECT ?letter ?number ?date WHERE {
  { SELECT DISTINCT ?letter WHERE {
      ?node prov:wasDerivedFrom ?letter .
      FILTER NOT EXISTS { ?letter a oa:SpecificResource }
  } }
  OPTIONAL { ?letter schema:identifier ?number }
  OPTIONAL { ?letter dcterms:date ?date }
} ORDER BY ?letter"#;

const PARTIES: &str = r#"
SELECT ?letter ?role ?who WHERE {
  { ?who ig:issued ?letter BIND("issuer" AS ?role) }
  UNION
  { ?letter ig:addressedTo ?who BIND("addressee" AS ?role) }
} ORDER BY ?letter ?role ?who"#;

const INFERRED_ENTITIES: &str = r#"
SELECT ?node ?section ?quote ?reason ?citation WHERE {
  ?node ig:status ig:Inferred .
  OPTIONAL { ?node prov:wasDerivedFrom ?document .
             OPTIONAL { ?document schema:identifier ?number }
             OPTIONAL { ?document skos:prefLabel ?title FILTER(LANGMATCHES(LANG(?title), "zh")) } }
  BIND(COALESCE(?number, ?title) AS ?citation)
  OPTIONAL { ?node ig:section ?section }
  OPTIONAL { ?node ig:quote ?quote }
  OPTIONAL { ?node ig:reason ?reason }
  FILTER NOT EXISTS { ?node a ig:Statement }
  FILTER NOT EXISTS { ?node a ig:Figure }
} ORDER BY ?node"#;

/// `zh` or `en` or both, for a phrase of the report.
pub fn say(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
        Lang::Both if zh == en => zh.to_owned(),
        Lang::Both => format!("{zh} · {en}"),
    }
}

/// An entity's name in the report's language (both: `中文 (English)`).
pub fn name(lang: Lang, entity: &EntityRef) -> String {
    match lang {
        Lang::Zh => entity.name_zh.clone(),
        Lang::En => entity.name_en.clone(),
        Lang::Both if entity.name_zh == entity.name_en => entity.name_zh.clone(),
        Lang::Both => format!("{} ({})", entity.name_zh, entity.name_en),
    }
}

/// `Lang::pick` on one line.
fn pick(lang: Lang, zh: &str, en: &str) -> String {
    lang.pick(zh, en).replace('\n', " / ")
}

impl Report {
    /// Gathers the report of the graph `source` (viewed as `view`), in
    /// `lang`, drawing its diagrams with Graphviz (an error that says how
    /// to install it when `dot` is missing).
    pub fn build(source: &dyn GraphSource, view: &View, lang: Lang) -> Result<Report, Error> {
        let letters = letters(source, view)?;
        let stats = Stats::ask(source, view)?;
        let overview = diagram(
            source,
            view,
            lang,
            None,
            "overview",
            &say(lang, "生态总览", "Overview of the ecosystem"),
        )?;
        let mut section_diagrams = Vec::new();
        for (i, section) in top_sections(view).into_iter().enumerate() {
            let selection = Selection::default().in_sections(std::slice::from_ref(&section));
            section_diagrams.push(draw_diagram(
                source,
                view,
                lang,
                selection,
                true,
                &format!("section-{}", i + 1),
                &say(
                    lang,
                    &format!("原文「{section}」所述"),
                    &format!("What section {section} of the source says"),
                ),
            )?);
        }
        let mut universities = Vec::new();
        for n in nodes_of(view, &[UNIVERSITY]) {
            let entity = EntityRef::of(view, n);
            let title = format!(
                "{} {}",
                name(lang, &entity),
                say(lang, "及其平台", "and its platforms")
            );
            universities.push(University {
                platforms: Platforms::ask(view, n, 1),
                diagram: diagram(
                    source,
                    view,
                    lang,
                    Some(n),
                    &format!("university-{}", entity.id),
                    &title,
                )?,
            });
        }
        let programmes = nodes_of(view, &PROGRAMME_KINDS)
            .into_iter()
            .map(|n| programme(view, lang, n))
            .collect();
        let figures: Vec<(EntityRef, Figure)> = Figures::every(source)?
            .into_iter()
            .filter_map(|(iri, figure)| {
                view.node_by_iri(&iri)
                    .map(|n| (EntityRef::of(view, n), figure))
            })
            .collect();
        let mut modality = ModalityCounts::default();
        let mut planned = Vec::new();
        let mut inferred = Vec::new();
        let mut sections: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for e in view.graph.edge_indices() {
            let edge = view.edge(e);
            let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
            let fact = format!(
                "{} — {} → {}",
                name(lang, &EntityRef::of(view, s)),
                pick(
                    lang,
                    &view.predicate_label(&edge.predicate, "zh"),
                    &view.predicate_label(&edge.predicate, "en")
                ),
                name(lang, &EntityRef::of(view, o))
            );
            let evidence = Evidence::of(edge);
            match edge.modality {
                Modality::Achieved => modality.achieved_relations += 1,
                Modality::Planned => modality.planned_relations += 1,
            }
            *sections
                .entry(evidence.citation.clone())
                .or_default()
                .entry(edge.section.clone())
                .or_default() += 1;
            if edge.modality == Modality::Planned {
                planned.push(Fact {
                    fact: fact.clone(),
                    evidence: evidence.clone(),
                });
            }
            if edge.status == Status::Inferred {
                inferred.push(Fact { fact, evidence });
            }
        }
        for (entity, figure) in &figures {
            let fact = format!("{}: {}", name(lang, entity), figure.line());
            match figure.evidence.modality {
                Modality::Achieved => modality.achieved_figures += 1,
                Modality::Planned => modality.planned_figures += 1,
            }
            *sections
                .entry(figure.evidence.citation.clone())
                .or_default()
                .entry(figure.evidence.section.clone())
                .or_default() += 1;
            if figure.evidence.modality == Modality::Planned {
                planned.push(Fact {
                    fact: fact.clone(),
                    evidence: figure.evidence.clone(),
                });
            }
            if figure.evidence.status == Status::Inferred {
                inferred.push(Fact {
                    fact,
                    evidence: figure.evidence.clone(),
                });
            }
        }
        inferred.extend(inferred_entities(source, view, lang)?);
        let citations = sections
            .into_iter()
            .filter(|(citation, _)| !citation.is_empty())
            .map(|(citation, by_section)| {
                let mut sections: Vec<(String, usize)> = by_section.into_iter().collect();
                sections.sort_by_key(|(s, _)| export::dot::section_key(s));
                Citation { citation, sections }
            })
            .collect();
        let summary = summary(view, lang, &letters, &stats, &modality, universities.len());
        Ok(Report {
            lang,
            letters,
            summary,
            stats,
            overview,
            sections: section_diagrams,
            universities,
            programmes,
            figures,
            modality,
            planned,
            inferred,
            citations,
        })
    }

    /// Every diagram, the overview first, then the sections'.
    pub fn diagrams(&self) -> Vec<&Diagram> {
        std::iter::once(&self.overview)
            .chain(&self.sections)
            .chain(self.universities.iter().map(|u| &u.diagram))
            .collect()
    }

    /// What Graphviz warned of while drawing the diagrams.
    pub fn warnings(&self) -> Vec<String> {
        self.diagrams()
            .into_iter()
            .flat_map(|d| d.warnings.iter().cloned())
            .collect()
    }

    /// The report's title.
    pub fn title(&self) -> String {
        let cited: Vec<&str> = self.letters.iter().map(Letter::citation).collect();
        let base = say(self.lang, "创新生态报告", "Innovation ecosystem report");
        if cited.is_empty() {
            base
        } else {
            format!("{base}: {}", cited.join("; "))
        }
    }
}

/// The entities of any of `kinds` (subkinds included), in id order.
fn nodes_of(view: &View, kinds: &[&str]) -> Vec<NodeIndex> {
    let mut nodes: Vec<NodeIndex> = view
        .graph
        .node_indices()
        .filter(|&n| kinds.iter().any(|k| view.is_a(n, k)))
        .collect();
    nodes.sort_by(|&a, &b| view.node(a).id.cmp(&view.node(b).id));
    nodes
}

/// The source documents, with their parties, from SPARQL.
fn letters(source: &dyn GraphSource, view: &View) -> Result<Vec<Letter>, Error> {
    let mut letters = Vec::new();
    let rows = select(
        source,
        &Request::new(LETTERS, "the report's letters query"),
        &["letter", "number", "date"],
    )?;
    let parties = select(
        source,
        &Request::new(PARTIES, "the report's parties query"),
        &["letter", "role", "who"],
    )?;
    for row in rows {
        let Some(Term::NamedNode(iri)) = &row[0] else {
            continue;
        };
        let Some(node) = view.node_by_iri(iri.as_str()) else {
            continue;
        };
        let of_role = |role: &str| -> Vec<EntityRef> {
            parties
                .iter()
                .filter(|p| matches!(&p[0], Some(Term::NamedNode(l)) if l == iri))
                .filter(|p| text(&p[1]).as_deref() == Some(role))
                .filter_map(|p| match &p[2] {
                    Some(Term::NamedNode(who)) => view.node_by_iri(who.as_str()),
                    _ => None,
                })
                .map(|n| EntityRef::of(view, n))
                .collect()
        };
        letters.push(Letter {
            entity: EntityRef::of(view, node),
            number: text(&row[1]),
            date: text(&row[2]),
            issuers: of_role("issuer"),
            addressees: of_role("addressee"),
        });
    }
    Ok(letters)
}

/// The paragraphs that say what the sources are and what the graph holds:
/// one in each language when the report has both.
fn summary(
    view: &View,
    lang: Lang,
    letters: &[Letter],
    stats: &Stats,
    modality: &ModalityCounts,
    universities: usize,
) -> Vec<String> {
    if lang == Lang::Both {
        let mut both = summary(view, Lang::Zh, letters, stats, modality, universities);
        both.extend(summary(
            view,
            Lang::En,
            letters,
            stats,
            modality,
            universities,
        ));
        return both;
    }
    let zh = lang == Lang::Zh;
    let entity_name = |n: NodeIndex| {
        let node = view.node(n);
        if zh {
            node.name_zh.clone()
        } else {
            node.name_en.clone()
        }
    };
    let platforms = view
        .graph
        .node_indices()
        .filter(|&n| view.is_platform(n))
        .count();
    let mut paragraph = String::new();
    for letter in letters {
        let title = if zh {
            &letter.entity.name_zh
        } else {
            &letter.entity.name_en
        };
        let number = letter.number.as_deref().unwrap_or_default();
        paragraph.push_str(&match (zh, &letter.date) {
            (true, Some(date)) => format!("{number}《{title}》，{date}。"),
            (true, None) => format!("{number}《{title}》。"),
            (false, Some(date)) => format!("{number} ({title}) is dated {date}. "),
            (false, None) => format!("{number} ({title}). "),
        });
        // What the data says the letter does, relation by relation.
        let Some(node) = view.node_by_iri(&letter.entity.iri) else {
            continue;
        };
        for (e, other, outgoing) in view.incident(node) {
            let predicate = &view.edge(e).predicate;
            let label = view.predicate_label(predicate, if zh { "zh" } else { "en" });
            let other = entity_name(other);
            paragraph.push_str(&match (zh, outgoing) {
                (true, true) => format!("本函{label}{other}。"),
                (true, false) => format!("{other}{label}本函。"),
                (false, true) => format!("It {label} {other}. "),
                (false, false) => format!("{other} {label} it. "),
            });
        }
    }
    let figures = |n: usize| if n == 1 { "figure" } else { "figures" };
    paragraph.push_str(&if zh {
        format!(
            "图中有 {} 个实体（{} 类）、{} 条关系和 {} 个数字，其中高校 {} 所、平台 {} 个；{} 条关系和 {} 个数字为规划（尚未完成），{} 条关系为推断。",
            stats.entities,
            stats.kinds.len(),
            stats.relations,
            stats.figures,
            universities,
            platforms,
            modality.planned_relations,
            modality.planned_figures,
            stats.inferred_relations
        )
    } else {
        format!(
            "The graph holds {} entities of {} kinds, {} relations and {} {}, among them {} universities and {} platforms; {} relations and {} {} are planned rather than achieved, and {} relations are inferred.",
            stats.entities,
            stats.kinds.len(),
            stats.relations,
            stats.figures,
            figures(stats.figures),
            universities,
            platforms,
            modality.planned_relations,
            modality.planned_figures,
            figures(modality.planned_figures),
            stats.inferred_relations
        )
    });
    vec![paragraph.trim_end().to_owned()]
}

/// A programme with the relations that run it and those it serves.
fn programme(view: &View, lang: Lang, n: NodeIndex) -> Programme {
    let mut run_by = Vec::new();
    let mut serves = Vec::new();
    for (e, other, outgoing) in view.incident(n) {
        let edge = view.edge(e);
        let relation = Relation {
            predicate: edge.predicate.clone(),
            label: pick(
                lang,
                &view.predicate_label(&edge.predicate, "zh"),
                &view.predicate_label(&edge.predicate, "en"),
            ),
            other: EntityRef::of(view, other),
            evidence: Evidence::of(edge),
        };
        if outgoing {
            serves.push(relation);
        } else {
            run_by.push(relation);
        }
    }
    let order = |r: &Relation| (r.predicate.clone(), r.other.id.clone());
    run_by.sort_by_key(order);
    serves.sort_by_key(order);
    Programme {
        entity: EntityRef::of(view, n),
        run_by,
        serves,
    }
}

/// The entities inferred rather than stated, with their reasons.
fn inferred_entities(
    source: &dyn GraphSource,
    view: &View,
    lang: Lang,
) -> Result<Vec<Fact>, Error> {
    let rows = select(
        source,
        &Request::new(INFERRED_ENTITIES, "the report's inferred entities query"),
        &["node", "section", "quote", "reason", "citation"],
    )?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let Some(Term::NamedNode(iri)) = &row[0] else {
                return None;
            };
            let n = view.node_by_iri(iri.as_str())?;
            Some(Fact {
                fact: name(lang, &EntityRef::of(view, n)),
                evidence: Evidence {
                    status: Status::Inferred,
                    modality: Modality::Achieved,
                    citation: text(&row[4]).unwrap_or_default(),
                    document: None,
                    section: text(&row[1]).unwrap_or_default(),
                    quote: text(&row[2]).unwrap_or_default(),
                    reason: text(&row[3]),
                    date: None,
                    start: None,
                    anchor_start: None,
                    anchor_end: None,
                },
            })
        })
        .collect())
}

/// One diagram: the whole graph with leaves collapsed, or the neighbourhood
/// of `focus` (two links, not through hubs); drawn as SVG.
fn diagram(
    source: &dyn GraphSource,
    view: &View,
    lang: Lang,
    focus: Option<NodeIndex>,
    slug: &str,
    title: &str,
) -> Result<Diagram, Error> {
    let selection = Selection {
        focus,
        depth: 2,
        through_hubs: false,
        ..Selection::default()
    };
    draw_diagram(source, view, lang, selection, focus.is_none(), slug, title)
}

/// The top-level sections the relations of `view` come from (`二` for
/// `二（一）`), in the order of the source.
fn top_sections(view: &View) -> Vec<String> {
    let tops: BTreeSet<String> = view
        .graph
        .edge_weights()
        .map(|edge| {
            edge.section
                .split_once('（')
                .map_or(edge.section.as_str(), |(top, _)| top)
                .to_owned()
        })
        .filter(|top| !top.is_empty())
        .collect();
    let mut tops: Vec<String> = tops.into_iter().collect();
    tops.sort_by_key(|top| crate::export::dot::section_key(top));
    tops
}

/// `selection` of `view` drawn as an SVG diagram titled `title`, leaves
/// collapsed when `collapse`.
fn draw_diagram(
    source: &dyn GraphSource,
    view: &View,
    lang: Lang,
    selection: Selection,
    collapse: bool,
    slug: &str,
    title: &str,
) -> Result<Diagram, Error> {
    let options = Options {
        lang,
        title: Some(title.to_owned()),
        legend: Legend::Bottom,
        collapse,
        ..Options::default()
    };
    let context = Context::new(source, view, selection, options)?;
    let mut dot = Vec::new();
    Dot.write(&context, &mut dot)?;
    let (svg, warnings) = draw(&dot, Image::Svg)?;
    let svg = String::from_utf8_lossy(&svg);
    // Inline SVG needs neither the XML prolog nor the doctype.
    let svg = svg.find("<svg").map_or(svg.as_ref(), |i| &svg[i..]);
    Ok(Diagram {
        slug: slug.to_owned(),
        title: title.to_owned(),
        dot: String::from_utf8_lossy(&dot).into_owned(),
        svg: svg.trim_end().to_owned(),
        warnings: warnings
            .into_iter()
            .map(|w| format!("graphviz ({slug}): {w}"))
            .collect(),
    })
}

//! Exports: the graph written in the formats other tools read, one file per
//! format behind the [`Exporter`] trait.
//!
//! An exporter is given a [`Context`]: the graph source (for the RDF formats,
//! which write every triple of the store), the petgraph view, the part of it
//! selected ([`Selection`]: the neighbourhood of one entity, some kinds, some
//! relations) and how to draw it ([`Options`]). [`Format`] names every format
//! and finds the exporter for it; [`write`] runs it.
//!
//! Every export is deterministic: nodes are written in id order and edges in
//! (subject, predicate, object) order, so the same data gives the same bytes.

pub mod csv;
pub mod dot;
pub mod graphml;
pub mod html;
pub mod json;
pub mod mermaid;
pub mod rdf;
pub mod render;

use crate::error::Error;
use crate::format::{Described, Info};
use crate::links;
use crate::ontology::text;
use crate::source::{GraphSource, Request, select};
use crate::view::View;
use oxigraph::io::RdfFormat;
use oxigraph::model::Term;
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// Which language names and relation labels are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese.
    Zh,
    /// English.
    En,
    /// Chinese with the English beneath.
    #[default]
    Both,
}

impl Lang {
    /// The text to show for a thing named `zh` in Chinese and `en` in English:
    /// one of them, or both on two lines (once when they are the same).
    pub fn pick(self, zh: &str, en: &str) -> String {
        match self {
            Lang::Zh => zh.to_owned(),
            Lang::En => en.to_owned(),
            Lang::Both if zh == en => zh.to_owned(),
            Lang::Both => format!("{zh}\n{en}"),
        }
    }
}

/// How entities are grouped into boxes in a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cluster {
    /// One box per kind.
    Kind,
    /// One box per section of the source that names the entity, subsections
    /// nested in their section.
    Section,
}

/// Where a diagram's legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Legend {
    /// Beside the diagram, as a box of sample shapes.
    Side,
    /// Under the diagram, one compact table with the title and source line.
    #[default]
    Bottom,
    /// No legend.
    None,
}

/// How to draw what is selected.
#[derive(Debug, Clone)]
pub struct Options {
    /// The language of labels.
    pub lang: Lang,
    /// Groups of entities drawn as boxes (DOT, SVG and PNG only).
    pub cluster: Option<Cluster>,
    /// A title under the diagram (DOT, SVG and PNG only).
    pub title: Option<String>,
    /// Whether a line under the diagram cites the sources of what it draws.
    pub source_line: bool,
    /// Where the legend goes.
    pub legend: Legend,
    /// Whether entities linked only to one other entity, by the same
    /// relation and in the same direction, are drawn as one box that lists
    /// them with their count (so that a hub's many leaves take one place).
    pub collapse: bool,
    /// The resolution of a PNG, in dots per inch (Graphviz's 96 unless given;
    /// 300 for print).
    pub dpi: Option<u32>,
}

impl Default for Options {
    /// Both languages, no boxes, no title, the source line, the legend under
    /// the diagram, every entity drawn.
    fn default() -> Options {
        Options {
            lang: Lang::Both,
            cluster: None,
            title: None,
            source_line: true,
            legend: Legend::Bottom,
            collapse: false,
            dpi: None,
        }
    }
}

/// Which part of the graph to write; everything by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only the neighbourhood of this entity.
    pub focus: Option<NodeIndex>,
    /// How many links from the focus.
    pub depth: usize,
    /// Whether the neighbourhood may pass through hubs (see [`crate::links`]).
    pub through_hubs: bool,
    /// Only entities of these kinds (local names; subkinds included). The
    /// focus is kept whatever its kind.
    pub kinds: Vec<String>,
    /// Only relations with these predicates (local names) or their
    /// sub-properties. Entities left
    /// without a relation are then dropped, except the focus.
    pub relations: Vec<String>,
    /// Only relations the source states in these sections or their
    /// subsections (`二` takes `二（一）`). Entities left without a relation
    /// are then dropped, except the focus.
    pub sections: Vec<String>,
}

impl Selection {
    /// A selection from names as a user gives them: kinds by local name or
    /// label, predicates by local name or label. Unknown names are an error
    /// that lists the known ones.
    pub fn new(
        view: &View,
        focus: Option<NodeIndex>,
        depth: usize,
        through_hubs: bool,
        kinds: &[String],
        relations: &[String],
    ) -> Result<Selection, Error> {
        let kinds = kinds
            .iter()
            .map(|name| {
                view.schema
                    .kind_named(name)
                    .map(|k| k.name.clone())
                    .map_err(|e| Error::Usage(format!("--kinds: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let relations = relations
            .iter()
            .map(|name| {
                view.schema
                    .predicate_named(name)
                    .map(|p| p.name.clone())
                    .map_err(|e| Error::Usage(format!("--relations: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Selection {
            focus,
            depth,
            through_hubs,
            kinds,
            relations,
            sections: Vec::new(),
        })
    }

    /// This selection, kept to the relations of `sections` (see
    /// [`Selection::sections`]).
    pub fn in_sections(mut self, sections: &[String]) -> Selection {
        self.sections = sections.to_vec();
        self
    }

    /// Whether `section` is one of [`Selection::sections`] or a subsection of one.
    fn section_ok(&self, section: &str) -> bool {
        self.sections.is_empty()
            || self.sections.iter().any(|s| {
                section == s
                    || section
                        .strip_prefix(s.as_str())
                        .is_some_and(|rest| rest.starts_with('（'))
            })
    }

    /// Whether this selects the whole graph.
    pub fn is_whole(&self) -> bool {
        self.focus.is_none()
            && self.kinds.is_empty()
            && self.relations.is_empty()
            && self.sections.is_empty()
    }

    /// The entities and relations selected in `view`, in view order.
    pub fn apply(&self, view: &View) -> Selected {
        let kind_ok = |n: NodeIndex| {
            Some(n) == self.focus
                || self.kinds.is_empty()
                || self.kinds.iter().any(|k| view.is_a(n, k))
        };
        let edge_ok = |e: EdgeIndex| {
            // A coarse predicate selects its finer ones too (`supports`
            // takes `builds`), as a SPARQL query over direct triples does.
            let predicate = &view.edge(e).predicate;
            (self.relations.is_empty()
                || self
                    .relations
                    .iter()
                    .any(|r| view.schema.predicate_is_a(predicate, r)))
                && self.section_ok(&view.edge(e).section)
        };
        let mut nodes: BTreeSet<NodeIndex> = match self.focus {
            Some(focus) => {
                let mut near: BTreeSet<NodeIndex> = links::reach_where(
                    view,
                    focus,
                    self.depth.max(1),
                    self.through_hubs,
                    |e, other| edge_ok(e) && kind_ok(other),
                )
                .into_keys()
                .collect();
                near.insert(focus);
                near
            }
            None => view.graph.node_indices().filter(|&n| kind_ok(n)).collect(),
        };
        let edges: Vec<EdgeIndex> = view
            .graph
            .edge_indices()
            .filter(|&e| {
                let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
                edge_ok(e) && nodes.contains(&s) && nodes.contains(&o)
            })
            .collect();
        if !self.relations.is_empty() || !self.sections.is_empty() {
            let touched: BTreeSet<NodeIndex> = edges
                .iter()
                .flat_map(|&e| {
                    let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
                    [s, o]
                })
                .chain(self.focus)
                .collect();
            nodes.retain(|n| touched.contains(n));
        }
        Selected {
            nodes: nodes.into_iter().collect(),
            edges,
        }
    }
}

/// The entities and relations a [`Selection`] picked, in view order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selected {
    /// Entities, in id order.
    pub nodes: Vec<NodeIndex>,
    /// Relations between them, in (subject, predicate, object) order.
    pub edges: Vec<EdgeIndex>,
}

/// Where the source names an entity: the evidence of the entity itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Naming {
    /// The source's short citation (`杨府〔2023〕6号`), empty without a source.
    pub citation: String,
    /// Section of the source, e.g. `三（一）`.
    pub section: String,
    /// Verbatim quote.
    pub quote: String,
}

const NAMINGS: &str = r#"
SELECT ?entity ?section ?quote ?citation WHERE {
  ?entity ig:quote ?quote .
  OPTIONAL { ?entity ig:section ?section }
  OPTIONAL { ?entity prov:wasDerivedFrom ?source .
             OPTIONAL { ?source schema:identifier ?identifier }
             OPTIONAL { ?source skos:prefLabel ?title FILTER(LANGMATCHES(LANG(?title), "zh")) } }
  BIND(COALESCE(?identifier, ?title) AS ?citation)
  FILTER NOT EXISTS { ?entity a ig:Statement }
  FILTER NOT EXISTS { ?entity a ig:Figure }
}"#;

/// Everything an exporter is given.
pub struct Context<'a> {
    /// The graph source, for exports of the whole store.
    pub source: &'a dyn GraphSource,
    /// The petgraph view.
    pub view: &'a View,
    /// What the user selected.
    pub selection: Selection,
    /// What it picked in the view.
    pub selected: Selected,
    /// How to draw it.
    pub options: Options,
    namings: BTreeMap<NodeIndex, Naming>,
    warnings: RefCell<Vec<String>>,
}

impl<'a> Context<'a> {
    /// The context for writing `selection` of `view` (built from `source`).
    pub fn new(
        source: &'a dyn GraphSource,
        view: &'a View,
        selection: Selection,
        options: Options,
    ) -> Result<Context<'a>, Error> {
        let mut namings: BTreeMap<NodeIndex, Naming> = BTreeMap::new();
        for row in select(
            source,
            &Request::new(NAMINGS, "the entity evidence query"),
            &["entity", "section", "quote", "citation"],
        )? {
            let Some(Term::NamedNode(entity)) = &row[0] else {
                continue;
            };
            let Some(node) = view.node_by_iri(entity.as_str()) else {
                continue;
            };
            let naming = Naming {
                citation: text(&row[3]).unwrap_or_default(),
                section: text(&row[1]).unwrap_or_default(),
                quote: text(&row[2]).unwrap_or_default(),
            };
            // One naming per entity, the same whatever order the store answers in.
            let keep = namings.get(&node).is_none_or(|old| {
                (&naming.section, &naming.quote, &naming.citation)
                    < (&old.section, &old.quote, &old.citation)
            });
            if keep {
                namings.insert(node, naming);
            }
        }
        Ok(Context {
            selected: selection.apply(view),
            source,
            view,
            selection,
            options,
            namings,
            warnings: RefCell::new(Vec::new()),
        })
    }

    /// Where the source names `node`, when it says.
    pub fn naming(&self, node: NodeIndex) -> Option<&Naming> {
        self.namings.get(&node)
    }

    /// Notes a problem that did not stop the export (a warning of Graphviz).
    pub fn warn(&self, message: impl Into<String>) {
        self.warnings.borrow_mut().push(message.into());
    }

    /// The warnings noted so far.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.borrow().clone()
    }

    /// The name of `node` in the chosen language.
    pub fn name(&self, node: NodeIndex) -> String {
        let node = self.view.node(node);
        self.options.lang.pick(&node.name_zh, &node.name_en)
    }

    /// The label of `predicate` in the chosen language.
    pub fn relation_label(&self, predicate: &str) -> String {
        self.options.lang.pick(
            &self.view.predicate_label(predicate, "zh"),
            &self.view.predicate_label(predicate, "en"),
        )
    }

    /// The label of `kind` in the chosen language.
    pub fn kind_label(&self, kind: &str) -> String {
        self.options.lang.pick(
            &self.view.kind_label(kind, "zh"),
            &self.view.kind_label(kind, "en"),
        )
    }

    /// The kinds of the selected entities, sorted.
    pub fn kinds_used(&self) -> Vec<&'a str> {
        let view: &'a View = self.view;
        let kinds: BTreeSet<&'a str> = self
            .selected
            .nodes
            .iter()
            .map(|&n| view.graph[n].kind.as_str())
            .collect();
        kinds.into_iter().collect()
    }
}

/// A drawing option that only some formats use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramOption {
    /// `--cluster`: boxes around groups of entities.
    Cluster,
    /// `--lang`: the language of names and labels.
    Lang,
}

/// A format the graph can be written in.
pub trait Exporter {
    /// Writes what `context` selects to `out`.
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error>;
}

/// Every export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// SVG drawn by Graphviz.
    Svg,
    /// PNG drawn by Graphviz.
    Png,
    /// PDF drawn by Graphviz.
    Pdf,
    /// RDF Turtle of the whole store.
    Turtle,
    /// RDF N-Triples of the whole store.
    NTriples,
    /// RDF N-Quads of the whole store (default graph).
    NQuads,
    /// RDF TriG of the whole store (default graph).
    TriG,
    /// RDF/XML of the whole store.
    RdfXml,
    /// JSON-LD of the whole store.
    JsonLd,
    /// GraphML with typed attributes.
    GraphMl,
    /// A Cytoscape.js JSON graph.
    Json,
    /// A Mermaid flowchart.
    Mermaid,
    /// A CSV edge list.
    Csv,
    /// The explorer as one HTML file.
    Html,
}

impl Described for Format {
    const ALL: &'static [Format] = &Format::ALL;
    const APPLIES_TO: &'static str = "exports";

    fn info(self) -> &'static Info {
        const fn info(
            name: &'static str,
            extensions: &'static [&'static str],
            media_type: &'static str,
            help: &'static str,
        ) -> Info {
            Info {
                name,
                extensions,
                media_type,
                help,
                binary: false,
            }
        }
        static DOT: Info = info(
            "dot",
            &["dot", "gv"],
            "text/vnd.graphviz; charset=utf-8",
            "Graphviz DOT: a diagram with a legend, for reports",
        );
        static SVG: Info = info(
            "svg",
            &["svg"],
            "image/svg+xml",
            "the diagram drawn as SVG by Graphviz (needs `dot` installed)",
        );
        static PNG: Info = Info {
            binary: true,
            ..info(
                "png",
                &["png"],
                "image/png",
                "the diagram drawn as PNG by Graphviz (needs `dot` installed)",
            )
        };
        static PDF: Info = Info {
            binary: true,
            ..info(
                "pdf",
                &["pdf"],
                "application/pdf",
                "the diagram drawn as PDF by Graphviz, for print (needs `dot` installed)",
            )
        };
        static TURTLE: Info = info(
            "turtle",
            &["ttl", "turtle"],
            "text/turtle",
            "RDF Turtle of the whole store",
        );
        static NTRIPLES: Info = info(
            "ntriples",
            &["nt", "ntriples"],
            "application/n-triples",
            "RDF N-Triples of the whole store",
        );
        static NQUADS: Info = info(
            "nquads",
            &["nq", "nquads"],
            "application/n-quads",
            "RDF N-Quads of the whole store",
        );
        static TRIG: Info = info(
            "trig",
            &["trig"],
            "application/trig",
            "RDF TriG of the whole store",
        );
        static RDFXML: Info = info(
            "rdfxml",
            // Not `.xml`, which GraphML and RDF/XML share.
            &["rdf", "owl", "rdfxml"],
            "application/rdf+xml",
            "RDF/XML of the whole store",
        );
        static JSONLD: Info = info(
            "jsonld",
            &["jsonld"],
            "application/ld+json",
            "JSON-LD of the whole store",
        );
        static GRAPHML: Info = info(
            "graphml",
            &["graphml"],
            "application/graphml+xml",
            "GraphML with typed attributes (Gephi, yEd, Cytoscape, networkx)",
        );
        static JSON: Info = info(
            "json",
            &["json"],
            "application/json",
            "a JSON graph in the Cytoscape.js elements form (also for D3)",
        );
        static MERMAID: Info = info(
            "mermaid",
            &["mmd", "mermaid"],
            "text/vnd.mermaid; charset=utf-8",
            "a Mermaid flowchart (renders in GitHub Markdown)",
        );
        static CSV: Info = info(
            "csv",
            &["csv"],
            "text/csv; charset=utf-8",
            "a CSV edge list",
        );
        static HTML: Info = info(
            "html",
            &["html", "htm"],
            "text/html; charset=utf-8",
            "the explorer as one HTML file that opens offline (whole graph only)",
        );
        match self {
            Format::Dot => &DOT,
            Format::Svg => &SVG,
            Format::Png => &PNG,
            Format::Pdf => &PDF,
            Format::Turtle => &TURTLE,
            Format::NTriples => &NTRIPLES,
            Format::NQuads => &NQUADS,
            Format::TriG => &TRIG,
            Format::RdfXml => &RDFXML,
            Format::JsonLd => &JSONLD,
            Format::GraphMl => &GRAPHML,
            Format::Json => &JSON,
            Format::Mermaid => &MERMAID,
            Format::Csv => &CSV,
            Format::Html => &HTML,
        }
    }
}

impl Format {
    /// Every format, in the order help lists them.
    pub const ALL: [Format; 15] = [
        Format::Dot,
        Format::Svg,
        Format::Png,
        Format::Pdf,
        Format::Turtle,
        Format::NTriples,
        Format::NQuads,
        Format::TriG,
        Format::RdfXml,
        Format::JsonLd,
        Format::GraphMl,
        Format::Json,
        Format::Mermaid,
        Format::Csv,
        Format::Html,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The usual file extension (without the dot).
    pub fn extension(self) -> &'static str {
        self.info().extensions[0]
    }

    /// The media type the server answers with.
    pub fn media_type(self) -> &'static str {
        self.info().media_type
    }

    /// The format a file name asks for by its extension (also `.gv`, `.owl`
    /// and `.mermaid`; not `.xml`, which GraphML and RDF/XML share), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        <Format as Described>::from_path(path)
    }

    /// Whether the diagram options (`--cluster`, `--lang`) change what this
    /// format writes: `--lang` the labels of the diagram, GraphML, JSON and
    /// Mermaid formats; `--cluster` the DOT, SVG and PNG drawings only.
    pub fn takes(self, option: DiagramOption) -> bool {
        match option {
            DiagramOption::Cluster => {
                matches!(self, Format::Dot | Format::Svg | Format::Png | Format::Pdf)
            }
            DiagramOption::Lang => {
                !matches!(self, Format::Csv | Format::Html) && self.rdf().is_none()
            }
        }
    }

    /// The RDF format, for the formats that write the whole store.
    pub fn rdf(self) -> Option<RdfFormat> {
        Some(match self {
            Format::Turtle => RdfFormat::Turtle,
            Format::NTriples => RdfFormat::NTriples,
            Format::NQuads => RdfFormat::NQuads,
            Format::TriG => RdfFormat::TriG,
            Format::RdfXml => RdfFormat::RdfXml,
            Format::JsonLd => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            _ => return None,
        })
    }

    /// Whether the output is binary (not text).
    pub fn is_binary(self) -> bool {
        self.info().binary
    }

    /// The exporter that writes this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::Dot => Box::new(dot::Dot),
            Format::Svg => Box::new(render::Render(render::Image::Svg)),
            Format::Png => Box::new(render::Render(render::Image::Png)),
            Format::Pdf => Box::new(render::Render(render::Image::Pdf)),
            Format::GraphMl => Box::new(graphml::GraphMl),
            Format::Json => Box::new(json::Json),
            Format::Mermaid => Box::new(mermaid::Mermaid),
            Format::Csv => Box::new(csv::EdgeList),
            Format::Html => Box::new(html::Html),
            rdf_format => Box::new(rdf::Rdf(
                rdf_format
                    .rdf()
                    .expect("every other format is an RDF format"),
            )),
        }
    }
}

/// Writes `context` in `format` to `out`. The RDF formats write the whole
/// store, so they refuse a selection.
pub fn write(format: Format, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
    if format.rdf().is_some() && !context.selection.is_whole() {
        return Err(Error::Usage(format!(
            "--format {} writes every triple of the store; --focus, --kinds and --relations select part of the diagram formats (dot, svg, png, pdf, graphml, json, mermaid, csv). For part of the RDF, use `innograph query` with a CONSTRUCT query",
            format.name()
        )));
    }
    format.exporter().write(context, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_and_extension() {
        for format in Format::ALL {
            let file = format!("graph.{}", format.extension());
            assert_eq!(Format::from_path(Path::new(&file)), Some(format), "{file}");
        }
        assert_eq!(Format::from_path(Path::new("a.GV")), Some(Format::Dot));
        assert_eq!(Format::from_path(Path::new("a.owl")), Some(Format::RdfXml));
        assert_eq!(Format::from_path(Path::new("a.txt")), None);
        assert_eq!(Format::from_path(Path::new("noextension")), None);
    }

    #[test]
    fn both_languages_once_when_equal() {
        assert_eq!(Lang::Both.pick("甲", "A"), "甲\nA");
        assert_eq!(Lang::Both.pick("X", "X"), "X");
        assert_eq!(Lang::En.pick("甲", "A"), "A");
    }
}

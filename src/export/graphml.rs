//! GraphML, for Gephi, yEd, Cytoscape and networkx: entities and relations
//! with typed attributes (`<key attr.type=...>`): kind, names, aliases, IRI
//! and the evidence that names each entity (citation, section, quote);
//! predicate, labels, status, citation and IRI of the source document,
//! section, quote, its anchor in the document's text (`anchor_start`,
//! `anchor_end`: code points) and reason of each relation. `label` holds the
//! name in the chosen language, which Gephi shows. Text is escaped for XML,
//! so no name can break the file.

use super::{Context, Exporter};
use crate::error::Error;
use std::io::Write;

/// The GraphML exporter.
#[derive(Debug, Clone, Copy, Default)]
pub struct GraphMl;

/// `text` as XML character data or attribute value: markup characters as
/// entities, line breaks and tabs as character references (so attribute
/// values keep them too), and characters XML 1.0 cannot carry as U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The attributes: (key id, for, name, type).
const KEYS: [(&str, &str, &str, &str); 30] = [
    ("label", "node", "label", "string"),
    ("kind", "node", "kind", "string"),
    ("kind_zh", "node", "kind_zh", "string"),
    ("kind_en", "node", "kind_en", "string"),
    ("name_zh", "node", "name_zh", "string"),
    ("name_en", "node", "name_en", "string"),
    ("aliases", "node", "aliases", "string"),
    ("search_aliases", "node", "search_aliases", "string"),
    ("iri", "node", "iri", "string"),
    ("platform", "node", "platform", "boolean"),
    ("hub", "node", "hub", "boolean"),
    ("n_citation", "node", "citation", "string"),
    ("section", "node", "section", "string"),
    ("quote", "node", "quote", "string"),
    ("e_label", "edge", "label", "string"),
    ("predicate", "edge", "predicate", "string"),
    ("label_zh", "edge", "label_zh", "string"),
    ("label_en", "edge", "label_en", "string"),
    ("status", "edge", "status", "string"),
    ("inferred", "edge", "inferred", "boolean"),
    ("modality", "edge", "modality", "string"),
    ("date", "edge", "date", "string"),
    ("start", "edge", "start", "string"),
    ("citation", "edge", "citation", "string"),
    ("document", "edge", "document", "string"),
    ("e_section", "edge", "section", "string"),
    ("e_quote", "edge", "quote", "string"),
    ("anchor_start", "edge", "anchor_start", "long"),
    ("anchor_end", "edge", "anchor_end", "long"),
    ("reason", "edge", "reason", "string"),
];

fn data(out: &mut dyn Write, key: &str, value: &str) -> std::io::Result<()> {
    writeln!(out, "      <data key=\"{key}\">{}</data>", escape(value))
}

impl Exporter for GraphMl {
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
        let view = context.view;
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
        )?;
        for (id, domain, name, kind) in KEYS {
            writeln!(
                out,
                r#"  <key id="{id}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>"#
            )?;
        }
        writeln!(out, r#"  <graph id="innograph" edgedefault="directed">"#)?;
        for &n in &context.selected.nodes {
            let node = view.node(n);
            writeln!(out, r#"    <node id="{}">"#, escape(&node.id))?;
            data(out, "label", &context.name(n))?;
            data(out, "kind", &node.kind)?;
            data(out, "kind_zh", &view.kind_label(&node.kind, "zh"))?;
            data(out, "kind_en", &view.kind_label(&node.kind, "en"))?;
            data(out, "name_zh", &node.name_zh)?;
            data(out, "name_en", &node.name_en)?;
            if !node.aliases.is_empty() {
                data(out, "aliases", &node.aliases.join("|"))?;
            }
            if !node.search_aliases.is_empty() {
                data(out, "search_aliases", &node.search_aliases.join("|"))?;
            }
            data(out, "iri", &node.iri)?;
            data(out, "platform", &view.is_platform(n).to_string())?;
            data(out, "hub", &view.is_hub(n).to_string())?;
            if let Some(naming) = context.naming(n) {
                if !naming.citation.is_empty() {
                    data(out, "n_citation", &naming.citation)?;
                }
                if !naming.section.is_empty() {
                    data(out, "section", &naming.section)?;
                }
                data(out, "quote", &naming.quote)?;
            }
            writeln!(out, "    </node>")?;
        }
        for &e in &context.selected.edges {
            let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
            let edge = view.edge(e);
            let id = crate::rdf::local_name(&edge.statement, crate::rdf::STATEMENT)
                .unwrap_or(&edge.statement);
            writeln!(
                out,
                r#"    <edge id="{}" source="{}" target="{}">"#,
                escape(id),
                escape(&view.node(s).id),
                escape(&view.node(o).id)
            )?;
            data(out, "e_label", &context.relation_label(&edge.predicate))?;
            data(out, "predicate", &edge.predicate)?;
            data(
                out,
                "label_zh",
                &view.predicate_label(&edge.predicate, "zh"),
            )?;
            data(
                out,
                "label_en",
                &view.predicate_label(&edge.predicate, "en"),
            )?;
            data(out, "status", edge.status.as_str())?;
            data(
                out,
                "inferred",
                &(edge.status == crate::view::Status::Inferred).to_string(),
            )?;
            data(out, "modality", edge.modality.as_str())?;
            // GraphML has no date type: the lexical form (a year or a date) as written.
            for (key, value) in [("date", &edge.date), ("start", &edge.start)] {
                if let Some(value) = value {
                    data(out, key, value)?;
                }
            }
            if !edge.citation.is_empty() {
                data(out, "citation", &edge.citation)?;
            }
            if let Some(document) = &edge.source {
                data(out, "document", document)?;
            }
            data(out, "e_section", &edge.section)?;
            data(out, "e_quote", &edge.quote)?;
            if let Some((start, end)) = edge.anchor {
                data(out, "anchor_start", &start.to_string())?;
                data(out, "anchor_end", &end.to_string())?;
            }
            if let Some(reason) = &edge.reason {
                data(out, "reason", reason)?;
            }
            writeln!(out, "    </edge>")?;
        }
        writeln!(out, "  </graph>")?;
        writeln!(out, "</graphml>")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn xml_escaping() {
        assert_eq!(
            escape(r#"<b>"x" & 'y'</b>"#),
            "&lt;b&gt;&quot;x&quot; &amp; &apos;y&apos;&lt;/b&gt;"
        );
        assert_eq!(escape("a\nb\u{1}"), "a&#10;b\u{fffd}");
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }
}

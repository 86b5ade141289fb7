//! Mermaid: a `flowchart LR` that GitHub renders in Markdown (inside a
//! ```` ```mermaid ```` block). One shape family and colour per kind (a
//! class per kind) with a legend, names and relation labels in the chosen
//! language, stated links solid and inferred ones dotted.
//!
//! Node ids are the entity ids made safe (`n_` + letters, digits and `_`, so
//! no id is a Mermaid keyword such as `end`); every label is quoted, with
//! Mermaid's `#name;` entity codes for the characters that would end the
//! label or be read as markup.

use super::{Context, Exporter};
use crate::error::Error;
use crate::view::Status;
use petgraph::graph::NodeIndex;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// The Mermaid exporter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mermaid;

/// A Mermaid quoted label showing `text` as it is: `"`, `#`, `&`, `<`, `>`,
/// `|` and backticks as `#name;` codes, line breaks as `<br/>`, other control
/// characters as spaces.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as a Mermaid identifier: ASCII letters, digits and `_`.
fn identifier(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The brackets of a Mermaid node shape for each DOT shape of
/// [`super::dot::SHAPES`], a different pair for each.
fn brackets(shape: &str) -> (&'static str, &'static str) {
    match shape {
        "ellipse" => ("([", "])"),
        "hexagon" => ("{{", "}}"),
        "octagon" => ("((", "))"),
        "box3d" => ("[[", "]]"),
        "component" => ("[(", ")]"),
        "note" => ("[/", "\\]"),
        "folder" => ("[\\", "/]"),
        "house" => ("[/", "/]"),
        "invhouse" => ("[\\", "\\]"),
        "tab" => (">", "]"),
        "doubleoctagon" => ("(((", ")))"),
        _ => ("[", "]"),
    }
}

impl Exporter for Mermaid {
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
        let view = context.view;
        // Safe ids, unique even when two entity ids differ only in other characters.
        let mut ids: BTreeMap<NodeIndex, String> = BTreeMap::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for &n in &context.selected.nodes {
            let base = format!("n_{}", identifier(&view.node(n).id));
            let mut id = base.clone();
            let mut k = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}_{k}");
                k += 1;
            }
            ids.insert(n, id);
        }
        let class = |kind: &str| format!("k_{}", identifier(kind));
        let styles = super::dot::styles(&view.schema);
        let style = |kind: &str| styles.get(kind).copied().unwrap_or(("box", "#ffffff"));
        writeln!(out, "flowchart LR")?;
        for &n in &context.selected.nodes {
            let node = view.node(n);
            let (open, close) = brackets(style(&node.kind).0);
            writeln!(
                out,
                "  {}{open}{}{close}:::{}",
                ids[&n],
                label(&context.name(n)),
                class(&node.kind)
            )?;
        }
        for &e in &context.selected.edges {
            let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
            let edge = view.edge(e);
            let arrow = if edge.status != Status::Stated {
                "-.->"
            } else {
                "-->"
            };
            writeln!(
                out,
                "  {} {arrow}|{}| {}",
                ids[&s],
                label(&context.relation_label(&edge.predicate)),
                ids[&o]
            )?;
        }
        let lang = context.options.lang;
        writeln!(
            out,
            "  subgraph legend[{}]",
            label(&lang.pick("图例", "Legend"))
        )?;
        writeln!(out, "    direction TB")?;
        for kind in context.kinds_used() {
            let (open, close) = brackets(style(kind).0);
            writeln!(
                out,
                "    legend_{}{open}{}{close}:::{}",
                identifier(kind),
                label(&context.kind_label(kind)),
                class(kind)
            )?;
        }
        writeln!(
            out,
            "    legend_stated_a[\" \"] -->|{}| legend_stated_b[\" \"]",
            label(&lang.pick("原文所述", "stated"))
        )?;
        writeln!(
            out,
            "    legend_inferred_a[\" \"] -.->|{}| legend_inferred_b[\" \"]",
            label(&lang.pick("推断", "inferred"))
        )?;
        writeln!(out, "  end")?;
        for kind in context.kinds_used() {
            let (_, colour) = style(kind);
            writeln!(
                out,
                "  classDef {} fill:{colour},stroke:#555,color:#000",
                class(kind)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{identifier, label};

    #[test]
    fn labels_and_ids_survive_hostile_names() {
        assert_eq!(label(r#"a "b" #1"#), "\"a #quot;b#quot; #35;1\"");
        assert_eq!(
            label("<b>x</b> & |y|"),
            "\"#lt;b#gt;x#lt;/b#gt; #amp; #124;y#124;\""
        );
        assert_eq!(label("x\ny"), r#""x<br/>y""#);
        assert_eq!(identifier("uni-a"), "uni_a");
        assert_eq!(identifier("end"), "end");
    }
}

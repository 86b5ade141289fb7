//! Graphviz DOT: one shape and colour per kind with a legend, names in the
//! chosen language, stated links solid and inferred ones dashed, a font with
//! Chinese glyphs, deterministic output and safe quoting of any name.

use super::{Exporter, Lang, Options};
use crate::error::Error;
use crate::view::{Status, View};
use std::io::Write;

/// The DOT exporter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dot;

/// A font with Chinese glyphs (Debian's fonts-noto-cjk), so rendered
/// diagrams show characters rather than boxes.
pub const FONT: &str = "Noto Sans CJK SC";

const PALETTE: [&str; 12] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
];

/// A DOT quoted string: backslashes, quotes and line breaks escaped, so no
/// name can break the file or start a DOT escape sequence.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Exporter for Dot {
    fn write(&self, view: &View, options: &Options, out: &mut dyn Write) -> Result<(), Error> {
        let kinds: Vec<&String> = view.schema.kinds.keys().collect();
        let style = |kind: &str| {
            let i = kinds.iter().position(|k| *k == kind).unwrap_or(0);
            let info = view.schema.kinds.get(kind);
            let shape = match info {
                Some(k) if k.platform => "box",
                Some(k) if k.hub => "ellipse",
                _ => "hexagon",
            };
            (shape, PALETTE[i % PALETTE.len()])
        };
        let name = |zh: &str, en: &str| match options.lang {
            Lang::Zh => zh.to_owned(),
            Lang::En => en.to_owned(),
            Lang::Both if zh == en => zh.to_owned(),
            Lang::Both => format!("{zh}\n{en}"),
        };
        let label_lang = if options.lang == Lang::En { "en" } else { "zh" };
        writeln!(out, "digraph innograph {{")?;
        writeln!(
            out,
            "  graph [rankdir=LR, fontname={}, overlap=false];",
            quote(FONT)
        )?;
        writeln!(
            out,
            "  node [fontname={}, style=\"filled,rounded\", fontsize=11];",
            quote(FONT)
        )?;
        writeln!(out, "  edge [fontname={}, fontsize=9];", quote(FONT))?;
        for n in view.graph.node_indices() {
            let node = view.node(n);
            let (shape, colour) = style(&node.kind);
            writeln!(
                out,
                "  {} [label={}, shape={shape}, fillcolor={}];",
                quote(&node.id),
                quote(&name(&node.name_zh, &node.name_en)),
                quote(colour)
            )?;
        }
        for e in view.graph.edge_indices() {
            let (s, o) = view.graph.edge_endpoints(e).expect("edge of the graph");
            let edge = view.edge(e);
            let dashed = if edge.status == Status::Inferred {
                ", style=dashed"
            } else {
                ""
            };
            writeln!(
                out,
                "  {} -> {} [label={}{dashed}];",
                quote(&view.node(s).id),
                quote(&view.node(o).id),
                quote(&view.predicate_label(&edge.predicate, label_lang))
            )?;
        }
        writeln!(out, "  subgraph cluster_legend {{")?;
        writeln!(out, "    label={};", quote(&name("图例", "Legend")))?;
        let mut used: Vec<&str> = view.graph.node_weights().map(|n| n.kind.as_str()).collect();
        used.sort();
        used.dedup();
        for kind in used {
            let (shape, colour) = style(kind);
            writeln!(
                out,
                "    {} [label={}, shape={shape}, fillcolor={}];",
                quote(&format!("legend:{kind}")),
                quote(&name(
                    &view.kind_label(kind, "zh"),
                    &view.kind_label(kind, "en")
                )),
                quote(colour)
            )?;
        }
        writeln!(out, "  }}")?;
        writeln!(out, "}}")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting_survives_hostile_names() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("x\ny"), r#""x\ny""#);
        assert_eq!(quote("<b>{x}|y</b>"), r#""<b>{x}|y</b>""#);
    }
}

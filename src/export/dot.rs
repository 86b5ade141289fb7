//! Graphviz DOT: a diagram for reports. One shape and colour per kind with a
//! legend that says which is which, names in the chosen language, relation
//! labels in the same language, stated links solid and inferred ones dashed,
//! a font with Chinese glyphs, optional boxes by kind or by section of the
//! source, deterministic output and safe quoting of any name.

use super::{Cluster, Context, Exporter, Legend};
use crate::answer::{Evidence, Style};
use crate::error::Error;
use crate::ontology::Schema;
use crate::view::{Status, View};
use petgraph::graph::NodeIndex;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// The DOT exporter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dot;

/// A font with Chinese glyphs (Debian's fonts-noto-cjk), so rendered
/// diagrams show characters rather than boxes.
pub const FONT: &str = "Noto Sans CJK SC";

/// Fill colours, one per kind group: Paul Tol's "light" scheme, made to be
/// told apart by colour-blind readers and to keep black text readable.
const PALETTE: [&str; 9] = [
    "#77AADD", "#EE8866", "#DDDDDD", "#EEDD88", "#BBCC33", "#FFAABB", "#99DDFF", "#44BB99",
    "#AAAA00",
];

/// Node shapes that hold a label, in the order kinds take them: the kinds
/// of a group take shapes in turn, and the next group goes on where the last
/// one stopped, so that neighbouring groups differ in shape too (what tells
/// kinds apart once printed in grey).
pub const SHAPES: [&str; 12] = [
    "box",
    "ellipse",
    "hexagon",
    "octagon",
    "box3d",
    "component",
    "note",
    "folder",
    "house",
    "invhouse",
    "tab",
    "doubleoctagon",
];

/// Kinds in one row of the legend.
const LEGEND_ROW: usize = 4;

/// A DOT quoted string that shows `text` as it is: quotes, backslashes and
/// `&` escaped (Graphviz reads `\x` escapes and HTML entities in labels),
/// line breaks as centred line breaks, other control characters as spaces.
/// Angle brackets, braces and bars need nothing: inside quotes they are text.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lines of names wider than this (in columns: a Chinese character takes
/// two) are broken, so that diagrams stay narrow enough for a page.
const WRAP: usize = 28;

/// Leaves of one entity, by one relation, drawn as one box from this many.
const COLLAPSE_MIN: usize = 3;

/// `text` with every line wider than `width` columns broken: at spaces, and
/// between Chinese characters (which have no spaces between words). A word
/// of Latin letters wider than the line stays whole.
pub fn wrap(text: &str, width: usize) -> String {
    let mut lines = Vec::new();
    for line in text.split('\n') {
        let mut current = String::new();
        for (i, word) in line.split(' ').enumerate() {
            for (j, piece) in pieces(word).into_iter().enumerate() {
                let spaced = i > 0 && j == 0;
                let length = crate::table::width(&current);
                let extra = usize::from(spaced) + crate::table::width(&piece);
                if length > 0 && length + extra > width {
                    lines.push(std::mem::take(&mut current));
                } else if spaced {
                    current.push(' ');
                }
                current.push_str(&piece);
            }
        }
        lines.push(current);
    }
    lines.join("\n")
}

/// The parts of `word` a line may break between: each wide (Chinese)
/// character alone, runs of other characters whole; one empty part for an
/// empty word, so that its space is kept.
fn pieces(word: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        let wide = crate::table::width(&word[i..i + c.len_utf8()]) > 1;
        if wide {
            if start < i {
                parts.push(&word[start..i]);
            }
            parts.push(&word[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < word.len() || parts.is_empty() {
        parts.push(&word[start..]);
    }
    // No line starts with closing punctuation nor ends with opening one.
    let mut joined: Vec<String> = Vec::with_capacity(parts.len());
    for part in parts {
        let closing = part.chars().next().is_some_and(|c| CLOSING.contains(c));
        let after_opening = joined
            .last()
            .and_then(|last| last.chars().last())
            .is_some_and(|c| OPENING.contains(c));
        match joined.last_mut() {
            Some(last) if closing || after_opening => last.push_str(part),
            _ => joined.push(part.to_owned()),
        }
    }
    joined
}

/// Punctuation a line does not start with.
const CLOSING: &str = "）」』】》〉”’、，。；：！？";
/// Punctuation a line does not end with.
const OPENING: &str = "（「『【《〈“‘";

/// Text safe inside a Graphviz HTML-like label.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A character that recalls a Graphviz shape, for legends drawn as text.
fn glyph(shape: &str) -> &'static str {
    // Unicode's Geometric Shapes block, as far as the CJK fonts carry it.
    match shape {
        "box" => "■",
        "ellipse" => "●",
        "hexagon" => "◆",
        "octagon" => "◉",
        "box3d" => "▣",
        "component" => "▤",
        "note" => "▧",
        "folder" => "▥",
        "house" => "▲",
        "invhouse" => "▼",
        "tab" => "▦",
        "doubleoctagon" => "◎",
        _ => "◇",
    }
}

/// The group a kind is drawn in: the one the ontology gives it, else (for
/// ontologies that group no kinds) platform, hub or other kind.
fn group_of(kind: &crate::ontology::Kind) -> String {
    match &kind.group {
        Some(group) => group.clone(),
        None if kind.platform => "(platform)".to_owned(),
        None if kind.hub => "(hub)".to_owned(),
        None => "(other)".to_owned(),
    }
}

/// The shape and fill colour of every kind the schema declares: one colour
/// per kind group (groups in name order), and within a group one shape per
/// kind (see [`SHAPES`]). So no two kinds share both shape and colour while
/// no group has more kinds than there are shapes, and a kind looks the same
/// in every diagram of the graph.
pub fn styles(schema: &Schema) -> BTreeMap<String, (&'static str, &'static str)> {
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for kind in schema.kinds.values() {
        groups.entry(group_of(kind)).or_default().push(&kind.name);
    }
    let mut styles = BTreeMap::new();
    let mut next = 0;
    for (i, kinds) in groups.values().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        for kind in kinds {
            styles.insert((*kind).to_owned(), (SHAPES[next % SHAPES.len()], colour));
            next += 1;
        }
    }
    styles
}

/// The shape and fill colour of `kind` (see [`styles`]).
pub fn style(view: &View, kind: &str) -> (&'static str, &'static str) {
    styles(&view.schema)
        .get(kind)
        .copied()
        .unwrap_or(("plaintext", "#ffffff"))
}

/// A key that sorts sections in the order of the source (see [`section_order`]).
pub fn section_key(section: &str) -> impl Ord + use<> {
    section_order(section)
}

/// Where a section comes in the source: heading, introduction, numbered
/// sections and their subsections in order, closing; anything else last.
fn section_order(section: &str) -> (u8, u32, u32, String) {
    match section {
        "文头" => (0, 0, 0, String::new()),
        "导语" => (1, 0, 0, String::new()),
        "文尾" => (3, 0, 0, String::new()),
        _ => {
            let (top, sub) = split_section(section);
            match (numeral(top), sub.map(numeral)) {
                (Some(n), None) => (2, n, 0, String::new()),
                (Some(n), Some(Some(m))) => (2, n, m, String::new()),
                _ => (4, 0, 0, section.to_owned()),
            }
        }
    }
}

/// `三（一）` → (`三`, Some(`一`)); `三` → (`三`, None).
fn split_section(section: &str) -> (&str, Option<&str>) {
    match section.split_once('（') {
        Some((top, rest)) => (top, Some(rest.strip_suffix('）').unwrap_or(rest))),
        None => (section, None),
    }
}

/// The value of a Chinese numeral from 一 to 九十九.
fn numeral(text: &str) -> Option<u32> {
    const DIGITS: &str = "一二三四五六七八九";
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|i| i as u32 + 1);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        _ => None,
    }
}

/// The label of a section box: the mark as the source writes it, and in
/// English a description (`section 2.1`).
fn section_label(context: &Context<'_>, section: &str) -> String {
    let english = match section_order(section) {
        (0, ..) => "heading".to_owned(),
        (1, ..) => "introduction".to_owned(),
        (3, ..) => "closing".to_owned(),
        (2, n, 0, _) => format!("section {n}"),
        (2, n, m, _) => format!("section {n}.{m}"),
        _ => format!("section {section}"),
    };
    context.options.lang.pick(section, &english)
}

struct Writer<'c, 'a> {
    context: &'c Context<'a>,
    styles: BTreeMap<String, (&'static str, &'static str)>,
    /// Entities drawn inside a collapsed box rather than on their own.
    hidden: BTreeSet<NodeIndex>,
    /// The kinds the legend lists: those drawn in their own shape and
    /// colour (entities on their own, and boxes of leaves of one kind).
    legend_kinds: Vec<String>,
}

/// Leaves of one entity on the same side of it (linked to nothing else),
/// drawn as one box that lists them by relation.
struct Group {
    /// The entity they hang from.
    anchor: NodeIndex,
    /// Whether the anchor is the subject.
    outgoing: bool,
    /// Whether every one of the relations is inferred.
    inferred: bool,
    /// The leaves by relation (local name), each list in id order.
    members: BTreeMap<String, Vec<NodeIndex>>,
}

impl Group {
    fn len(&self) -> usize {
        self.members.values().map(Vec::len).sum()
    }

    fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.members.values().flatten().copied()
    }
}

/// The groups of leaves [`Options::collapse`](super::Options) draws as one box each.
fn groups(context: &Context<'_>) -> Vec<Group> {
    let view = context.view;
    let mut degree: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    for &e in &context.selected.edges {
        let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
        *degree.entry(s).or_default() += 1;
        *degree.entry(o).or_default() += 1;
    }
    let leaf = |n: NodeIndex| degree.get(&n) == Some(&1) && context.selection.focus != Some(n);
    let mut found: BTreeMap<(NodeIndex, bool), Group> = BTreeMap::new();
    for &e in &context.selected.edges {
        let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
        let (anchor, member, outgoing) = match (leaf(s), leaf(o)) {
            (false, true) => (s, o, true),
            (true, false) => (o, s, false),
            _ => continue,
        };
        let edge = view.edge(e);
        let group = found.entry((anchor, outgoing)).or_insert_with(|| Group {
            anchor,
            outgoing,
            inferred: true,
            members: BTreeMap::new(),
        });
        group.inferred &= edge.status == Status::Inferred;
        group
            .members
            .entry(edge.predicate.clone())
            .or_default()
            .push(member);
    }
    found
        .into_values()
        .filter(|group| group.len() >= COLLAPSE_MIN)
        .collect()
}

impl Writer<'_, '_> {
    fn style(&self, kind: &str) -> (&'static str, &'static str) {
        self.styles
            .get(kind)
            .copied()
            .unwrap_or(("plaintext", "#ffffff"))
    }
}

impl Writer<'_, '_> {
    fn node(&self, out: &mut dyn Write, indent: &str, n: NodeIndex) -> Result<(), Error> {
        if self.hidden.contains(&n) {
            return Ok(());
        }
        let view = self.context.view;
        let node = view.node(n);
        let (shape, colour) = self.style(&node.kind);
        let rounded = if shape == "box" {
            "rounded,filled"
        } else {
            "filled"
        };
        let focus = if self.context.selection.focus == Some(n) {
            ", penwidth=2.5"
        } else {
            ""
        };
        let kind = view.kind_label(&node.kind, "en");
        writeln!(
            out,
            "{indent}{} [label={}, shape={shape}, style=\"{rounded}\", fillcolor=\"{colour}\", tooltip={}{focus}];",
            quote(&node.id),
            quote(&wrap(&self.context.name(n), WRAP)),
            quote(&format!("{} ({kind})", node.id)),
        )?;
        Ok(())
    }

    /// One collapsed group: its box, listing the members, and its one edge.
    fn group(&self, out: &mut dyn Write, i: usize, group: &Group) -> Result<(), Error> {
        let context = self.context;
        let view = context.view;
        let lang = context.options.lang;
        let kinds: BTreeSet<&str> = group.nodes().map(|n| view.node(n).kind.as_str()).collect();
        let (shape, colour, what) = match kinds.iter().next() {
            Some(kind) if kinds.len() == 1 => {
                let (shape, colour) = self.style(kind);
                (shape, colour, context.kind_label(kind).replace('\n', " "))
            }
            _ => (
                "note",
                "#ffffff",
                lang.pick("实体", "entities").replace('\n', " "),
            ),
        };
        let names = |nodes: &[NodeIndex]| {
            let zh: Vec<&str> = nodes
                .iter()
                .map(|&n| view.node(n).name_zh.as_str())
                .collect();
            let en: Vec<&str> = nodes
                .iter()
                .map(|&n| view.node(n).name_en.as_str())
                .collect();
            match lang {
                super::Lang::Zh => zh.join("、"),
                super::Lang::En => en.join("; "),
                super::Lang::Both => format!("{}\n{}", zh.join("、"), en.join("; ")),
            }
        };
        let mut label = format!("{} × {what}", group.len());
        let single = group.members.len() == 1;
        for (predicate, nodes) in &group.members {
            let text = if single {
                names(nodes)
            } else {
                format!(
                    "{}: {}",
                    context.relation_label(predicate).replace('\n', " "),
                    names(nodes)
                )
            };
            label.push('\n');
            label.push_str(&wrap(&text, WRAP + 12));
        }
        let rounded = if shape == "box" {
            "rounded,filled"
        } else {
            "filled"
        };
        let id = format!("group:{i}");
        let ids: Vec<&str> = group.nodes().map(|n| view.node(n).id.as_str()).collect();
        writeln!(
            out,
            "  {} [label={}, shape={shape}, style=\"{rounded}\", fillcolor=\"{colour}\", tooltip={}];",
            quote(&id),
            quote(&label),
            quote(&ids.join(", ")),
        )?;
        let anchor = quote(&view.node(group.anchor).id);
        let (from, to) = if group.outgoing {
            (anchor, quote(&id))
        } else {
            (quote(&id), anchor)
        };
        let inferred = if group.inferred {
            ", style=dashed, color=\"#777777\""
        } else {
            ""
        };
        let edge_label = match group.members.keys().next() {
            Some(predicate) if single => {
                format!("{} ×{}", context.relation_label(predicate), group.len())
            }
            _ => format!("×{}", group.len()),
        };
        writeln!(
            out,
            "  {from} -> {to} [label={}{inferred}];",
            quote(&edge_label)
        )?;
        Ok(())
    }

    /// The short citations of the sources of what is drawn, sorted.
    fn citations(&self) -> Vec<String> {
        let context = self.context;
        let mut cited: BTreeSet<String> = context
            .selected
            .edges
            .iter()
            .map(|&e| context.view.edge(e).citation.clone())
            .collect();
        cited.extend(
            context
                .selected
                .nodes
                .iter()
                .filter_map(|&n| context.naming(n))
                .map(|m| m.citation.clone()),
        );
        cited.into_iter().filter(|c| !c.is_empty()).collect()
    }

    /// The caption under the diagram: the title, the legend when it goes
    /// at the bottom, and the source line; `None` when there is nothing to say.
    fn caption(&self) -> Option<String> {
        let context = self.context;
        let options = &context.options;
        let lang = options.lang;
        let mut rows = Vec::new();
        if let Some(title) = options.title.as_deref().filter(|t| !t.is_empty()) {
            rows.push(format!(
                "<TR><TD><FONT POINT-SIZE=\"14\"><B>{}</B></FONT></TD></TR>",
                html(title)
            ));
        }
        if options.legend == Legend::Bottom {
            let mut cells: Vec<String> = self
                .legend_kinds
                .iter()
                .map(|kind| {
                    let (shape, colour) = self.style(kind);
                    format!(
                        "<TD BGCOLOR=\"{colour}\">{} {}</TD>",
                        glyph(shape),
                        html(&context.kind_label(kind).replace('\n', " "))
                    )
                })
                .collect();
            cells.push(format!(
                "<TD>── {}   ┄┄ {}</TD>",
                html(&lang.pick("原文所述", "stated").replace('\n', " ")),
                html(&lang.pick("推断", "inferred").replace('\n', " "))
            ));
            let rows_of_cells: Vec<String> = cells
                .chunks(LEGEND_ROW + 2)
                .map(|row| row.concat())
                .collect();
            rows.push(format!(
                "<TR><TD><TABLE BORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\"><TR>{}</TR></TABLE></TD></TR>",
                rows_of_cells.join("</TR><TR>")
            ));
        }
        let cited = self.citations();
        if options.source_line && !cited.is_empty() {
            rows.push(format!(
                "<TR><TD><FONT POINT-SIZE=\"9\">{}{}</FONT></TD></TR>",
                html(match lang {
                    super::Lang::Zh => "来源：",
                    super::Lang::En => "Source: ",
                    super::Lang::Both => "来源 Source: ",
                }),
                html(&cited.join("; "))
            ));
        }
        if rows.is_empty() {
            return None;
        }
        Some(format!(
            "<<TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">{}</TABLE>>",
            rows.concat()
        ))
    }

    fn clusters(&self, out: &mut dyn Write, cluster: Cluster) -> Result<(), Error> {
        let context = self.context;
        let view = context.view;
        let mut loose = Vec::new();
        match cluster {
            Cluster::Kind => {
                let mut groups: BTreeMap<&str, Vec<NodeIndex>> = BTreeMap::new();
                for &n in &context.selected.nodes {
                    groups.entry(&view.node(n).kind).or_default().push(n);
                }
                for (i, (kind, nodes)) in groups.into_iter().enumerate() {
                    writeln!(out, "  subgraph cluster_kind_{i} {{")?;
                    writeln!(out, "    label={};", quote(&context.kind_label(kind)))?;
                    writeln!(out, "    style=\"rounded,dashed\"; color=\"#888888\";")?;
                    for n in nodes {
                        self.node(out, "    ", n)?;
                    }
                    writeln!(out, "  }}")?;
                }
            }
            Cluster::Section => {
                type Group<'s> = (
                    Vec<NodeIndex>,
                    BTreeMap<(u8, u32, u32, String), (&'s str, Vec<NodeIndex>)>,
                );
                let mut groups: BTreeMap<(u8, u32, u32, String), (&str, Group<'_>)> =
                    BTreeMap::new();
                for &n in &context.selected.nodes {
                    let Some(naming) = context.naming(n).filter(|m| !m.section.is_empty()) else {
                        loose.push(n);
                        continue;
                    };
                    let section = naming.section.as_str();
                    let (top, sub) = split_section(section);
                    let top_key = match sub {
                        Some(_) if numeral(top).is_some() => section_order(top),
                        _ => section_order(section),
                    };
                    let numbered = top_key.0 == 2;
                    let top_name = if numbered { top } else { section };
                    let entry = groups
                        .entry(top_key)
                        .or_insert_with(|| (top_name, (Vec::new(), BTreeMap::new())));
                    match sub {
                        Some(_) if numbered => entry
                            .1
                            .1
                            .entry(section_order(section))
                            .or_insert_with(|| (section, Vec::new()))
                            .1
                            .push(n),
                        _ => entry.1.0.push(n),
                    }
                }
                for (i, (_, (name, (nodes, subsections)))) in groups.into_iter().enumerate() {
                    writeln!(out, "  subgraph cluster_section_{i} {{")?;
                    writeln!(out, "    label={};", quote(&section_label(context, name)))?;
                    writeln!(out, "    style=\"rounded\"; color=\"#888888\";")?;
                    for n in nodes {
                        self.node(out, "    ", n)?;
                    }
                    for (j, (_, (name, nodes))) in subsections.into_iter().enumerate() {
                        writeln!(out, "    subgraph cluster_section_{i}_{j} {{")?;
                        writeln!(out, "      label={};", quote(&section_label(context, name)))?;
                        writeln!(out, "      style=\"rounded,dashed\"; color=\"#aaaaaa\";")?;
                        for n in nodes {
                            self.node(out, "      ", n)?;
                        }
                        writeln!(out, "    }}")?;
                    }
                    writeln!(out, "  }}")?;
                }
            }
        }
        for n in loose {
            self.node(out, "  ", n)?;
        }
        Ok(())
    }

    fn legend(&self, out: &mut dyn Write) -> Result<(), Error> {
        let context = self.context;
        let lang = context.options.lang;
        writeln!(out, "  subgraph cluster_legend {{")?;
        writeln!(out, "    label={};", quote(&lang.pick("图例", "Legend")))?;
        writeln!(out, "    style=\"rounded\"; color=\"#888888\";")?;
        // Rows of a few kinds each (chained by invisible edges), so that the
        // legend stays compact however many kinds are drawn.
        for row in self.legend_kinds.chunks(LEGEND_ROW) {
            for kind in row {
                let (shape, colour) = self.style(kind);
                let rounded = if shape == "box" {
                    "rounded,filled"
                } else {
                    "filled"
                };
                writeln!(
                    out,
                    "    {} [label={}, shape={shape}, style=\"{rounded}\", fillcolor=\"{colour}\"];",
                    quote(&format!("legend:{kind}")),
                    quote(&context.kind_label(kind)),
                )?;
            }
            if row.len() > 1 {
                let chain: Vec<String> = row
                    .iter()
                    .map(|kind| quote(&format!("legend:{kind}")))
                    .collect();
                writeln!(out, "    {} [style=invis];", chain.join(" -> "))?;
            }
        }
        for (status, label, style) in [
            (Status::Stated, lang.pick("原文所述", "stated"), "solid"),
            (Status::Inferred, lang.pick("推断", "inferred"), "dashed"),
        ] {
            let status = status.as_str();
            writeln!(
                out,
                "    \"legend:{status}:from\" [label=\"\", shape=point, width=0.05];"
            )?;
            writeln!(
                out,
                "    \"legend:{status}:to\" [label=\"\", shape=point, width=0.05];"
            )?;
            writeln!(
                out,
                "    \"legend:{status}:from\" -> \"legend:{status}:to\" [label={}, style={style}{}];",
                quote(&label),
                if style == "dashed" {
                    ", color=\"#777777\""
                } else {
                    ""
                }
            )?;
        }
        writeln!(out, "  }}")?;
        Ok(())
    }
}

impl Exporter for Dot {
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
        let view = context.view;
        let groups = if context.options.collapse {
            groups(context)
        } else {
            Vec::new()
        };
        let hidden: BTreeSet<NodeIndex> = groups.iter().flat_map(Group::nodes).collect();
        let mut legend_kinds: BTreeSet<&str> = context
            .selected
            .nodes
            .iter()
            .filter(|n| !hidden.contains(n))
            .map(|&n| view.node(n).kind.as_str())
            .collect();
        for group in &groups {
            let kinds: BTreeSet<&str> = group.nodes().map(|n| view.node(n).kind.as_str()).collect();
            if kinds.len() == 1 {
                legend_kinds.extend(kinds);
            }
        }
        let legend_kinds = legend_kinds.into_iter().map(str::to_owned).collect();
        let writer = Writer {
            context,
            styles: styles(&view.schema),
            hidden,
            legend_kinds,
        };
        let font = quote(FONT);
        writeln!(out, "digraph innograph {{")?;
        writeln!(
            out,
            "  graph [rankdir=LR, fontname={font}, fontsize=12, nodesep=0.25, ranksep=0.5];"
        )?;
        if let Some(caption) = writer.caption() {
            writeln!(out, "  graph [labelloc=b, labeljust=c, label={caption}];")?;
        }
        writeln!(
            out,
            "  node [fontname={font}, fontsize=11, penwidth=0.8, margin=\"0.12,0.05\"];"
        )?;
        writeln!(
            out,
            "  edge [fontname={font}, fontsize=9, color=\"#444444\", fontcolor=\"#333333\", arrowsize=0.7];"
        )?;
        match context.options.cluster {
            Some(cluster) => writer.clusters(out, cluster)?,
            None => {
                for &n in &context.selected.nodes {
                    writer.node(out, "  ", n)?;
                }
            }
        }
        for (i, group) in groups.iter().enumerate() {
            writer.group(out, i, group)?;
        }
        for &e in &context.selected.edges {
            let (s, o) = view.graph.edge_endpoints(e).expect("an edge of the graph");
            if writer.hidden.contains(&s) || writer.hidden.contains(&o) {
                continue;
            }
            let edge = view.edge(e);
            let inferred = if edge.status != Status::Stated {
                ", style=dashed, color=\"#777777\""
            } else {
                ""
            };
            let evidence = Evidence::of(edge).line(&Style::PLAIN);
            writeln!(
                out,
                "  {} -> {} [label={}, tooltip={}{inferred}];",
                quote(&view.node(s).id),
                quote(&view.node(o).id),
                quote(&context.relation_label(&edge.predicate)),
                quote(&evidence),
            )?;
        }
        if context.options.legend == Legend::Side {
            writer.legend(out)?;
        }
        writeln!(out, "}}")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{numeral, quote, section_order};

    #[test]
    fn quoting_survives_hostile_names() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("x\ny"), r#""x\ny""#);
        assert_eq!(quote("x\r\ny"), r#""x\ny""#);
        assert_eq!(quote("<b>{x}|y</b>"), r#""<b>{x}|y</b>""#);
        assert_eq!(quote("&amp; &"), r#""&amp;amp; &amp;""#);
        assert_eq!(quote("end\\"), r#""end\\""#);
        assert_eq!(quote("tab\tbell\u{7}"), r#""tab bell ""#);
    }

    #[test]
    fn long_lines_break_at_spaces() {
        assert_eq!(super::wrap("a bb ccc dddd", 6), "a bb\nccc\ndddd");
        assert_eq!(
            super::wrap(
                "国家技术转移东部中心\nNational Technology Transfer Center East China",
                28
            ),
            "国家技术转移东部中心\nNational Technology Transfer\nCenter East China"
        );
        assert_eq!(super::wrap("  two  spaces ", 80), "  two  spaces ");
        assert_eq!(
            super::wrap("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
        // Chinese breaks between characters, two columns each.
        assert_eq!(
            super::wrap("上海市杨浦区人民政府办公室", 10),
            "上海市杨浦\n区人民政府\n办公室"
        );
        assert_eq!(super::wrap("复旦 Fudan大学", 9), "复旦\nFudan大学");
        // Brackets stay with what they enclose.
        assert_eq!(
            super::wrap("培养基地（东部中心）", 14),
            "培养基地（东部\n中心）"
        );
        assert_eq!(super::wrap("一二三四五（东）", 12), "一二三四五\n（东）");
    }

    #[test]
    fn sections_in_the_order_of_the_letter() {
        assert_eq!(numeral("三"), Some(3));
        assert_eq!(numeral("十"), Some(10));
        assert_eq!(numeral("十二"), Some(12));
        assert_eq!(numeral("二十一"), Some(21));
        assert_eq!(numeral("甲"), None);
        let mut sections = [
            "文尾",
            "十",
            "二（一）",
            "三",
            "导语",
            "二",
            "文头",
            "二（十）",
            "二（二）",
        ];
        sections.sort_by_key(|s| section_order(s));
        assert_eq!(
            sections,
            [
                "文头",
                "导语",
                "二",
                "二（一）",
                "二（二）",
                "二（十）",
                "三",
                "十",
                "文尾"
            ]
        );
    }
}

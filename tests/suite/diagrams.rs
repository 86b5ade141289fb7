//! Diagrams fit to print: a title and a source line under the diagram, the
//! legend beside it, under it or left out (listing only the kinds drawn),
//! leaves collapsed into one box that still names every entity, and long
//! Chinese names wrapped.

use crate::common::{fixture, innograph, require, root};
use std::collections::BTreeMap;

fn dot(args: &[&str]) -> String {
    let mut all = vec!["export", "--format", "dot"];
    all.extend(args);
    innograph(all).ok().stdout
}

/// (id, kind, name_zh) of every entity of a dataset.
fn entities(dataset: &std::path::Path) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_path(dataset.join("entities.csv")).expect("entities.csv");
    reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            (r[0].to_owned(), r[1].to_owned(), r[2].to_owned())
        })
        .collect()
}

#[test]
fn a_title_and_the_source_line_go_under_the_diagram() {
    let mini = fixture("mini");
    let mini = mini.to_str().expect("a UTF-8 path");
    let drawn = dot(&["--data", mini, "--title", "甲 & <乙>"]);
    assert!(drawn.contains("labelloc=b"), "the caption is at the bottom");
    assert!(drawn.contains("<B>甲 &amp; &lt;乙&gt;</B>"), "{drawn}");
    // The fixture's letter has no number: it is cited by its title.
    let letter = &entities(std::path::Path::new(mini))[0];
    assert_eq!(letter.1, "Letter");
    assert!(drawn.contains(&format!("Source: {}", letter.2)), "{drawn}");
    let bare = dot(&["--data", mini, "--no-source-line", "--legend", "none"]);
    assert!(!bare.contains("Source:"), "--no-source-line leaves it out");
    assert!(!bare.contains("labelloc=b"), "nothing to caption");
}

#[test]
fn the_legend_goes_beside_under_or_nowhere_and_lists_only_the_kinds_drawn() {
    let side = dot(&["--focus", "同济", "--avoid-hubs", "--legend", "side"]);
    let drawn_kinds: std::collections::BTreeSet<String> = side
        .lines()
        .filter(|l| l.contains("tooltip=\"") && l.contains("shape=") && !l.contains("legend:"))
        .filter_map(|l| l.split("tooltip=\"").nth(1))
        .filter_map(|t| t.split(" (").nth(1))
        .filter_map(|t| t.split(')').next())
        .map(str::to_owned)
        .collect();
    let legend_kinds = side.matches("\"legend:").count();
    assert!(side.contains("cluster_legend"));
    let bottom = dot(&["--focus", "同济", "--avoid-hubs", "--legend", "bottom"]);
    assert!(!bottom.contains("cluster_legend"));
    let cells = bottom.matches("<TD BGCOLOR=").count();
    assert_eq!(
        cells,
        drawn_kinds.len(),
        "one cell per kind drawn: {drawn_kinds:?}"
    );
    // The side legend: a node per kind and two per line style, each named twice in the chain.
    assert!(legend_kinds >= drawn_kinds.len());
    let none = dot(&["--focus", "同济", "--avoid-hubs", "--legend", "none"]);
    assert!(!none.contains("legend:") && !none.contains("<TD BGCOLOR="));
}

#[test]
fn collapsed_leaves_are_one_box_that_still_names_every_entity() {
    let data = root().join("data");
    let whole = dot(&[]);
    let collapsed = dot(&["--collapse"]);
    let nodes = |text: &str| {
        text.lines()
            .filter(|l| l.contains(" [label=") && !l.contains("->") && !l.contains("legend:"))
            .count()
    };
    assert!(
        nodes(&collapsed) < nodes(&whole),
        "collapsing draws fewer boxes ({} against {})",
        nodes(&collapsed),
        nodes(&whole)
    );
    assert!(collapsed.contains("\"group:0\""));
    // Every name is in the drawing (wrapped lines joined back).
    let joined = collapsed.replace("\\n", "");
    for (id, _, name_zh) in entities(&data) {
        assert!(joined.contains(&name_zh), "{id} ({name_zh}) is not drawn");
    }
    let mut edges: BTreeMap<&str, usize> = BTreeMap::new();
    for line in collapsed
        .lines()
        .filter(|l| l.contains(" -> ") && !l.contains("legend:"))
    {
        *edges
            .entry(line.split(" -> ").next().unwrap_or(""))
            .or_default() += 1;
    }
    assert!(edges.values().all(|&n| n > 0));
}

#[test]
fn long_chinese_names_wrap_between_characters() {
    let drawn = dot(&["--lang", "zh"]);
    let widest = drawn
        .lines()
        .filter(|l| l.contains(" [label=\"") && !l.contains("legend:"))
        .filter_map(|l| l.split(" [label=\"").nth(1))
        .filter_map(|l| l.split("\", ").next())
        .flat_map(|label| {
            label
                .split("\\n")
                .map(innograph::table::width)
                .collect::<Vec<_>>()
        })
        .max()
        .unwrap_or(0);
    assert!(widest <= 28, "a label line {widest} columns wide");
}

#[test]
fn diagram_options_are_refused_where_nothing_is_drawn() {
    let run = innograph(["export", "--format", "csv", "--title", "x"]).failed();
    assert!(run.stderr.contains("--title"), "{}", run.stderr);
    if require("dot") {
        let dir = std::env::temp_dir().join(format!("innograph-diagrams-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let svg = dir.join("overview.svg");
        innograph([
            "export",
            "--collapse",
            "--legend",
            "bottom",
            "--title",
            "Overview",
            "-o",
            svg.to_str().expect("UTF-8"),
        ])
        .ok();
        let drawing = std::fs::read_to_string(&svg).expect("the SVG");
        assert!(drawing.contains(">Overview<"), "the title is drawn");
    }
}

/// The width and height of a PNG, from its header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (word(16), word(20))
}

#[test]
fn a_png_for_print_has_the_resolution_asked_for() {
    let run = innograph(["export", "--format", "svg", "--dpi", "300"]).failed();
    assert!(run.stderr.contains("--dpi"), "{}", run.stderr);
    if !require("dot") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("innograph-dpi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let mini = fixture("mini");
    let draw = |name: &str, extra: &[&str]| {
        let file = dir.join(name);
        let mut args = vec!["--data", mini.to_str().expect("UTF-8"), "export", "-o"];
        args.push(file.to_str().expect("UTF-8"));
        args.extend(extra);
        innograph(args).ok();
        png_size(&std::fs::read(&file).expect("the PNG"))
    };
    let (w96, h96) = draw("screen.png", &[]);
    let (w300, h300) = draw("print.png", &["--dpi", "300"]);
    let ratio = f64::from(w300) / f64::from(w96);
    assert!(
        (3.0..3.3).contains(&ratio),
        "300 dpi against 96: {w300}×{h300} against {w96}×{h96}"
    );
}

#[test]
fn no_two_kinds_drawn_together_share_both_shape_and_colour() {
    let drawn = dot(&["--legend", "side"]);
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for line in drawn
        .lines()
        .filter(|l| l.trim_start().starts_with("\"legend:") && l.contains("shape="))
    {
        let kind = line
            .trim_start()
            .split('"')
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        if kind.matches(':').count() > 1 {
            continue; // the stated and inferred line samples
        }
        let shape = line
            .split("shape=")
            .nth(1)
            .and_then(|s| s.split(',').next())
            .unwrap_or_default();
        let colour = line
            .split("fillcolor=")
            .nth(1)
            .and_then(|s| s.split(']').next())
            .unwrap_or_default();
        let look = format!("{shape} {colour}");
        if let Some(other) = seen.insert(look.clone(), kind.clone()) {
            panic!("{kind} and {other} both look like {look}");
        }
    }
    assert!(
        seen.len() > 20,
        "the whole graph draws many kinds: {}",
        seen.len()
    );
}

#[test]
fn a_pdf_for_print_is_drawn_by_graphviz() {
    if !require("dot") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("innograph-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let pdf = dir.join("tongji.pdf");
    innograph([
        "export",
        "--focus",
        "同济",
        "--avoid-hubs",
        "--legend",
        "bottom",
        "-o",
        pdf.to_str().expect("UTF-8"),
    ])
    .ok();
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF header");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.trim_end().ends_with("%%EOF"), "a complete PDF");
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert_eq!(pages, 1, "one page");
}

#[test]
fn every_kind_of_the_ontology_has_a_look_of_its_own_with_a_colour_per_group() {
    use innograph::dataset::Files;
    use innograph::export::dot::{SHAPES, styles};
    use innograph::ontology::Schema;
    use innograph::source::StoreSource;
    let source = StoreSource::load(&Files::Bundled).expect("the bundled data loads");
    let schema = Schema::from_source(&source).expect("the schema");
    let looks = styles(&schema);
    assert_eq!(looks.len(), schema.kinds.len(), "a look for every kind");
    let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut colours: BTreeMap<&str, &str> = BTreeMap::new();
    for kind in schema.kinds.values() {
        let group = kind
            .group
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no ig:kindGroup", kind.name));
        let (shape, colour) = looks[&kind.name];
        assert!(SHAPES.contains(&shape), "{}: {shape}", kind.name);
        if let Some(other) = seen.insert((shape, colour), &kind.name) {
            panic!("{} and {other} both look like {shape} {colour}", kind.name);
        }
        let group_colour = *colours.entry(group).or_insert(colour);
        assert_eq!(
            colour, group_colour,
            "{} is coloured as its group {group}",
            kind.name
        );
    }
    let distinct: std::collections::BTreeSet<&str> = colours.values().copied().collect();
    assert_eq!(
        distinct.len(),
        colours.len(),
        "a colour of its own for each group"
    );
    assert!(colours.len() > 4, "the kinds are grouped: {colours:?}");
}

#[test]
fn a_diagram_of_one_section_draws_the_relations_of_it_and_its_subsections() {
    let mut relations =
        csv::Reader::from_path(root().join("data/relations.csv")).expect("relations.csv");
    let headers = relations.headers().expect("a header").clone();
    let column = headers
        .iter()
        .position(|h| h == "section")
        .expect("a section column");
    let sections: Vec<String> = relations
        .records()
        .map(|r| r.expect("a record")[column].to_owned())
        .collect();
    for section in ["二", "四（三）", "文头"] {
        let expected = sections
            .iter()
            .filter(|s| *s == section || s.starts_with(&format!("{section}（")))
            .count();
        assert!(expected > 0, "the data has relations in {section}");
        let drawn = dot(&[
            "--sections",
            section,
            "--legend",
            "none",
            "--no-source-line",
        ]);
        let edges = drawn.lines().filter(|l| l.contains(" -> ")).count();
        assert_eq!(edges, expected, "{section}:\n{drawn}");
    }
    let whole = dot(&["--legend", "none", "--no-source-line"]);
    assert_eq!(
        whole.lines().filter(|l| l.contains(" -> ")).count(),
        sections.len()
    );
}

/// The (shape, fill colour) of a DOT node line, if it has both.
fn look(line: &str) -> Option<(String, String)> {
    let shape = line.split("shape=").nth(1)?.split(',').next()?;
    let colour = line.split("fillcolor=\"").nth(1)?.split('"').next()?;
    Some((shape.to_owned(), colour.to_owned()))
}

#[test]
fn a_collapsed_diagram_lists_in_its_legend_exactly_the_looks_it_draws() {
    for args in [
        &["--collapse", "--legend", "side"][..],
        &["--collapse", "--legend", "side", "--sections", "二"],
    ] {
        let drawn = dot(args);
        let mut legend = std::collections::BTreeSet::new();
        let mut nodes = std::collections::BTreeSet::new();
        for line in drawn.lines().map(str::trim_start) {
            let Some(look) = look(line) else { continue };
            if line.starts_with("\"legend:") {
                legend.insert(look);
            } else if look.1 != "#ffffff" {
                // White boxes are leaves of several kinds, named inside.
                nodes.insert(look);
            }
        }
        assert!(!nodes.is_empty(), "{args:?} draws entities");
        assert_eq!(legend, nodes, "{args:?}: the legend against what is drawn");
    }
}

//! Every export format, proven by the program that reads it rather than by
//! innograph's own parser: Graphviz draws every DOT export without a warning
//! and shows every name; rapper and RDFLib read every RDF export with the
//! store's triple count; networkx reads the GraphML with the view's counts
//! and attributes; Python's csv module reads the edge list back; the JSON
//! graph and Mermaid match reviewed snapshots. Each runs over the tiny
//! fixture and over `tests/fixtures/hostile`, whose names hold quotes,
//! backslashes, line breaks, `< > { } |`, HTML-like text and `&amp;`.
//!
//! Snapshots live in `tests/snapshots/`; `INNOGRAPH_BLESS=1 cargo test
//! --test main exports` rewrites them: review the diff before committing it.

use crate::common;

use common::{fixture, innograph, require, root};
use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The fixture datasets every format is tried on.
const FIXTURES: [&str; 2] = ["mini", "hostile"];

/// The Python that has Debian's python3-rdflib and python3-networkx (a
/// `python3` earlier on PATH may be another one).
const PYTHON: &str = "/usr/bin/python3";

/// The RDF formats by their usual extension (which `-o` reads the format
/// from), with the name rapper gives each (None: rapper cannot read it).
const RDF_FORMATS: [(&str, Option<&str>); 6] = [
    ("ttl", Some("turtle")),
    ("nt", Some("ntriples")),
    ("nq", Some("nquads")),
    ("trig", Some("trig")),
    ("rdf", Some("rdfxml")),
    ("jsonld", None),
];

/// Runs `innograph --data tests/fixtures/NAME ARGS...`; its standard output
/// as bytes, after checking that it succeeded and wrote no warning.
fn export(name: &str, args: &[&str]) -> Vec<u8> {
    let output = crate::common::command()
        .arg("--data")
        .arg(fixture(name))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the innograph binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "innograph --data {name} {args:?} failed: {stderr}"
    );
    assert!(
        stderr.is_empty(),
        "innograph --data {name} {args:?}: {stderr}"
    );
    output.stdout
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("the export is UTF-8")
}

/// A fresh folder for files written by one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("innograph-exports-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// Runs `program` with `input` on its standard input: (status ok, stdout, stderr).
fn pipe(program: &str, args: &[&str], input: &[u8]) -> (bool, Vec<u8>, String) {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("the program ends");
    feeder
        .join()
        .expect("feeding")
        .expect("the program reads its input");
    (
        output.status.success(),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Whether Debian's Python has `module`; like `require`, a missing one
/// skips the test outside CI and fails it in CI.
#[expect(clippy::print_stderr, reason = "a skipped test says why")]
fn require_python(module: &str) -> bool {
    if !require(PYTHON) {
        return false;
    }
    let found = Command::new(PYTHON)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{PYTHON} needs the module {module} in CI: .ci/setup installs python3-{module}"
        );
        eprintln!("note: {PYTHON} has no {module}; skipping this test outside CI");
    }
    found
}

/// Runs a Python script with Debian's Python; its standard output.
fn python(script: &str, args: &[&Path]) -> String {
    let output = Command::new(PYTHON)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the Python reader failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// (id, name_zh, name_en) of every entity of a fixture.
fn names(name: &str) -> Vec<(String, String, String)> {
    let csv = export(name, &["entities", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    reader
        .records()
        .map(|r| {
            let r = r.expect("entities CSV");
            (r[0].to_owned(), r[2].to_owned(), r[3].to_owned())
        })
        .collect()
}

/// The number of triples the store holds, as SPARQL counts them.
fn triple_count(name: &str) -> usize {
    let csv = text(export(
        name,
        &[
            "query",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "--format",
            "csv",
        ],
    ));
    csv.lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("a count: {csv}"))
}

/// (nodes, edges) of the petgraph view, as `stats` reports them.
fn view_counts(name: &str) -> (usize, usize) {
    let stats = text(export(name, &["stats"]));
    let line = stats
        .lines()
        .find_map(|l| l.strip_prefix("Graph: "))
        .unwrap_or_else(|| panic!("a Graph: line in {stats}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// Runs of white space as one space: how a name broken over several lines
/// of a diagram reads.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an SVG's `<text>` elements, unescaped, joined by spaces.
fn svg_text(svg: &str) -> String {
    let mut texts = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let after = &rest[start..];
        let open = after.find('>').expect("a text element") + 1;
        let close = after.find("</text>").expect("a closed text element");
        texts.push(unescape(&after[open..close]));
        rest = &after[close..];
    }
    squash(&texts.join(" "))
}

fn unescape(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("an entity ends") + at;
        let entity = &rest[at + 1..end];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = entity.strip_prefix('#').expect("a character reference");
                let value = match code.strip_prefix('x') {
                    Some(hex) => u32::from_str_radix(hex, 16),
                    None => code.parse(),
                };
                char::from_u32(value.expect("a number")).expect("a character")
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Compares `actual` with `tests/snapshots/NAME`, or rewrites the snapshot
/// when `INNOGRAPH_BLESS` is set.
fn snapshot(name: &str, actual: &str) {
    let path = root().join("tests").join("snapshots").join(name);
    if std::env::var_os("INNOGRAPH_BLESS").is_some() {
        fs::create_dir_all(path.parent().expect("a folder")).expect("tests/snapshots");
        fs::write(&path, actual).expect("the snapshot is written");
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run INNOGRAPH_BLESS=1 cargo test --test main exports, review it and commit it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        let saved = std::env::temp_dir().join(format!("innograph-snapshot-{name}"));
        fs::write(&saved, actual).expect("the new output is saved");
        panic!(
            "{name} differs from {} from line {}: expected\n  {}\nbut got\n  {}\nThe whole output is in {}; if the change is right, bless it (INNOGRAPH_BLESS=1) and review the diff",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("(end)"),
            actual.lines().nth(line).unwrap_or("(end)"),
            saved.display()
        );
    }
}

/// Selections and options a diagram can be drawn with, per fixture.
fn diagram_variants(name: &str) -> Vec<Vec<&'static str>> {
    let (focus, kinds, relations) = match name {
        "hostile" => ("uni-q", "University,Platform,Place", "cobuilds,serves"),
        _ => ("uni-a", "University,Platform", "cobuilds"),
    };
    vec![
        vec![],
        vec!["--lang", "zh"],
        vec!["--lang", "en"],
        vec!["--cluster", "kind"],
        vec!["--cluster", "section", "--lang", "en"],
        vec!["--focus", focus, "--depth", "2"],
        vec!["--focus", focus, "--depth", "3", "--avoid-hubs"],
        vec!["--kinds", kinds],
        vec!["--relations", relations, "--cluster", "section"],
    ]
}

#[test]
fn graphviz_draws_every_dot_export_without_a_warning() {
    if !require("dot") {
        return;
    }
    for name in FIXTURES {
        for variant in diagram_variants(name) {
            let mut args = vec!["export", "--format", "dot"];
            args.extend(&variant);
            let diagram = export(name, &args);
            for format in ["-Tsvg", "-Tpng"] {
                let (ok, picture, warnings) = pipe("dot", &[format], &diagram);
                assert!(ok, "dot {format} refused {name} {variant:?}: {warnings}");
                assert!(
                    warnings.is_empty(),
                    "dot {format} warned on {name} {variant:?}: {warnings}"
                );
                assert!(!picture.is_empty());
            }
        }
    }
}

#[test]
fn the_svg_shows_every_name_as_it_is_written() {
    if !require("dot") {
        return;
    }
    for name in FIXTURES {
        for (lang, wanted) in [
            ("both", [true, true]),
            ("zh", [true, false]),
            ("en", [false, true]),
        ] {
            let diagram = export(name, &["export", "--format", "dot", "--lang", lang]);
            let (ok, svg, warnings) = pipe("dot", &["-Tsvg"], &diagram);
            assert!(ok && warnings.is_empty(), "{warnings}");
            let shown = svg_text(&String::from_utf8(svg).expect("UTF-8 SVG"));
            for (id, zh, en) in names(name) {
                for (name_text, want) in [(&zh, wanted[0]), (&en, wanted[1])] {
                    if want {
                        assert!(
                            shown.contains(&squash(name_text)),
                            "the {lang} SVG of {name} lacks the name {name_text:?} of {id}:\n{shown}"
                        );
                    }
                }
            }
            if lang == "zh" {
                assert!(
                    shown.contains("原文所述"),
                    "the legend is drawn, in Chinese"
                );
            }
        }
    }
}

#[test]
fn svg_and_png_are_drawn_through_graphviz() {
    if !require("dot") {
        return;
    }
    let dir = scratch("pictures");
    for name in FIXTURES {
        let svg = text(export(name, &["export", "--format", "svg"]));
        assert!(svg.contains("<svg"), "{svg}");
        let (_, zh, _) = &names(name)[1];
        assert!(svg_text(&svg).contains(&squash(zh)), "{zh} in {svg}");
        // The format comes from the file's extension.
        let png = dir.join(format!("{name}.png"));
        let written = export(name, &["export", "-o", png.to_str().expect("UTF-8 path")]);
        assert!(written.is_empty());
        let bytes = fs::read(&png).expect("the PNG is written");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
        let piped = export(name, &["export", "--format", "png", "--focus", "platform"]);
        assert!(
            piped.starts_with(b"\x89PNG\r\n\x1a\n"),
            "a PNG on standard output"
        );
    }
}

#[test]
fn a_missing_graphviz_says_how_to_install_it() {
    let empty = scratch("no-graphviz");
    let output = crate::common::command()
        .args(["--data"])
        .arg(fixture("mini"))
        .args(["export", "--format", "svg", "-o"])
        .arg(empty.join("diagram.svg"))
        .env("PATH", &empty)
        .output()
        .expect("innograph runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("dot is not installed"), "{stderr}");
    assert!(stderr.contains("apt-get install graphviz"), "{stderr}");
    assert!(
        !empty.join("diagram.svg").exists(),
        "a failed export leaves no file behind"
    );
}

#[test]
fn rapper_reads_every_rdf_export_with_the_store_triple_count() {
    if !require("rapper") {
        return;
    }
    let dir = scratch("rapper");
    for name in FIXTURES {
        let count = triple_count(name);
        for (format, parser) in RDF_FORMATS {
            let Some(parser) = parser else { continue };
            let file = dir.join(format!("{name}.{format}"));
            export(name, &["export", "-o", file.to_str().expect("UTF-8")]);
            let output = Command::new("rapper")
                .args(["-i", parser, "-c"])
                .arg(&file)
                .output()
                .expect("rapper runs");
            let report = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "rapper -i {parser}: {report}");
            assert!(
                report.contains(&format!("Parsing returned {count} triples")),
                "rapper -i {parser} on the {format} export of {name} (the store has {count} triples):\n{report}"
            );
            assert!(
                !report.contains("Warning") && !report.contains("Error"),
                "{report}"
            );
        }
    }
}

/// Reads each file with RDFLib (the format from its extension), prints its
/// triple count, and whether all hold the same triples. RDFLib before 6.2
/// misreads `\\n` in N-Triples and N-Quads (RDFLib pull request 1663), so
/// there those two are compared through rapper's RDF/XML of them instead
/// (not its Turtle, which writes `"8"^^xsd:decimal` as the integer `8`).
const RDFLIB_READER: &str = r#"
import sys, rdflib
formats = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "rdf": "xml",
           "jsonld": "json-ld"}
fixed = tuple(int(n) for n in rdflib.__version__.split(".")[:2]) >= (6, 2)
sets = {}
for path in sys.argv[1:]:
    fmt = formats[path.rsplit(".", 1)[1]]
    if fmt in ("nquads", "trig"):
        data = rdflib.Dataset()
        data.parse(path, format=fmt)
        triples = {(s, p, o) for s, p, o, g in data.quads((None, None, None, None))}
    else:
        graph = rdflib.Graph()
        graph.parse(path, format=fmt)
        triples = set(graph)
    if fixed or fmt not in ("nt", "nquads"):
        sets[path] = triples
    print("count", path, len(triples))
first = next(iter(sets.values()))
print("same", all(s == first for s in sets.values()))
"#;

#[test]
fn rdflib_reads_every_rdf_export_as_the_same_triples() {
    if !require_python("rdflib") || !require("rapper") {
        return;
    }
    let dir = scratch("rdflib");
    for name in FIXTURES {
        let count = triple_count(name);
        let mut files = Vec::new();
        for (format, parser) in RDF_FORMATS {
            let file = dir.join(format!("{name}.{format}"));
            export(name, &["export", "-o", file.to_str().expect("UTF-8")]);
            files.push(file.clone());
            if let Some(parser @ ("ntriples" | "nquads")) = parser {
                let output = Command::new("rapper")
                    .args(["-q", "-i", parser, "-o", "rdfxml"])
                    .arg(&file)
                    .output()
                    .expect("rapper runs");
                assert!(output.status.success());
                let xml = dir.join(format!("{name}.{format}.rdf"));
                fs::write(&xml, output.stdout).expect("written");
                files.push(xml);
            }
        }
        let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        let report = python(RDFLIB_READER, &paths);
        let counts: Vec<&str> = report.lines().filter(|l| l.starts_with("count")).collect();
        assert_eq!(counts.len(), files.len(), "{report}");
        for line in counts {
            assert!(
                line.ends_with(&format!(" {count}")),
                "RDFLib read {line} triples; the store of {name} has {count}"
            );
        }
        assert!(
            report.contains("same True"),
            "every format holds the same triples: {report}"
        );
    }
}

#[test]
fn rdf_exports_declare_the_project_prefixes() {
    let turtle = text(export("mini", &["export", "--format", "turtle"]));
    assert!(turtle.contains("@prefix ig: <https://example.org/innograph/ontology#>"));
    assert!(
        turtle.contains("id:uni-a"),
        "IRIs are written with prefixes"
    );
    let jsonld = text(export("mini", &["export", "--format", "jsonld"]));
    assert!(jsonld.starts_with(r#"{"@context":{"#), "{jsonld}");
    assert!(jsonld.contains(r#""ig":"https://example.org/innograph/ontology#""#));
    let xml = text(export("mini", &["export", "--format", "rdfxml"]));
    assert!(xml.contains(r#"xmlns:ig="https://example.org/innograph/ontology#""#));
}

const NETWORKX_READER: &str = r#"
import sys, json, networkx as nx
g = nx.read_graphml(sys.argv[1])
node_keys = ["label", "kind", "kind_zh", "kind_en", "name_zh", "name_en", "iri", "platform", "hub"]
edge_keys = ["label", "predicate", "label_zh", "label_en", "status", "inferred", "citation", "document", "section", "quote", "anchor_start", "anchor_end"]
missing = [(n, k) for n, d in g.nodes(data=True) for k in node_keys if k not in d]
missing += [(s, t, k) for s, t, d in g.edges(data=True) for k in edge_keys if k not in d]
types_ok = all(isinstance(d["platform"], bool) and isinstance(d["hub"], bool) for _, d in g.nodes(data=True))
types_ok = types_ok and all(isinstance(d["inferred"], bool) for _, _, d in g.edges(data=True))
types_ok = types_ok and all(
    isinstance(d["anchor_start"], int) and isinstance(d["anchor_end"], int)
    and d["anchor_start"] < d["anchor_end"]
    for _, _, d in g.edges(data=True))
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "missing": [list(map(str, m)) for m in missing],
    "types_ok": types_ok,
    "names": {n: [d["name_zh"], d["name_en"]] for n, d in g.nodes(data=True)},
    "quotes": sorted(d["quote"] for _, _, d in g.edges(data=True)),
}, ensure_ascii=False))
"#;

#[test]
fn networkx_reads_the_graphml_with_the_view_counts_and_attributes() {
    if !require_python("networkx") {
        return;
    }
    let dir = scratch("networkx");
    for name in FIXTURES {
        let file = dir.join(format!("{name}.graphml"));
        fs::write(&file, export(name, &["export", "--format", "graphml"])).expect("written");
        let report: serde_json::Value =
            serde_json::from_str(&python(NETWORKX_READER, &[&file])).expect("JSON");
        let (nodes, edges) = view_counts(name);
        assert_eq!(report["directed"], true);
        assert_eq!(report["nodes"], nodes, "{name}: {report}");
        assert_eq!(report["edges"], edges, "{name}: {report}");
        assert_eq!(report["missing"], serde_json::json!([]), "{name}: {report}");
        assert_eq!(report["types_ok"], true, "typed attributes: {report}");
        for (id, zh, en) in names(name) {
            assert_eq!(
                report["names"][&id],
                serde_json::json!([zh, en]),
                "{name}: the names of {id} come back as they are"
            );
        }
        let json = json_graph(name);
        let mut quotes: Vec<&str> = json["elements"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["data"]["quote"].as_str().expect("a quote"))
            .collect();
        quotes.sort_unstable();
        assert_eq!(report["quotes"], serde_json::json!(quotes));
    }
}

fn json_graph(name: &str) -> serde_json::Value {
    serde_json::from_slice(&export(name, &["export", "--format", "json"])).expect("valid JSON")
}

#[test]
fn the_json_graph_is_cytoscape_elements_and_matches_its_snapshot() {
    for name in FIXTURES {
        let bytes = export(name, &["export", "--format", "json"]);
        let graph: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
        let nodes = graph["elements"]["nodes"]
            .as_array()
            .expect("elements.nodes");
        let edges = graph["elements"]["edges"]
            .as_array()
            .expect("elements.edges");
        assert_eq!((nodes.len(), edges.len()), view_counts(name));
        let ids: BTreeSet<&str> = nodes
            .iter()
            .map(|n| n["data"]["id"].as_str().expect("data.id"))
            .collect();
        assert_eq!(ids.len(), nodes.len(), "node ids are unique");
        for edge in edges {
            let data = &edge["data"];
            assert!(ids.contains(data["source"].as_str().expect("data.source")));
            assert!(ids.contains(data["target"].as_str().expect("data.target")));
            assert!(
                !ids.contains(data["id"].as_str().expect("data.id")),
                "edge ids differ from node ids"
            );
        }
        snapshot(&format!("{name}.json"), &text(bytes));
    }
}

#[test]
fn mermaid_matches_its_snapshot() {
    for name in FIXTURES {
        let mermaid = text(export(name, &["export", "--format", "mermaid"]));
        assert!(mermaid.starts_with("flowchart LR\n"));
        for line in mermaid.lines().skip(1) {
            assert_eq!(
                line.matches('"').count() % 2,
                0,
                "labels are quoted and no quote is left bare: {line}"
            );
        }
        snapshot(&format!("{name}.mmd"), &mermaid);
    }
}

#[test]
fn dot_matches_its_snapshot() {
    for name in FIXTURES {
        snapshot(
            &format!("{name}.dot"),
            &text(export(name, &["export", "--format", "dot"])),
        );
    }
    snapshot(
        "hostile-sections.dot",
        &text(export("hostile", &["export", "--cluster", "section"])),
    );
}

const CSV_READER: &str = r#"
import sys, csv, json
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(json.dumps(list(csv.DictReader(f)), ensure_ascii=False))
"#;

#[test]
fn pythons_csv_reads_the_edge_list_back() {
    if !require(PYTHON) {
        return;
    }
    let dir = scratch("csv");
    for name in FIXTURES {
        let file = dir.join(format!("{name}.csv"));
        fs::write(&file, export(name, &["export", "--format", "csv"])).expect("written");
        let rows: serde_json::Value =
            serde_json::from_str(&python(CSV_READER, &[&file])).expect("JSON");
        let rows = rows.as_array().expect("rows");
        let json = json_graph(name);
        let edges = json["elements"]["edges"].as_array().expect("edges");
        assert_eq!(rows.len(), edges.len());
        for (row, edge) in rows.iter().zip(edges) {
            for (column, key) in [
                ("source", "source"),
                ("target", "target"),
                ("predicate", "predicate"),
                ("label_zh", "label_zh"),
                ("label_en", "label_en"),
                ("status", "status"),
                ("citation", "citation"),
                ("section", "section"),
                ("quote", "quote"),
                ("document", "document"),
            ] {
                assert_eq!(row[column], edge["data"][key], "{name}: {column}");
            }
        }
    }
}

#[test]
fn every_text_export_is_the_same_bytes_each_time() {
    for name in FIXTURES {
        for format in [
            "dot", "turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld", "graphml", "json",
            "mermaid", "csv",
        ] {
            let args = ["export", "--format", format];
            assert_eq!(export(name, &args), export(name, &args), "{name} {format}");
        }
    }
}

#[test]
fn the_format_comes_from_the_file_name_unless_given() {
    let dir = scratch("extensions");
    for (file, starts) in [
        ("a.ttl", "@prefix"),
        ("a.nt", "<https://"),
        ("a.rdf", "<?xml"),
        ("a.graphml", "<?xml"),
        ("a.json", "{"),
        ("a.mmd", "flowchart LR"),
        ("a.csv", "source,target"),
        ("a.gv", "digraph"),
    ] {
        let path = dir.join(file);
        export("mini", &["export", "-o", path.to_str().expect("UTF-8")]);
        let written = fs::read_to_string(&path).expect("written");
        assert!(written.starts_with(starts), "{file}: {written}");
    }
    let path = dir.join("a.txt");
    let run = innograph([
        "--data",
        "tests/fixtures/mini",
        "export",
        "-o",
        path.to_str().expect("UTF-8"),
    ])
    .failed();
    assert!(run.stderr.contains("--format"), "{}", run.stderr);
    export(
        "mini",
        &[
            "export",
            "--format",
            "mermaid",
            "-o",
            path.to_str().expect("UTF-8"),
        ],
    );
    assert!(
        fs::read_to_string(&path)
            .expect("written")
            .starts_with("flowchart")
    );
}

#[test]
fn rdf_exports_refuse_a_selection_and_selections_name_what_exists() {
    let run = innograph([
        "--data",
        "tests/fixtures/mini",
        "export",
        "--format",
        "turtle",
        "--focus",
        "甲大学",
    ])
    .failed();
    assert!(run.stderr.contains("every triple"), "{}", run.stderr);
    let run = innograph([
        "--data",
        "tests/fixtures/mini",
        "export",
        "--kinds",
        "Spaceport",
    ])
    .failed();
    assert!(run.stderr.contains("University"), "{}", run.stderr);
    let run = innograph([
        "--data",
        "tests/fixtures/mini",
        "export",
        "--relations",
        "launches",
    ])
    .failed();
    assert!(run.stderr.contains("cobuilds"), "{}", run.stderr);
}

#[test]
fn selections_pick_the_neighbourhood_kinds_and_relations() {
    let ids = |args: &[&str]| -> (Vec<String>, usize) {
        let mut all = vec!["export", "--format", "json"];
        all.extend(args);
        let graph: serde_json::Value = serde_json::from_slice(&export("mini", &all)).expect("JSON");
        let nodes = graph["elements"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["data"]["id"].as_str().expect("id").to_owned())
            .collect();
        (
            nodes,
            graph["elements"]["edges"].as_array().expect("edges").len(),
        )
    };
    assert_eq!(
        ids(&["--focus", "甲大学"]),
        (vec!["platform".into(), "uni-a".into()], 1)
    );
    assert_eq!(
        ids(&["--focus", "uni-a", "--depth", "2"]),
        (
            vec!["district".into(), "platform".into(), "uni-a".into()],
            2
        )
    );
    // The district is a hub: --avoid-hubs stops there.
    assert_eq!(
        ids(&["--focus", "uni-a", "--depth", "4", "--avoid-hubs"])
            .0
            .len(),
        3
    );
    assert_eq!(ids(&["--focus", "uni-a", "--depth", "4"]).0.len(), 5);
    assert_eq!(
        ids(&["--kinds", "University,Platform"]),
        (vec!["platform".into(), "uni-a".into()], 1)
    );
    assert_eq!(
        ids(&["--relations", "organises,serves"]),
        (vec!["smes".into(), "stc".into(), "visits".into()], 2)
    );
}

#[test]
fn a_coarse_relation_selects_its_finer_ones() {
    // In the bundled data, `supports` has sub-properties (`builds`,
    // `promotesBuilding`, ...): selecting it draws them all.
    let run = innograph(["export", "--relations", "supports", "--format", "csv"]).ok();
    let mut predicates: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').nth(2))
        .collect();
    predicates.sort();
    predicates.dedup();
    assert!(predicates.contains(&"supports"), "{predicates:?}");
    assert!(predicates.contains(&"builds"), "{predicates:?}");
    assert!(predicates.contains(&"promotesBuilding"), "{predicates:?}");
    assert!(!predicates.contains(&"hosts"), "{predicates:?}");
}

#[test]
fn a_closed_pipe_is_not_an_error_in_any_format() {
    let mut formats = vec![
        "turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld", "graphml", "json", "mermaid",
        "csv",
    ];
    if require("dot") {
        formats.push("svg");
    }
    for format in formats {
        // The bundled data: more than a pipe holds at once.
        let mut child = crate::common::command()
            .args(["export", "--format", format])
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("innograph runs");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("innograph ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

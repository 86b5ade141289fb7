//! `innograph report`: over the tiny fixture and the bundled data, the HTML
//! page and the Markdown document have every section, every figure of the
//! data, every inferred fact's reason, the source letter as the data gives
//! it and its citation; the HTML is well-formed with the diagrams inline as
//! SVG; the same graph gives the same bytes; the PDF, printed by headless
//! Chromium and rendered by poppler's pdftoppm, has A4 pages none of which
//! is blank, and without a browser nothing is written.

use crate::common::{fixture, innograph, require, root};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const PYTHON: &str = "/usr/bin/python3";

/// The sections every report has, by their HTML ids.
const SECTIONS: [&str; 10] = [
    "source",
    "counts",
    "overview",
    "sections",
    "universities",
    "programmes",
    "figures",
    "modality",
    "inferred",
    "citations",
];

/// A fresh folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("innograph-report-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// The rows of one CSV file of a dataset, as maps from column to cell.
fn rows(dataset: &Path, file: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(dataset.join(file)).expect("the CSV file");
    let headers = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let record = r.expect("a record");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, c)| (h.to_owned(), c.to_owned()))
                .collect()
        })
        .collect()
}

/// What a dataset says the report must show: (figures as written, reasons
/// of inferred facts, the letter's citation, its date, the names of its
/// issuers and addressees, the number of universities).
struct Expected {
    figures: Vec<String>,
    reasons: Vec<String>,
    citation: String,
    date: String,
    parties: Vec<String>,
    universities: usize,
    /// The top-level sections the relations come from (`二` for `二（一）`).
    sections: usize,
}

fn expected(dataset: &Path) -> Expected {
    let entities = rows(dataset, "entities.csv");
    let relations = rows(dataset, "relations.csv");
    let figures = rows(dataset, "figures.csv");
    let letter = entities
        .iter()
        .find(|e| e["kind"] == "Letter")
        .expect("the dataset has its letter");
    let name_of = |id: &str| {
        entities
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["name_zh"].clone())
            .expect("a known entity")
    };
    let parties = relations
        .iter()
        .filter_map(|r| match r["predicate"].as_str() {
            "issued" if r["object"] == letter["id"] && r["status"] == "stated" => {
                Some(name_of(&r["subject"]))
            }
            "addressedTo" if r["subject"] == letter["id"] && r["status"] == "stated" => {
                Some(name_of(&r["object"]))
            }
            _ => None,
        })
        .collect();
    let reasons = [&entities, &relations, &figures]
        .into_iter()
        .flatten()
        .filter(|r| r["status"] == "inferred")
        .map(|r| r["reason"].clone())
        .collect();
    Expected {
        figures: figures.iter().map(|f| f["as_written"].clone()).collect(),
        reasons,
        citation: if letter["identifier"].is_empty() {
            letter["name_zh"].clone()
        } else {
            letter["identifier"].clone()
        },
        date: letter["date"].clone(),
        parties,
        universities: entities
            .iter()
            .filter(|e| e["kind"] == "University")
            .count(),
        sections: relations
            .iter()
            .map(|r| r["section"].split('（').next().unwrap_or_default())
            .filter(|s| !s.is_empty())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
    }
}

/// `text` as the HTML page escapes it.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// `text` as the Markdown document escapes it.
fn md_escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "|*_[]<>`\\#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Checks with Python's html.parser that every element is closed in order;
/// returns the number of inline `<svg>` elements.
fn well_formed(html: &Path) -> usize {
    let script = r#"
import sys
from html.parser import HTMLParser
VOID = {"area","base","br","col","embed","hr","img","input","link","meta","source","track","wbr"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.svgs, self.doctype = [], 0, False
    def handle_decl(self, decl):
        self.doctype = decl.lower() == "doctype html"
    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svgs += 1
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            sys.exit(f"</{tag}> at {self.getpos()} closes nothing")
        open_tag, where = self.stack.pop()
        if open_tag != tag:
            sys.exit(f"</{tag}> at {self.getpos()} closes <{open_tag}> opened at {where}")
c = Check()
c.feed(open(sys.argv[1], encoding="utf-8").read())
c.close()
if c.stack:
    sys.exit(f"never closed: {c.stack}")
if not c.doctype:
    sys.exit("no <!DOCTYPE html>")
print(c.svgs)
"#;
    let output = Command::new(PYTHON)
        .arg("-c")
        .arg(script)
        .arg(html)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the HTML report is not well-formed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a count")
}

/// Runs `innograph report` over `dataset` (the bundled data when `None`)
/// into `file`; the bytes written.
fn report(dataset: Option<&Path>, file: &Path, extra: &[&str]) -> String {
    let mut args: Vec<String> = Vec::new();
    if let Some(dataset) = dataset {
        args.push("--data".into());
        args.push(dataset.display().to_string());
    }
    args.extend(["report".into(), "-o".into(), file.display().to_string()]);
    args.extend(extra.iter().map(|a| a.to_string()));
    let run = innograph(&args).ok();
    assert_eq!(
        run.stderr, "",
        "Graphviz draws every diagram without a warning"
    );
    fs::read_to_string(file).expect("the report is written")
}

fn check_html(dataset: &Path, given: Option<&Path>, name: &str) {
    if !require("dot") || !require(PYTHON) {
        return;
    }
    let dir = scratch(name);
    let expect = expected(dataset);
    let file = dir.join("report.html");
    let html = report(given, &file, &[]);
    for section in SECTIONS {
        assert!(
            html.contains(&format!("<section id=\"{section}\">")),
            "no section {section}"
        );
    }
    for figure in &expect.figures {
        assert!(
            html.contains(&html_escaped(figure)),
            "figure {figure} missing"
        );
    }
    assert!(!expect.reasons.is_empty(), "the dataset has inferred facts");
    for reason in &expect.reasons {
        assert!(
            html.contains(&html_escaped(reason)),
            "reason missing: {reason}"
        );
    }
    assert!(html.contains(&html_escaped(&expect.citation)));
    assert!(html.contains(&expect.date), "the letter's date");
    for party in &expect.parties {
        assert!(html.contains(&html_escaped(party)), "{party} missing");
    }
    assert_eq!(
        well_formed(&file),
        1 + expect.sections + expect.universities,
        "an overview, one diagram per section and one per university, inline"
    );
    assert!(!html.contains("<?xml"), "inline SVG has no XML prolog");
    let again = report(given, &dir.join("again.html"), &[]);
    assert!(again == html, "two runs give the same bytes");
}

#[test]
fn the_html_report_of_the_fixture_has_every_section_figure_and_reason() {
    let mini = fixture("mini");
    check_html(&mini, Some(&mini), "mini-html");
}

#[test]
fn the_html_report_of_the_bundled_data_has_every_section_figure_and_reason() {
    let data = root().join("data");
    check_html(&data, None, "bundled-html");
}

#[test]
fn the_markdown_report_links_its_diagrams_and_has_every_figure_and_reason() {
    if !require("dot") {
        return;
    }
    let data = root().join("data");
    let expect = expected(&data);
    let dir = scratch("bundled-md");
    let file = dir.join("ecosystem.md");
    let md = report(None, &file, &["--lang", "zh"]);
    for figure in &expect.figures {
        assert!(md.contains(&md_escaped(figure)), "figure {figure} missing");
    }
    for reason in &expect.reasons {
        assert!(md.contains(&md_escaped(reason)), "reason missing: {reason}");
    }
    assert!(md.contains(&md_escaped(&expect.citation)));
    for heading in [
        "## 来源",
        "## 按类别计数",
        "## 总览图",
        "## 逐节图",
        "## 高校及其平台",
        "## 项目与基金",
        "## 数字",
        "## 已完成与规划",
        "## 附录：推断的事实",
        "## 引用",
    ] {
        assert!(md.contains(heading), "no section {heading}");
    }
    let svgs: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    assert_eq!(svgs.len(), 1 + expect.sections + expect.universities);
    for svg in &svgs {
        let name = svg.file_name().unwrap().to_string_lossy().into_owned();
        assert!(md.contains(&format!("]({name})")), "{name} is not linked");
        let drawing = fs::read_to_string(svg).expect("the SVG");
        assert!(drawing.starts_with("<svg"), "{name} is an SVG drawing");
        assert!(
            drawing.contains(&expect.citation),
            "{name} has its source line"
        );
    }
    let again = report(None, &dir.join("again.md"), &["--lang", "zh"]);
    assert_eq!(
        again.replace("again.", "ecosystem."),
        md,
        "two runs give the same text"
    );
}

#[test]
fn a_report_in_english_speaks_english() {
    if !require("dot") {
        return;
    }
    let mini = fixture("mini");
    let dir = scratch("mini-en");
    let html = report(Some(&mini), &dir.join("r.html"), &["--lang", "en"]);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Appendix: inferred facts"));
    assert!(
        !html.contains("附录"),
        "no Chinese heading in an English report"
    );
}

#[test]
fn a_report_needs_a_file_name_that_says_its_form_and_graphviz() {
    let dir = scratch("refused");
    let run = innograph([
        "report",
        "-o",
        &dir.join("report.txt").display().to_string(),
    ])
    .failed();
    assert!(run.stderr.contains("report.html"), "{}", run.stderr);
    let output = crate::common::command()
        .arg("--data")
        .arg(fixture("mini"))
        .args(["report", "-o"])
        .arg(dir.join("report.html"))
        .env("PATH", &dir)
        .output()
        .expect("innograph runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("apt-get install graphviz"), "{stderr}");
    assert!(
        !dir.join("report.html").exists(),
        "no file without its diagrams"
    );
}

/// The pages of a PDF rendered by poppler's `pdftoppm` in grey at a low
/// resolution: (width, height, pixels) of each page, from its PGM files.
fn pages(pdf: &Path) -> Vec<(usize, usize, Vec<u8>)> {
    let dir = pdf.with_extension("pages");
    fs::create_dir_all(&dir).expect("a folder");
    let status = Command::new("pdftoppm")
        .args(["-gray", "-r", "30"])
        .arg(pdf)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success(), "pdftoppm reads the PDF");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the pages")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let bytes = fs::read(file).expect("a page");
            // A binary PGM: "P5", width, height, maximum value, one byte a pixel.
            let mut fields = Vec::new();
            let mut at = 0;
            while fields.len() < 4 {
                while bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                let start = at;
                while !bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
            }
            assert_eq!(fields[0], "P5", "{}", file.display());
            let width: usize = fields[1].parse().expect("a width");
            let height: usize = fields[2].parse().expect("a height");
            let pixels = bytes[at + 1..].to_vec();
            assert_eq!(pixels.len(), width * height, "{}", file.display());
            (width, height, pixels)
        })
        .collect()
}

#[test]
fn the_pdf_report_has_a4_pages_none_of_them_blank() {
    if !require("dot") || !require("chromium") || !require("pdftoppm") {
        return;
    }
    let dir = scratch("pdf");
    let pdf = dir.join("report.pdf");
    innograph(["report", "-o", pdf.to_str().expect("UTF-8")]).ok();
    let bytes = fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    let pages = pages(&pdf);
    assert!(
        pages.len() > 1,
        "a report of several pages: {}",
        pages.len()
    );
    for (i, (width, height, pixels)) in pages.iter().enumerate() {
        // A4 is 210 × 297 mm: at 30 dpi, 248 × 351 pixels.
        assert!(
            width.abs_diff(248) <= 2 && height.abs_diff(351) <= 2,
            "page {}: {width} × {height}",
            i + 1
        );
        let inked = pixels.iter().filter(|&&p| p < 160).count();
        assert!(
            inked * 500 > pixels.len(),
            "page {} is blank: {inked} dark pixels",
            i + 1
        );
    }
    let (_, _, first) = &pages[0];
    assert!(
        first.iter().filter(|&&p| p < 160).count() * 50 > first.len(),
        "the first page has text"
    );
}

#[test]
fn a_pdf_report_without_a_browser_says_so_and_writes_nothing() {
    if !require("dot") {
        return;
    }
    let dir = scratch("no-browser");
    // A PATH with Graphviz (which draws the diagrams) and no browser.
    let dot = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|p| p.join("dot"))
        .find(|p| p.is_file())
        .expect("dot on PATH");
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).expect("a folder");
    std::os::unix::fs::symlink(&dot, bin.join("dot")).expect("a link to dot");
    let pdf = dir.join("report.pdf");
    let output = crate::common::command()
        .arg("--data")
        .arg(fixture("mini"))
        .args(["report", "-o"])
        .arg(&pdf)
        .env("PATH", &bin)
        .output()
        .expect("innograph runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("chromium"), "{stderr}");
    assert!(
        stderr.contains("report.html"),
        "says what to do instead: {stderr}"
    );
    assert!(!pdf.exists(), "nothing written");
}

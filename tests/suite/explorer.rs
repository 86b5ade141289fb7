//! The explorer: its answers under `/api/`, the one-file export, the
//! vendored scripts' hashes, and the page itself driven in headless
//! Chromium through WebDriver (tests/browser/explorer.py, Debian's
//! python3-selenium and chromium-driver), against `innograph serve` and
//! against the exported file opened from `file://` with the network off.

use super::serve::{Served, agent, read};
use crate::common::{self, innograph, root};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn json(served: &Served, path: &str) -> (u16, Value) {
    let (status, _, body) = read(agent().get(served.url(path)).call());
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
    )
}

#[test]
fn vendored_scripts_match_their_recorded_hashes() {
    let output = Command::new("bash")
        .arg(root().join("web/vendor/refresh.sh"))
        .arg("--check")
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let sums = std::fs::read_to_string(root().join("web/vendor/SHA256SUMS")).expect("SHA256SUMS");
    for name in [
        "cytoscape.min.js",
        "cytoscape-fcose.js",
        "cose-base.js",
        "layout-base.js",
        "codemirror.js",
        "codemirror.css",
        "codemirror-sparql.js",
    ] {
        assert!(sums.contains(name), "{name} has a recorded hash");
    }
    assert!(
        sums.lines().filter(|l| l.contains("LICENSE.")).count() == 5,
        "every package's licence is kept: {sums}"
    );
}

#[test]
fn the_explorer_answers_from_the_same_resolution_and_rules_as_the_command_line() {
    let served = Served::start(&[]);
    // One name: the entity it resolves to.
    let (status, found) = json(&served, "/api/search?q=tongji");
    assert_eq!(status, 200);
    assert_eq!(found["entities"][0]["id"], "tongji");
    // A part of several names (大学): every candidate `innograph show` lists.
    let (_, found) = json(&served, "/api/search?q=%E5%A4%A7%E5%AD%A6");
    assert!(
        found["entities"].as_array().is_some_and(|e| e.len() > 2),
        "{found}"
    );
    assert_eq!(found["suggestions"], false);
    // Hubs are left out unless asked for, as `platforms --avoid-hubs` walks.
    let (_, without) = json(&served, "/api/graph?id=tongji&depth=2&hubs=0");
    let (_, with) = json(&served, "/api/graph?id=tongji&depth=2&hubs=1");
    let hubs = |graph: &Value| {
        graph["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter(|n| n["hub"] == true)
            .count()
    };
    assert_eq!(hubs(&without), 0, "{without}");
    assert!(hubs(&with) > 0, "{with}");
    assert!(with["nodes"].as_array().map(Vec::len) > without["nodes"].as_array().map(Vec::len));
    // Every anchored fact lies inside the letter.
    let (_, letter) = json(&served, "/api/letter");
    let length = letter["documents"][0]["text"]
        .as_str()
        .expect("text")
        .chars()
        .count() as u64;
    let facts = letter["facts"].as_array().expect("facts");
    assert!(facts.len() > 100);
    for fact in facts {
        let (start, end) = (fact["anchor_start"].as_u64(), fact["anchor_end"].as_u64());
        assert!(start < end && end <= Some(length), "{fact}");
    }
    // A parameter is bound as `query --param` binds it.
    let (_, bound) = json(
        &served,
        "/api/bind?name=university&value=%E5%90%8C%E6%B5%8E",
    );
    assert_eq!(bound["term"], "<https://example.org/innograph/id/tongji>");
    let (status, refused) = json(&served, "/api/graph?id=nobody-at-all");
    assert_eq!(status, 404, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|e| e.contains("nobody-at-all"))
    );
}

/// The explorer exported as one file into a temporary folder named after
/// `folder` and this process.
fn exported(folder: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{folder}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("ecosystem.html");
    innograph([
        "export",
        "--format",
        "html",
        "-o",
        file.to_str().expect("utf-8"),
    ])
    .ok();
    file
}

#[test]
fn the_exported_file_holds_its_scripts_and_answers_and_nothing_remote() {
    let file = exported("innograph-explorer");
    let page = std::fs::read_to_string(&file).expect("the file");
    assert!(
        !page.contains("<script src="),
        "no script is loaded from elsewhere"
    );
    assert!(!page.contains("/*ANSWERS*/null"), "the answers are inlined");
    assert!(
        page.contains("\"/entities/tongji\":"),
        "the card of every entity is inside"
    );
    assert!(page.contains("\"/platforms?university=tongji\":"));
    let refused = innograph([
        "export",
        "--format",
        "html",
        "--focus",
        "tongji",
        "-o",
        file.to_str().expect("utf-8"),
    ])
    .failed();
    assert!(refused.stderr.contains("whole graph"), "{}", refused.stderr);
    let _ = std::fs::remove_dir_all(file.parent().expect("its folder"));
}

/// Whether the browser test's programs are here (in CI they must be).
fn browser_ready() -> bool {
    if !common::require("chromium") {
        return false;
    }
    // `chromedriver -V` would start the driver and wait: ask its version only.
    let driver = Command::new("chromedriver")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let selenium = Command::new("/usr/bin/python3")
        .args(["-c", "import selenium"])
        .status()
        .is_ok_and(|s| s.success());
    if !(driver && selenium) {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium-driver and python3-selenium are required in CI: .ci/setup installs them"
        );
        #[allow(clippy::print_stderr, reason = "a skipped test says why")]
        {
            eprintln!(
                "note: chromedriver or Python's selenium is not installed; skipping this test outside CI"
            );
        }
    }
    driver && selenium
}

/// Where the screenshots go: docs/ when blessing, else a temporary folder.
fn shots() -> PathBuf {
    if std::env::var_os("INNOGRAPH_BLESS").is_some() {
        root().join("docs")
    } else {
        let dir =
            std::env::temp_dir().join(format!("innograph-explorer-shots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}

/// Runs the browser scenarios against `target` and checks that each passed.
#[allow(clippy::print_stderr, reason = "the measures are reported")]
fn scenarios(mode: &str, target: &str, expected: &[&str]) {
    let output = Command::new("/usr/bin/python3")
        .arg(root().join("tests/browser/explorer.py"))
        .args([mode, target])
        .arg(shots())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for scenario in expected {
        assert!(
            stdout.lines().any(|l| l == format!("ok {scenario}")),
            "scenario {scenario} did not pass: {stdout}"
        );
    }
    for line in stdout.lines().filter(|l| l.starts_with("measure ")) {
        eprintln!("{line}");
    }
}

const SCENARIOS: [&str; 13] = [
    "start",
    "search",
    "platforms",
    "quote",
    "expand",
    "filter",
    "shared-url",
    "every-fact",
    "figures",
    "sparql",
    "zh",
    "path",
    "network",
];

#[test]
fn the_served_explorer_in_a_browser() {
    if !browser_ready() {
        return;
    }
    let served = Served::start(&[]);
    scenarios("served", &served.url(""), &SCENARIOS);
}

#[test]
fn the_exported_explorer_in_a_browser_with_no_network() {
    if !browser_ready() {
        return;
    }
    let file = exported("innograph-explorer-file");
    eprintln_size(&file);
    scenarios("file", file.to_str().expect("utf-8"), &SCENARIOS);
    let _ = std::fs::remove_dir_all(file.parent().expect("its folder"));
}

#[allow(clippy::print_stderr, reason = "the measure is reported")]
fn eprintln_size(file: &std::path::Path) {
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or_default();
    eprintln!("measure exported_html_bytes {size}");
}

//! The graph's own questions: `path`, `neighbors` and `rank`, on the tiny
//! fixture where every answer can be checked by hand, and `rank` against
//! networkx's PageRank and betweenness on the bundled data.

use crate::common;

use common::{fixture, innograph, require};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The Python that has Debian's python3-networkx.
const PYTHON: &str = "/usr/bin/python3";

fn mini(args: &[&str]) -> common::Run {
    let mut all = vec!["--data", "tests/fixtures/mini"];
    all.extend(args);
    innograph(all)
}

#[test]
fn path_gives_each_hop_with_its_quote() {
    let run = mini(&["path", "甲大学", "中小企业"]).ok();
    let text = run.stdout;
    assert!(text.starts_with("甲大学 University A → 中小企业"), "{text}");
    assert!(text.contains(": 5 links"), "{text}");
    assert!(text.contains("“乙区科委组织“走进高校”活动”"), "{text}");
    assert!(
        text.contains("inferred · 测试函 二 · “乙区科委” (inferred: The name says"),
        "{text}"
    );
    let csv = mini(&["path", "uni-a", "district", "--format", "csv"])
        .ok()
        .stdout;
    assert_eq!(
        csv,
        "hop,from,relation,direction,to,status,modality,citation,document,section,quote,reason,date,start,anchor_start,anchor_end\n\
         1,uni-a,cobuilds,out,platform,stated,achieved,测试函,https://example.org/innograph/id/letter,一,甲大学与乙区共建智能平台,,,,19,31\n\
         2,platform,cobuilds,in,district,stated,achieved,测试函,https://example.org/innograph/id/letter,一,甲大学与乙区共建智能平台,,,,19,31\n"
    );
}

#[test]
fn path_avoiding_hubs_may_find_none_and_says_so() {
    // The only chain runs through the district and its commission, both hubs.
    let run = mini(&["path", "甲大学", "中小企业", "--avoid-hubs"]);
    assert_eq!(run.code, 1, "no chain is exit status 1");
    assert!(
        run.stdout.starts_with("No chain of relations links"),
        "{}",
        run.stdout
    );
    let json: serde_json::Value = serde_json::from_str(
        &mini(&["path", "uni-a", "smes", "--avoid-hubs", "--format", "json"]).stdout,
    )
    .expect("JSON even when no chain links them");
    assert_eq!(json["path"], serde_json::Value::Null);
    // A hub may still end the chain.
    let run = mini(&["path", "uni-a", "district", "--avoid-hubs"]).ok();
    assert!(
        run.stdout.contains(": 2 links, not through hubs"),
        "{}",
        run.stdout
    );
    let run = mini(&["path", "uni-a", "甲"]).failed();
    assert!(
        run.stderr.contains("two different entities"),
        "{}",
        run.stderr
    );
}

#[test]
fn neighbors_are_listed_nearest_first_with_their_chain() {
    let json: serde_json::Value = serde_json::from_str(
        &mini(&["neighbors", "uni-a", "--depth", "3", "--format", "json"])
            .ok()
            .stdout,
    )
    .expect("JSON");
    let found: Vec<(String, u64, usize)> = json["neighbors"]
        .as_array()
        .expect("neighbors")
        .iter()
        .map(|n| {
            (
                n["id"].as_str().expect("id").to_owned(),
                n["distance"].as_u64().expect("distance"),
                n["path"].as_array().expect("path").len(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("platform".to_owned(), 1, 1),
            ("district".to_owned(), 2, 2),
            ("stc".to_owned(), 3, 3)
        ]
    );
    // Not through the district, a hub: it ends the walk.
    let text = mini(&["neighbours", "uni-a", "--depth", "3", "--avoid-hubs"])
        .ok()
        .stdout;
    assert!(
        text.contains("2 entities within 3 links, not through hubs"),
        "{text}"
    );
    assert!(!text.contains("stc"), "{text}");
}

#[test]
fn rank_orders_by_the_measure_asked() {
    let csv = mini(&["rank", "--format", "csv", "--top", "0"]).ok().stdout;
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).expect("id"))
        .collect();
    // district and stc lie on six shortest chains each; platform and visits on four.
    assert_eq!(
        ids,
        [
            "district", "stc", "platform", "visits", "smes", "uni-a", "letter"
        ]
    );
    let top = mini(&["rank", "--by", "pagerank", "--top", "2", "--format", "csv"])
        .ok()
        .stdout;
    assert_eq!(top.lines().count(), 3, "{top}");
    assert!(
        top.lines()
            .nth(1)
            .expect("a row")
            .starts_with("1,platform,"),
        "{top}"
    );
    let universities = mini(&["rank", "--kind", "高校"]).ok().stdout;
    assert_eq!(universities.lines().count(), 3, "{universities}");
    assert!(universities.contains("uni-a"));
}

/// networkx's PageRank and betweenness of the GraphML export, taken as
/// innograph takes them: links both ways, two relations between the same
/// entities once.
const NETWORKX_RANK: &str = r#"
import sys, json, networkx as nx
g = nx.Graph(nx.read_graphml(sys.argv[1]).to_undirected())
print(json.dumps({
    "pagerank": nx.pagerank(g, alpha=0.85, tol=1e-12, max_iter=1000),
    "betweenness": nx.betweenness_centrality(g, normalized=False),
    "degree": {n: d for n, d in nx.MultiGraph(nx.read_graphml(sys.argv[1])).degree()},
}))
"#;

#[test]
fn rank_agrees_with_networkx() {
    if !require(PYTHON) {
        return;
    }
    let has_networkx = Command::new(PYTHON)
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        has_networkx || std::env::var_os("CI").is_none(),
        "CI needs python3-networkx"
    );
    if !has_networkx {
        return;
    }
    let dir = std::env::temp_dir().join(format!("innograph-rank-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    for data in [None, Some(fixture("mini")), Some(fixture("hostile"))] {
        let mut base: Vec<String> = Vec::new();
        if let Some(dir) = &data {
            base.extend(["--data".to_owned(), dir.display().to_string()]);
        }
        let graphml = dir.join("graph.graphml");
        let mut args = base.clone();
        args.extend(["export", "-o"].map(str::to_owned));
        args.push(graphml.display().to_string());
        innograph(&args).ok();
        let expected = networkx(&graphml);
        let mut args = base.clone();
        args.extend(["rank", "--top", "0", "--format", "csv"].map(str::to_owned));
        let csv = innograph(&args).ok().stdout;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let mut seen = 0;
        for row in reader.records() {
            let row = row.expect("a CSV row");
            let id = &row[1];
            let number = |i: usize| row[i].parse::<f64>().expect("a number");
            let close = |ours: f64, theirs: f64, what: &str| {
                assert!(
                    (ours - theirs).abs() <= 1e-6 * theirs.abs().max(1.0),
                    "{what} of {id} in {data:?}: innograph {ours}, networkx {theirs}"
                );
            };
            close(number(5), expected["degree"][id], "degree");
            close(number(6), expected["pagerank"][id], "PageRank");
            close(number(7), expected["betweenness"][id], "betweenness");
            seen += 1;
        }
        assert_eq!(seen, expected["pagerank"].len(), "every entity is ranked");
    }
}

fn networkx(graphml: &Path) -> BTreeMap<String, BTreeMap<String, f64>> {
    let output = Command::new(PYTHON)
        .args(["-c", NETWORKX_RANK])
        .arg(graphml)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from networkx")
}

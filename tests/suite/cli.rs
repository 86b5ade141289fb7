//! The command line as people use it: names resolve, answers carry their
//! evidence, and bad input gets a clear message and a non-zero exit.

use crate::common;

use common::{copy_dataset, fixture, innograph};
use std::io::Read;
use std::process::Stdio;

#[test]
fn tongji_platforms_answer_to_every_name() {
    let answers: Vec<String> = ["同济大学", "同济", "Tongji", "tongji", "TONGJI UNIVERSITY"]
        .iter()
        .map(|name| innograph(["platforms", name]).ok().stdout)
        .collect();
    for answer in &answers {
        assert_eq!(
            answer, &answers[0],
            "every name of Tongji gives the same answer"
        );
    }
    // The letter: “与同济大学合作共建国家自主智能未来产业科技园”.
    assert!(
        answers[0].contains("国家自主智能未来产业科技园"),
        "{}",
        answers[0]
    );
    assert!(
        answers[0].contains("合作共建国家自主智能未来产业科技园"),
        "the quote is shown"
    );
    assert!(answers[0].contains("stated"), "the status is shown");
}

#[test]
fn fudan_and_usst_platforms_come_from_the_letter() {
    let fudan = innograph(["platforms", "复旦"]).ok().stdout;
    assert!(fudan.contains("复旦大学上海智能产业创新研究院"), "{fudan}");
    let usst = innograph(["platforms", "上海理工"]).ok().stdout;
    assert!(usst.contains("上海市高端医疗装备创新中心"), "{usst}");
}

#[test]
fn deeper_platforms_include_the_direct_ones_and_show_paths() {
    let direct = innograph(["platforms", "tongji", "--format", "csv"])
        .ok()
        .stdout;
    let deeper = innograph(["platforms", "tongji", "--depth", "2", "--format", "csv"])
        .ok()
        .stdout;
    let platforms = |csv: &str| -> std::collections::BTreeSet<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap_or_default().to_owned())
            .collect()
    };
    assert!(platforms(&direct).is_subset(&platforms(&deeper)));
    assert!(
        deeper.lines().skip(1).all(|l| {
            let distance: usize = l.split(',').nth(4).unwrap().parse().unwrap();
            distance <= 2
        }),
        "no path is longer than the depth"
    );
}

#[test]
fn platforms_json_is_structured() {
    let out = innograph(["platforms", "fudan", "--format", "json"])
        .ok()
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(value["university"]["id"], "fudan");
    let platforms = value["platforms"].as_array().expect("a list");
    assert!(!platforms.is_empty());
    for platform in platforms {
        for hop in platform["paths"][0].as_array().expect("a path") {
            assert!(
                !hop["quote"].as_str().unwrap().is_empty(),
                "every hop has its quote"
            );
        }
    }
}

#[test]
fn an_unknown_name_suggests_the_nearest() {
    let run = innograph(["platforms", "Tongjj"]).failed();
    assert!(
        run.stderr.contains("no entity is named `Tongjj`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tongji"),
        "the nearest name is suggested: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn an_ambiguous_name_lists_the_candidates() {
    let run = innograph(["show", "研究院"]).failed();
    assert!(run.stderr.contains("ambiguous"), "{}", run.stderr);
    assert!(
        run.stderr.lines().count() > 2,
        "candidates are listed: {}",
        run.stderr
    );
}

#[test]
fn bad_sparql_names_line_and_column() {
    let run = innograph(["query", "-e", "SELECT ?s WHERE {\n  ?s a ig:University\n"]).failed();
    assert!(run.stderr.contains("SPARQL syntax error"), "{}", run.stderr);
    assert!(run.stderr.contains("line 3, column 1"), "{}", run.stderr);
}

#[test]
fn an_unknown_query_lists_the_named_ones() {
    let run = innograph(["query", "no-such-query"]).failed();
    assert!(
        run.stderr.contains("platforms-of-university"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_data_folder_is_named() {
    let run = innograph(["--data", "/no/such/folder", "stats"]).failed();
    assert!(run.stderr.contains("/no/such/folder"), "{}", run.stderr);
}

#[test]
fn a_broken_data_folder_is_refused_with_every_problem() {
    let dir = copy_dataset(&fixture("mini"), "broken");
    let entities = std::fs::read_to_string(dir.join("entities.csv")).unwrap();
    std::fs::write(
        dir.join("entities.csv"),
        entities.replace("甲大学与乙区共建智能平台,stated", "这句话不在信里,stated"),
    )
    .unwrap();
    std::fs::write(dir.join("figures.csv"), "id,subject\n").unwrap();
    let run = innograph(["--data", dir.to_str().unwrap(), "platforms", "甲"]).failed();
    assert!(run.stderr.contains("figures.csv:1:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("lacks the column `indicator_zh`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing partial is printed");
    std::fs::copy(fixture("mini").join("figures.csv"), dir.join("figures.csv")).unwrap();
    let run = innograph(["--data", dir.to_str().unwrap(), "platforms", "甲"]).failed();
    assert!(run.stderr.contains("entities.csv:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("does not occur"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_csv_syntax_error_names_line_and_column() {
    let dir = copy_dataset(&fixture("mini"), "syntax");
    let relations = std::fs::read_to_string(dir.join("relations.csv")).unwrap();
    std::fs::write(
        dir.join("relations.csv"),
        format!("{relations}uni-a,cobuilds\n"),
    )
    .unwrap();
    let run = innograph(["--data", dir.to_str().unwrap(), "validate"]).failed();
    assert!(run.stderr.contains("relations.csv:7:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("2 fields but the header has 9"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = crate::common::command()
        .args(["export", "--format", "dot"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "exit {status}: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn query_params_bind_without_pasting_text() {
    let by_name = innograph([
        "query",
        "platforms-of-university",
        "--param",
        "university=同济",
        "--format",
        "csv",
    ])
    .ok()
    .stdout;
    let by_iri = innograph([
        "query",
        "platforms-of-university",
        "--param",
        "university=<https://example.org/innograph/id/tongji>",
        "--format",
        "csv",
    ])
    .ok()
    .stdout;
    assert_eq!(by_name, by_iri);
    assert!(by_name.lines().count() > 1);
    // A hostile value is bound as a literal, never spliced into the query.
    let run = innograph([
        "query",
        "-e",
        "SELECT ?x WHERE { BIND(?v AS ?x) }",
        "--param",
        "v=\"} DELETE WHERE { ?s ?p ?o } #\"",
        "--format",
        "csv",
    ])
    .ok();
    assert_eq!(
        run.stdout.trim(),
        "x\r\n} DELETE WHERE { ?s ?p ?o } #".trim()
    );
}

#[test]
fn query_formats_are_the_sparql_ones() {
    let q = "SELECT ?u WHERE { ?u a ig:University } ORDER BY ?u";
    let json = innograph(["query", "-e", q, "--format", "json"])
        .ok()
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["head"]["vars"][0], "u");
    let xml = innograph(["query", "-e", q, "--format", "xml"]).ok().stdout;
    assert!(xml.contains("<sparql"), "{xml}");
    let tsv = innograph(["query", "-e", q, "--format", "tsv"]).ok().stdout;
    assert!(tsv.starts_with("?u\n"), "{tsv}");
    let table = innograph(["query", "-e", q]).ok().stdout;
    assert!(table.contains("id:fudan"), "{table}");
    let ask = innograph(["query", "-e", "ASK { id:tongji ?p ?o }"])
        .ok()
        .stdout;
    assert_eq!(ask, "true\n");
    let turtle = innograph([
        "query",
        "-e",
        "CONSTRUCT { id:tongji ?p ?o } WHERE { id:tongji ?p ?o }",
    ])
    .ok()
    .stdout;
    assert!(
        turtle.contains("@prefix id: <https://example.org/innograph/id/>"),
        "{turtle}"
    );
    let run = innograph(["query", "-e", q, "--format", "turtle"]).failed();
    assert!(
        run.stderr.contains("use table, csv, tsv, json or xml"),
        "{}",
        run.stderr
    );
}

#[test]
fn entities_filter_by_kind_with_subkinds() {
    let all = innograph(["entities", "--format", "csv"]).ok().stdout;
    let platforms = innograph(["entities", "--kind", "Platform", "--format", "csv"])
        .ok()
        .stdout;
    assert!(platforms.lines().count() > 1);
    assert!(platforms.lines().count() < all.lines().count());
    assert!(
        !platforms.contains(",University,"),
        "universities are not platforms"
    );
    let run = innograph(["entities", "--kind", "Spaceship"]).failed();
    assert!(run.stderr.contains("the kinds are"), "{}", run.stderr);
}

#[test]
fn show_gives_names_relations_figures_and_identifiers() {
    let fudan = innograph(["show", "Fudan"]).ok().stdout;
    assert!(fudan.contains("复旦大学"));
    assert!(fudan.contains("https://ror.org/013q1eq08"), "{fudan}");
    assert!(fudan.contains("wd:Q495015"), "{fudan}");
    assert!(fudan.contains("Relations ("));
    let exchange = innograph(["show", "上海技术交易所"]).ok().stdout;
    // The letter: “累计完成技术交易鉴证 112 亿元、技术合同金额 342 亿元”.
    assert!(exchange.contains("342 亿元"), "{exchange}");
    assert!(exchange.contains("34200000000"), "{exchange}");
}

#[test]
fn validate_accepts_the_bundled_data() {
    let run = innograph(["validate"]).ok();
    assert!(run.stdout.starts_with("ok:"), "{}", run.stdout);
}

#[test]
fn stats_counts_what_the_store_holds() {
    let stats = innograph(["stats"]).ok().stdout;
    let triples: usize = innograph([
        "query",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--format",
        "tsv",
    ])
    .ok()
    .stdout
    .lines()
    .nth(1)
    .unwrap()
    .split('^')
    .next()
    .unwrap()
    .trim_matches('"')
    .parse()
    .unwrap();
    assert!(stats.contains(&format!("{triples} triples")), "{stats}");
    assert!(stats.contains("connected component"));
}

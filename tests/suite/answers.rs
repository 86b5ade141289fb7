//! Every answer in every form, as people and programs read it: the cases of
//! `tests/answers/` (a command line and the exact output it writes over
//! the tiny fixture), the same forms over the bundled data, grep's exit
//! status, a closed pipe, options refused with a reason, and names.
//!
//! `INNOGRAPH_BLESS=1 cargo test --test main answers` rewrites the expected
//! outputs of `tests/answers/`: review the diff before committing it.

use crate::common::{copy_dataset, fixture, innograph, root};
use std::fs;
use std::io::Read;
use std::process::Stdio;

/// Each case: its arguments, the exit status it expects, and its expected output.
#[test]
fn every_answer_case_writes_its_expected_output() {
    let folder = root().join("tests").join("answers");
    let bless = std::env::var_os("INNOGRAPH_BLESS").is_some();
    let mut cases: Vec<_> = fs::read_dir(&folder)
        .expect("tests/answers")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "args"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the cases are there: {cases:?}");
    let mut wrong = Vec::new();
    for case in &cases {
        let text = fs::read_to_string(case).expect("the args");
        let mut expected_code = 0;
        let mut args = vec!["--data".to_owned(), "tests/fixtures/mini".to_owned()];
        for line in text.lines() {
            match line.strip_prefix('#') {
                Some(comment) => {
                    if let Some(code) = comment.trim().strip_prefix("exit ") {
                        expected_code = code.trim().parse().expect("# exit N");
                    }
                }
                None => args.push(line.to_owned()),
            }
        }
        let run = innograph(&args);
        let name = case.file_stem().expect("a name").to_string_lossy();
        assert_eq!(
            run.code, expected_code,
            "{name}: exit {} (expected {expected_code}):\n{}{}",
            run.code, run.stdout, run.stderr
        );
        let out = case.with_extension("out");
        if bless {
            fs::write(&out, &run.stdout).expect("the expected output is written");
            continue;
        }
        let expected = fs::read_to_string(&out).unwrap_or_else(|_| {
            panic!(
                "no {}: run INNOGRAPH_BLESS=1 cargo test --test main answers, review it and commit it",
                out.display()
            )
        });
        if expected != run.stdout {
            wrong.push(format!(
                "{name}:\n--- expected\n{expected}--- actual\n{}",
                run.stdout
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The commands that answer, with arguments that have an answer in the bundled data.
const ANSWERING: [&[&str]; 9] = [
    &["platforms", "同济"],
    &["figures"],
    &["show", "上海技术交易所"],
    &["path", "同济", "复旦"],
    &["neighbors", "同济"],
    &["rank", "--top", "5"],
    &["entities", "--kind", "University"],
    &["stats"],
    &["validate"],
];

#[test]
fn every_answering_command_takes_every_form_by_any_case() {
    for command in ANSWERING {
        for form in ["text", "CSV", "Json"] {
            let mut args = command.to_vec();
            args.extend(["--format", form]);
            let run = innograph(&args).ok();
            assert!(!run.stdout.is_empty(), "{args:?} wrote nothing");
            match form {
                "Json" => {
                    serde_json::from_str::<serde_json::Value>(&run.stdout)
                        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{}", run.stdout));
                }
                "CSV" => {
                    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
                    let columns = reader.headers().expect("a header").len();
                    for record in reader.records() {
                        let record = record.unwrap_or_else(|e| panic!("{args:?}: {e}"));
                        assert_eq!(record.len(), columns, "{args:?}: {record:?}");
                    }
                }
                _ => {}
            }
        }
    }
}

#[test]
fn an_unknown_form_is_refused_with_the_forms() {
    let run = innograph(["stats", "--format", "yaml"]).failed();
    assert_eq!(run.code, 2);
    for form in ["text", "csv", "json"] {
        assert!(run.stderr.contains(form), "{}", run.stderr);
    }
}

#[test]
fn exit_status_is_greps() {
    assert_eq!(innograph(["path", "同济", "复旦"]).code, 0);
    let none = innograph([
        "--data",
        "tests/fixtures/mini",
        "path",
        "uni-a",
        "smes",
        "--avoid-hubs",
        "--format",
        "json",
    ]);
    assert_eq!(none.code, 1, "no chain: {}", none.stderr);
    let json: serde_json::Value = serde_json::from_str(&none.stdout).expect("JSON");
    assert!(json["path"].is_null(), "{json}");
    let empty = innograph(["query", "-e", "SELECT ?s WHERE { ?s a ig:NoSuchKind }"]);
    assert_eq!(empty.code, 1, "a query without rows: {}", empty.stderr);
    let error = innograph(["show", "no-such-entity-at-all"]);
    assert_eq!(error.code, 2, "an error: {}", error.stderr);
    assert!(
        error.stderr.contains("no entity is named"),
        "{}",
        error.stderr
    );
}

#[test]
fn a_closed_pipe_is_not_an_error_in_any_form() {
    for form in ["text", "csv", "json"] {
        let mut child = crate::common::command()
            .args(["neighbors", "同济", "--depth", "3", "--format", form])
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("innograph runs");
        let mut first = [0u8; 1];
        child
            .stdout
            .as_mut()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("one byte");
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr");
        let status = child.wait().expect("it ends");
        assert!(status.success(), "{form}: exit {status}: {stderr}");
        assert!(stderr.is_empty(), "{form}: {stderr}");
    }
}

#[test]
fn validate_reports_problems_in_every_form() {
    let dir = copy_dataset(&fixture("mini"), "validate-forms");
    let relations = fs::read_to_string(dir.join("relations.csv")).expect("relations");
    let broken = relations.replacen("uni-a,cobuilds,platform", "uni-b,cobuilds,platform", 1);
    assert_ne!(broken, relations, "the fixture has the relation to break");
    fs::write(dir.join("relations.csv"), broken).expect("write");
    let data = dir.to_str().expect("UTF-8");
    let text = innograph(["--data", data, "validate"]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(text.stderr.contains("uni-b"), "{}", text.stderr);
    let json = innograph(["--data", data, "validate", "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["ok"], false);
    let problems = report["problems"].as_array().expect("problems");
    assert!(!problems.is_empty());
    let problem = &problems[0];
    assert!(
        problem["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("relations.csv")),
        "{problem}"
    );
    assert!(problem["line"].as_u64().is_some_and(|l| l > 1), "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("uni-b")),
        "{problem}"
    );
    let csv = innograph(["--data", data, "validate", "--format", "csv"]);
    assert_eq!(csv.code, 1);
    assert!(csv.stdout.starts_with("file,line,column,message"));
    assert!(csv.stdout.contains("uni-b"), "{}", csv.stdout);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_param_the_query_lacks_is_refused_with_its_variables() {
    let run = innograph([
        "query",
        "platforms-of-university",
        "--param",
        "universty=同济",
    ])
    .failed();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("?universty"), "{}", run.stderr);
    assert!(run.stderr.contains("?university"), "{}", run.stderr);
}

#[test]
fn query_alone_points_at_list_and_e() {
    let run = innograph(["query"]).failed();
    assert!(run.stderr.contains("--list"), "{}", run.stderr);
    assert!(run.stderr.contains("-e"), "{}", run.stderr);
}

#[test]
fn options_that_change_nothing_are_refused_with_a_reason() {
    for (args, reason) in [
        (
            &["export", "--format", "turtle", "--cluster", "kind"][..],
            "--cluster",
        ),
        (&["export", "--format", "csv", "--lang", "en"][..], "--lang"),
        (
            &["export", "--format", "svg", "-o", "never-written.png"][..],
            ".png",
        ),
        (
            &["export", "--relations", "cobuilds", "--kinds", "Letter"][..],
            "nothing to draw",
        ),
    ] {
        let run = innograph(args).failed();
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(reason), "{args:?}: {}", run.stderr);
    }
    assert!(!root().join("never-written.png").exists());
}

#[test]
fn names_resolve_as_people_write_them() {
    let id = |args: &[&str]| -> String {
        let run = innograph(args.iter().copied().chain(["--format", "json"])).ok();
        let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        json["id"]
            .as_str()
            .or_else(|| json["university"]["id"].as_str())
            .expect("an id")
            .to_owned()
    };
    // ASCII brackets match the full-width ones of the name.
    assert_eq!(
        id(&["show", "国家技术转移人才培养基地(东部中心)"]),
        id(&["show", "国家技术转移人才培养基地（东部中心）"])
    );
    // Wikidata and ROR identifiers of the same thing.
    let fudan = id(&["show", "复旦大学"]);
    assert_eq!(id(&["show", "wd:Q495015"]), fudan);
    let ror = innograph(["show", "复旦大学", "--format", "json"]).ok();
    let card: serde_json::Value = serde_json::from_str(&ror.stdout).expect("JSON");
    let ror = card["same_as"]
        .as_array()
        .expect("same_as")
        .iter()
        .filter_map(|s| s.as_str())
        .find(|s| s.contains("ror.org"))
        .map(|s| s.trim_matches(['<', '>']).to_owned())
        .expect("Fudan's ROR id");
    assert_eq!(id(&["show", &ror]), fudan);
    // A command that wants a university looks among universities only.
    assert_eq!(id(&["platforms", "tongj"]), "tongji");
    assert_eq!(id(&["platforms", "Fudan Univ"]), fudan);
    // An entity that is not a university is named as what it is.
    let run = innograph(["platforms", "区科委"]).failed();
    assert!(
        run.stderr.contains("government body, not university"),
        "{}",
        run.stderr
    );
    // The nearest suggestion first.
    let run = innograph(["show", "USST university"]).failed();
    let first = run
        .stderr
        .lines()
        .find(|l| l.starts_with("  "))
        .unwrap_or_default();
    assert!(first.contains("上海理工"), "{}", run.stderr);
}

/// `innograph serve` on a free port of loopback, stopped when dropped.
struct Served(std::process::Child, String);

impl Served {
    fn start(args: &[&str]) -> Served {
        use std::io::BufRead;
        let mut child = crate::common::command()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("innograph serve starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stderr.take().expect("stderr"))
            .read_line(&mut line)
            .expect("the address line");
        let base = line
            .split("at http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .map(|address| format!("http://{address}"))
            .unwrap_or_else(|| panic!("no address in `{line}`"));
        Served(child, base)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(url: &str, accept: &str) -> (u16, String, String) {
    let response = ureq::get(url).header("Accept", accept).call();
    let mut response = match response {
        Ok(response) => response,
        Err(ureq::Error::StatusCode(code)) => return (code, String::new(), String::new()),
        Err(e) => panic!("{url}: {e}"),
    };
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.body_mut().read_to_string().expect("a body");
    (response.status().as_u16(), content_type, body)
}

#[test]
fn the_server_writes_the_answers_of_the_command_line() {
    let served = Served::start(&[]);
    let base = &served.1;
    for (form, accept, media) in [
        ("json", "application/json", "application/json"),
        ("csv", "text/csv", "text/csv"),
        ("text", "text/plain", "text/plain"),
    ] {
        let cli = innograph(["platforms", "同济", "--depth", "2", "--format", form]).ok();
        let url = format!("{base}/platforms?university=%E5%90%8C%E6%B5%8E&depth=2");
        let (status, content_type, body) = get(&url, accept);
        assert_eq!(status, 200, "{form}");
        assert!(content_type.starts_with(media), "{form}: {content_type}");
        assert_eq!(
            body, cli.stdout,
            "{form}: the server and the command line differ"
        );
        let (_, _, by_name) = get(&format!("{url}&format={form}"), "*/*");
        assert_eq!(by_name, cli.stdout, "format={form}");
    }
    let cli = innograph(["show", "上海技术交易所", "--format", "json"]).ok();
    let (status, _, body) = get(
        &format!("{base}/entities/shanghai-technology-exchange"),
        "application/json",
    );
    assert_eq!(status, 200);
    assert_eq!(body, cli.stdout, "the entity card differs");
}

#[test]
fn a_query_over_an_empty_endpoint_needs_no_view() {
    let served = Served::start(&["--allow-update"]);
    let update = ureq::post(format!("{}/update", served.1))
        .header("Content-Type", "application/sparql-update")
        .send("DELETE WHERE { ?s ?p ?o }")
        .expect("the update is accepted");
    assert_eq!(update.status().as_u16(), 204);
    let endpoint = format!("{}/query", served.1);
    let run = innograph([
        "--endpoint",
        &endpoint,
        "query",
        "-e",
        "SELECT ?s WHERE { ?s ?p ?o }",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 1, "no rows, and no error: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "s");
    // A literal or an IRI binds without the view as well.
    let run = innograph([
        "--endpoint",
        &endpoint,
        "query",
        "-e",
        "SELECT ?s WHERE { ?s ?p ?o }",
        "--param",
        "s=<https://example.org/x>",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn exact_names_are_looked_up_without_the_view() {
    use innograph::dataset::Files;
    use innograph::resolve::by_name;
    use innograph::source::StoreSource;
    let source = StoreSource::load(&Files::Bundled).expect("the bundled data loads");
    let tongji = Some("https://example.org/innograph/id/tongji".to_owned());
    for name in ["tongji", "同济大学", "同济", "TONGJI UNIVERSITY"] {
        assert_eq!(by_name(&source, name).expect("asked"), tongji, "{name}");
    }
    // A part of a name, or no name, is left to the view's resolution.
    for name in ["tongj", "no such entity", "", "a b <c>"] {
        assert_eq!(by_name(&source, name).expect("asked"), None, "{name}");
    }
    let by_alias = innograph([
        "query",
        "platforms-of-university",
        "--param",
        "university=同济",
        "--format",
        "csv",
    ])
    .ok();
    let by_iri = innograph([
        "query",
        "platforms-of-university",
        "--param",
        "university=<https://example.org/innograph/id/tongji>",
        "--format",
        "csv",
    ])
    .ok();
    assert_eq!(by_alias.stdout, by_iri.stdout);
}

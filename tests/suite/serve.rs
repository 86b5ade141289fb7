//! `innograph serve` as clients see it: the SPARQL 1.1 Protocol by GET and
//! POST, every result format by content negotiation (with curl and with
//! RDFLib's SPARQLStore), the right status for a bad query, an unknown
//! format, a refused update and a runaway query; the JSON answers; a clean
//! stop on SIGTERM. And innograph's own `--endpoint` and `push` against it.

use crate::common;

use common::{innograph, require};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `innograph serve` on a free loopback port, stopped when dropped.
pub(super) struct Served {
    child: Child,
    base: String,
    stderr: Option<BufReader<std::process::ChildStderr>>,
}

impl Served {
    pub(super) fn start(extra: &[&str]) -> Served {
        let mut child = crate::common::command()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .current_dir(common::root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("innograph serve starts");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut line = String::new();
        stderr.read_line(&mut line).expect("the address line");
        let base = line
            .split("at http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .map(|address| format!("http://{address}"))
            .unwrap_or_else(|| panic!("no address in `{line}`"));
        Served {
            child,
            base,
            stderr: Some(stderr),
        }
    }

    /// Waits for the server to exit.
    pub(super) fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().expect("the server exits")
    }

    /// The server's process id.
    pub(super) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// Status, content type and body of a response.
pub(super) fn read(
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> (u16, String, String) {
    let mut response = response.expect("the server answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("Content-Type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.body_mut().read_to_string().expect("a UTF-8 body");
    (status, content_type, body)
}

const UNIVERSITIES: &str = "SELECT ?u WHERE { ?u a ig:University } ORDER BY ?u";

#[test]
fn queries_come_by_get_by_form_and_by_body_with_the_same_answer() {
    let served = Served::start(&[]);
    let agent = agent();
    let by_get = read(
        agent
            .get(served.url("/query"))
            .query("query", UNIVERSITIES)
            .header("Accept", "text/csv")
            .call(),
    );
    let by_form = read(
        agent
            .post(served.url("/query"))
            .header("Accept", "text/csv")
            .send_form([("query", UNIVERSITIES)]),
    );
    let by_body = read(
        agent
            .post(served.url("/query"))
            .header("Accept", "text/csv")
            .content_type("application/sparql-query")
            .send(UNIVERSITIES),
    );
    assert_eq!(by_get.0, 200, "{}", by_get.2);
    assert!(by_get.1.starts_with("text/csv"), "{}", by_get.1);
    assert_eq!(by_get, by_form);
    assert_eq!(by_get, by_body);
    let local = innograph(["query", "-e", UNIVERSITIES, "--format", "csv"])
        .ok()
        .stdout;
    assert_eq!(
        by_get.2.replace("\r\n", "\n"),
        local.replace("\r\n", "\n"),
        "the server answers as the command line"
    );
}

#[test]
fn every_result_format_comes_by_content_negotiation_with_curl() {
    if !require("curl") {
        return;
    }
    let served = Served::start(&[]);
    let curl = |accept: &str, query: &str| -> (String, String) {
        let output = Command::new("curl")
            .args([
                "-s",
                "-S",
                "--max-time",
                "30",
                "-w",
                "\n%{http_code} %{content_type}",
            ])
            .args(["-H", &format!("Accept: {accept}")])
            .args(["--data-urlencode", &format!("query={query}")])
            .arg(served.url("/query"))
            .output()
            .expect("curl runs");
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        let (body, status) = text.rsplit_once('\n').expect("a status line");
        (body.to_owned(), status.to_owned())
    };
    let select =
        "SELECT ?u ?name WHERE { ?u a ig:University ; skos:prefLabel ?name } ORDER BY ?u ?name";
    let construct = "CONSTRUCT { ?u a ig:University } WHERE { ?u a ig:University }";
    for (accept, query, media, check) in [
        (
            "application/sparql-results+json",
            select,
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        (
            "application/sparql-results+xml",
            select,
            "application/sparql-results+xml",
            "<sparql",
        ),
        ("text/csv", select, "text/csv", "u,name"),
        (
            "text/tab-separated-values",
            select,
            "text/tab-separated-values",
            "?u\t?name",
        ),
        ("text/turtle", construct, "text/turtle", "ig:University"),
        (
            "application/n-triples",
            construct,
            "application/n-triples",
            "<https://example.org/innograph/ontology#University> .",
        ),
        (
            "application/ld+json",
            construct,
            "application/ld+json",
            "\"@id\"",
        ),
    ] {
        let (body, status) = curl(accept, query);
        assert!(
            status.starts_with(&format!("200 {media}")),
            "{accept}: {status}\n{body}"
        );
        assert!(body.contains(check), "{accept}: no `{check}` in\n{body}");
    }
    let (body, status) = curl("image/png", select);
    assert!(status.starts_with("406"), "{status}: {body}");
    let (body, status) = curl("text/csv", "SELECT ?s WHERE { ?s ?p");
    assert!(status.starts_with("400"), "{status}: {body}");
    assert!(
        body.contains("line 1, column"),
        "the parser's message: {body}"
    );
}

#[test]
fn rdflib_reads_the_endpoint() {
    const PYTHON: &str = "/usr/bin/python3";
    if !require(PYTHON) {
        return;
    }
    let served = Served::start(&[]);
    let script = r#"
import sys
from rdflib.plugins.stores.sparqlstore import SPARQLStore
store = SPARQLStore(sys.argv[1], returnFormat="json")
rows = store.query("SELECT ?u WHERE { ?u a <https://example.org/innograph/ontology#University> } ORDER BY ?u")
for row in rows:
    print(row[0])
print(bool(store.query("ASK { ?s ?p ?o }").askAnswer))
"#;
    let output = Command::new(PYTHON)
        .args(["-c", script, &served.url("/query")])
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "RDFLib failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("https://example.org/innograph/id/fudan") && stdout.ends_with("True\n"),
        "{stdout}"
    );
}

#[test]
fn updates_are_refused_unless_allowed() {
    let served = Served::start(&[]);
    let agent = agent();
    let update =
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }";
    let (status, _, body) = read(
        agent
            .post(served.url("/update"))
            .send_form([("update", update)]),
    );
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("--allow-update"), "{body}");
    let ask = "ASK { <http://example.org/a> ?p ?o }";
    let (_, _, body) = read(agent.get(served.url("/query")).query("query", ask).call());
    assert!(body.contains("false"), "nothing was written: {body}");

    let open = Served::start(&["--allow-update"]);
    let (status, _, body) = read(
        agent
            .post(open.url("/update"))
            .content_type("application/sparql-update")
            .send(update),
    );
    assert_eq!(status, 204, "{body}");
    let (_, _, body) = read(agent.get(open.url("/query")).query("query", ask).call());
    assert!(body.contains("true"), "{body}");
}

#[test]
fn a_runaway_query_is_stopped_and_the_server_stays_healthy() {
    let served = Served::start(&["--timeout", "1"]);
    let agent = agent();
    // A transitive closure over every link of every triple: minutes of work.
    let runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<http://example.org/none>)* ?b . ?b (!<http://example.org/none>)* ?c }";
    let (status, _, body) = read(
        agent
            .get(served.url("/query"))
            .query("query", runaway)
            .call(),
    );
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("timeout"), "{body}");
    let (status, _, body) = read(
        agent
            .get(served.url("/query"))
            .query("query", UNIVERSITIES)
            .call(),
    );
    assert_eq!(status, 200, "the server still answers: {body}");
}

#[test]
fn answers_and_bodies_have_size_limits() {
    let served = Served::start(&["--max-rows", "5", "--max-request-bytes", "2000"]);
    let agent = agent();
    let (status, _, body) = read(
        agent
            .get(served.url("/query"))
            .query("query", "SELECT * WHERE { ?s ?p ?o }")
            .call(),
    );
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("limit") && body.contains("LIMIT"), "{body}");
    let long = format!("SELECT * WHERE {{ ?s ?p ?o }} #{}", "x".repeat(3000));
    let (status, _, body) = read(
        agent
            .post(served.url("/query"))
            .content_type("application/sparql-query")
            .send(long.as_str()),
    );
    assert_eq!(status, 413, "{body}");
}

#[test]
fn the_service_description_and_the_page_are_there() {
    let served = Served::start(&[]);
    let agent = agent();
    let (status, content_type, body) = read(
        agent
            .get(served.url("/query"))
            .header("Accept", "text/turtle")
            .call(),
    );
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/turtle"));
    assert!(
        body.contains("sd:Service") && body.contains("sd:SPARQL11Query"),
        "{body}"
    );
    assert!(!body.contains("SPARQL11Update"), "read-only: {body}");
    let (status, content_type, body) = read(agent.get(served.url("/")).call());
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"));
    assert!(body.contains("<textarea") && body.contains("platforms-of-university"));
    let (status, _, _) = read(agent.get(served.url("/nowhere")).call());
    assert_eq!(status, 404);
}

#[test]
fn cors_headers_only_when_asked() {
    let agent = agent();
    let plain = Served::start(&[]);
    let response = agent
        .get(plain.url("/query"))
        .query("query", UNIVERSITIES)
        .call()
        .unwrap();
    assert!(
        response
            .headers()
            .get("Access-Control-Allow-Origin")
            .is_none()
    );
    let cors = Served::start(&["--cors"]);
    let response = agent
        .get(cors.url("/query"))
        .query("query", UNIVERSITIES)
        .call()
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("Access-Control-Allow-Origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
}

#[test]
fn the_domain_questions_answer_as_the_command_line() {
    let served = Served::start(&[]);
    let agent = agent();
    for (university, depth) in [("同济", "1"), ("fudan", "2"), ("上海理工", "1")] {
        let (status, content_type, body) = read(
            agent
                .get(served.url("/platforms"))
                .query("university", university)
                .query("depth", depth)
                .call(),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(content_type, "application/json");
        let served_json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        let cli = innograph([
            "platforms",
            university,
            "--depth",
            depth,
            "--format",
            "json",
        ])
        .ok()
        .stdout;
        let cli_json: serde_json::Value = serde_json::from_str(&cli).expect("JSON");
        assert_eq!(served_json, cli_json, "{university} --depth {depth}");
    }
    let (status, _, body) = read(
        agent
            .get(served.url("/platforms"))
            .query("university", "no-such-university-at-all")
            .call(),
    );
    assert_eq!(status, 404, "{body}");
    let (status, _, body) = read(
        agent
            .get(served.url("/entities/shanghai-technology-exchange"))
            .call(),
    );
    assert_eq!(status, 200, "{body}");
    let entity: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(entity["id"], "shanghai-technology-exchange");
    assert!(
        !entity["relations"]
            .as_array()
            .expect("relations")
            .is_empty()
    );
    assert!(!entity["figures"].as_array().expect("figures").is_empty());
    // The form follows Accept, as on the command line's --format.
    let (status, content_type, body) = read(
        agent
            .get(served.url("/entities/shanghai-technology-exchange"))
            .header("Accept", "text/csv")
            .call(),
    );
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    assert_eq!(
        body,
        innograph(["show", "shanghai-technology-exchange", "--format", "csv"])
            .ok()
            .stdout
    );
    let (status, _, body) = read(
        agent
            .get(served.url("/entities/shanghai-technology-exchange"))
            .header("Accept", "image/png")
            .call(),
    );
    assert_eq!(status, 406, "{body}");
    let (status, content_type, body) = read(
        agent
            .get(served.url("/export"))
            .query("format", "dot")
            .call(),
    );
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/vnd.graphviz"));
    assert_eq!(body, innograph(["export", "--format", "dot"]).ok().stdout);
}

#[test]
fn the_command_line_reads_and_pushes_through_an_endpoint() {
    // innograph serve is an endpoint like any other: read from it...
    let served = Served::start(&[]);
    let endpoint = served.url("/query");
    for args in [
        vec!["platforms", "同济", "--depth", "2"],
        vec!["show", "上海技术交易所"],
        vec![
            "query",
            "platforms-of-university",
            "--param",
            "university=fudan",
            "--format",
            "csv",
        ],
        vec!["query", "figures", "--format", "csv"],
    ] {
        let local = innograph(&args).ok().stdout;
        let mut remote_args = args.clone();
        remote_args.extend(["--endpoint", &endpoint]);
        let remote = innograph(&remote_args).ok().stdout;
        assert_eq!(local, remote, "{args:?}");
    }
    // ...and push to it: it has no Graph Store Protocol, so UPDATE in batches.
    let target = Served::start(&["--allow-update", "--data", "tests/fixtures/mini"]);
    let url = target.url("/query");
    let run = innograph(["push", "--endpoint", &url, "--replace", "--batch", "500"]).ok();
    assert!(run.stdout.contains("by SPARQL UPDATE"), "{}", run.stdout);
    assert!(
        run.stderr.contains("no Graph Store Protocol"),
        "{}",
        run.stderr
    );
    let again = innograph(["push", "--endpoint", &url, "--replace"]).ok();
    let held = |text: &str| text.rsplit("holds ").next().unwrap_or_default().to_owned();
    assert_eq!(
        held(&run.stdout),
        held(&again.stdout),
        "--replace leaves one copy"
    );
    let local = innograph(["platforms", "同济"]).ok().stdout;
    let remote = innograph(["platforms", "同济", "--endpoint", &url])
        .ok()
        .stdout;
    assert_eq!(local, remote);
}

#[test]
fn endpoint_failures_name_the_url_and_what_went_wrong() {
    // A port nothing listens on.
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = free.local_addr().expect("address").port();
    drop(free);
    let url = format!("http://127.0.0.1:{port}/query");
    let run = innograph(["platforms", "同济", "--endpoint", &url]).failed();
    assert!(run.stderr.contains(&url), "{}", run.stderr);
    assert!(
        run.stderr.contains("connect") || run.stderr.contains("refused"),
        "{}",
        run.stderr
    );
    // A server that answers 404 there.
    let served = Served::start(&[]);
    let wrong = served.url("/sparql-nowhere");
    let run = innograph(["platforms", "同济", "--endpoint", &wrong]).failed();
    assert!(
        run.stderr.contains(&wrong) && run.stderr.contains("404"),
        "{}",
        run.stderr
    );
    // A push that is refused says that nothing was written.
    let run = innograph(["push", "--endpoint", &served.url("/query")]).failed();
    assert!(run.stderr.contains("403"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut served = Served::start(&[]);
    let pid = served.child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = served.child.wait().expect("the server exits");
    assert!(exit.success(), "a clean stop exits 0: {exit:?}");
    let mut rest = String::new();
    std::io::Read::read_to_string(served.stderr.as_mut().expect("stderr"), &mut rest)
        .expect("stderr");
    assert!(rest.contains("stopped"), "{rest}");
}

#[test]
fn many_readers_at_once_all_get_answers() {
    // A bounded load: 32 clients, 20 requests each, alternating a domain
    // question and a named query. The figures of a longer run (wrk, 30 s)
    // are in the README; this checks only that none fails.
    let served = Served::start(&[]);
    let figures = std::fs::read_to_string(common::root().join("queries/figures.rq"))
        .expect("queries/figures.rq");
    let platforms = served.url("/platforms?university=tongji");
    let query = served.url("/query");
    let clients: Vec<_> = (0..32)
        .map(|client| {
            let (platforms, query, figures) = (platforms.clone(), query.clone(), figures.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut failures = Vec::new();
                for round in 0..20 {
                    let (status, _, body) = if (client + round) % 2 == 0 {
                        read(agent.get(&platforms).call())
                    } else {
                        read(
                            agent
                                .post(&query)
                                .header("Accept", "application/sparql-results+json")
                                .send_form([("query", figures.as_str())]),
                        )
                    };
                    if status != 200 || body.is_empty() {
                        failures.push(format!("client {client} round {round}: {status} {body}"));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().expect("a client thread"))
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn the_report_through_an_endpoint_is_the_report_of_the_store() {
    if !require("dot") {
        return;
    }
    let served = Served::start(&[]);
    let dir = std::env::temp_dir().join(format!("innograph-serve-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let (local, remote) = (dir.join("local.html"), dir.join("remote.html"));
    innograph(["report", "-o", local.to_str().expect("UTF-8")]).ok();
    innograph([
        "report",
        "-o",
        remote.to_str().expect("UTF-8"),
        "--endpoint",
        &served.url("/query"),
    ])
    .ok();
    let read = |path: &std::path::Path| std::fs::read(path).expect("the report");
    assert!(read(&local) == read(&remote), "the same bytes either way");
}

/// The resident memory of process `pid`, in KiB.
fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("/proc")
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// Sends `update`: the status and the answer.
fn update(served: &Served, update: &str) -> (u16, String) {
    let (status, _, body) = read(
        agent()
            .post(served.url("/update"))
            .content_type("application/sparql-update")
            .send(update),
    );
    (status, body)
}

/// The JSON answers of `query` asked `n` times at once.
fn asked_at_once(served: &Served, query: &str, n: usize) -> Vec<String> {
    std::thread::scope(|scope| {
        let asked: Vec<_> = (0..n)
            .map(|_| {
                scope.spawn(|| {
                    let (status, _, body) = read(
                        agent()
                            .get(served.url("/query"))
                            .query("query", query)
                            .header("Accept", "application/sparql-results+json")
                            .call(),
                    );
                    assert_eq!(status, 200, "{body}");
                    body
                })
            })
            .collect();
        asked
            .into_iter()
            .map(|a| a.join().expect("asked"))
            .collect()
    })
}

#[test]
fn updates_are_worked_out_apart_and_every_evaluator_sees_them() {
    let served = Served::start(&["--allow-update", "--timeout", "2", "--threads", "4"]);
    // A blank node and NOW(), made once: every evaluator reads the same.
    let (status, body) = update(
        &served,
        "INSERT { <http://example.org/x> <http://example.org/at> ?now ; <http://example.org/b> _:n . _:n <http://example.org/l> \"n\" } WHERE { BIND(NOW() AS ?now) }",
    );
    assert_eq!(status, 204, "{body}");
    let made = "SELECT ?at ?n WHERE { <http://example.org/x> <http://example.org/at> ?at ; <http://example.org/b> ?n . ?n <http://example.org/l> \"n\" }";
    let first = asked_at_once(&served, made, 12);
    assert!(first[0].contains("\"bnode\""), "{}", first[0]);
    assert!(first[0].contains("dateTime"), "{}", first[0]);
    assert!(first.iter().all(|a| *a == first[0]), "{first:#?}");

    // An honest DELETE WHERE and INSERT DATA: the next query, the domain
    // answers (worked out in an evaluator) and the view here follow.
    let (status, body) = update(
        &served,
        "DELETE WHERE { id:shanghai-technology-exchange skos:prefLabel \"Shanghai Technology Exchange\"@en }",
    );
    assert_eq!(status, 204, "{body}");
    let (status, body) = update(
        &served,
        "INSERT DATA { id:shanghai-technology-exchange skos:prefLabel \"Shanghai Technology Exchange (renamed)\"@en }",
    );
    assert_eq!(status, 204, "{body}");
    let named = "SELECT ?l WHERE { id:shanghai-technology-exchange skos:prefLabel ?l FILTER(LANG(?l) = \"en\") }";
    for answer in asked_at_once(&served, named, 12) {
        assert!(answer.contains("(renamed)"), "{answer}");
        assert_eq!(answer.matches("\"value\"").count(), 1, "{answer}");
    }
    let entity = || {
        let (status, _, body) = read(
            agent()
                .get(served.url("/entities/shanghai-technology-exchange"))
                .call(),
        );
        assert_eq!(status, 200, "{body}");
        let entity: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        entity["name_en"].clone()
    };
    assert_eq!(entity(), "Shanghai Technology Exchange (renamed)");

    // An update with a cross product: stopped at the deadline, while the
    // server answers others and keeps its memory; it changed nothing.
    let before = resident_kib(served.pid());
    let started = std::time::Instant::now();
    let (runaway, answers) = std::thread::scope(|scope| {
        let runaway = scope.spawn(|| {
            update(
                &served,
                "INSERT { ?a <http://example.org/n> ?l } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
            )
        });
        std::thread::sleep(Duration::from_millis(300));
        let answers = asked_at_once(&served, named, 4);
        (runaway.join().expect("sent"), answers)
    });
    let took = started.elapsed();
    // The stopped update's evaluator was replaced by a fresh one, which
    // the next request may reach (the pool's unit tests check that a new
    // evaluator replays every change, in order, before it answers): every
    // evaluator reads the blank node and the time as those that answered
    // first.
    assert_eq!(asked_at_once(&served, made, 1), [first[0].clone()]);
    assert_eq!(runaway.0, 503, "{}", runaway.1);
    assert!(runaway.1.contains("the update ran past"), "{}", runaway.1);
    assert!(runaway.1.contains("timeout of 2 s"), "{}", runaway.1);
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
    assert!(
        answers.iter().all(|a| a.contains("(renamed)")),
        "{answers:?}"
    );
    let after = resident_kib(served.pid());
    assert!(
        after < before + 20 * 1024,
        "the server grew from {before} KiB to {after} KiB"
    );
    let untouched = "ASK { ?a <http://example.org/n> ?l }";
    for answer in asked_at_once(&served, untouched, 4) {
        assert!(answer.contains("false"), "{answer}");
    }
    assert_eq!(entity(), "Shanghai Technology Exchange (renamed)");
    for answer in asked_at_once(&served, made, 8) {
        assert_eq!(answer, first[0]);
    }
}

#[test]
fn a_refused_update_changes_nothing() {
    let served = Served::start(&["--allow-update", "--max-rows", "5"]);
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let before = asked_at_once(&served, count, 1).remove(0);
    // Six quads are more than --max-rows 5: refused with the limit named.
    let (status, body) = update(
        &served,
        "INSERT { ?s <http://example.org/p> ?o } WHERE { VALUES ?s { <http://example.org/a> <http://example.org/b> } VALUES ?o { 1 2 3 } }",
    );
    assert_eq!(status, 413, "{body}");
    assert!(
        body.contains("start the server with a higher --max-rows"),
        "{body}"
    );
    // So is a syntax error, and an update that fails half-way.
    let (status, body) = update(&served, "INSERT DATA { <http://example.org/a> }");
    assert_eq!(status, 400, "{body}");
    let (status, body) = update(
        &served,
        "INSERT DATA { <http://example.org/a> <http://example.org/p> 1 } ; LOAD <http://example.org/none>",
    );
    assert_eq!(status, 500, "{body}");
    assert!(
        body.contains("the update failed") && body.contains("HTTP client is not available"),
        "{body}"
    );
    for answer in asked_at_once(&served, count, 4) {
        assert_eq!(answer, before);
    }
    // Within the limit, it is taken.
    let (status, body) = update(
        &served,
        "INSERT DATA { <http://example.org/a> <http://example.org/p> 1 }",
    );
    assert_eq!(status, 204, "{body}");
    assert_ne!(asked_at_once(&served, count, 1).remove(0), before);
}

#[test]
fn past_max_changes_the_evaluators_start_again_from_the_servers_graph() {
    let served = Served::start(&["--allow-update", "--max-changes", "2", "--threads", "3"]);
    // A blank node and NOW(): the graph written for the evaluators keeps
    // them as the server holds them.
    let (status, body) = update(
        &served,
        "INSERT { <http://example.org/x> <http://example.org/at> ?now ; <http://example.org/b> _:n . _:n <http://example.org/l> \"n\" } WHERE { BIND(NOW() AS ?now) }",
    );
    assert_eq!(status, 204, "{body}");
    let made = "SELECT ?at ?n WHERE { <http://example.org/x> <http://example.org/at> ?at ; <http://example.org/b> ?n . ?n <http://example.org/l> \"n\" }";
    let first = asked_at_once(&served, made, 6);
    assert!(first[0].contains("\"bnode\""), "{}", first[0]);
    assert!(first.iter().all(|a| *a == first[0]), "{first:#?}");
    // Seven updates with at most two kept: the evaluators start again
    // from the server's graph three times, and every one sees them all.
    let count =
        "SELECT (COUNT(?n) AS ?c) WHERE { <http://example.org/x> <http://example.org/n> ?n }";
    for n in 1..=7 {
        let (status, body) = update(
            &served,
            &format!("INSERT DATA {{ <http://example.org/x> <http://example.org/n> {n} }}"),
        );
        assert_eq!(status, 204, "update {n}: {body}");
        for answer in asked_at_once(&served, count, 6) {
            assert!(answer.contains(&format!("\"{n}\"")), "after {n}: {answer}");
        }
    }
    for answer in asked_at_once(&served, made, 6) {
        assert_eq!(answer, first[0]);
    }
}

//! Who may use `innograph serve`, and what it survives: updates need the
//! credential when one is set; pages from other sites cannot write (by
//! `Origin`, `Sec-Fetch-Site`, or a plain HTML form); a `Host` the server
//! does not go by gets 421 (DNS rebinding); `push --token-file` writes to
//! a server that needs a credential; headless Chromium, on a page of
//! another origin or under a rebound name, can neither write nor read. And
//! hostile requests (a huge
//! `Content-Length`, endless headers, deep nesting) are refused while the
//! server goes on answering other clients.

use super::serve::{Served, agent, read};
use crate::common::innograph;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

const INSERT: &str =
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }";
const ASK: &str = "ASK { <http://example.org/a> ?p ?o }";

/// Whether the triple INSERT writes is in the server's graph.
fn written(served: &Served) -> bool {
    let (status, _, body) = read(agent().get(served.url("/query")).query("query", ASK).call());
    assert_eq!(status, 200, "{body}");
    body.contains("true")
}

/// A token file with `secret` in a fresh folder.
fn token_file(name: &str, secret: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("innograph-guard-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let file = dir.join("token");
    std::fs::write(&file, format!("{secret}\n")).expect("the token file");
    file
}

/// `host:port` of a served base URL.
fn address(served: &Served) -> String {
    served.url("").trim_start_matches("http://").to_owned()
}

/// Sends `request` as it is on a new connection and returns the status
/// and the whole answer ("0" when the server closed without one).
fn raw(served: &Served, request: &[u8]) -> (u16, String) {
    exchange(&address(served), request, Duration::from_secs(30))
}

/// Sends `request` as it is to `host` on a new connection, waiting at most
/// `wait` for each read, and returns the status ("0" when the server closed
/// without one) and the whole answer.
pub(super) fn exchange(host: &str, request: &[u8], wait: Duration) -> (u16, String) {
    let mut stream = TcpStream::connect(host).expect("connects");
    stream.set_read_timeout(Some(wait)).expect("a timeout");
    // The server may refuse before reading everything: a failed write is
    // not the test's concern, the answer is.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

#[test]
fn updates_need_the_credential_when_one_is_set() {
    let file = token_file("update", "correct-horse-battery");
    let served = Served::start(&[
        "--allow-update",
        "--update-token-file",
        file.to_str().expect("a UTF-8 path"),
    ]);
    let agent = agent();
    let send = |authorization: Option<&str>| {
        let mut request = agent
            .post(served.url("/update"))
            .content_type("application/sparql-update");
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        read(request.send(INSERT))
    };
    let (status, _, body) = send(None);
    assert_eq!(status, 401, "no credential: {body}");
    assert!(
        body.contains("Authorization: Bearer"),
        "says what is missing: {body}"
    );
    let (status, _, body) = send(Some("Bearer correct-horse-batter"));
    assert_eq!(status, 401, "a wrong credential: {body}");
    assert!(!body.contains("correct-horse"), "no secret echoed: {body}");
    let (status, _, body) = send(Some("Basic correct-horse-battery"));
    assert_eq!(status, 401, "another scheme: {body}");
    assert!(
        !written(&served),
        "nothing was written without the credential"
    );
    let (status, _, body) = send(Some("Bearer correct-horse-battery"));
    assert_eq!(status, 204, "the right credential: {body}");
    assert!(written(&served));
}

#[test]
fn pages_from_other_sites_cannot_write() {
    let served = Served::start(&["--allow-update"]);
    let own = served.url("");
    let other = own.replace("127.0.0.1", "127.0.0.2");
    let agent = agent();
    let form = format!("update={}", INSERT.replace(' ', "+"));
    let tries: [(&str, &str, &str, &str); 5] = [
        // An HTML form auto-submitted by a page on another origin.
        ("application/x-www-form-urlencoded", "Origin", &other, &form),
        // fetch() with the SPARQL media type from another origin.
        ("application/sparql-update", "Origin", &other, INSERT),
        // A sandboxed page or a redirect: the opaque origin.
        ("application/x-www-form-urlencoded", "Origin", "null", &form),
        // A browser that says only where the request comes from.
        (
            "application/sparql-update",
            "Sec-Fetch-Site",
            "cross-site",
            INSERT,
        ),
        (
            "application/x-www-form-urlencoded",
            "Sec-Fetch-Site",
            "same-site",
            &form,
        ),
    ];
    for (content_type, header, value, body) in tries {
        let (status, _, answer) = read(
            agent
                .post(served.url("/update"))
                .header("Content-Type", content_type)
                .header(header, value)
                .send(body),
        );
        assert_eq!(status, 403, "{header}: {value} ({content_type}): {answer}");
    }
    assert!(!written(&served), "no other site wrote");
    // The server's own page: same origin.
    let (status, _, answer) = read(
        agent
            .post(served.url("/update"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", &own)
            .header("Sec-Fetch-Site", "same-origin")
            .send(&form),
    );
    assert_eq!(status, 204, "{answer}");
    assert!(written(&served));
}

#[test]
fn a_host_the_server_does_not_go_by_gets_421() {
    let served = Served::start(&["--allow-host", "graph.example"]);
    let port = address(&served)
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    let get = |host: &str| {
        raw(
            &served,
            format!(
                "GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nAccept: application/sparql-results+json\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
    };
    let (status, answer) = get(&format!("rebind.example:{port}"));
    assert_eq!(status, 421, "a DNS-rebinding page cannot read: {answer}");
    assert!(answer.contains("--allow-host"), "{answer}");
    for host in [
        address(&served),
        format!("localhost:{port}"),
        "graph.example".to_owned(),
    ] {
        let (status, answer) = get(&host);
        assert_eq!(status, 200, "Host: {host}: {answer}");
    }
    let (status, answer) = raw(&served, b"GET /query?query=ASK%7B%7D HTTP/1.0\r\n\r\n");
    assert_eq!(status, 400, "no Host at all: {answer}");
}

#[test]
fn updates_off_loopback_need_a_credential_to_start() {
    let run = innograph(["serve", "--bind", "0.0.0.0:0", "--allow-update"]).failed();
    assert!(
        run.stderr.contains("--update-token-file"),
        "says how to give one: {}",
        run.stderr
    );
    let run = innograph(["serve", "--update-token-file", "/nonexistent"]).failed();
    assert!(run.stderr.contains("--allow-update"), "{}", run.stderr);
}

#[test]
fn push_sends_the_credential_with_token_file() {
    let file = token_file("push", "push-secret-42");
    let path = file.to_str().expect("a UTF-8 path");
    let target = Served::start(&[
        "--allow-update",
        "--update-token-file",
        path,
        "--data",
        "tests/fixtures/mini",
    ]);
    let url = target.url("/query");
    let refused = innograph(["push", "--endpoint", &url, "--replace"]).failed();
    assert!(refused.stderr.contains("401"), "{}", refused.stderr);
    assert!(
        !refused.stderr.contains("push-secret"),
        "{}",
        refused.stderr
    );
    let run = innograph([
        "push",
        "--endpoint",
        &url,
        "--replace",
        "--token-file",
        path,
    ])
    .ok();
    assert!(run.stdout.contains("by SPARQL UPDATE"), "{}", run.stdout);
    let local = innograph(["platforms", "同济"]).ok().stdout;
    let remote = innograph(["platforms", "同济", "--endpoint", &url])
        .ok()
        .stdout;
    assert_eq!(local, remote, "the pushed graph answers as the bundled one");
}

/// Panics unless the server still answers an ordinary query.
fn still_answers(served: &Served, after: &str) {
    assert!(
        !written(served),
        "after {after}: the server answers (and holds no stray triple)"
    );
}

#[test]
fn a_huge_content_length_is_refused_before_it_is_read() {
    let served = Served::start(&[]);
    let host = address(&served);
    // More than the workers: a request that killed a worker would show.
    for length in ["1000000000000", "18446744073709551615"].repeat(6) {
        let (status, answer) = raw(
            &served,
            format!(
                "POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\nContent-Length: {length}\r\n\r\nASK {{}}"
            )
            .as_bytes(),
        );
        assert_eq!(status, 413, "Content-Length: {length}: {answer}");
        assert!(answer.contains("limit of 1048576 bytes"), "{answer}");
    }
    let (status, answer) = raw(
        &served,
        format!(
            "POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\nContent-Length: 7\r\nContent-Length: 70\r\n\r\nASK {{}}"
        )
        .as_bytes(),
    );
    assert_eq!(status, 400, "two different lengths: {answer}");
    still_answers(&served, "huge and conflicting lengths");
}

#[test]
fn endless_headers_are_cut_at_the_limit() {
    let served = Served::start(&[]);
    let host = address(&served);
    let mut request = format!("GET /query HTTP/1.1\r\nHost: {host}\r\nX-Long: ").into_bytes();
    request.extend(std::iter::repeat_n(b'a', 200_000));
    let (status, answer) = raw(&served, &request);
    assert_eq!(status, 431, "{answer}");
    let mut many = format!("GET /query HTTP/1.1\r\nHost: {host}\r\n").into_bytes();
    for i in 0..200 {
        many.extend(format!("X-{i}: 1\r\n").bytes());
    }
    many.extend(b"\r\n");
    let (status, answer) = raw(&served, &many);
    assert_eq!(status, 431, "too many headers: {answer}");
    let (status, answer) = raw(&served, "GET /同济 HTTP/1.1\r\n\r\n".as_bytes());
    assert!(
        [400, 404].contains(&status),
        "raw UTF-8 in the request line gets a status: {answer}"
    );
    still_answers(&served, "endless headers");
}

#[test]
fn deep_queries_are_refused_with_the_limit_named() {
    let served = Served::start(&["--allow-update"]);
    let agent = agent();
    let nested = |n: usize| {
        format!(
            "SELECT * WHERE {} ?s ?p ?o {}",
            "{".repeat(n),
            "}".repeat(n)
        )
    };
    let union = format!(
        "SELECT * WHERE {{ {{?s ?p ?o}} {} }}",
        "UNION {?s ?p ?o} ".repeat(5_000)
    );
    let parentheses = format!(
        "ASK {{ FILTER({}1{}) }}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    for (what, query) in [
        ("1,000 groups", nested(1_000)),
        ("10,000 groups", nested(10_000)),
        ("a 5,000-way UNION", union),
        ("10,000 parentheses", parentheses),
    ] {
        let (status, _, body) = read(
            agent
                .post(served.url("/query"))
                .content_type("application/sparql-query")
                .send(&query),
        );
        assert_eq!(status, 400, "{what}: {body}");
        assert!(body.contains("limit of"), "{what}: {body}");
        // A cross-site form can send the same: it gets the same answer.
        let (status, _, body) = read(
            agent
                .post(served.url("/query"))
                .send_form([("query", query.as_str())]),
        );
        assert_eq!(status, 400, "{what} by a form: {body}");
    }
    let update = format!(
        "INSERT {{ <http://example.org/a> <http://example.org/b> 1 }} WHERE {} {}",
        "{".repeat(1_000),
        "}".repeat(1_000)
    );
    let (status, _, body) = read(
        agent
            .post(served.url("/update"))
            .content_type("application/sparql-update")
            .send(&update),
    );
    assert_eq!(status, 400, "a deep update: {body}");
    still_answers(&served, "deep queries");
    // What stays within the limits still runs in a worker.
    let (status, _, body) = read(
        agent
            .post(served.url("/query"))
            .content_type("application/sparql-query")
            .send(&nested(60)),
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn the_command_line_refuses_deep_queries_too() {
    let nested = format!(
        "SELECT * WHERE {} ?s ?p ?o {}",
        "{".repeat(10_000),
        "}".repeat(10_000)
    );
    let run = innograph(["query", "-e", &nested]).failed();
    assert_eq!(run.code, 2, "an error, not an abort: {}", run.stderr);
    assert!(run.stderr.contains("limit of 64"), "{}", run.stderr);
    let union = format!(
        "SELECT * WHERE {{ {{?s ?p ?o}} {} }}",
        "UNION {?s ?p ?o} ".repeat(5_000)
    );
    let run = innograph(["query", "-e", &union]).failed();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("limit of 500"), "{}", run.stderr);
}

#[test]
fn slow_clients_hold_no_worker() {
    let served = Served::start(&["--threads", "2"]);
    let host = address(&served);
    // Ten clients that send half a head, or a head and part of a body, and
    // then wait: more than the workers, and each waits until its deadline.
    let slow: Vec<TcpStream> = (0..10)
        .map(|i| {
            let mut stream = TcpStream::connect(&host).expect("connects");
            let part = if i % 2 == 0 {
                format!("GET /query HTTP/1.1\r\nHost: {host}\r\nX-Slow: ")
            } else {
                format!(
                    "POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK"
                )
            };
            stream.write_all(part.as_bytes()).expect("sends");
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // Well before the slow ones' 10 s and 30 s deadlines end.
    let quick = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(8)))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let (status, _, body) = read(quick.get(served.url("/query")).query("query", ASK).call());
    assert_eq!(status, 200, "{body}");
    drop(slow);
}

/// Serves `page` as HTML to every request on 127.0.0.2 (another origin
/// than the server's 127.0.0.1), and returns its base URL.
fn other_origin(page: String) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.2:0").expect("127.0.0.2 listens");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut head = [0_u8; 4096];
            let _ = stream.read(&mut head);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    base
}

/// The DOM headless Chromium shows after `url` has run for a few seconds.
/// Each run has a profile of its own (two runs sharing one hand the page to
/// each other and print nothing) and none of Chromium's background traffic;
/// a run that prints nothing (a start-up that failed on a loaded machine)
/// is tried again, twice at most, and its standard error is kept.
fn chromium(url: &str, extra: &[&str]) -> String {
    let mut errors = String::new();
    for attempt in 0..3 {
        let profile = std::env::temp_dir().join(format!(
            "innograph-test-chromium-{}-{attempt}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        let output = std::process::Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--virtual-time-budget=5000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .args(["--dump-dom", url])
            .output()
            .expect("chromium runs");
        let _ = std::fs::remove_dir_all(&profile);
        let dom = String::from_utf8_lossy(&output.stdout).into_owned();
        if !dom.trim().is_empty() {
            return dom;
        }
        errors.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    format!("(chromium printed no page three times; its errors: {errors})")
}

#[test]
fn a_browser_page_from_another_origin_cannot_write_or_rebind() {
    if !crate::common::require("chromium") {
        return;
    }
    let served = Served::start(&["--allow-update"]);
    let update = served.url("/update");
    let count = || {
        let (_, _, body) = read(
            agent()
                .get(served.url("/query"))
                .query("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
                .header("Accept", "text/csv")
                .call(),
        );
        body
    };
    let before = count();
    // A fetch that needs no CORS consent, then an auto-submitted form.
    let page = format!(
        r#"<html><body><form id="f" method="POST" action="{update}"><input name="update" value="{INSERT}"></form>
<script>
fetch("{update}", {{method: "POST", mode: "no-cors", headers: {{"Content-Type": "application/sparql-update"}}, body: "{INSERT}"}})
  .finally(() => document.getElementById("f").submit());
</script></body></html>"#
    );
    let dom = chromium(&format!("{}/", other_origin(page)), &[]);
    assert!(
        dom.contains("may not write here"),
        "the form reached the server and was refused: {dom}"
    );
    assert_eq!(count(), before, "the store is unchanged");
    // DNS rebinding: a name of the attacker's that resolves to the server.
    let port = address(&served)
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    let dom = chromium(
        &format!("http://rebind.test:{port}/query?query=ASK%7B%7D"),
        &["--host-resolver-rules=MAP rebind.test 127.0.0.1"],
    );
    assert!(
        dom.contains("does not answer as"),
        "the page under another name cannot read: {dom}"
    );
}

#[test]
fn too_many_requests_at_once_get_503_and_the_server_recovers() {
    let served = Served::start(&[]);
    let host = address(&served);
    let slow: Vec<TcpStream> = (0..64)
        .map(|_| {
            let mut stream = TcpStream::connect(&host).expect("connects");
            stream
                .write_all(format!("GET /query HTTP/1.1\r\nHost: {host}\r\n").as_bytes())
                .expect("sends");
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let get =
        format!("GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let (status, answer) = raw(&served, get.as_bytes());
    assert_eq!(status, 503, "every reader is taken: {answer}");
    assert!(answer.contains("Retry-After: 1"), "{answer}");
    // The slow clients leave: their readers end, and the server answers.
    drop(slow);
    let mut status = 0;
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        status = raw(&served, get.as_bytes()).0;
        if status == 200 {
            break;
        }
    }
    assert_eq!(status, 200, "the server answers again");
}

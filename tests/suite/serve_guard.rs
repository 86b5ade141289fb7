//! Who may use `innograph serve`, and what it survives: updates need the
//! credential when one is set; pages from other sites cannot write (by
//! `Origin`, `Sec-Fetch-Site`, or a plain HTML form); a `Host` the server
//! does not go by gets 421 (DNS rebinding); `push --token-file` writes to
//! a server that needs a credential. And hostile requests (a huge
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
    let mut stream = TcpStream::connect(address(served)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
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

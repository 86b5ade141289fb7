//! Who may ask what: the `Host` a request names (against DNS rebinding, for
//! reads too), where a write comes from (`Origin`, `Sec-Fetch-Site`: no
//! other site's page may write), and the credential an update carries
//! (`Authorization: Bearer`, compared in constant time).

use super::http::{Incoming, Reply};
use std::net::{IpAddr, SocketAddr};
use subtle::ConstantTimeEq;

/// The credential that updates must carry. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// The credential in `text` (a token file's content or a variable's
    /// value), without surrounding whitespace; `None` when nothing is left.
    pub fn new(text: &str) -> Option<Token> {
        let text = text.trim();
        (!text.is_empty()).then(|| Token(text.to_owned()))
    }

    /// Whether `given` is this credential; takes the same time wherever
    /// the two first differ.
    fn matches(&self, given: &str) -> bool {
        bool::from(self.0.as_bytes().ct_eq(given.as_bytes()))
    }

    /// The credential, to send it (`push`).
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

/// The names a request's `Host` may give.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    /// Names (lower case, without port; IPv6 in brackets) that name this server.
    names: Vec<String>,
    /// Bound to every interface: any IP address names it (a DNS-rebinding
    /// page can only use a name, never an address).
    any_address: bool,
}

impl Hosts {
    /// The names of a server bound to `address`, and those given with `--allow-host`.
    pub(crate) fn new(address: SocketAddr, allowed: &[String]) -> Hosts {
        let ip = address.ip();
        let mut names = vec![match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        }];
        if ip.is_loopback() {
            names.extend([
                "localhost".to_owned(),
                "127.0.0.1".to_owned(),
                "[::1]".to_owned(),
            ]);
        }
        names.extend(allowed.iter().map(|h| h.trim().to_ascii_lowercase()));
        Hosts {
            names,
            any_address: ip.is_unspecified(),
        }
    }

    /// `None` when `host` (a `Host` header) names this server; else the refusal.
    pub(crate) fn check(&self, host: Option<&str>) -> Option<Reply> {
        let Some(host) = host.map(|h| h.trim().to_ascii_lowercase()) else {
            return Some(Reply::error(400, "the request has no Host header"));
        };
        let name = split_port(&host);
        let allowed = self.names.iter().any(|n| *n == host || n == name)
            || (self.any_address
                && name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok());
        (!allowed).then(|| {
            Reply::error(
                421,
                format!(
                    "this server does not answer as `{}`: it answers as {}; start it with --allow-host NAME to answer under another name",
                    printable(&host),
                    self.names.join(", ")
                ),
            )
        })
    }
}

/// The host part of `host:port` (`[v6]:port` keeps its brackets).
fn split_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// A header value fit to quote in a message: control characters escaped.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(char::escape_default)
        .take(200)
        .collect()
}

/// `None` when a write may go on: it comes from this server's own pages or
/// from a program that is not a browser, and carries the credential when
/// one is set. Else the refusal (403 for another site, 401 for a missing or
/// wrong credential).
pub(crate) fn check_write(incoming: &Incoming, token: Option<&Token>) -> Option<Reply> {
    if let Some(site) = incoming.header("Sec-Fetch-Site") {
        // `none`: typed by the user; `same-origin`: this server's own page.
        if !["same-origin", "none"].contains(&site.trim().to_ascii_lowercase().as_str()) {
            return Some(Reply::error(
                403,
                format!(
                    "a page from another site may not write here (Sec-Fetch-Site: {})",
                    printable(site)
                ),
            ));
        }
    }
    if let Some(origin) = incoming.header("Origin") {
        let origin = origin.trim().to_ascii_lowercase();
        // `https://` too: behind a TLS proxy (--allow-host) the page's own
        // origin has the proxy's scheme and the Host it forwards.
        let own = incoming.host().is_some_and(|host| {
            let host = host.trim().to_ascii_lowercase();
            [format!("http://{host}"), format!("https://{host}")].contains(&origin)
        });
        if !own {
            return Some(Reply::error(
                403,
                format!(
                    "a page from another origin ({}) may not write here: only this server's own pages and programs that are not browsers may",
                    printable(&origin)
                ),
            ));
        }
    }
    let token = token?;
    let given = incoming.header("Authorization").and_then(|a| {
        let (scheme, value) = a.trim().split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then_some(value.trim())
    });
    let refusal = |message: &str| {
        Some(
            Reply::error(401, message)
                .with_header("WWW-Authenticate", "Bearer realm=\"innograph update\""),
        )
    };
    match given {
        None => refusal(
            "this server takes updates only with its credential: send `Authorization: Bearer TOKEN` with the token the server was given (--update-token-file; `innograph push --token-file FILE`)",
        ),
        Some(given) if !token.matches(given) => {
            refusal("the credential in the Authorization header is not this server's")
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_the_bound_address_and_the_allowed_names() {
        let local = Hosts::new(
            "127.0.0.1:7878".parse().unwrap(),
            &["Graph.Example".to_owned()],
        );
        assert!(local.check(Some("127.0.0.1:7878")).is_none());
        assert!(local.check(Some("localhost:7878")).is_none());
        assert!(local.check(Some("[::1]:7878")).is_none());
        assert!(local.check(Some("graph.example")).is_none());
        assert!(local.check(Some("attacker.example:7878")).is_some());
        assert!(local.check(Some("10.0.0.1:7878")).is_some());
        assert!(local.check(None).is_some());
        let any = Hosts::new("0.0.0.0:80".parse().unwrap(), &[]);
        assert!(any.check(Some("192.168.1.9")).is_none());
        assert!(any.check(Some("rebind.example")).is_some());
    }

    #[test]
    fn tokens_match_only_themselves_and_never_show() {
        let token = Token::new(" s3cret\n").unwrap();
        assert!(token.matches("s3cret"));
        assert!(!token.matches("s3cre"));
        assert!(!token.matches("s3cret "));
        assert!(!format!("{token:?}").contains("s3cret"));
        assert!(Token::new(" \n").is_none());
    }
}

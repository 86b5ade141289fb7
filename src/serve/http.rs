//! The HTTP library's seam: listening, reading a request's method, path,
//! parameters, headers and body, and sending a reply. Only this file names
//! the HTTP library (tiny_http), so that another can replace it here alone.

use super::protocol;
use std::io::Read;
use std::net::SocketAddr;
use std::time::Duration;

/// A listening socket and the HTTP server on it.
pub(crate) struct Listener(tiny_http::Server);

impl Listener {
    /// Listens on `bind` (`127.0.0.1:7878`; port 0 picks a free one).
    pub(crate) fn bind(bind: &str) -> Result<Listener, String> {
        let listener = listen(bind).map_err(|e| e.to_string())?;
        tiny_http::Server::from_listener(listener, None)
            .map(Listener)
            .map_err(|e| e.to_string())
    }

    /// The address it listens on.
    pub(crate) fn local_addr(&self) -> Option<SocketAddr> {
        self.0.server_addr().to_ip()
    }

    /// The next request, waiting at most `wait`; `None` when none came.
    pub(crate) fn next(&self, wait: Duration) -> Option<Exchange> {
        match self.0.recv_timeout(wait) {
            Ok(Some(request)) => Some(Exchange::new(request)),
            Ok(None) => None,
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                None
            }
        }
    }
}

/// One request, read up to its body, and the means to answer it.
pub(crate) struct Exchange {
    request: tiny_http::Request,
    /// What the request asks; `None` when its query string is not UTF-8.
    pub(crate) incoming: Option<Incoming>,
}

impl Exchange {
    fn new(request: tiny_http::Request) -> Exchange {
        let url = request.url().to_owned();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let header = |name: &'static str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.equiv(name))
                .map(|h| h.value.as_str().to_owned())
        };
        let headers = request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_owned(),
                    h.value.as_str().to_owned(),
                )
            })
            .collect();
        let incoming = protocol::form(query).map(|params| Incoming {
            method: request.method().as_str().to_ascii_uppercase(),
            path: path.to_owned(),
            params,
            content_type: header("Content-Type")
                .and_then(|c| c.split(';').next().map(|m| m.trim().to_ascii_lowercase()))
                .unwrap_or_default(),
            headers,
        });
        Exchange { request, incoming }
    }

    /// The request body, within `limit` bytes and in UTF-8.
    pub(crate) fn body(&mut self, limit: usize) -> Result<String, Reply> {
        let too_large = || {
            Reply::error(
                413,
                format!("the request body is larger than this server's limit of {limit} bytes"),
            )
        };
        if self.request.body_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        self.request
            .as_reader()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Reply::error(400, format!("cannot read the request body: {e}")))?;
        if bytes.len() > limit {
            return Err(too_large());
        }
        String::from_utf8(bytes).map_err(|_| Reply::error(400, "the request body is not UTF-8"))
    }

    /// Sends `reply`.
    pub(crate) fn respond(self, reply: Reply) {
        let mut response = tiny_http::Response::from_data(reply.body)
            .with_status_code(reply.status)
            .with_header(header("Content-Type", &reply.content_type));
        for (name, value) in &reply.headers {
            response.add_header(header(name, value));
        }
        // A client that went away is no concern of the server's.
        let _ = self.request.respond(response);
    }
}

/// One request's method, path, parameters and headers, read before the body.
pub(crate) struct Incoming {
    /// The method, upper case.
    pub(crate) method: String,
    /// The path, without the query string.
    pub(crate) path: String,
    /// The query string's parameters, in order.
    pub(crate) params: Vec<(String, String)>,
    /// The media type of the body, lower case, without parameters.
    pub(crate) content_type: String,
    /// Every header, names as sent.
    headers: Vec<(String, String)>,
}

impl Incoming {
    /// The first value of a parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first header called `name` (in any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Accept` header.
    pub(crate) fn accept(&self) -> Option<&str> {
        self.header("Accept")
    }

    /// The `Host` header.
    pub(crate) fn host(&self) -> Option<&str> {
        self.header("Host")
    }
}

/// An answer before it becomes an HTTP response.
pub(crate) struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A reply with a body.
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// A plain-text error.
    pub(crate) fn error(status: u16, message: impl std::fmt::Display) -> Reply {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            format!("{message}\n").into_bytes(),
        )
    }

    /// A JSON value.
    pub(crate) fn json(status: u16, value: &serde_json::Value) -> Reply {
        let mut body = serde_json::to_vec_pretty(value).unwrap_or_default();
        body.push(b'\n');
        Reply::new(status, "application/json", body)
    }

    /// The reply with one more header.
    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// A listening socket with `TCP_NODELAY`, which the connections it accepts
/// inherit: an answer's headers and body then leave at once instead of the
/// body waiting for the client's delayed ACK of the headers.
fn listen(bind: &str) -> std::io::Result<std::net::TcpListener> {
    use std::net::ToSocketAddrs;
    let address = bind
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no such address"))?;
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(address),
        socket2::Type::STREAM,
        Some(socket2::Protocol::TCP),
    )?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&address.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        tiny_http::Header::from_bytes(&b"X-Invalid-Header"[..], &b"1"[..])
            .expect("a fixed header is valid")
    })
}

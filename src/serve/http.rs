//! The HTTP seam: listening, reading a request's method, path, parameters,
//! headers and body, and sending a reply. Only this file speaks HTTP/1.1,
//! so that another server can replace it here alone.
//!
//! Every limit holds before memory is spent: the request head is read
//! within [`MAX_HEAD`] bytes and [`HEAD_TIME`], a body is refused with 413
//! from its `Content-Length` before a byte of it is read, and is read
//! within [`BODY_TIME`], by a reader thread of its own (a slow client holds
//! no worker). One request per connection (`Connection: close`): an idle
//! client holds nothing.

use super::protocol;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The most bytes of a request line and its headers.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;
/// How long a client may take to send the request line and headers.
pub(crate) const HEAD_TIME: Duration = Duration::from_secs(10);
/// How long a client may take to send a body.
pub(crate) const BODY_TIME: Duration = Duration::from_secs(30);
/// How long a client may take to read the answer, per write.
const WRITE_TIME: Duration = Duration::from_secs(30);
/// The largest body that is read and dropped, unasked for, so that the
/// client (which sends it all before it reads) sees the answer; a larger
/// one is not read at all, and the client may see the connection reset.
const DRAIN_LIMIT: u64 = 8 * 1024 * 1024;
/// Requests read but not yet taken by a worker.
const BACKLOG: usize = 64;
/// Connections whose request is being read at once; one more is answered
/// 503 at once. Each holds at most [`MAX_HEAD`] and the body limit.
const MAX_READERS: usize = 64;
/// The stack of a thread that reads one request.
const READER_STACK: usize = 256 * 1024;

/// A listening socket. A thread accepts connections; each connection's
/// request (head, and a body within the limit) is read by a thread of its
/// own, at most [`MAX_READERS`] at once, so that a slow client holds no
/// worker; the workers that ask [`next`](Listener::next) get whole requests.
pub(crate) struct Listener {
    address: Option<SocketAddr>,
    accepted: Mutex<Receiver<Exchange>>,
    closed: Arc<AtomicBool>,
    /// Set when the server stops: a request read from then on is refused
    /// by its reader, not handed on.
    stopping: Arc<AtomicBool>,
    /// Requests being read.
    readers: Arc<AtomicUsize>,
}

impl Listener {
    /// Listens on `bind` (`127.0.0.1:7878`; port 0 picks a free one);
    /// bodies of at most `max_body` bytes are read before a worker takes
    /// the request.
    pub(crate) fn bind(bind: &str, max_body: usize) -> Result<Listener, String> {
        let listener = listen(bind).map_err(|e| e.to_string())?;
        let address = listener.local_addr().ok();
        let (sender, accepted) = std::sync::mpsc::sync_channel(BACKLOG);
        let closed = Arc::new(AtomicBool::new(false));
        let stopping = Arc::new(AtomicBool::new(false));
        let readers = Arc::new(AtomicUsize::new(0));
        let reading = Reading {
            sender,
            closed: Arc::clone(&closed),
            stopping: Arc::clone(&stopping),
            readers: Arc::clone(&readers),
            max_body,
        };
        std::thread::Builder::new()
            .name("innograph-accept".to_owned())
            .spawn(move || accept(&listener, &reading))
            .map_err(|e| e.to_string())?;
        Ok(Listener {
            address,
            accepted: Mutex::new(accepted),
            closed,
            stopping,
            readers,
        })
    }

    /// The address it listens on.
    pub(crate) fn local_addr(&self) -> Option<SocketAddr> {
        self.address
    }

    /// The next request, waiting at most `wait`; `None` when none came.
    pub(crate) fn next(&self, wait: Duration) -> Option<Exchange> {
        let accepted = self.accepted.lock().unwrap_or_else(PoisonError::into_inner);
        accepted.recv_timeout(wait).ok()
    }

    /// When the server stops: a request read but not taken by a worker,
    /// waiting until `until` for those still being read. From the first
    /// call on, a reader that finishes refuses its request itself, so no
    /// request read is left unanswered.
    pub(crate) fn leftover(&self, until: Instant) -> Option<Exchange> {
        self.stopping.store(true, Ordering::SeqCst);
        loop {
            // A reader hands its request on before it counts itself out:
            // once none is counted, every request handed on is queued.
            let reading = self.readers.load(Ordering::SeqCst) > 0;
            if let Some(exchange) = self.next(Duration::ZERO) {
                return Some(exchange);
            }
            if !reading || Instant::now() >= until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// What the accepting thread shares with the readers it starts.
struct Reading {
    sender: SyncSender<Exchange>,
    closed: Arc<AtomicBool>,
    stopping: Arc<AtomicBool>,
    readers: Arc<AtomicUsize>,
    max_body: usize,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so that it sees the flag and ends.
        if let Some(mut address) = self.address {
            if address.ip().is_unspecified() {
                address.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            let _ = TcpStream::connect_timeout(&address, Duration::from_millis(200));
        }
    }
}

/// Accepts connections until the listener is dropped, and starts a
/// reader for each.
fn accept(listener: &TcpListener, reading: &Reading) {
    let readers = &reading.readers;
    for stream in listener.incoming() {
        if reading.closed.load(Ordering::SeqCst) {
            return;
        }
        match stream {
            Ok(mut stream) => {
                let _ = stream.set_write_timeout(Some(WRITE_TIME));
                if readers.fetch_add(1, Ordering::SeqCst) >= MAX_READERS {
                    readers.fetch_sub(1, Ordering::SeqCst);
                    let busy = Reply::error(
                        503,
                        "too many requests are being received at once: try again in a moment",
                    )
                    .with_header("Retry-After", "1");
                    // Answered on the accepting thread: no lingering read.
                    send(&mut stream, busy, false, false);
                    continue;
                }
                let (sender, count, stopping, max_body) = (
                    reading.sender.clone(),
                    Arc::clone(readers),
                    Arc::clone(&reading.stopping),
                    reading.max_body,
                );
                let started = std::thread::Builder::new()
                    .name("innograph-reader".to_owned())
                    .stack_size(READER_STACK)
                    .spawn(move || {
                        if let Some(exchange) = Exchange::read(stream, max_body) {
                            if stopping.load(Ordering::SeqCst) {
                                exchange.refuse(stopping_reply());
                            } else {
                                // Taken by a worker, or by the drain when
                                // the server stops (see Listener::leftover).
                                let _ = sender.send(exchange);
                            }
                        }
                        count.fetch_sub(1, Ordering::SeqCst);
                    });
                if started.is_err() {
                    readers.fetch_sub(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            // Out of file descriptors, or a connection reset before it was
            // taken: wait a moment rather than spin.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// The answer to a request that comes while the server stops.
pub(crate) fn stopping_reply() -> Reply {
    Reply::error(503, "the server is stopping: ask again when it is back")
}

/// One request, read up to its body, and the means to answer it.
pub(crate) struct Exchange {
    stream: TcpStream,
    /// Bytes read past the head: the start of the body.
    read_ahead: Vec<u8>,
    /// The body's `Content-Length`.
    length: u64,
    /// The client waits for `100 Continue` before it sends the body.
    expects_continue: bool,
    /// A `HEAD` request: the answer has no body.
    head_only: bool,
    /// The body was read (or refused): nothing of it is left to drop.
    body_done: bool,
    /// What the request asks; `None` when its query string is not UTF-8.
    pub(crate) incoming: Option<Incoming>,
}

/// Why a request head cannot be taken.
enum HeadError {
    /// The client went away or was too slow: nobody to answer.
    Gone,
    /// Answer this and close.
    Refuse(Reply),
}

impl Exchange {
    /// Reads a request from `stream`: its head, and its body when that
    /// is at most `max_body` bytes; a refusal is answered here.
    fn read(mut stream: TcpStream, max_body: usize) -> Option<Exchange> {
        match read_head(&mut stream) {
            Ok(mut exchange) if exchange.length <= max_body as u64 => match exchange.read_body() {
                Ok(()) => Some(exchange),
                Err(reply) => {
                    send(&mut stream, reply, false, true);
                    None
                }
            },
            Ok(exchange) => Some(exchange),
            Err(HeadError::Gone) => None,
            Err(HeadError::Refuse(reply)) => {
                send(&mut stream, reply, false, true);
                None
            }
        }
    }

    /// The request body, within `limit` bytes and in UTF-8. A body over
    /// the limit is refused from its `Content-Length`, before it is read.
    pub(crate) fn body(&mut self, limit: usize) -> Result<String, Reply> {
        self.body_done = true;
        if self.length > limit as u64 {
            return Err(Reply::error(
                413,
                format!(
                    "the request body ({} bytes) is larger than this server's limit of {limit} bytes",
                    self.length
                ),
            ));
        }
        self.read_body()?;
        let bytes = std::mem::take(&mut self.read_ahead);
        String::from_utf8(bytes).map_err(|_| Reply::error(400, "the request body is not UTF-8"))
    }

    /// Reads the whole body into `read_ahead`, within [`BODY_TIME`]. Only
    /// for a length already known to be within a limit.
    fn read_body(&mut self) -> Result<(), Reply> {
        let length = usize::try_from(self.length).unwrap_or(usize::MAX);
        self.read_ahead.truncate(length);
        if self.expects_continue && self.read_ahead.len() < length {
            let _ = self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
            self.expects_continue = false;
        }
        let deadline = Instant::now() + BODY_TIME;
        let mut chunk = [0_u8; 16 * 1024];
        while self.read_ahead.len() < length {
            let want = (length - self.read_ahead.len()).min(chunk.len());
            match read_until(&mut self.stream, &mut chunk[..want], deadline) {
                Ok(0) => {
                    return Err(Reply::error(
                        400,
                        format!(
                            "the request body ended after {} of its {length} bytes",
                            self.read_ahead.len()
                        ),
                    ));
                }
                Ok(n) => self.read_ahead.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == ErrorKind::TimedOut => {
                    return Err(Reply::error(
                        408,
                        format!(
                            "the request body did not arrive within {} s",
                            BODY_TIME.as_secs()
                        ),
                    ));
                }
                Err(e) => {
                    return Err(Reply::error(
                        400,
                        format!("cannot read the request body: {e}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Sends `reply` and closes the connection, on a thread of its own
    /// (at most [`MAX_CLOSERS`] at once): a client that is slow to read the
    /// answer, or that still sends a body nobody asked for, holds no worker.
    pub(crate) fn respond(self, reply: Reply) {
        if CLOSERS.fetch_add(1, Ordering::SeqCst) >= MAX_CLOSERS {
            CLOSERS.fetch_sub(1, Ordering::SeqCst);
            // Too many closing at once: answer now, without waiting for
            // the unread body.
            let mut stream = self.stream;
            send(&mut stream, reply, self.head_only, false);
            return;
        }
        // A thread that cannot start drops the connection unanswered, as
        // when the machine has no memory left.
        let spawned = std::thread::Builder::new()
            .name("innograph-closer".to_owned())
            .stack_size(READER_STACK)
            .spawn(move || {
                self.close(reply);
                CLOSERS.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            CLOSERS.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Sends `reply` at once on this thread, reading nothing more, and
    /// closes (the server stops: no thread is left to linger).
    pub(crate) fn refuse(mut self, reply: Reply) {
        send(&mut self.stream, reply, self.head_only, false);
    }

    /// Drops what is left of a body within [`DRAIN_LIMIT`] and
    /// [`DRAIN_TIME`] (so that the client, which sends it all before it
    /// reads, sees the answer), then sends `reply` and closes.
    fn close(mut self, reply: Reply) {
        if !self.body_done && self.length <= DRAIN_LIMIT {
            let left = self.length.saturating_sub(self.read_ahead.len() as u64);
            let deadline = Instant::now() + DRAIN_TIME;
            let mut sink = [0_u8; 16 * 1024];
            let mut dropped = 0;
            while dropped < left {
                let want =
                    usize::try_from(left - dropped).map_or(sink.len(), |l| l.min(sink.len()));
                match read_until(&mut self.stream, &mut sink[..want], deadline) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => dropped += n as u64,
                }
            }
        }
        send(&mut self.stream, reply, self.head_only, true);
    }
}

/// Connections being answered and closed at once.
static CLOSERS: AtomicUsize = AtomicUsize::new(0);
/// The most connections answered and closed at once; past it, an answer
/// is sent at once by its worker, without reading what the client sends.
const MAX_CLOSERS: usize = 64;
/// How long an unread body is dropped before the answer is sent anyway.
const DRAIN_TIME: Duration = Duration::from_secs(5);

/// Reads and parses a request head, within [`MAX_HEAD`] and [`HEAD_TIME`].
fn read_head(stream: &mut TcpStream) -> Result<Exchange, HeadError> {
    let deadline = Instant::now() + HEAD_TIME;
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0_u8; 4096];
    loop {
        let n = match read_until(stream, &mut chunk, deadline) {
            Ok(0) => return Err(HeadError::Gone),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::TimedOut && !buffer.is_empty() => {
                return Err(HeadError::Refuse(Reply::error(
                    408,
                    format!(
                        "the request line and headers did not arrive within {} s",
                        HEAD_TIME.as_secs()
                    ),
                )));
            }
            Err(_) => return Err(HeadError::Gone),
        };
        buffer.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer) {
            Ok(httparse::Status::Complete(size)) => {
                if !request.path.unwrap_or_default().is_ascii() {
                    return Err(HeadError::Refuse(Reply::error(
                        400,
                        "the request line holds characters that are not ASCII: percent-encode the URL (e.g. %E5%90%8C for 同)",
                    )));
                }
                let head = parsed(&request)?;
                let stream = stream.try_clone().map_err(|_| HeadError::Gone)?;
                return Ok(Exchange {
                    stream,
                    read_ahead: buffer[size..].to_vec(),
                    length: head.length,
                    expects_continue: head.expects_continue,
                    head_only: head.head_only,
                    body_done: head.length == 0,
                    incoming: head.incoming,
                });
            }
            Ok(httparse::Status::Partial) if buffer.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
                return Err(HeadError::Refuse(Reply::error(
                    431,
                    format!(
                        "the request line and headers are larger than this server's limit of {MAX_HEAD} bytes and {MAX_HEADERS} headers"
                    ),
                )));
            }
            Err(e) => {
                return Err(HeadError::Refuse(Reply::error(
                    400,
                    format!("not an HTTP/1.1 request: {e}"),
                )));
            }
        }
    }
}

/// What a request head says.
struct Head {
    length: u64,
    expects_continue: bool,
    head_only: bool,
    incoming: Option<Incoming>,
}

/// The request a parsed head makes.
fn parsed(request: &httparse::Request<'_, '_>) -> Result<Head, HeadError> {
    let refuse = |status: u16, message: &str| HeadError::Refuse(Reply::error(status, message));
    let method = request.method.unwrap_or_default().to_ascii_uppercase();
    let url = request.path.unwrap_or_default();
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).trim().to_owned(),
            )
        })
        .collect();
    let all = |name: &'static str| {
        headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if all("Transfer-Encoding").next().is_some() {
        return Err(refuse(
            411,
            "send the request body with a Content-Length (chunked bodies are not taken)",
        ));
    }
    // Two different lengths are a request smuggling attempt, not a choice.
    let mut lengths = all("Content-Length")
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().parse::<u64>());
    let length = match lengths.next() {
        None => 0,
        Some(Ok(first)) if lengths.all(|l| l.as_ref().is_ok_and(|l| *l == first)) => first,
        Some(Ok(_)) => {
            return Err(refuse(
                400,
                "the request has two different Content-Length headers: send one",
            ));
        }
        Some(Err(_)) => {
            return Err(refuse(
                400,
                "the Content-Length header is not one whole number of bytes",
            ));
        }
    };
    let expects_continue = all("Expect").any(|v| v.eq_ignore_ascii_case("100-continue"));
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let content_type = all("Content-Type")
        .next()
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let head_only = method == "HEAD";
    let incoming = protocol::form(query).map(|params| Incoming {
        method,
        path: path.to_owned(),
        params,
        content_type,
        headers,
    });
    Ok(Head {
        length,
        expects_continue,
        head_only,
        incoming,
    })
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
    /// A `GET` of `path` with `params` and only the `Accept` header, if
    /// any (a question handed to another process).
    pub(crate) fn asking(
        path: &str,
        params: Vec<(String, String)>,
        accept: Option<String>,
    ) -> Incoming {
        Incoming {
            method: "GET".to_owned(),
            path: path.to_owned(),
            params,
            content_type: String::new(),
            headers: accept
                .map(|accept| ("Accept".to_owned(), accept))
                .into_iter()
                .collect(),
        }
    }

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

    /// Its status, media type and body (its headers dropped).
    pub(crate) fn into_parts(self) -> (u16, String, Vec<u8>) {
        (self.status, self.content_type, self.body)
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

/// Reads into `buffer` what arrives before `deadline` (`TimedOut` after it).
fn read_until(
    stream: &mut TcpStream,
    buffer: &mut [u8],
    deadline: Instant,
) -> std::io::Result<usize> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(buffer) {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                return Err(ErrorKind::TimedOut.into());
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// Writes `reply` (without its body for `HEAD`) and closes the connection;
/// with `linger`, reading briefly what the client still sends so that it
/// sees the answer rather than a reset.
fn send(stream: &mut TcpStream, reply: Reply, head_only: bool, linger: bool) {
    let status = http::StatusCode::from_u16(reply.status).ok();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        status
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Status"),
        reply.content_type,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        // A header value never carries a line break into the head.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&reply.body);
    }
    // A client that went away is no concern of the server's.
    if stream
        .write_all(&bytes)
        .and_then(|()| stream.flush())
        .is_err()
    {
        return;
    }
    let _ = stream.shutdown(Shutdown::Write);
    if !linger {
        return;
    }
    let deadline = Instant::now() + Duration::from_millis(500);
    let mut sink = [0_u8; 16 * 1024];
    let mut drained = 0;
    while drained < 256 * 1024 {
        match read_until(stream, &mut sink, deadline) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

//! A small HTTP/1.1 server on 127.0.0.1 for the fake tenants (the tests'
//! and `examples/synth_tenant`): a thread for each connection, connections
//! kept open between requests, each answer written at once with Nagle off,
//! as a tenant behind a load balancer answers. Requests on different
//! connections are answered side by side, so a client's concurrency is
//! real here.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the handler is given of a request.
pub struct Request {
    pub method: String,
    /// The path and the query.
    pub url: String,
    pub authorization: Option<String>,
}

/// An answer: status, extra headers, body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// `200` with a JSON body.
    pub fn json(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
        }
    }
}

/// A server answering on a free port until dropped.
pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Serves `handler` on 127.0.0.1, on a port the system picks.
pub fn start(
    handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
) -> std::io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let stop = Arc::new(AtomicBool::new(false));
    let handler = Arc::new(handler);
    let stopping = stop.clone();
    let accept = std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else { continue };
            let handler = handler.clone();
            std::thread::spawn(move || connection(stream, &*handler));
        }
    });
    Ok(Server {
        port,
        stop,
        accept: Some(accept),
    })
}

/// Answers the requests of one connection until the client closes it.
fn connection(stream: TcpStream, handler: &dyn Fn(&Request) -> Reply) {
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let reply = handler(&request);
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Length: {}\r\n",
            reply.status,
            if reply.status < 400 { "OK" } else { "Error" },
            reply.body.len()
        );
        if !reply
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        {
            head.push_str("Content-Type: application/json\r\n");
        }
        let mut pause = None;
        for (name, value) in &reply.headers {
            if *name == TRICKLE {
                pause = value.parse().ok().map(std::time::Duration::from_millis);
                continue;
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&reply.body);
        let written = match pause {
            None => writer.write_all(&bytes),
            Some(pause) => trickle(&mut writer, &bytes, pause),
        };
        if written.is_err() {
            return;
        }
    }
}

/// A header a handler sets (milliseconds) to have its answer written in
/// ten pieces, each after that pause: an answer that keeps coming slowly.
/// It is not sent.
pub const TRICKLE: &str = "X-Test-Trickle-Ms";

/// Writes `bytes` in ten pieces, `pause` before each.
fn trickle(
    writer: &mut impl Write,
    bytes: &[u8],
    pause: std::time::Duration,
) -> std::io::Result<()> {
    for piece in bytes.chunks(bytes.len().div_ceil(10).max(1)) {
        std::thread::sleep(pause);
        writer.write_all(piece)?;
        writer.flush()?;
    }
    Ok(())
}

/// One request, its body read and dropped; `None` when the client closed
/// the connection or sent something that is not HTTP.
fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let url = parts.next()?.to_string();
    let mut authorization = None;
    let mut length = 0u64;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("authorization") {
                authorization = Some(value.to_string());
            } else if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().ok()?;
            }
        }
    }
    std::io::copy(&mut reader.take(length), &mut std::io::sink()).ok()?;
    Some(Request {
        method,
        url,
        authorization,
    })
}

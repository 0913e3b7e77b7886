//! One HTTPS client for the Risk Cloud API: bearer authentication (a token,
//! or one issued for a client id and secret), an idle timeout on every
//! connection and every read (a large answer takes as long as its bytes
//! keep coming, within the run's deadline),
//! retries with jittered backoff on 429 and 503 (honouring `Retry-After`,
//! seconds or an HTTP date), 5xx, broken
//! connections and truncated bodies, and one clear error for everything
//! else. The token and the secret never reach a message.

use super::PullError;
use std::time::{Duration, Instant};

/// How rclint authenticates. `Debug` shows no value.
pub enum Credentials {
    /// `RISKCLOUD_TOKEN`: a bearer token.
    Token(String),
    /// `RISKCLOUD_CLIENT_ID` and `RISKCLOUD_CLIENT_SECRET`: a token is
    /// requested from `POST /api/v1/account/token`.
    Client {
        /// The client id.
        id: String,
        /// The client secret.
        secret: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Token(<hidden>)"),
            Credentials::Client { .. } => f.write_str("Client(<hidden>)"),
        }
    }
}

/// How often and how long to retry, and the bounds of a whole run.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Attempts per request, the first included.
    pub attempts: u32,
    /// The first wait; each further one doubles.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured: a server asking for more ends the
    /// run rather than holding it.
    pub max_wait: Duration,
    /// When the whole run is given up, whatever is under way.
    pub deadline: Instant,
    /// The largest answer read, after decompression (a gzip bomb stops
    /// here).
    pub max_response: u64,
}

impl Retry {
    /// Five attempts from 0.25 s doubling, `Retry-After` up to 60 s, a run
    /// of at most `deadline`, answers of at most `max_response` bytes.
    pub fn new(deadline: Duration, max_response: u64) -> Retry {
        Retry {
            attempts: 5,
            backoff: Duration::from_millis(250),
            max_wait: Duration::from_secs(60),
            deadline: Instant::now() + deadline,
            max_response,
        }
    }

    /// The time left before the deadline, or the error that says it passed.
    fn left(&self, path: &str) -> Result<Duration, PullError> {
        self.deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                PullError::new(format!(
                    "{path}: the run passed its --deadline; nothing was written"
                ))
            })
    }
}

/// An authenticated client for one tenant. `Debug` shows no token.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
    retry: Retry,
    timeout: Duration,
    /// The config file to name where a message says to change a `[pull]`
    /// path.
    config: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Client({})", self.base)
    }
}

/// The tenant's base URL, parsed by the parser the HTTP client itself
/// uses: `https://` (any case), or plain `http://` to a loopback address
/// (127.0.0.0/8, `::1`, `localhost`: what tests serve on). A user name or
/// password (`user:pass@`), a query or a fragment is refused, and no
/// message repeats what was refused. The result is
/// `scheme://host[:port][/path]` without a trailing `/`: the only form of
/// the URL rclint ever prints or writes.
pub fn check_url(url: &str) -> Result<String, PullError> {
    use ureq::http::Uri;
    let refuse = |why: &str| {
        PullError::new(format!(
            "--url must be https://TENANT.logicgate.com (plain http only to 127.0.0.1 or \
             localhost): {why}"
        ))
    };
    let uri: Uri = url
        .trim()
        .parse()
        .map_err(|_| refuse("this is not a URL rclint can read"))?;
    let (Some(scheme), Some(authority), Some(host)) =
        (uri.scheme_str(), uri.authority(), uri.host())
    else {
        return Err(refuse("it names no scheme or no host"));
    };
    if authority.as_str().contains('@') {
        return Err(refuse(
            "it holds a user name or password (user:password@), which rclint never sends; \
             give credentials in RISKCLOUD_TOKEN, or RISKCLOUD_CLIENT_ID and \
             RISKCLOUD_CLIENT_SECRET",
        ));
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(refuse("it holds a query or a fragment"));
    }
    let host_port = match uri.port_u16() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    if host.is_empty() || authority.as_str() != host_port {
        return Err(refuse("its host or port cannot be read"));
    }
    let scheme = scheme.to_ascii_lowercase();
    let base = format!("{scheme}://{host_port}{}", uri.path().trim_end_matches('/'));
    match scheme.as_str() {
        "https" => Ok(base),
        "http" if is_loopback(host) => Ok(base),
        "http" => Err(refuse(&format!(
            "plain http to '{host_port}', which is not a loopback address, would send the \
             credentials in clear text"
        ))),
        _ => Err(refuse(&format!("the scheme '{scheme}' is not https"))),
    }
}

/// Whether `host` (as a URL writes it: IPv6 in brackets) is this machine.
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A 2xx answer: its body, and that body parsed (once: the pull reads
/// pages, totals and ids from it).
pub struct Answer {
    /// The body as sent, which `--save-raw` and the import read.
    pub bytes: Vec<u8>,
    /// The body parsed.
    pub json: serde_json::Value,
}

/// What one attempt came to.
enum Attempt {
    /// A 2xx answer that is valid JSON.
    Done(Answer),
    /// Worth trying again, after this long (or the backoff), because of this.
    Again(Option<Duration>, String),
    /// Final.
    Failed(PullError),
}

impl Client {
    /// Connects to `base` (checked by [`check_url`]): with a token as is,
    /// with a client id and secret through the token endpoint. `config` is
    /// the config file the `[pull]` paths come from, as messages name it.
    pub fn connect(
        base: &str,
        credentials: Credentials,
        (timeout, retry): (Duration, Retry),
        config: &str,
    ) -> Result<Client, PullError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            // One connection kept for each request that may be in flight
            // (`--concurrency` is at most 16): a connection closed after
            // each request costs a new TCP and TLS handshake.
            .max_idle_connections(16)
            .max_idle_connections_per_host(16)
            .timeout_connect(Some(timeout))
            .timeout_per_read(Some(timeout))
            .http_status_as_error(false)
            // An Authorization header never follows a redirect.
            .max_redirects(0)
            .build()
            .into();
        let mut client = Client {
            agent,
            base: base.to_string(),
            token: String::new(),
            retry,
            timeout,
            config: config.to_string(),
        };
        client.token = match credentials {
            Credentials::Token(token) => token,
            Credentials::Client { id, secret } => client.issue_token(&id, &secret)?,
        };
        Ok(client)
    }

    /// The URL of `path` on the tenant. A path that would leave the tenant's
    /// host (`@other.host/...`, `//other.host`, no leading `/`: a `[pull]`
    /// path in a committed rclint.toml is not trusted) is refused, so the
    /// token only ever goes to `--url`'s host.
    fn url(&self, path: &str) -> Result<String, PullError> {
        let url = format!("{}{path}", self.base);
        let authority = |u: &str| {
            u.parse::<ureq::http::Uri>()
                .ok()
                .and_then(|u| u.authority().map(|a| a.as_str().to_string()))
        };
        if !path.starts_with('/')
            || path.starts_with("//")
            || authority(&url) != authority(&self.base)
        {
            return Err(PullError::new(format!(
                "a request path must start with one '/' and stay on --url's host: check the \
                 paths in {} [pull]",
                self.config
            )));
        }
        Ok(url)
    }

    /// `POST /api/v1/account/token` with Basic authentication.
    fn issue_token(&self, id: &str, secret: &str) -> Result<String, PullError> {
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        let path = "/api/v1/account/token";
        let url = self.url(path)?;
        let answer = self.with_retries(path, "request a token", |left| {
            self.agent
                .post(&url)
                .config()
                .timeout_global(Some(left))
                .timeout_connect(Some(self.timeout))
                .timeout_per_read(Some(self.timeout))
                .build()
                .header("Authorization", format!("Basic {basic}"))
                .header("Accept", "application/json")
                .send_empty()
        })?;
        let token = answer.json["access_token"]
            .as_str()
            .filter(|t| !t.is_empty());
        if token.is_some_and(|t| t.chars().any(|c| c.is_control() || c == ' ')) {
            return Err(PullError::new(format!(
                "POST {path} issued a token holding a line break, a space or another control \
                 character, which no HTTP header may carry; rclint does not send it"
            )));
        }
        token.map(str::to_string).ok_or_else(|| {
            PullError::new(format!(
                "POST {path} answered without an access_token: is --url the tenant's address?"
            ))
        })
    }

    /// `GET path` (with its query): the JSON answer. `what` says what the
    /// call is for, in errors ("list users").
    pub fn get(&self, path: &str, what: &str) -> Result<Answer, PullError> {
        let url = self.url(path)?;
        self.with_retries(path, what, |left| {
            self.agent
                .get(&url)
                .config()
                .timeout_global(Some(left))
                .timeout_connect(Some(self.timeout))
                .timeout_per_read(Some(self.timeout))
                .build()
                .header("Authorization", format!("Bearer {}", self.token))
                .header("Accept", "application/json")
                .call()
        })
    }

    /// `GET path` where the tenant may not serve it to this API user: the
    /// body as `Ok(Ok(body))`; a refusal (400, 403, 404) as `Ok(Err(why))`,
    /// for the caller to say and go on; anything else stops the pull.
    pub fn get_optional(
        &self,
        path: &str,
        what: &str,
    ) -> Result<Result<Answer, PullError>, PullError> {
        match self.get(path, what) {
            Ok(body) => Ok(Ok(body)),
            Err(e) if matches!(e.status, Some(400 | 403 | 404)) => Ok(Err(e)),
            Err(e) => Err(e),
        }
    }

    fn with_retries(
        &self,
        path: &str,
        what: &str,
        send: impl Fn(Duration) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Answer, PullError> {
        let mut last = String::new();
        for attempt in 0..self.retry.attempts {
            let left = self.retry.left(path)?;
            match self.attempt(path, what, send(left)) {
                Attempt::Done(answer) => return Ok(answer),
                Attempt::Failed(e) => return Err(e),
                Attempt::Again(wait, why) => {
                    last = why;
                    if attempt + 1 < self.retry.attempts {
                        let backoff = self.retry.backoff * 2u32.saturating_pow(attempt);
                        let wait = wait.unwrap_or_else(|| jittered(backoff));
                        if wait > self.retry.max_wait {
                            return Err(PullError::new(format!(
                                "{path}: the server asked to wait {} s (Retry-After), more than \
                                 the {} s rclint waits; try again later",
                                wait.as_secs(),
                                self.retry.max_wait.as_secs()
                            )));
                        }
                        if wait >= self.retry.left(path)? {
                            return Err(PullError::new(format!(
                                "{path}: waiting {} s to try again would pass the run's \
                                 --deadline; nothing was written",
                                wait.as_secs()
                            )));
                        }
                        std::thread::sleep(wait);
                    }
                }
            }
        }
        Err(PullError::new(format!(
            "{path}: gave up after {} attempts: {last}",
            self.retry.attempts
        )))
    }

    fn attempt(
        &self,
        path: &str,
        what: &str,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Attempt {
        let mut response = match sent {
            Ok(r) => r,
            Err(e) => return Attempt::Again(None, transport(&e)),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after(v, jiff::Timestamp::now()));
        let body = response
            .body_mut()
            .with_config()
            .limit(self.retry.max_response)
            .read_to_vec();
        if let Err(ureq::Error::BodyExceedsLimit(_)) = body {
            return Attempt::Failed(PullError::new(format!(
                "{path}: the answer is larger than {} MiB once decompressed; rclint reads no \
                 larger answer (--max-response-mib)",
                self.retry.max_response >> 20
            )));
        }
        match status {
            200..=299 => match body.map(|bytes| {
                let json = serde_json::from_slice::<serde_json::Value>(&bytes);
                (bytes, json)
            }) {
                Ok((bytes, Ok(json))) => Attempt::Done(Answer { bytes, json }),
                // A login page (SSO) or a web page at a wrong URL: no retry
                // will make it JSON.
                Ok((bytes, Err(_))) if bytes.trim_ascii_start().starts_with(b"<") => {
                    Attempt::Failed(PullError::status(
                        status,
                        format!(
                            "{path} answered an HTML page, not JSON: a sign-in page or a wrong \
                             --url? The API is served at https://TENANT.logicgate.com/api/..."
                        ),
                    ))
                }
                Ok((_, Err(_))) => {
                    Attempt::Again(None, "the answer was not whole JSON".to_string())
                }
                Err(e) => Attempt::Again(None, transport(&e)),
            },
            429 => Attempt::Again(retry_after, "429 Too Many Requests".to_string()),
            // A 503 may say when to come back, as a 429 does.
            503 => Attempt::Again(retry_after, format!("{status} from the server")),
            500..=599 => Attempt::Again(None, format!("{status} from the server")),
            401 => Attempt::Failed(PullError::status(
                401,
                format!(
                    "Risk Cloud refused the credentials (401 on {path}): check RISKCLOUD_TOKEN, \
                 or RISKCLOUD_CLIENT_ID and RISKCLOUD_CLIENT_SECRET"
                ),
            )),
            403 => Attempt::Failed(PullError::status(
                403,
                format!(
                    "the API user needs {} to {what} (403 on {path})",
                    needed_for(path)
                ),
            )),
            400 => Attempt::Failed(PullError::status(
                400,
                format!("{path} answered 400: the tenant did not accept the request"),
            )),
            404 => Attempt::Failed(PullError::status(
                404,
                format!(
                    "{path} answered 404: check --url, and the paths in {} [pull]",
                    self.config
                ),
            )),
            other => Attempt::Failed(PullError::status(other, format!("{path} answered {other}"))),
        }
    }
}

/// What a Risk Cloud API user needs to be served `path`.
/// How long a `Retry-After` value asks to wait, at `now`: seconds
/// (`120`), or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`), a date
/// already past meaning at once. `None` for anything else, which is then
/// waited out as any other retry.
fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let ahead = at.duration_since(now);
    Some(Duration::try_from(ahead).unwrap_or(Duration::ZERO))
}

/// `backoff`, less a random part of up to half of it ("equal jitter"), so
/// that requests that failed together do not all come back together.
fn jittered(backoff: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    // A fresh randomly keyed hasher per call: random enough to spread
    // retries, with no dependency for it.
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let half = backoff / 2;
    let spread = u32::try_from(random % 1_000).unwrap_or(0);
    half + half * spread / 1_000
}

fn needed_for(path: &str) -> &'static str {
    if path.starts_with("/api/v2/audits") {
        "the Productivity report entitlement (R_PRODUCTIVITY)"
    } else if path.starts_with("/api/v2/") {
        "Build Access to the applications (v2 structure lists show only those)"
    } else {
        "an Admin (Primary) account"
    }
}

/// A transport error in words, without anything the request carried.
fn transport(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "the request timed out".to_string(),
        ureq::Error::Io(io) => format!("connection: {}", crate::source::io_message(io)),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        _ => "the connection broke".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_accepted() {
        assert_eq!(
            check_url("https://acme.logicgate.com/").ok().as_deref(),
            Some("https://acme.logicgate.com")
        );
        assert!(check_url("http://127.0.0.1:8080").is_ok());
        assert!(check_url("http://localhost:8080").is_ok());
        assert!(check_url("http://127.8.0.1:1").is_ok());
        assert!(check_url("http://[::1]:8080").is_ok());
        assert!(check_url("http://LOCALHOST:8080").is_ok());
        assert_eq!(
            check_url("HTTPS://Acme.logicgate.com/").ok().as_deref(),
            Some("https://Acme.logicgate.com"),
            "a scheme in capitals is still https"
        );
        for bad in [
            "http://acme.logicgate.com",
            "http://127.0.0.1.evil.com",
            "HTTP://acme.logicgate.com",
            "https://",
            "ftp://x",
            "acme.logicgate.com",
            "https://h:99999",
            "https://h:",
            "http://127.0.0.1\\@evil.com",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn userinfo_is_refused_without_being_repeated() {
        for bad in [
            "http://127.0.0.1:pw-9f1@evil.example:8080",
            "https://user:pw-9f1@acme.logicgate.com",
            "https://pw-9f1@acme.logicgate.com/",
            "https://acme.logicgate.com/?token=pw-9f1",
            "https://acme.logicgate.com/#pw-9f1",
        ] {
            let message = check_url(bad).expect_err(bad).message;
            assert!(!message.contains("pw-9f1"), "{message}");
            assert!(!message.contains("evil"), "{message}");
        }
    }

    #[test]
    fn credentials_never_show_in_debug() {
        let c = Credentials::Client {
            id: "client-id-123".into(),
            secret: "s3cr3t".into(),
        };
        let t = Credentials::Token("tok-456".into());
        let shown = format!("{c:?} {t:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("tok-456") && !shown.contains("123"));
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now: jiff::Timestamp = "2026-10-21T07:27:30Z".parse().expect("moment");
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date already past means at once"
        );
        for bad in ["", "-5", "soon", "1.5", "Wed, 32 Oct 2026 07:28:00 GMT"] {
            assert_eq!(retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn backoff_is_jittered_within_its_upper_half() {
        let backoff = Duration::from_millis(1_000);
        let waits: std::collections::BTreeSet<Duration> =
            (0..50).map(|_| jittered(backoff)).collect();
        assert!(waits.iter().all(|w| *w >= backoff / 2 && *w <= backoff));
        assert!(waits.len() > 1, "the waits differ: {waits:?}");
    }
}

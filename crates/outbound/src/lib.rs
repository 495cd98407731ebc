//! The one door through which vendorwatch talks to the outside world over HTTP: status pages
//! (read by `vw-sources`) and the URLs users give for alerts (webhooks, Slack, Discord, Teams).
//! Both are chosen by someone we do not trust, so both go through the same guard: a resolver
//! that refuses non-public addresses at connection time, redirects re-checked hop by hop (or
//! not followed at all), connect and total timeouts, a body cap, and our User-Agent.
//!
//! A [`Client`] is built from a [`Policy`] so that no call site can forget a rule. Depends on
//! no other vendorwatch crate.

mod error;
mod guard;
mod headers;

use std::net::SocketAddr;
use std::time::Duration;

pub use error::OutboundError;
pub use guard::non_public;
pub use headers::retry_after;
pub use reqwest::header;
pub use reqwest::{Method, StatusCode};
use url::Url;

/// Names us and where to complain, as polite crawlers do.
pub const USER_AGENT: &str = concat!(
    "vendorwatch/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/vendorwatch/vendorwatch)"
);

/// What a [`Client`] may do. The two constructors are the production policies; tests and
/// local development loosen `allow_private_targets`.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Allow targets on loopback, private, link-local and other non-public addresses. Off in
    /// production (users choose the URLs); on for tests and local development.
    pub allow_private_targets: bool,
    /// Refuse plain `http://` URLs (unless private targets are allowed: a local test receiver
    /// speaks plain HTTP).
    pub https_only: bool,
    /// Redirects followed per request, each one re-checked; 0 follows none (a 3xx is then
    /// the answer).
    pub max_redirects: usize,
    pub connect_timeout: Duration,
    /// The whole exchange, body included.
    pub timeout: Duration,
    /// The largest body accepted, counted after decompression so that a small gzip bomb
    /// cannot expand past it.
    pub max_body_bytes: usize,
    /// Names answered with a fixed address instead of DNS. These skip the private-target
    /// check: an operator who pins a name has chosen its target. Tests use it to stand a
    /// "public" host in front of a local server.
    pub pinned_hosts: Vec<(String, SocketAddr)>,
}

impl Policy {
    /// Reading status pages: a few redirects (http → https, apex → www), and room for the
    /// largest document we poll (GCP's incidents.json, ~1.3 MB).
    pub fn status_pages() -> Self {
        Policy {
            allow_private_targets: false,
            https_only: false,
            max_redirects: 5,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
            max_body_bytes: 8 * 1024 * 1024,
            pinned_hosts: Vec::new(),
        }
    }

    /// Delivering alerts to users' URLs: https only, no redirects (a webhook that moves is
    /// broken, and following it would let a URL point us anywhere), small answers.
    pub fn deliveries() -> Self {
        Policy {
            allow_private_targets: false,
            https_only: true,
            max_redirects: 0,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            max_body_bytes: 64 * 1024,
            pinned_hosts: Vec::new(),
        }
    }
}

/// One request to send.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: Url,
    pub headers: header::HeaderMap,
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub fn get(url: Url) -> Self {
        Request {
            method: Method::GET,
            url,
            headers: header::HeaderMap::new(),
            body: None,
        }
    }

    /// A POST of `body` with its content type.
    pub fn post(url: Url, content_type: &'static str, body: Vec<u8>) -> Self {
        let mut headers = header::HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static(content_type),
        );
        Request {
            method: Method::POST,
            url,
            headers,
            body: Some(body),
        }
    }

    pub fn headers(mut self, headers: header::HeaderMap) -> Self {
        self.headers.extend(headers);
        self
    }
}

/// An answer, whatever its status, with its body read up to the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    /// Where the answer finally came from, after redirects.
    pub url: Url,
    /// Empty for a 304 or a HEAD.
    pub body: Vec<u8>,
}

/// An HTTP client bound to a [`Policy`]. Cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct Client {
    client: reqwest::Client,
    allow_private_targets: bool,
    https_only: bool,
    max_body_bytes: usize,
}

impl Client {
    pub fn new(policy: Policy) -> Result<Self, OutboundError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(policy.connect_timeout)
            .timeout(policy.timeout)
            .redirect(guard::redirect_policy(
                policy.allow_private_targets,
                policy.max_redirects,
            ))
            // A proxy would resolve names itself, out of our resolver's sight.
            .no_proxy();
        if !policy.allow_private_targets {
            builder = builder.dns_resolver(guard::PublicOnlyResolver);
        }
        for (host, addr) in &policy.pinned_hosts {
            builder = builder.resolve(host, *addr);
        }
        let client = builder
            .build()
            .map_err(|e| OutboundError::Setup(error::chain(&e)))?;
        Ok(Client {
            client,
            allow_private_targets: policy.allow_private_targets,
            https_only: policy.https_only,
            max_body_bytes: policy.max_body_bytes,
        })
    }

    /// Sends `request` and reads the answer's body (up to the cap). Any HTTP status is an
    /// answer; errors are about getting one.
    #[tracing::instrument(level = "debug", skip_all, fields(method = %request.method, host = request.url.host_str().unwrap_or_default()))]
    pub async fn send(&self, request: Request) -> Result<Response, OutboundError> {
        let url = request.url;
        self.check_target(&url)?;
        let mut builder = self
            .client
            .request(request.method.clone(), url.clone())
            .headers(request.headers);
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let mut response = builder
            .send()
            .await
            .map_err(|e| error::classify(&url, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let final_url = response.url().clone();
        if status == StatusCode::NOT_MODIFIED || request.method == Method::HEAD {
            return Ok(Response {
                status,
                headers,
                url: final_url,
                body: Vec::new(),
            });
        }
        let limit = self.max_body_bytes;
        let too_large = || OutboundError::TooLarge {
            url: url.clone(),
            limit,
        };
        // Refuse early when the server announces the size (absent when reqwest decompresses).
        let announced = response.content_length().unwrap_or(0);
        if announced > limit as u64 {
            return Err(too_large());
        }
        // The cap is applied chunk by chunk, so an endless body costs at most `limit` bytes.
        let mut body = Vec::with_capacity(announced as usize);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| error::classify(&url, &e))?
        {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            headers,
            url: final_url,
            body,
        })
    }

    /// What can be refused before any connection: the scheme, and IP literals (which never
    /// reach the resolver).
    fn check_target(&self, url: &Url) -> Result<(), OutboundError> {
        let invalid = |reason: &str| OutboundError::InvalidUrl {
            url: url.to_string(),
            reason: reason.to_owned(),
        };
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(invalid(
                "only http and https URLs with a host can be fetched",
            ));
        }
        if self.allow_private_targets {
            return Ok(());
        }
        if self.https_only && url.scheme() != "https" {
            return Err(invalid("only https URLs are allowed"));
        }
        guard::check_literal(url).map_err(|blocked| OutboundError::Blocked {
            url: url.clone(),
            reason: blocked.0,
        })
    }
}

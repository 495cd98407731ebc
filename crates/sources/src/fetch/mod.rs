//! Getting one document over HTTP: the one door through which vendorwatch reads status pages.
//!
//! A [`Fetcher`] holds the policy (timeouts, body cap, private targets, redirects, the
//! User-Agent) so that no call site can forget it. Requests are conditional on the validators
//! the caller kept from the previous read.

mod error;
mod guard;
mod headers;

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::StatusCode;
use url::Url;

pub use error::FetchError;
pub use headers::Validators;

/// Names us and where to complain, as polite crawlers do.
pub const USER_AGENT: &str = concat!(
    "vendorwatch/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/vendorwatch/vendorwatch)"
);

/// How a [`Fetcher`] behaves. `Default` is the production policy.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Allow targets on loopback, private, link-local and other non-public addresses. Off in
    /// production (users choose the URLs); on for tests and local development.
    pub allow_private_targets: bool,
    pub connect_timeout: Duration,
    /// The whole exchange, body included.
    pub timeout: Duration,
    /// The largest body accepted, counted after decompression so that a small gzip bomb
    /// cannot expand past it. GCP's incidents.json, the largest document we poll, is ~1.3 MB.
    pub max_body_bytes: usize,
    /// Names answered with a fixed address instead of DNS. These skip the private-target
    /// check: an operator who pins a name has chosen its target. Tests use it to stand a
    /// "public" host in front of a local server.
    pub pinned_hosts: Vec<(String, SocketAddr)>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            allow_private_targets: false,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
            max_body_bytes: 8 * 1024 * 1024,
            pinned_hosts: Vec::new(),
        }
    }
}

/// The answer to a conditional GET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: the document has not changed since the validators were issued. No body.
    NotModified,
    Fresh(Document),
}

/// A document as served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where the document was finally served from, after redirects.
    pub url: Url,
    pub body: Vec<u8>,
    /// To send with the next request for the same URL.
    pub validators: Validators,
}

/// An HTTP client for status pages. Cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    allow_private_targets: bool,
    max_body_bytes: usize,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(guard::redirect_policy(config.allow_private_targets))
            // A proxy would resolve names itself, out of our resolver's sight.
            .no_proxy();
        if !config.allow_private_targets {
            builder = builder.dns_resolver(guard::PublicOnlyResolver);
        }
        for (host, addr) in &config.pinned_hosts {
            builder = builder.resolve(host, *addr);
        }
        let client = builder
            .build()
            .map_err(|e| FetchError::Setup(error_chain(&e)))?;
        Ok(Fetcher {
            client,
            allow_private_targets: config.allow_private_targets,
            max_body_bytes: config.max_body_bytes,
        })
    }

    /// GETs `url`, conditional on `validators` (pass `Validators::default()` for none).
    #[tracing::instrument(level = "debug", skip_all, fields(url = %url))]
    pub async fn get(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(FetchError::InvalidUrl {
                url: url.to_string(),
                reason: "only http and https URLs with a host can be fetched".into(),
            });
        }
        // IP literals never reach the resolver, so they are checked here.
        if !self.allow_private_targets {
            guard::check_literal(url).map_err(|blocked| FetchError::Blocked {
                url: url.clone(),
                reason: blocked.0,
            })?;
        }
        let mut response = self
            .client
            .get(url.clone())
            .headers(validators.request_headers())
            .send()
            .await
            .map_err(|e| classify(url, &e))?;

        let status = response.status();
        if status == StatusCode::NOT_MODIFIED && !validators.is_empty() {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let retry_after = matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            )
            .then(|| headers::retry_after(response.headers(), chrono::Utc::now()))
            .flatten();
            return Err(FetchError::Status {
                url: url.clone(),
                status: status.as_u16(),
                retry_after,
            });
        }

        let limit = self.max_body_bytes;
        let too_large = || FetchError::TooLarge {
            url: url.clone(),
            limit,
        };
        // Refuse early when the server announces the size (absent when reqwest decompresses).
        let announced = response.content_length().unwrap_or(0);
        if announced > limit as u64 {
            return Err(too_large());
        }
        let final_url = response.url().clone();
        let new_validators = Validators::from_headers(response.headers());
        // The cap is applied chunk by chunk, so an endless body costs at most `limit` bytes.
        let mut body = Vec::with_capacity(announced as usize);
        while let Some(chunk) = response.chunk().await.map_err(|e| classify(url, &e))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched::Fresh(Document {
            url: final_url,
            body,
            validators: new_validators,
        }))
    }
}

/// Turns a reqwest error into ours. Our resolver's and redirect policy's refusals travel
/// inside reqwest's error chain; find them there.
fn classify(url: &Url, error: &reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(blocked) = e.downcast_ref::<guard::Blocked>() {
            return FetchError::Blocked {
                url: url.clone(),
                reason: blocked.0.clone(),
            };
        }
        source = e.source();
    }
    if error.is_timeout() {
        FetchError::Timeout { url: url.clone() }
    } else {
        FetchError::Unreachable {
            url: url.clone(),
            reason: error_chain(error),
        }
    }
}

/// The causes of `error`, outermost first, on one line. reqwest's own top message ("error
/// sending request for url …") repeats the URL, so only the causes are kept when there are any.
fn error_chain(error: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        causes.push(e.to_string());
        source = e.source();
    }
    if causes.is_empty() {
        error.to_string()
    } else {
        causes.join(": ")
    }
}

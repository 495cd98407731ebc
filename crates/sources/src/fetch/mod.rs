//! Getting one document of a status page over HTTP, conditionally: the validators of the
//! previous read make an unchanged document cost a 304 and no parsing. The connection itself
//! goes through the one outbound door (`vw-outbound`), whose policy a [`FetchConfig`] sets.

mod error;
mod headers;

use std::net::SocketAddr;
use std::time::Duration;

use url::Url;
use vw_outbound::{Client, Policy, Request, StatusCode};

pub use error::FetchError;
pub use headers::Validators;
pub use vw_outbound::USER_AGENT;

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
    client: Client,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        let policy = Policy {
            allow_private_targets: config.allow_private_targets,
            connect_timeout: config.connect_timeout,
            timeout: config.timeout,
            max_body_bytes: config.max_body_bytes,
            pinned_hosts: config.pinned_hosts,
            ..Policy::status_pages()
        };
        Ok(Fetcher {
            client: Client::new(policy)?,
        })
    }

    /// GETs `url`, conditional on `validators` (pass `Validators::default()` for none).
    #[tracing::instrument(level = "debug", skip_all, fields(url = %url))]
    pub async fn get(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        let request = Request::get(url.clone()).headers(headers::request_headers(validators));
        let response = self.client.send(request).await?;
        let status = response.status;
        if status == StatusCode::NOT_MODIFIED && !validators.is_empty() {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let retry_after = matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            )
            .then(|| vw_outbound::retry_after(&response.headers, chrono::Utc::now()))
            .flatten();
            return Err(FetchError::Status {
                url: url.clone(),
                status: status.as_u16(),
                retry_after,
            });
        }
        Ok(Fetched::Fresh(Document {
            url: response.url,
            validators: headers::from_headers(&response.headers),
            body: response.body,
        }))
    }
}

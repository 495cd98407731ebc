//! Reading a whole status page: fetching every document one poll needs, conditionally, and
//! merging them into one snapshot.
//!
//! Conditional reads: every endpoint is asked with the validators stored for it. When all of
//! them answer 304 the page is unchanged and nothing is parsed. When only some do, the merged
//! snapshot still needs their content, so those are fetched again unconditionally; that costs
//! a request only when something did change. How the documents become one snapshot: `merge`.

mod merge;
mod page;

use url::Url;
use vw_domain::{Platform, Snapshot};

use crate::fetch::{FetchError, Fetched, Fetcher, Validators};

pub use page::StatusPage;

/// The validators of each endpoint of a page, keyed by the endpoint's URL. The caller stores
/// them between polls.
pub use vw_domain::PageValidators;

/// What one read of a page found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// Every document answered 304: nothing changed since the validators were stored.
    Unchanged,
    Changed {
        snapshot: Snapshot,
        /// To store in place of the old ones. Endpoints that sent no validators are absent.
        validators: PageValidators,
    },
}

struct Endpoint {
    url: Url,
    required: bool,
    /// A Statuspage history feed read beside the API's summary: its entries are keyed by their
    /// API code, as the summary's are, rather than by the feed's own ids.
    keyed_by_api_code: bool,
}

impl Endpoint {
    fn required(url: Url) -> Endpoint {
        Endpoint {
            url,
            required: true,
            keyed_by_api_code: false,
        }
    }
}

/// Reads `page`, conditional on `known` validators.
///
/// Statuspage pages whose API is closed (401, 403 or 404 on one of its endpoints, or HTML where
/// JSON should be) are read from their history feed instead. When only the lists are closed
/// and the summary answers, the summary is kept (its components and open items) and the feed
/// stands in for the lists; only when the summary is closed too is the feed read alone.
#[tracing::instrument(skip_all, fields(platform = %page.platform, base = %page.base_url))]
pub async fn read(
    fetcher: &Fetcher,
    page: &StatusPage,
    known: &PageValidators,
) -> Result<Read, FetchError> {
    let endpoints = endpoints(page)?;
    let result = read_endpoints(fetcher, page.platform, &endpoints, known).await;
    match result {
        Err(e) if page.platform == Platform::Statuspage && api_closed(&e) => {
            let feed = match &page.feed_url {
                Some(feed) => feed.clone(),
                None => join(&page.base_url, "history.atom")?,
            };
            let summary = &endpoints[0].url;
            if failed_url(&e) != Some(summary) {
                tracing::info!(%feed, reason = %e, "Statuspage lists closed; reading the summary and the history feed");
                let both = [
                    Endpoint::required(summary.clone()),
                    Endpoint {
                        keyed_by_api_code: true,
                        ..Endpoint::required(feed.clone())
                    },
                ];
                match read_endpoints(fetcher, page.platform, &both, known).await {
                    Err(e) if api_closed(&e) => {}
                    other => return other,
                }
            }
            tracing::info!(%feed, reason = %e, "Statuspage API closed; reading the history feed");
            read_endpoints(fetcher, page.platform, &[Endpoint::required(feed)], known).await
        }
        other => other,
    }
}

fn endpoints(page: &StatusPage) -> Result<Vec<Endpoint>, FetchError> {
    page::endpoint_paths(page.platform)
        .iter()
        .map(|&(path, required)| {
            let url = match (&page.feed_url, path) {
                (Some(feed), "") => feed.clone(),
                (None, "") => page.base_url.clone(),
                (_, path) => join(&page.base_url, path)?,
            };
            Ok(Endpoint {
                url,
                required,
                keyed_by_api_code: false,
            })
        })
        .collect()
}

/// The URL whose fetch or read `error` is about, for the errors a read of endpoints returns.
fn failed_url(error: &FetchError) -> Option<&Url> {
    match error {
        FetchError::Status { url, .. }
        | FetchError::NotThisPlatform { url, .. }
        | FetchError::Malformed { url, .. }
        | FetchError::Unreachable { url, .. }
        | FetchError::Timeout { url }
        | FetchError::TooLarge { url, .. }
        | FetchError::Blocked { url, .. } => Some(url),
        _ => None,
    }
}

fn join(base: &Url, path: &str) -> Result<Url, FetchError> {
    base.join(path).map_err(|e| FetchError::InvalidUrl {
        url: format!("{base}{path}"),
        reason: e.to_string(),
    })
}

/// Whether `error` from a Statuspage API endpoint means the page serves no API to us (private
/// and audience-specific pages): it is gone, forbidden, or a login page. Server errors and
/// timeouts are not: those are retried, not routed around.
fn api_closed(error: &FetchError) -> bool {
    match error {
        FetchError::Status { status, .. } => matches!(status, 401 | 403 | 404),
        FetchError::NotThisPlatform { .. } => true,
        _ => false,
    }
}

async fn read_endpoints(
    fetcher: &Fetcher,
    platform: Platform,
    endpoints: &[Endpoint],
    known: &PageValidators,
) -> Result<Read, FetchError> {
    let mut skipped = Skipped(None);
    let requests = endpoints
        .iter()
        .map(|e| {
            let validators = known.get(e.url.as_str()).cloned().unwrap_or_default();
            (e.url.clone(), validators)
        })
        .collect();
    let answers = fetch_all(fetcher, requests).await;
    let mut answers = keep_readable(endpoints, answers, &mut skipped)?;
    if answers.iter().all(Option::is_none) {
        return Err(skipped.nothing_read(endpoints));
    }
    if answers
        .iter()
        .all(|a| matches!(a, Some(Fetched::NotModified) | None))
    {
        return Ok(Read::Unchanged);
    }

    // Something changed: fetch the unchanged ones again, unconditionally, to merge their content.
    let stale: Vec<usize> = (0..endpoints.len())
        .filter(|&i| matches!(answers[i], Some(Fetched::NotModified)))
        .collect();
    if !stale.is_empty() {
        let requests = stale
            .iter()
            .map(|&i| (endpoints[i].url.clone(), Validators::default()))
            .collect();
        let refetched = fetch_all(fetcher, requests).await;
        for (&i, answer) in stale.iter().zip(refetched) {
            let endpoint = &endpoints[i];
            answers[i] = match answer {
                Ok(fetched) => Some(fetched),
                Err(e) if endpoint.required => return Err(e),
                Err(e) => {
                    skipped.note(endpoint, e);
                    None
                }
            };
        }
    }

    let mut documents = Vec::new();
    let mut validators = PageValidators::new();
    for (endpoint, answer) in endpoints.iter().zip(answers) {
        let Some(Fetched::Fresh(document)) = answer else {
            continue;
        };
        match crate::parse(platform, &document.body) {
            Ok(mut snapshot) => {
                if endpoint.keyed_by_api_code {
                    merge::key_by_api_code(&mut snapshot);
                }
                documents.push(snapshot);
            }
            Err(e) => {
                let error = FetchError::parse(endpoint.url.clone(), e);
                if endpoint.required {
                    return Err(error);
                }
                skipped.note(endpoint, error);
                continue;
            }
        }
        if !document.validators.is_empty() {
            validators.insert(endpoint.url.to_string(), document.validators);
        }
    }
    if documents.is_empty() {
        return Err(skipped.nothing_read(endpoints));
    }
    Ok(Read::Changed {
        snapshot: merge::merge(platform, documents),
        validators,
    })
}

/// The first failure of an optional endpoint: what to report should no document at all be
/// read, since an empty snapshot would read as a page that lost everything.
struct Skipped(Option<FetchError>);

impl Skipped {
    fn note(&mut self, endpoint: &Endpoint, error: FetchError) {
        tracing::debug!(url = %endpoint.url, %error, "optional document skipped");
        self.0.get_or_insert(error);
    }

    fn nothing_read(self, endpoints: &[Endpoint]) -> FetchError {
        self.0.unwrap_or_else(|| FetchError::Unreachable {
            url: endpoints[0].url.clone(),
            reason: "no document could be read".into(),
        })
    }
}

/// The answers of required endpoints, or the first required failure; optional endpoints that
/// failed become `None`.
fn keep_readable(
    endpoints: &[Endpoint],
    answers: Vec<Result<Fetched, FetchError>>,
    skipped: &mut Skipped,
) -> Result<Vec<Option<Fetched>>, FetchError> {
    endpoints
        .iter()
        .zip(answers)
        .map(|(endpoint, answer)| match answer {
            Ok(fetched) => Ok(Some(fetched)),
            Err(e) if endpoint.required => Err(e),
            Err(e) => {
                skipped.note(endpoint, e);
                Ok(None)
            }
        })
        .collect()
}

/// Fetches every URL at once; the answers come back in the order asked.
async fn fetch_all(
    fetcher: &Fetcher,
    requests: Vec<(Url, Validators)>,
) -> Vec<Result<Fetched, FetchError>> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(url, validators)| {
            let fetcher = fetcher.clone();
            let task = tokio::spawn({
                let url = url.clone();
                async move { fetcher.get(&url, &validators).await }
            });
            (url, task)
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for (url, task) in tasks {
        answers.push(task.await.unwrap_or_else(|e| {
            Err(FetchError::Unreachable {
                url,
                reason: format!("the request task failed: {e}"),
            })
        }));
    }
    answers
}

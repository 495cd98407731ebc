//! Adding a provider by its status page's URL: the same page is the same provider however
//! its URL is written (the home page, an API endpoint, with or without `www.`), and a new one
//! is detected before it is stored, so that its first poll can read it at once.
//!
//! Detection fetches the page: callers run this off the web request's path (in a job or a
//! command), never while a user waits on a page.

use vw_domain::{ProviderSlug, StatusPageUrl};
use vw_sources::{FetchError, Fetcher};
use vw_store::PgPool;
use vw_store::providers::{self, Detected, Known};

/// Why a URL could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error(transparent)]
    Url(#[from] vw_domain::InvalidStatusPageUrl),
    /// Not a page vendorwatch can read (the error lists what was tried), or not reachable.
    #[error(transparent)]
    Detection(#[from] FetchError),
    /// Nothing in the address makes a slug (it has no ASCII letters or digits).
    #[error("cannot name a provider after {0}")]
    NoName(String),
    #[error(transparent)]
    Store(#[from] vw_store::StoreError),
}

/// A provider's slugs are tried with these suffixes before giving up.
const SLUG_ATTEMPTS: u32 = 20;

/// The provider that is the page at `url`: the one already known, or a new one.
pub async fn add_by_url(db: &PgPool, fetcher: &Fetcher, url: &str) -> Result<Known, AddError> {
    let page = StatusPageUrl::parse(url)?;
    if let Some(known) = providers::find_by_page(db, &page).await? {
        return Ok(known);
    }
    let address = url::Url::parse(page.as_str()).map_err(|e| FetchError::InvalidUrl {
        url: page.as_str().to_owned(),
        reason: e.to_string(),
    })?;
    let found = vw_sources::detect::from_url(fetcher, &address).await?;
    // The URL given may be one of the page's documents: the page is known by its base.
    let page = StatusPageUrl::parse(found.base_url.as_str()).unwrap_or(page);
    if let Some(known) = providers::find_by_page(db, &page).await? {
        return Ok(known);
    }
    let host = found.base_url.host_str().unwrap_or_default().to_owned();
    // Named after the page's address (`status-example-com`); the catalog's names are nicer,
    // but a page added by URL tells nothing more until it is read.
    let base = ProviderSlug::from_text(page.canonical().trim_start_matches("https://"))
        .ok_or_else(|| AddError::NoName(page.as_str().to_owned()))?;
    for n in 1..=SLUG_ATTEMPTS {
        let slug = if n == 1 {
            base.clone()
        } else {
            base.numbered(n)
        };
        let detected = Detected {
            slug: &slug,
            name: &host,
            page: &page,
            platform: found.platform,
            base_url: &found.base_url,
            feed_url: found.feed_url.as_ref(),
        };
        if let Some(added) = providers::insert_detected(db, detected).await? {
            tracing::info!(slug = %added.slug, platform = %found.platform, "provider added");
            return Ok(added);
        }
        // Taken meanwhile: by this very page (another request added it), or a slug clash.
        if let Some(known) = providers::find_by_page(db, &page).await? {
            return Ok(known);
        }
    }
    Err(AddError::Store(vw_store::StoreError::Duplicate(
        "providers_slug_key".into(),
    )))
}

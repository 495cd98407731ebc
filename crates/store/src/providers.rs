//! Providers added by URL rather than from the catalog: found by their canonical URL, or
//! written with what detection found about them.

use sqlx::PgExecutor;
use url::Url;
use vw_domain::{Platform, ProviderId, ProviderSlug, StatusPageUrl};

use crate::StoreError;

/// A provider as a caller that added it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub id: ProviderId,
    pub slug: String,
}

/// The provider that is this page, whatever way its URL was written.
pub async fn find_by_page(
    db: impl PgExecutor<'_>,
    url: &StatusPageUrl,
) -> Result<Option<Known>, StoreError> {
    let row = sqlx::query!(
        "SELECT id, slug FROM providers WHERE canonical_url = $1",
        url.canonical()
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Known {
        id: ProviderId(r.id),
        slug: r.slug,
    }))
}

/// A detected page, ready to be polled.
pub struct Detected<'a> {
    pub slug: &'a ProviderSlug,
    pub name: &'a str,
    pub page: &'a StatusPageUrl,
    pub platform: Platform,
    pub base_url: &'a Url,
    pub feed_url: Option<&'a Url>,
}

/// Writes the provider, due for its first poll now. `None` when its slug or its page was
/// taken meanwhile (the caller looks again or tries another slug); never an error that would
/// abort the caller's transaction.
pub async fn insert_detected(
    db: impl PgExecutor<'_>,
    new: Detected<'_>,
) -> Result<Option<Known>, StoreError> {
    let id = sqlx::query_scalar!(
        "WITH provider AS (
             INSERT INTO providers (id, slug, name, status_url, canonical_url, platform,
                                    base_url, feed_url)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT DO NOTHING
             RETURNING id
         )
         INSERT INTO poll_state (provider_id, next_poll_at)
         SELECT id, now() FROM provider
         RETURNING provider_id",
        ProviderId::new().0,
        new.slug.as_str(),
        new.name,
        new.page.as_str(),
        new.page.canonical(),
        new.platform.as_str(),
        new.base_url.as_str(),
        new.feed_url.map(Url::as_str),
    )
    .fetch_optional(db)
    .await?;
    Ok(id.map(|id| Known {
        id: ProviderId(id),
        slug: new.slug.to_string(),
    }))
}

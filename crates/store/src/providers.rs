//! Providers added by URL rather than from the catalog: found by their canonical URL, or
//! written with what detection found about them.

use sqlx::PgExecutor;
use uuid::Uuid;
use vw_domain::{Platform, ProviderSlug, StatusPageUrl};

use crate::StoreError;

/// A provider as a caller that added it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub id: Uuid,
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
        id: r.id,
        slug: r.slug,
    }))
}

/// A detected page, ready to be polled.
pub struct Detected<'a> {
    pub slug: &'a ProviderSlug,
    pub name: &'a str,
    pub page: &'a StatusPageUrl,
    pub platform: Platform,
    pub base_url: &'a str,
    pub feed_url: Option<&'a str>,
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
        Uuid::now_v7(),
        new.slug.as_str(),
        new.name,
        new.page.as_str(),
        new.page.canonical(),
        new.platform.as_str(),
        new.base_url,
        new.feed_url,
    )
    .fetch_optional(db)
    .await?;
    Ok(id.map(|id| Known {
        id,
        slug: new.slug.to_string(),
    }))
}

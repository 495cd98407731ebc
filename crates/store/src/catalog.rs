//! The provider catalog: providers written by slug, each with its `poll_state` row; and what
//! the shipped catalog last said (`shipped`), so that a new one updates only what nobody
//! changed since.

mod shipped;

use std::time::Duration;

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;
use vw_domain::{Platform, ProviderId, ProviderSlug, StatusPageUrl};

use crate::StoreError;

pub use shipped::{last_shipped_hash, record_shipped_catalog, upsert_shipped};

/// A provider as a catalog lists it, checked by the domain.
pub type Listing = vw_domain::CatalogEntry;

/// What [`upsert`] or [`upsert_shipped`] did with a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upserted {
    Added,
    Updated,
    Unchanged,
    /// [`upsert_shipped`] only: the provider no longer agrees with what the shipped catalog
    /// last said for it (an operator changed it), so the listing was not written.
    Kept,
    /// Another provider, of this slug, already is that page (same canonical URL): one page is
    /// one provider, so the listing was not written.
    PageTaken {
        by: String,
    },
}

/// Any key no other code locks (`vw_cat` in ASCII).
const CATALOG_LOCK: i64 = 0x0000_7677_5f63_6174;

/// Makes catalog imports run one at a time until the transaction ends, so that replicas
/// starting together do not import the same catalog twice over.
pub async fn lock_for_import(db: impl PgExecutor<'_>) -> Result<(), StoreError> {
    sqlx::query!(
        r#"SELECT 1 AS "locked!" FROM pg_advisory_xact_lock($1)"#,
        CATALOG_LOCK
    )
    .fetch_one(db)
    .await?;
    Ok(())
}

/// Writes `listing` under its slug and says what changed. Run it in a transaction (it reads
/// before it writes); the caller commits.
///
/// A new provider gets its `poll_state` row, due at a random moment within `spread` from now,
/// so that a thousand new providers are not all due at once.
///
/// The platform: a page the poller has detected (it stored a base URL) keeps what detection
/// found, whatever the listing says, because detection read the page; otherwise the listing's
/// platform is taken, and a listing without one keeps the stored one. A listing that moves
/// the provider to another page (another canonical URL) starts it afresh: platform as listed,
/// no detection, no snapshot or validators, not the same page as any other (nor any other as
/// it), and a poll in flight loses its lease so that it cannot write the old page's state over
/// the new one's.
pub async fn upsert(
    db: &mut PgConnection,
    listing: &Listing,
    spread: Duration,
) -> Result<Upserted, StoreError> {
    let Some(stored) = lock(&mut *db, &listing.slug).await? else {
        return insert(db, listing, spread).await;
    };
    if stored.in_catalog && stored.agrees_with(&Says::from(listing)) {
        return Ok(Upserted::Unchanged);
    }
    update(db, &stored, listing).await
}

/// A provider's description as the catalog writes it.
struct Stored {
    id: Uuid,
    name: String,
    homepage: Option<String>,
    status_url: String,
    canonical_url: String,
    platform: Option<String>,
    base_url: Option<String>,
    in_catalog: bool,
}

/// What a catalog says about a provider, as text: a listing, or what the shipped catalog last
/// said.
struct Says<'a> {
    name: &'a str,
    homepage: Option<&'a str>,
    status_url: &'a str,
    canonical_url: &'a str,
    platform: Option<&'a str>,
}

impl<'a> From<&'a Listing> for Says<'a> {
    fn from(listing: &'a Listing) -> Self {
        Says {
            name: &listing.name,
            homepage: listing.homepage.as_deref(),
            status_url: listing.status_url.as_str(),
            canonical_url: listing.status_url.canonical(),
            platform: listing.platform.map(Platform::as_str),
        }
    }
}

impl Stored {
    fn same_page(&self, says: &Says<'_>) -> bool {
        self.canonical_url == says.canonical_url
    }

    /// The platform once `says` is written (see [`upsert`]).
    fn platform_after<'a>(&'a self, says: &Says<'a>) -> Option<&'a str> {
        if !self.same_page(says) {
            says.platform
        } else if self.base_url.is_some() {
            self.platform.as_deref()
        } else {
            says.platform.or(self.platform.as_deref())
        }
    }

    /// Whether writing `says` would leave the provider's description as it is: what the poller
    /// found out since (a detected platform) does not count as a difference.
    fn agrees_with(&self, says: &Says<'_>) -> bool {
        self.name == says.name
            && self.homepage.as_deref() == says.homepage
            && self.status_url == says.status_url
            && self.same_page(says)
            && self.platform.as_deref() == self.platform_after(says)
    }
}

/// The provider of this slug, locked until the transaction ends.
async fn lock(db: impl PgExecutor<'_>, slug: &ProviderSlug) -> Result<Option<Stored>, StoreError> {
    Ok(sqlx::query_as!(
        Stored,
        "SELECT id, name, homepage, status_url, canonical_url, platform, base_url, in_catalog
         FROM providers WHERE slug = $1 FOR UPDATE",
        slug.as_str()
    )
    .fetch_optional(db)
    .await?)
}

/// Writes `listing` over `stored`.
async fn update(
    db: &mut PgConnection,
    stored: &Stored,
    listing: &Listing,
) -> Result<Upserted, StoreError> {
    let says = Says::from(listing);
    let same_page = stored.same_page(&says);
    let platform = stored.platform_after(&says);
    if !same_page && let Some(by) = owner_of_page(&mut *db, &listing.status_url).await? {
        return Ok(Upserted::PageTaken { by });
    }
    sqlx::query!(
        "UPDATE providers
         SET name = $2, homepage = $3, status_url = $4, canonical_url = $5, platform = $6,
             base_url = CASE WHEN $7 THEN base_url END,
             feed_url = CASE WHEN $7 THEN feed_url END,
             statuspage_page_id = CASE WHEN $7 THEN statuspage_page_id END,
             same_as = CASE WHEN $7 THEN same_as END,
             in_catalog = true, updated_at = now()
         WHERE id = $1",
        stored.id,
        listing.name,
        listing.homepage,
        listing.status_url.as_str(),
        listing.status_url.canonical(),
        platform,
        same_page,
    )
    .execute(&mut *db)
    .await?;
    if !same_page {
        // Those that were the same page as the old one are not that of the new one: polled
        // again, each finds out afresh.
        sqlx::query!(
            "UPDATE providers SET same_as = NULL, updated_at = now() WHERE same_as = $1",
            stored.id
        )
        .execute(&mut *db)
        .await?;
        sqlx::query!(
            "UPDATE poll_state
             SET snapshot = NULL, validators = '{}', lease_id = NULL, lease_until = NULL,
                 failures = 0, failing_since = NULL, last_error_kind = NULL, last_error = NULL,
                 unreachable = false
             WHERE provider_id = $1",
            stored.id
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(Upserted::Updated)
}

async fn insert(
    db: &mut PgConnection,
    listing: &Listing,
    spread: Duration,
) -> Result<Upserted, StoreError> {
    // ON CONFLICT DO NOTHING: a page already taken is an answer, not an error that would
    // abort the caller's transaction.
    let inserted = sqlx::query_scalar!(
        "WITH provider AS (
             INSERT INTO providers
                 (id, slug, name, homepage, status_url, canonical_url, platform, in_catalog)
             VALUES ($1, $2, $3, $4, $5, $6, $7, true)
             ON CONFLICT DO NOTHING
             RETURNING id
         )
         INSERT INTO poll_state (provider_id, next_poll_at)
         SELECT id, now() + make_interval(secs => $8 * random()) FROM provider
         RETURNING provider_id",
        ProviderId::new().0,
        listing.slug.as_str(),
        listing.name,
        listing.homepage,
        listing.status_url.as_str(),
        listing.status_url.canonical(),
        listing.platform.map(Platform::as_str),
        spread.as_secs_f64(),
    )
    .fetch_optional(&mut *db)
    .await?;
    if inserted.is_some() {
        return Ok(Upserted::Added);
    }
    match owner_of_page(&mut *db, &listing.status_url).await? {
        Some(by) => Ok(Upserted::PageTaken { by }),
        // The slug was taken since it was read: only a concurrent writer outside the import
        // lock can do that.
        None => Err(StoreError::Duplicate("providers_slug_key".to_owned())),
    }
}

/// The slug of the provider that is already this page, if any.
async fn owner_of_page(
    db: impl PgExecutor<'_>,
    url: &StatusPageUrl,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar!(
        "SELECT slug FROM providers WHERE canonical_url = $1",
        url.canonical()
    )
    .fetch_optional(db)
    .await?)
}

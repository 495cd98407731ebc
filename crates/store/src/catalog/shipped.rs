//! The shipped catalog's own bookkeeping: the hash of the file last imported at start-up
//! (`shipped_catalog`), and what it said for each provider (`shipped_listings`), so that a
//! new shipped catalog adds its new entries and updates the others only where nobody changed
//! them locally since.

use std::time::Duration;

use sqlx::{PgConnection, PgExecutor};
use vw_domain::{Platform, ProviderSlug};

use super::{Listing, Says, Stored, Upserted, insert, lock, update};
use crate::StoreError;

/// The content hash of the shipped catalog last imported, if one ever was.
pub async fn last_shipped_hash(db: impl PgExecutor<'_>) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar!("SELECT content_hash FROM shipped_catalog")
            .fetch_optional(db)
            .await?,
    )
}

/// Remembers that the shipped catalog of this hash (of `entries` entries) has been imported.
pub async fn record_shipped_catalog(
    db: impl PgExecutor<'_>,
    content_hash: &str,
    entries: usize,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO shipped_catalog (singleton, content_hash, entries, imported_at)
         VALUES (true, $1, $2, now())
         ON CONFLICT (singleton) DO UPDATE
         SET content_hash = excluded.content_hash, entries = excluded.entries,
             imported_at = excluded.imported_at",
        content_hash,
        i32::try_from(entries).unwrap_or(i32::MAX),
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Writes a listing of the shipped catalog, as [`super::upsert`] does, unless an operator
/// changed the provider: a provider that agrees neither with the listing nor with what the
/// shipped catalog last said for it (or that the shipped catalog never wrote) is
/// [`Upserted::Kept`] as it is. What the listing says is remembered for the next shipped
/// catalog whenever the provider ends up agreeing with it.
pub async fn upsert_shipped(
    db: &mut PgConnection,
    listing: &Listing,
    spread: Duration,
) -> Result<Upserted, StoreError> {
    let upserted = match lock(&mut *db, &listing.slug).await? {
        None => insert(db, listing, spread).await?,
        Some(stored) => {
            let agrees = stored.agrees_with(&Says::from(listing));
            if agrees && stored.in_catalog {
                Upserted::Unchanged
            } else if agrees || unchanged_locally(db, &stored).await? {
                update(db, &stored, listing).await?
            } else {
                return Ok(Upserted::Kept);
            }
        }
    };
    if !matches!(upserted, Upserted::PageTaken { .. }) {
        remember(&mut *db, &listing.slug, listing).await?;
    }
    Ok(upserted)
}

/// Whether the provider still agrees with what the shipped catalog last said for it.
async fn unchanged_locally(db: &mut PgConnection, stored: &Stored) -> Result<bool, StoreError> {
    let said = sqlx::query!(
        "SELECT name, homepage, status_url, canonical_url, platform
         FROM shipped_listings WHERE provider_id = $1",
        stored.id
    )
    .fetch_optional(db)
    .await?;
    Ok(said.is_some_and(|said| {
        stored.agrees_with(&Says {
            name: &said.name,
            homepage: said.homepage.as_deref(),
            status_url: &said.status_url,
            canonical_url: &said.canonical_url,
            platform: said.platform.as_deref(),
        })
    }))
}

/// Records `listing` as what the shipped catalog says for the provider of `slug`.
async fn remember(
    db: impl PgExecutor<'_>,
    slug: &ProviderSlug,
    listing: &Listing,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO shipped_listings
             (provider_id, name, homepage, status_url, canonical_url, platform)
         SELECT id, $2, $3, $4, $5, $6 FROM providers WHERE slug = $1
         ON CONFLICT (provider_id) DO UPDATE
         SET name = excluded.name, homepage = excluded.homepage,
             status_url = excluded.status_url, canonical_url = excluded.canonical_url,
             platform = excluded.platform",
        slug.as_str(),
        listing.name,
        listing.homepage,
        listing.status_url.as_str(),
        listing.status_url.canonical(),
        listing.platform.map(Platform::as_str),
    )
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn stored(platform: Option<&str>, base_url: Option<&str>) -> Stored {
        Stored {
            id: Uuid::nil(),
            name: "Acme".into(),
            homepage: None,
            status_url: "https://status.acme.test".into(),
            canonical_url: "https://status.acme.test".into(),
            platform: platform.map(str::to_owned),
            base_url: base_url.map(str::to_owned),
            in_catalog: true,
        }
    }

    fn says(name: &'static str, platform: Option<&'static str>) -> Says<'static> {
        Says {
            name,
            homepage: None,
            status_url: "https://status.acme.test",
            canonical_url: "https://status.acme.test",
            platform,
        }
    }

    #[test]
    fn what_the_poller_found_is_no_local_change() {
        // Listed without a platform, detected since: still what the catalog said.
        let detected = stored(Some("statuspage"), Some("https://status.acme.test/"));
        assert!(detected.agrees_with(&says("Acme", None)));
        assert!(detected.agrees_with(&says("Acme", Some("instatus"))));
        // Not detected: a platform someone listed is a difference, a listing without one is
        // not (it would keep the stored one).
        let listed = stored(Some("statuspage"), None);
        assert!(listed.agrees_with(&says("Acme", None)));
        assert!(listed.agrees_with(&says("Acme", Some("statuspage"))));
        assert!(!listed.agrees_with(&says("Acme", Some("instatus"))));
        assert!(!listed.agrees_with(&says("Acme Cloud", Some("statuspage"))));
    }
}

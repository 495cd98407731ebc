//! Same page, two addresses: providers whose reads give one Statuspage page id are one page
//! (a vendor at `<id>.statuspage.io` and at its own domain). The one that came first (created
//! first) holds the id and is polled; the others point at it (`same_as`), are not polled
//! themselves, are not listed, and their monitors show its state.

use sqlx::PgConnection;
use uuid::Uuid;
use vw_domain::ProviderId;

use crate::StoreError;

/// What a provider is once a read gave it a Statuspage page id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SamePage {
    /// It holds the page id: what it read is its state. `took_over` names the providers that
    /// held it before and came after this one: they, and those that pointed at them, now
    /// point at this one.
    Own { took_over: Vec<String> },
    /// A provider that came first is the same page: this one (and any that pointed at it) now
    /// points at that one, and writes nothing of what it read.
    SameAs { first: ProviderId, slug: String },
}

/// The class of the two-key advisory locks on page ids (`vwsp` in ASCII): no other code
/// locks with it.
const PAGE_LOCK: i32 = 0x7677_7370;

/// Records that `provider` read the Statuspage page `page_id`, and settles which provider
/// holds it. Run it in the poll's transaction: it locks the page id until the transaction
/// ends, so that two providers reading the same page at once settle it one after the other.
pub async fn settle(
    db: &mut PgConnection,
    provider: ProviderId,
    page_id: &str,
) -> Result<SamePage, StoreError> {
    sqlx::query!(
        r#"SELECT 1 AS "locked!" FROM pg_advisory_xact_lock($1, hashtext($2))"#,
        PAGE_LOCK,
        page_id
    )
    .fetch_one(&mut *db)
    .await?;
    let holder = sqlx::query!(
        "SELECT id, slug, created_at FROM providers WHERE statuspage_page_id = $1 AND id <> $2",
        page_id,
        provider.0
    )
    .fetch_optional(&mut *db)
    .await?;
    let this = sqlx::query!("SELECT created_at FROM providers WHERE id = $1", provider.0)
        .fetch_one(&mut *db)
        .await?;

    let mut took_over = Vec::new();
    if let Some(holder) = holder {
        if (holder.created_at, holder.id) < (this.created_at, provider.0) {
            point_at(db, provider.0, holder.id).await?;
            return Ok(SamePage::SameAs {
                first: ProviderId(holder.id),
                slug: holder.slug,
            });
        }
        took_over = point_at(db, holder.id, provider.0).await?;
    }
    // After the holder let go of the id: it is unique.
    sqlx::query!(
        "UPDATE providers SET statuspage_page_id = $2, same_as = NULL, updated_at = now()
         WHERE id = $1 AND (statuspage_page_id IS DISTINCT FROM $2 OR same_as IS NOT NULL)",
        provider.0,
        page_id
    )
    .execute(&mut *db)
    .await?;
    Ok(SamePage::Own { took_over })
}

/// Makes `later`, and every provider that pointed at it, point at `first` (one hop: none
/// points at a provider that points elsewhere). Returns their slugs.
async fn point_at(
    db: &mut PgConnection,
    later: Uuid,
    first: Uuid,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar!(
        "UPDATE providers SET same_as = $2, statuspage_page_id = NULL, updated_at = now()
         WHERE (id = $1 OR same_as = $1) AND id <> $2
         RETURNING slug",
        later,
        first
    )
    .fetch_all(db)
    .await?)
}

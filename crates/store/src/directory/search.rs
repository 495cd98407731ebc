//! Finding providers by name: trigram search over `providers_name_trgm_idx`.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;
use vw_domain::{ComponentStatus, ProviderId};

use super::parse;
use crate::StoreError;

/// A provider as the directory lists it.
#[derive(Debug, Clone)]
pub struct ProviderSummary {
    pub id: ProviderId,
    pub slug: String,
    pub name: String,
    /// The worst status among its components; `None` before the first read, or when the
    /// page gives no component statuses.
    pub status: Option<ComponentStatus>,
    pub open_incidents: i64,
    pub last_checked_at: Option<DateTime<Utc>>,
    /// Since when vendorwatch cannot read its page, while it cannot.
    pub unreachable_since: Option<DateTime<Utc>>,
}

struct SummaryRow {
    id: Uuid,
    slug: String,
    name: String,
    statuses: Vec<String>,
    open_incidents: i64,
    last_checked_at: Option<DateTime<Utc>>,
    unreachable: Option<bool>,
    failing_since: Option<DateTime<Utc>>,
}

/// Providers whose name contains `query` or resembles it (trigram similarity, so that a typo
/// still finds it), or whose page's address contains it, closest first; every provider by name
/// when `query` is blank. At most `limit`, after skipping `offset`. A provider that is the same
/// page as another (`same_as`) is not listed: that one is, once.
#[tracing::instrument(skip(db))]
pub async fn search(
    db: impl PgExecutor<'_>,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ProviderSummary>, StoreError> {
    let query = query.trim().to_lowercase();
    // A blank query matches every name (LIKE '%%') and ranks them all alike, so that the
    // order falls to the name.
    let contains = format!("%{}%", escape_like(&query));
    let prefix = format!("{}%", escape_like(&query));
    // `%` (similarity) and `<%` (word similarity: the query against the best-matching part of
    // a longer name) and LIKE all use providers_name_trgm_idx.
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT p.id, p.slug, p.name,
               ARRAY(SELECT DISTINCT c.status FROM components c
                     WHERE c.provider_id = p.id AND c.status IS NOT NULL) AS "statuses!",
               (SELECT count(*) FROM incidents i WHERE i.provider_id = p.id AND i.open)
                   AS "open_incidents!",
               s.last_checked_at AS "last_checked_at?", s.unreachable AS "unreachable?",
               s.failing_since AS "failing_since?"
           FROM providers p LEFT JOIN poll_state s ON s.provider_id = p.id
           WHERE p.same_as IS NULL
             AND (lower(p.name) LIKE $1 OR lower(p.name) % $3 OR $3 <% lower(p.name)
                  OR p.canonical_url LIKE $1)
           ORDER BY lower(p.name) LIKE $2 DESC, lower(p.name) LIKE $1 DESC,
                    word_similarity($3, lower(p.name)) DESC, lower(p.name), p.id
           LIMIT $4 OFFSET $5"#,
        contains,
        prefix,
        query,
        limit,
        offset,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(summary).collect()
}

/// Providers whose name contains `query` (or resembles it, or whose page's address contains
/// it) by name, in pages: after the provider named `after` (its lower-case name and slug), at
/// most `limit`. Unlike [`search`], the order is one that inserts cannot shift, for the API.
#[tracing::instrument(skip(db))]
pub async fn by_name(
    db: impl PgExecutor<'_>,
    query: &str,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<ProviderSummary>, StoreError> {
    let query = query.trim().to_lowercase();
    let contains = format!("%{}%", escape_like(&query));
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT p.id, p.slug, p.name,
               ARRAY(SELECT DISTINCT c.status FROM components c
                     WHERE c.provider_id = p.id AND c.status IS NOT NULL) AS "statuses!",
               (SELECT count(*) FROM incidents i WHERE i.provider_id = p.id AND i.open)
                   AS "open_incidents!",
               s.last_checked_at AS "last_checked_at?", s.unreachable AS "unreachable?",
               s.failing_since AS "failing_since?"
           FROM providers p LEFT JOIN poll_state s ON s.provider_id = p.id
           WHERE p.same_as IS NULL
             AND ($2 = '' OR lower(p.name) LIKE $1 OR lower(p.name) % $2 OR $2 <% lower(p.name)
                  OR p.canonical_url LIKE $1)
             AND ($3::text IS NULL OR (lower(p.name), p.slug) > ($3, $4::text))
           ORDER BY lower(p.name), p.slug
           LIMIT $5"#,
        contains,
        query,
        after.map(|(name, _)| name),
        after.map(|(_, slug)| slug),
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(summary).collect()
}

fn summary(row: SummaryRow) -> Result<ProviderSummary, StoreError> {
    let mut status = None;
    for word in &row.statuses {
        status = status.max(Some(parse(word, ComponentStatus::parse)?));
    }
    Ok(ProviderSummary {
        id: ProviderId(row.id),
        slug: row.slug,
        name: row.name,
        status,
        open_incidents: row.open_incidents,
        last_checked_at: row.last_checked_at,
        unreachable_since: row
            .failing_since
            .filter(|_| row.unreachable.unwrap_or(false)),
    })
}

/// LIKE treats `%`, `_` and `\` specially; a search for "50%" means the characters.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_are_searched_for_literally() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("github"), "github");
    }
}

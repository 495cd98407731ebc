//! The poller's bookkeeping (`poll_state`): which providers are due, who holds a poll of one
//! (a lease), and what each poll found — unchanged, changed, or failing.
//!
//! A poll is claimed with a lease that is written in the same statement as the claim. Every
//! write of the poll's result names its lease and changes nothing if the lease has moved on
//! (it expired and another worker claimed the provider), so a late or duplicated poll can
//! never write twice.

use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use sqlx::PgExecutor;
use url::Url;
use vw_domain::{LeaseId, PageValidators, Platform, PollFailure, ProviderId, StatusPageUrl};

use crate::StoreError;

/// A provider claimed for one poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub provider_id: ProviderId,
    pub lease_id: LeaseId,
    /// When the poll was due: lag is measured from here, and the next poll is planned from it.
    pub due_at: DateTime<Utc>,
}

/// Claims up to `limit` providers due at `now` whose previous lease (if any) has ended,
/// oldest due first, skipping rows another scheduler is claiming at the same moment. A
/// provider that is the same page as another (`same_as`) is never claimed: that one is
/// polled for both.
pub async fn claim_due(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    limit: i64,
    lease_until: DateTime<Utc>,
) -> Result<Vec<Claim>, StoreError> {
    let rows = sqlx::query!(
        r#"WITH due AS (
               SELECT provider_id FROM poll_state s
               WHERE next_poll_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
                 AND NOT EXISTS (SELECT 1 FROM providers p
                                 WHERE p.id = s.provider_id AND p.same_as IS NOT NULL)
               ORDER BY next_poll_at
               LIMIT $2
               FOR UPDATE SKIP LOCKED
           )
           UPDATE poll_state p
           SET lease_id = gen_random_uuid(), lease_until = $3
           FROM due WHERE p.provider_id = due.provider_id
           RETURNING p.provider_id, p.lease_id AS "lease_id!", p.next_poll_at"#,
        now,
        limit,
        lease_until
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Claim {
            provider_id: ProviderId(r.provider_id),
            lease_id: LeaseId(r.lease_id),
            due_at: r.next_poll_at,
        })
        .collect())
}

/// What a poll needs to know about its provider, read into domain values.
#[derive(Debug, Clone)]
pub struct Target {
    pub provider_id: ProviderId,
    pub slug: String,
    pub status_url: StatusPageUrl,
    /// Known from the catalog or an earlier detection; `None` until the page is detected.
    pub platform: Option<Platform>,
    /// Where the page's documents hang from, when detection found it elsewhere than the page.
    pub base_url: Option<Url>,
    pub feed_url: Option<Url>,
    /// One per document, from the previous read.
    pub validators: PageValidators,
    /// Failed polls in a row so far.
    pub failures: i32,
    /// Whether an active monitor watches it, or a provider that is the same page as it: it
    /// then gets the short interval.
    pub watched: bool,
}

/// Pulls in due times that lie further out than the intervals in force: a provider that an
/// active monitor watches (itself, or a provider that is the same page as it) is due within
/// `watched` of `now`, any other within `idle`. Those further out are spread over the
/// interval from `now` (so that the pull-in is no burst). Returns how many moved. Run at
/// start-up, so that shortened intervals apply at once.
pub async fn pull_in(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    watched: std::time::Duration,
    idle: std::time::Duration,
) -> Result<u64, StoreError> {
    let (watched, idle) = (watched.as_secs_f64(), idle.as_secs_f64());
    let done = sqlx::query!(
        "WITH far AS (
             SELECT s.provider_id,
                    CASE WHEN EXISTS (SELECT 1 FROM monitors m
                                      WHERE NOT m.paused
                                        AND (m.provider_id = s.provider_id
                                             OR m.provider_id IN (SELECT a.id FROM providers a
                                                                  WHERE a.same_as = s.provider_id)))
                         THEN $2::float8 ELSE $3::float8 END AS interval_secs
             FROM poll_state s
             WHERE s.next_poll_at > $1::timestamptz + make_interval(secs => least($2, $3))
         )
         UPDATE poll_state s
         SET next_poll_at = $1::timestamptz + make_interval(secs => far.interval_secs * random())
         FROM far
         WHERE s.provider_id = far.provider_id
           AND s.next_poll_at > $1::timestamptz + make_interval(secs => far.interval_secs)",
        now,
        watched,
        idle
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Makes the provider due at `now` (a monitor started watching it: its first poll should
/// come within seconds); for a provider that is the same page as another, that one, which is
/// polled for both. A poll in flight keeps its lease; the next claim follows it.
pub async fn due_now(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE poll_state SET next_poll_at = $2
         WHERE provider_id = (SELECT coalesce(same_as, id) FROM providers WHERE id = $1)
           AND next_poll_at > $2",
        provider.0,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The provider behind a claim, or `None` when the lease is no longer this poll's. A stored
/// value the domain cannot read (an unknown platform, a broken URL) is an error: the poll
/// must not guess around it.
pub async fn target(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    lease: LeaseId,
) -> Result<Option<Target>, StoreError> {
    let row = sqlx::query!(
        r#"SELECT p.id, p.slug, p.status_url, p.platform, p.base_url, p.feed_url,
                  s.validators, s.failures,
                  EXISTS (SELECT 1 FROM monitors m
                          WHERE NOT m.paused
                            AND (m.provider_id = p.id
                                 OR m.provider_id IN (SELECT a.id FROM providers a
                                                      WHERE a.same_as = p.id)))
                      AS "watched!"
           FROM providers p JOIN poll_state s ON s.provider_id = p.id
           WHERE p.id = $1 AND s.lease_id = $2"#,
        provider.0,
        lease.0
    )
    .fetch_optional(db)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let invalid = |what: &str, value: &str| {
        StoreError::Invalid(format!("provider {}: {what} {value:?}", r.slug))
    };
    let url = |value: Option<&String>, what: &str| {
        value
            .map(|v| Url::parse(v).map_err(|_| invalid(what, v)))
            .transpose()
    };
    Ok(Some(Target {
        provider_id: ProviderId(r.id),
        status_url: StatusPageUrl::parse(&r.status_url)
            .map_err(|_| invalid("status URL", &r.status_url))?,
        platform: r
            .platform
            .as_deref()
            .map(|p| p.parse::<Platform>().map_err(|_| invalid("platform", p)))
            .transpose()?,
        base_url: url(r.base_url.as_ref(), "base URL")?,
        feed_url: url(r.feed_url.as_ref(), "feed URL")?,
        validators: serde_json::from_value(r.validators.clone())
            .map_err(|e| invalid("validators", &e.to_string()))?,
        failures: r.failures,
        watched: r.watched,
        slug: r.slug,
    }))
}

/// Remembers where detection found the page's documents, so that later polls skip it.
pub async fn set_page(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    platform: Platform,
    base_url: &Url,
    feed_url: Option<&Url>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE providers SET platform = $2, base_url = $3, feed_url = $4, updated_at = now()
         WHERE id = $1",
        provider.0,
        platform.as_str(),
        base_url.as_str(),
        feed_url.map(Url::as_str)
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets where the page was read (the vendor moved platform), and which Statuspage page it
/// is: the next poll detects it, and finds out afresh whether it is the same page as another.
pub async fn forget_page(db: impl PgExecutor<'_>, provider: ProviderId) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE providers SET platform = NULL, base_url = NULL, feed_url = NULL,
                              statuspage_page_id = NULL, same_as = NULL, updated_at = now()
         WHERE id = $1",
        provider.0
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The state a changed read is compared with, locked for the rest of the transaction so that
/// two polls of one provider write one after the other.
#[derive(Debug, Clone)]
pub struct Locked {
    pub snapshot: Option<Json>,
    pub unreachable: bool,
    pub failing_since: Option<DateTime<Utc>>,
}

/// `None` when the lease is no longer this poll's: it must not write.
pub async fn lock(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    lease: LeaseId,
) -> Result<Option<Locked>, StoreError> {
    let row = sqlx::query!(
        "SELECT snapshot, unreachable, failing_since FROM poll_state
         WHERE provider_id = $1 AND lease_id = $2
         FOR UPDATE",
        provider.0,
        lease.0
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Locked {
        snapshot: r.snapshot,
        unreachable: r.unreachable,
        failing_since: r.failing_since,
    }))
}

/// The failure accounting a successful read ended, for the "readable again" event.
#[derive(Debug, Clone, Copy)]
pub struct Before {
    pub unreachable: bool,
    pub failing_since: Option<DateTime<Utc>>,
}

/// What a read with news leaves: the merged state, the documents' validators, and whether it
/// had to skip an item it could not read.
#[derive(Debug, Clone, Copy)]
pub struct Changed<'a> {
    pub snapshot: &'a Json,
    pub validators: &'a Json,
    pub partial: bool,
}

/// A read that found the page unchanged (or a changed read, with its new state and
/// validators): the poll is over, failures are forgotten and the next one is planned. `None`
/// when the lease was no longer this poll's (nothing was written).
pub async fn finish_read(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    lease: LeaseId,
    now: DateTime<Utc>,
    next_poll_at: DateTime<Utc>,
    changed: Option<Changed<'_>>,
) -> Result<Option<Before>, StoreError> {
    let snapshot = changed.as_ref().map(|c| c.snapshot);
    let validators = changed.as_ref().map(|c| c.validators);
    let partial = changed.as_ref().map(|c| c.partial);
    let row = sqlx::query!(
        r#"WITH before AS (
               SELECT provider_id, unreachable, failing_since FROM poll_state
               WHERE provider_id = $1 AND lease_id = $2
               FOR UPDATE
           )
           UPDATE poll_state p SET
               lease_id = NULL, lease_until = NULL, next_poll_at = $3,
               last_checked_at = $6,
               last_changed_at = CASE WHEN $4::jsonb IS NULL THEN p.last_changed_at ELSE $6 END,
               snapshot = coalesce($4, p.snapshot),
               validators = coalesce($5, p.validators),
               last_read_partial = coalesce($7, p.last_read_partial),
               failures = 0, failing_since = NULL, unreachable = false,
               last_error_kind = NULL, last_error = NULL
           FROM before WHERE p.provider_id = before.provider_id
           RETURNING before.unreachable, before.failing_since"#,
        provider.0,
        lease.0,
        next_poll_at,
        snapshot,
        validators,
        now,
        partial
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Before {
        unreachable: r.unreachable,
        failing_since: r.failing_since,
    }))
}

/// The failure streak after recording one more failure.
#[derive(Debug, Clone, Copy)]
pub struct Streak {
    pub failures: i32,
    pub failing_since: DateTime<Utc>,
    pub unreachable: bool,
}

/// Records a failed poll and plans the next one. `None` when the lease was lost.
pub async fn finish_failed(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    lease: LeaseId,
    now: DateTime<Utc>,
    next_poll_at: DateTime<Utc>,
    kind: PollFailure,
    message: &str,
) -> Result<Option<Streak>, StoreError> {
    let row = sqlx::query!(
        r#"UPDATE poll_state SET
               lease_id = NULL, lease_until = NULL, next_poll_at = $3,
               failures = failures + 1, failing_since = coalesce(failing_since, $6),
               last_error_kind = $4, last_error = $5
           WHERE provider_id = $1 AND lease_id = $2
           RETURNING failures, failing_since AS "failing_since!", unreachable"#,
        provider.0,
        lease.0,
        next_poll_at,
        kind.as_str(),
        message,
        now
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Streak {
        failures: r.failures,
        failing_since: r.failing_since,
        unreachable: r.unreachable,
    }))
}

/// Marks the provider unreachable; returns whether this call did (so that the event that goes
/// with it is written once).
pub async fn mark_unreachable(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE poll_state SET unreachable = true WHERE provider_id = $1 AND NOT unreachable",
        provider.0
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

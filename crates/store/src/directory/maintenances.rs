//! One maintenance and its timeline, for its public page.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use vw_domain::{MaintenanceId, MaintenanceStatus, ProviderId};

use super::parse_opt;
use crate::StoreError;

/// A maintenance with what only vendorwatch knows of it.
#[derive(Debug, Clone)]
pub struct MaintenanceDetail {
    pub id: MaintenanceId,
    pub vendor_id: String,
    pub title: String,
    pub status: Option<MaintenanceStatus>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
    pub url: Option<String>,
    /// Vendor ids of the components it names; empty when it names none.
    pub components: Vec<String>,
    pub detected_at: DateTime<Utc>,
    pub backfilled: bool,
    /// When it was listed no more while still scheduled.
    pub cancelled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct MaintenanceUpdate {
    pub vendor_id: String,
    pub status: Option<MaintenanceStatus>,
    pub body: String,
    /// Rendered safe when written; `None` for rows stored before that.
    pub body_html: Option<String>,
    pub posted_at: Option<DateTime<Utc>>,
    pub detected_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

/// One maintenance of this provider; `NotFound` for an id that belongs to another provider.
#[tracing::instrument(skip(db))]
pub async fn maintenance(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    id: MaintenanceId,
) -> Result<MaintenanceDetail, StoreError> {
    let r = sqlx::query!(
        "SELECT id, vendor_id, title, status, scheduled_for, scheduled_until, url, components,
                detected_at, backfilled, cancelled_at
         FROM maintenances WHERE provider_id = $1 AND id = $2",
        provider.0,
        id.0
    )
    .fetch_optional(db)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(MaintenanceDetail {
        id: MaintenanceId(r.id),
        vendor_id: r.vendor_id,
        title: r.title,
        status: parse_opt(r.status, MaintenanceStatus::parse)?,
        scheduled_for: r.scheduled_for,
        scheduled_until: r.scheduled_until,
        url: r.url,
        components: r.components,
        detected_at: r.detected_at,
        backfilled: r.backfilled,
        cancelled_at: r.cancelled_at,
    })
}

/// A maintenance's timeline, oldest first (updates without a time first).
pub async fn maintenance_updates(
    db: impl PgExecutor<'_>,
    maintenance: MaintenanceId,
) -> Result<Vec<MaintenanceUpdate>, StoreError> {
    let rows = sqlx::query!(
        "SELECT vendor_id, status, body, body_html, posted_at, detected_at, edited_at
         FROM maintenance_updates WHERE maintenance_id = $1
         ORDER BY posted_at ASC NULLS FIRST, vendor_id",
        maintenance.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(MaintenanceUpdate {
                vendor_id: r.vendor_id,
                status: parse_opt(r.status, MaintenanceStatus::parse)?,
                body: r.body,
                body_html: r.body_html,
                posted_at: r.posted_at,
                detected_at: r.detected_at,
                edited_at: r.edited_at,
            })
        })
        .collect()
}

//! Writing what a status page said: its components, incidents and maintenances with their
//! updates, and the events a poll found. Called inside the poll's transaction.
//!
//! Our own times (`detected_at`, `edited_at`) come from the caller's clock; the vendor's times
//! are stored as given.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use vw_domain::{
    AlertClass, Component, Event, EventId, Incident, IncidentId, Maintenance, MaintenanceId,
    ProviderId, Severity, Update,
};

use crate::StoreError;

/// Makes the stored components exactly `components`, in their order.
pub async fn replace_components(
    conn: &mut PgConnection,
    provider: ProviderId,
    components: &[Component],
) -> Result<(), StoreError> {
    let ids: Vec<&str> = components.iter().map(|c| c.id.as_str()).collect();
    let names: Vec<&str> = components.iter().map(|c| c.name.as_str()).collect();
    let groups: Vec<Option<&str>> = components.iter().map(|c| c.group.as_deref()).collect();
    let statuses: Vec<Option<&str>> = components
        .iter()
        .map(|c| c.status.map(|s| s.as_str()))
        .collect();
    let positions: Vec<i32> = (0..).take(components.len()).collect();
    sqlx::query!(
        "DELETE FROM components WHERE provider_id = $1 AND vendor_id <> ALL($2::text[])",
        provider.0,
        &ids as &[&str]
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO components (provider_id, vendor_id, name, group_name, status, position)
         SELECT $1, * FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
         ON CONFLICT (provider_id, vendor_id) DO UPDATE SET
             name = EXCLUDED.name, group_name = EXCLUDED.group_name,
             status = EXCLUDED.status, position = EXCLUDED.position",
        provider.0,
        &ids as &[&str],
        &names as &[&str],
        &groups as &[Option<&str>],
        &statuses as &[Option<&str>],
        &positions
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts or updates the incident and its updates (with `bodies_html`, each update's body
/// rendered safe, in the same order); returns our id for it. A new incident
/// and new updates get `now` as `detected_at`; an update whose text changed gets `now` as
/// `edited_at`.
pub async fn upsert_incident(
    conn: &mut PgConnection,
    provider: ProviderId,
    incident: &Incident,
    bodies_html: &[String],
    backfilled: bool,
    now: DateTime<Utc>,
) -> Result<IncidentId, StoreError> {
    let id = sqlx::query_scalar!(
        "INSERT INTO incidents (id, provider_id, vendor_id, title, impact, status, started_at,
                                resolved_at, url, components, detected_at, backfilled, updated_at,
                                current_status, open)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $13, $14)
         ON CONFLICT (provider_id, vendor_id) DO UPDATE SET
             title = EXCLUDED.title, impact = EXCLUDED.impact, status = EXCLUDED.status,
             started_at = EXCLUDED.started_at, resolved_at = EXCLUDED.resolved_at,
             url = EXCLUDED.url, components = EXCLUDED.components,
             updated_at = EXCLUDED.updated_at, current_status = EXCLUDED.current_status,
             open = EXCLUDED.open
         RETURNING id",
        IncidentId::new().0,
        provider.0,
        incident.id,
        incident.title,
        incident.impact.map(|i| i.as_str()),
        incident.status.map(|s| s.as_str()),
        incident.started_at,
        incident.resolved_at,
        incident.url,
        &incident.components,
        now,
        backfilled,
        incident.current_status().map(|s| s.as_str()),
        incident.is_open(),
    )
    .fetch_one(&mut *conn)
    .await?;
    let id = IncidentId(id);
    let updates = UpdateColumns::of(&incident.updates, bodies_html);
    sqlx::query!(
        "INSERT INTO incident_updates (incident_id, vendor_id, status, body, posted_at, detected_at,
                                       body_html)
         SELECT $1, u.vendor_id, u.status, u.body, u.posted_at, $6, u.body_html
         FROM UNNEST($2::text[], $3::text[], $4::text[], $5::timestamptz[], $7::text[])
              AS u(vendor_id, status, body, posted_at, body_html)
         ON CONFLICT (incident_id, vendor_id) DO UPDATE SET
             status = EXCLUDED.status, posted_at = EXCLUDED.posted_at, body = EXCLUDED.body,
             body_html = EXCLUDED.body_html,
             edited_at = CASE WHEN incident_updates.body <> EXCLUDED.body
                              THEN EXCLUDED.detected_at ELSE incident_updates.edited_at END
         WHERE (incident_updates.status, incident_updates.body, incident_updates.posted_at)
               IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.body, EXCLUDED.posted_at)
            OR incident_updates.body_html IS NULL",
        id.0,
        &updates.ids as &[&str],
        &updates.statuses as &[Option<&str>],
        &updates.bodies as &[&str],
        &updates.posted_at as &[Option<DateTime<Utc>>],
        now,
        &updates.html as &[&str],
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Like [`upsert_incident`], for a maintenance.
pub async fn upsert_maintenance(
    conn: &mut PgConnection,
    provider: ProviderId,
    maintenance: &Maintenance,
    bodies_html: &[String],
    backfilled: bool,
    now: DateTime<Utc>,
) -> Result<MaintenanceId, StoreError> {
    let id = sqlx::query_scalar!(
        "INSERT INTO maintenances (id, provider_id, vendor_id, title, status, scheduled_for,
                                   scheduled_until, url, components, detected_at, backfilled,
                                   updated_at, revised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $10)
         ON CONFLICT (provider_id, vendor_id) DO UPDATE SET
             title = EXCLUDED.title, status = EXCLUDED.status,
             scheduled_for = EXCLUDED.scheduled_for, scheduled_until = EXCLUDED.scheduled_until,
             url = EXCLUDED.url, components = EXCLUDED.components, cancelled_at = NULL,
             updated_at = EXCLUDED.updated_at,
             -- iCalendar's SEQUENCE: one more on a change of window or status (a
             -- cancelled one listed again included).
             sequence = maintenances.sequence + CASE
                 WHEN (maintenances.scheduled_for, maintenances.scheduled_until,
                       maintenances.status, maintenances.cancelled_at IS NULL)
                      IS DISTINCT FROM
                      (EXCLUDED.scheduled_for, EXCLUDED.scheduled_until, EXCLUDED.status, true)
                 THEN 1 ELSE 0 END,
             revised_at = CASE
                 WHEN (maintenances.title, maintenances.scheduled_for,
                       maintenances.scheduled_until, maintenances.status, maintenances.url,
                       maintenances.components, maintenances.cancelled_at IS NULL)
                      IS DISTINCT FROM
                      (EXCLUDED.title, EXCLUDED.scheduled_for, EXCLUDED.scheduled_until,
                       EXCLUDED.status, EXCLUDED.url, EXCLUDED.components, true)
                 THEN EXCLUDED.updated_at ELSE maintenances.revised_at END
         RETURNING id",
        MaintenanceId::new().0,
        provider.0,
        maintenance.id,
        maintenance.title,
        maintenance.status.map(|s| s.as_str()),
        maintenance.scheduled_for,
        maintenance.scheduled_until,
        maintenance.url,
        &maintenance.components,
        now,
        backfilled,
    )
    .fetch_one(&mut *conn)
    .await?;
    let id = MaintenanceId(id);
    let updates = UpdateColumns::of(&maintenance.updates, bodies_html);
    sqlx::query!(
        "INSERT INTO maintenance_updates (maintenance_id, vendor_id, status, body, posted_at,
                                          detected_at, body_html)
         SELECT $1, u.vendor_id, u.status, u.body, u.posted_at, $6, u.body_html
         FROM UNNEST($2::text[], $3::text[], $4::text[], $5::timestamptz[], $7::text[])
              AS u(vendor_id, status, body, posted_at, body_html)
         ON CONFLICT (maintenance_id, vendor_id) DO UPDATE SET
             status = EXCLUDED.status, posted_at = EXCLUDED.posted_at, body = EXCLUDED.body,
             body_html = EXCLUDED.body_html,
             edited_at = CASE WHEN maintenance_updates.body <> EXCLUDED.body
                              THEN EXCLUDED.detected_at ELSE maintenance_updates.edited_at END
         WHERE (maintenance_updates.status, maintenance_updates.body, maintenance_updates.posted_at)
               IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.body, EXCLUDED.posted_at)
            OR maintenance_updates.body_html IS NULL",
        id.0,
        &updates.ids as &[&str],
        &updates.statuses as &[Option<&str>],
        &updates.bodies as &[&str],
        &updates.posted_at as &[Option<DateTime<Utc>>],
        now,
        &updates.html as &[&str],
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Marks a maintenance that is listed no more as cancelled (a change of status: its
/// SEQUENCE grows, once); returns our id for it.
pub async fn cancel_maintenance(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    vendor_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<MaintenanceId>, StoreError> {
    let id = sqlx::query_scalar!(
        "UPDATE maintenances SET cancelled_at = $3, updated_at = $3,
             sequence = sequence + CASE WHEN cancelled_at IS NULL THEN 1 ELSE 0 END,
             revised_at = CASE WHEN cancelled_at IS NULL THEN $3 ELSE revised_at END
         WHERE provider_id = $1 AND vendor_id = $2
         RETURNING id",
        provider.0,
        vendor_id,
        now
    )
    .fetch_optional(db)
    .await?;
    Ok(id.map(MaintenanceId))
}

/// Our id of an incident, by the vendor's.
pub async fn incident_id(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    vendor_id: &str,
) -> Result<Option<IncidentId>, StoreError> {
    let id = sqlx::query_scalar!(
        "SELECT id FROM incidents WHERE provider_id = $1 AND vendor_id = $2",
        provider.0,
        vendor_id
    )
    .fetch_optional(db)
    .await?;
    Ok(id.map(IncidentId))
}

/// Our id of a maintenance, by the vendor's.
pub async fn maintenance_id(
    db: impl PgExecutor<'_>,
    provider: ProviderId,
    vendor_id: &str,
) -> Result<Option<MaintenanceId>, StoreError> {
    let id = sqlx::query_scalar!(
        "SELECT id FROM maintenances WHERE provider_id = $1 AND vendor_id = $2",
        provider.0,
        vendor_id
    )
    .fetch_optional(db)
    .await?;
    Ok(id.map(MaintenanceId))
}

pub struct NewEvent<'a> {
    pub provider: ProviderId,
    pub event: &'a Event,
    pub incident: Option<IncidentId>,
    pub maintenance: Option<MaintenanceId>,
    pub detected_at: DateTime<Utc>,
}

/// Adds one event to the outbox with how it is routed (`Event::routing`); returns its id
/// (time-ordered).
pub async fn insert_event(
    db: impl PgExecutor<'_>,
    new: NewEvent<'_>,
) -> Result<EventId, StoreError> {
    let id = EventId::new();
    let body =
        serde_json::to_value(new.event).map_err(|e| StoreError::Invalid(format!("event: {e}")))?;
    let routing = new.event.routing();
    sqlx::query!(
        "INSERT INTO events (id, provider_id, kind, incident_id, maintenance_id, body, detected_at,
                             alert_class, severity, touches)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        id.0,
        new.provider.0,
        new.event.kind().as_str(),
        new.incident.map(|i| i.0),
        new.maintenance.map(|m| m.0),
        body,
        new.detected_at,
        routing.class.map(AlertClass::as_str),
        routing.severity.map(Severity::as_str),
        routing.touches,
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// Whose timeline an update belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeline {
    Incident,
    Maintenance,
}

/// An update stored before bodies were rendered when written.
#[derive(Debug, Clone)]
pub struct Unrendered {
    pub timeline: Timeline,
    /// The incident's or maintenance's id.
    pub parent: uuid::Uuid,
    pub vendor_id: String,
    pub body: String,
}

/// Up to `limit` updates whose body has no rendered HTML yet.
pub async fn unrendered(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> Result<Vec<Unrendered>, StoreError> {
    let rows = sqlx::query!(
        r#"(SELECT true AS "incident!", incident_id AS "parent!", vendor_id AS "vendor_id!",
                   body AS "body!"
            FROM incident_updates WHERE body_html IS NULL LIMIT $1)
           UNION ALL
           (SELECT false, maintenance_id, vendor_id, body
            FROM maintenance_updates WHERE body_html IS NULL LIMIT $1)
           LIMIT $1"#,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Unrendered {
            timeline: if r.incident {
                Timeline::Incident
            } else {
                Timeline::Maintenance
            },
            parent: r.parent,
            vendor_id: r.vendor_id,
            body: r.body,
        })
        .collect())
}

/// Stores the rendered HTML of an update, unless its body changed since it was read.
pub async fn set_rendered(
    db: impl PgExecutor<'_>,
    update: &Unrendered,
    html: &str,
) -> Result<(), StoreError> {
    match update.timeline {
        Timeline::Incident => {
            sqlx::query!(
                "UPDATE incident_updates SET body_html = $4
             WHERE incident_id = $1 AND vendor_id = $2 AND body = $3",
                update.parent,
                update.vendor_id,
                update.body,
                html
            )
            .execute(db)
            .await?
        }
        Timeline::Maintenance => {
            sqlx::query!(
                "UPDATE maintenance_updates SET body_html = $4
             WHERE maintenance_id = $1 AND vendor_id = $2 AND body = $3",
                update.parent,
                update.vendor_id,
                update.body,
                html
            )
            .execute(db)
            .await?
        }
    };
    Ok(())
}

/// An update list as the columns UNNEST takes. `html` is each body rendered safe, in the
/// updates' order (one per update).
struct UpdateColumns<'a> {
    ids: Vec<&'a str>,
    statuses: Vec<Option<&'static str>>,
    bodies: Vec<&'a str>,
    posted_at: Vec<Option<DateTime<Utc>>>,
    html: Vec<&'a str>,
}

impl<'a> UpdateColumns<'a> {
    fn of<S: Word>(updates: &'a [Update<S>], html: &'a [String]) -> Self {
        UpdateColumns {
            ids: updates.iter().map(|u| u.id.as_str()).collect(),
            statuses: updates.iter().map(|u| u.status.map(Word::word)).collect(),
            bodies: updates.iter().map(|u| u.body.as_str()).collect(),
            posted_at: updates.iter().map(|u| u.posted_at).collect(),
            html: html.iter().map(String::as_str).collect(),
        }
    }
}

/// The stored word of a status vocabulary (incident or maintenance).
trait Word: Copy {
    fn word(self) -> &'static str;
}

impl Word for vw_domain::IncidentStatus {
    fn word(self) -> &'static str {
        self.as_str()
    }
}

impl Word for vw_domain::MaintenanceStatus {
    fn word(self) -> &'static str {
        self.as_str()
    }
}

//! Reminders before a watched maintenance starts: deliveries like any other, unique per
//! (maintenance, offset, channel), made by one set-based statement when they come due (the
//! fan-out clock calls it every second with its `now`).
//!
//! The rules, all in [`create_due`] and [`follow_windows`]:
//! - a reminder is due `offset` minutes before the start, for every channel of every group
//!   that lets maintenance through and reaches a monitor watching it (scope, components);
//! - made only while the maintenance is scheduled and not cancelled, so a window that moves
//!   before the reminder's time is reminded of at its new time, and a cancelled one never;
//! - one due later than `late_after` past its time goes out marked late, if the window has
//!   not started; if it has, the reminder is dropped (a `discarded` delivery saying why, so
//!   it is logged once and shown in the delivery log);
//! - of several due at once for one channel (a maintenance announced an hour before it
//!   starts), only the nearest goes out; the others are dropped the same way;
//! - a reminder made but not yet sent follows its window: moved with it, or dropped when the
//!   maintenance is cancelled or has started.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgConnection;
use vw_domain::{DeliveryId, MaintenanceId};

use crate::StoreError;

/// How far either side of now the clock looks: the longest offset a group may set.
pub const HORIZON_MINUTES: i64 = 10_080;

/// What one call made.
#[derive(Debug, Clone, Default)]
pub struct Made {
    /// Pending deliveries to queue a job for now.
    pub pending: Vec<DeliveryId>,
    /// How many of those are late.
    pub late: usize,
    /// Reminders dropped, with why.
    pub dropped: Vec<Dropped>,
}

#[derive(Debug, Clone)]
pub struct Dropped {
    pub delivery: DeliveryId,
    pub maintenance: MaintenanceId,
    pub offset_minutes: i32,
    pub why: String,
}

/// Makes the reminders due at `now` (see the module's rules); a reminder is late when its
/// time is more than `late_after` before `now`.
pub async fn create_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    late_after: TimeDelta,
) -> Result<Made, StoreError> {
    let horizon = TimeDelta::minutes(HORIZON_MINUTES);
    let rows = sqlx::query!(
        r#"WITH due AS (
               SELECT DISTINCT ON (mt.id, ch.id, o.minutes)
                      mt.id AS maintenance_id, mt.scheduled_for, ch.id AS channel_id,
                      ch.workspace_id, o.minutes,
                      mt.scheduled_for - make_interval(mins => o.minutes) AS due_at,
                      w.alerts_paused_at IS NOT NULL AS held
               FROM maintenances mt
               -- A monitor on either address of a page that is one vendor (`same_as`).
               JOIN providers p ON coalesce(p.same_as, p.id) = mt.provider_id
               JOIN monitors m ON m.provider_id = p.id AND NOT m.paused
               JOIN workspaces w ON w.id = m.workspace_id
               JOIN notification_groups g ON g.workspace_id = m.workspace_id
               CROSS JOIN LATERAL unnest(g.reminder_offsets) AS o(minutes)
               JOIN channels ch ON ch.group_id = g.id
               WHERE mt.cancelled_at IS NULL
                 AND coalesce(mt.status, 'scheduled') = 'scheduled'
                 AND mt.scheduled_for BETWEEN $3 AND $4
                 AND mt.scheduled_for - make_interval(mins => o.minutes) <= $1
                 -- A channel added after a reminder's time gets no word of a window that
                 -- has started since (it was never its reminder to miss).
                 AND (mt.scheduled_for > $1
                      OR ch.created_at <= mt.scheduled_for - make_interval(mins => o.minutes))
                 AND 'maintenance' = ANY (g.severities)
                 AND ch.broken_at IS NULL
                 AND (ch.kind <> 'email' OR ch.verified_at IS NOT NULL)
                 AND (g.all_monitors OR EXISTS (
                        SELECT 1 FROM group_monitors gm
                        WHERE gm.group_id = g.id AND gm.monitor_id = m.id))
                 AND monitor_watches(m.id, m.all_components, mt.provider_id, mt.components)
               ORDER BY mt.id, ch.id, o.minutes
           ),
           decided AS (
               SELECT d.*,
                      CASE WHEN d.scheduled_for <= $1
                               THEN 'dropped: the window had started when it came due'
                           WHEN row_number() OVER (PARTITION BY d.maintenance_id, d.channel_id
                                                   ORDER BY d.minutes) > 1
                               THEN 'dropped: a nearer reminder of it is due'
                      END AS dropped_because
               FROM due d
           ),
           inserted AS (
               INSERT INTO deliveries (id, workspace_id, channel_id, maintenance_id,
                                       reminder_offset, reminder_for, late, state,
                                       next_attempt_at, last_error, finished_at)
               SELECT gen_random_uuid(), workspace_id, channel_id, maintenance_id, minutes,
                      scheduled_for, due_at < $2,
                      CASE WHEN dropped_because IS NOT NULL THEN 'discarded'
                           WHEN held THEN 'held' ELSE 'pending' END,
                      CASE WHEN dropped_because IS NULL AND NOT held THEN $1::timestamptz END,
                      dropped_because,
                      CASE WHEN dropped_because IS NOT NULL THEN $1::timestamptz END
               FROM decided
               ON CONFLICT (maintenance_id, reminder_offset, channel_id)
                   WHERE maintenance_id IS NOT NULL DO NOTHING
               RETURNING id, state, late, maintenance_id, reminder_offset, last_error
           )
           SELECT id, state, late, maintenance_id AS "maintenance_id!",
                  reminder_offset AS "reminder_offset!", last_error
           FROM inserted"#,
        now,
        now - late_after,
        now - horizon,
        now + horizon,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut made = Made::default();
    for row in rows {
        match row.state.as_str() {
            "pending" => {
                made.pending.push(DeliveryId(row.id));
                made.late += usize::from(row.late);
            }
            "discarded" => made.dropped.push(Dropped {
                delivery: DeliveryId(row.id),
                maintenance: MaintenanceId(row.maintenance_id),
                offset_minutes: row.reminder_offset,
                why: row.last_error.unwrap_or_default(),
            }),
            _ => {}
        }
    }
    Ok(made)
}

/// Reminders made but not yet sent whose maintenance changed since: moved with a window that
/// moved (due again at the new time, returned with it to queue a job then), dropped when it
/// was cancelled or is no longer scheduled. Returns (moved, dropped).
pub async fn follow_windows(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<(Vec<(DeliveryId, DateTime<Utc>)>, Vec<Dropped>), StoreError> {
    let rows = sqlx::query!(
        r#"WITH changed AS (
               SELECT d.id, mt.id AS maintenance_id, d.reminder_offset AS "offset",
                      mt.scheduled_for,
                      mt.cancelled_at IS NOT NULL
                          OR coalesce(mt.status, 'scheduled') <> 'scheduled'
                          OR mt.scheduled_for IS NULL
                          OR mt.scheduled_for <= $1 AS gone
               FROM deliveries d JOIN maintenances mt ON mt.id = d.maintenance_id
               WHERE d.state IN ('pending', 'held') AND d.attempts = 0
                 AND (mt.cancelled_at IS NOT NULL
                      OR coalesce(mt.status, 'scheduled') <> 'scheduled'
                      OR mt.scheduled_for IS DISTINCT FROM d.reminder_for
                      OR mt.scheduled_for <= $1)
               FOR UPDATE OF d SKIP LOCKED
           )
           UPDATE deliveries d SET
               state = CASE WHEN c.gone THEN 'discarded' ELSE d.state END,
               finished_at = CASE WHEN c.gone THEN $1 END,
               last_error = CASE WHEN c.gone
                   THEN 'dropped: the maintenance was cancelled or began before it was sent' END,
               reminder_for = CASE WHEN c.gone THEN d.reminder_for ELSE c.scheduled_for END,
               next_attempt_at = CASE
                   WHEN c.gone THEN NULL
                   WHEN d.state = 'held' THEN NULL
                   ELSE greatest($1, c.scheduled_for - make_interval(mins => c."offset")) END
           FROM changed c WHERE d.id = c.id
           RETURNING d.id, c.gone AS "gone!", d.next_attempt_at, c.maintenance_id,
                     c."offset" AS "offset!", d.last_error"#,
        now,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut moved = Vec::new();
    let mut dropped = Vec::new();
    for row in rows {
        if row.gone {
            dropped.push(Dropped {
                delivery: DeliveryId(row.id),
                maintenance: MaintenanceId(row.maintenance_id),
                offset_minutes: row.offset,
                why: row.last_error.unwrap_or_default(),
            });
        } else if let Some(at) = row.next_attempt_at {
            moved.push((DeliveryId(row.id), at));
        }
    }
    Ok((moved, dropped))
}

/// What a reminder's alert says, read for one delivery.
#[derive(Debug, Clone)]
pub struct ReminderFacts {
    pub maintenance: crate::deliveries::MaintenanceFacts,
    pub provider_slug: String,
    pub provider_name: String,
    pub status_url: String,
    pub offset_minutes: i32,
    pub late: bool,
    /// The maintenance's components' (vendor id, name, group), in the vendor's order.
    pub components: Vec<(String, String, Option<String>)>,
    pub monitor_filter: Option<vw_domain::ComponentFilter>,
    pub workspace_name: String,
    pub latest_update: Option<String>,
}

/// The facts of the reminder `delivery` as its workspace sees them.
pub async fn facts(
    conn: &mut PgConnection,
    delivery: DeliveryId,
) -> Result<ReminderFacts, StoreError> {
    let row = sqlx::query!(
        r#"SELECT d.workspace_id, d.reminder_offset AS "offset!", d.late,
                  mt.id AS mt_id, mt.title, mt.status, mt.scheduled_for, mt.scheduled_until,
                  mt.components, mt.provider_id, p.slug, p.name, p.status_url,
                  w.name AS workspace_name,
                  (SELECT u.body FROM maintenance_updates u WHERE u.maintenance_id = mt.id
                   ORDER BY u.posted_at DESC NULLS LAST, u.vendor_id DESC LIMIT 1) AS latest
           FROM deliveries d
           JOIN maintenances mt ON mt.id = d.maintenance_id
           JOIN providers p ON p.id = mt.provider_id
           JOIN workspaces w ON w.id = d.workspace_id
           WHERE d.id = $1"#,
        delivery.0
    )
    .fetch_one(&mut *conn)
    .await?;
    let components = crate::deliveries::touched_components(
        &mut *conn,
        vw_domain::ProviderId(row.provider_id),
        &row.components,
    )
    .await?;
    let filter = crate::monitors::filter_of_provider(
        &mut *conn,
        vw_domain::WorkspaceId(row.workspace_id),
        vw_domain::ProviderId(row.provider_id),
    )
    .await?;
    Ok(ReminderFacts {
        maintenance: crate::deliveries::MaintenanceFacts {
            id: row.mt_id,
            title: row.title,
            status: row.status,
            scheduled_for: row.scheduled_for,
            scheduled_until: row.scheduled_until,
        },
        provider_slug: row.slug,
        provider_name: row.name,
        status_url: row.status_url,
        offset_minutes: row.offset,
        late: row.late,
        components,
        monitor_filter: filter,
        workspace_name: row.workspace_name,
        latest_update: row.latest,
    })
}

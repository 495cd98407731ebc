//! Deliveries: one event (or a test message) to one channel, unique per (event, channel).
//! Fan-out computes them for a batch of events in one statement; a delivery then moves
//! pending → sending → delivered | failed | gave_up (or is held while the workspace's alerts
//! are paused, and discarded when they resume), with every attempt logged.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;
use vw_domain::{ChannelId, DeliveryId, EventId, GroupId, WorkspaceId};

use crate::StoreError;

/// Claims up to `limit` undispatched events (skipping those another fan-out is claiming),
/// marks them dispatched, and inserts their deliveries: for every channel of every group
/// that an active monitor of the event's provider reaches (in the group's scope, touching a
/// watched component, through the group's filters), created before the event was seen.
/// Returns the events claimed and the pending deliveries made (held ones are not to be sent).
pub async fn fan_out(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<(usize, Vec<DeliveryId>), StoreError> {
    let rows = sqlx::query!(
        r#"WITH claimed AS (
               SELECT e.id, e.provider_id, e.detected_at, e.alert_class, e.severity, e.touches
               FROM events e
               WHERE e.dispatched_at IS NULL
               ORDER BY e.detected_at, e.id
               LIMIT $1
               FOR UPDATE SKIP LOCKED
           ),
           marked AS (
               UPDATE events SET dispatched_at = now()
               FROM claimed WHERE events.id = claimed.id
               RETURNING events.id
           ),
           routed AS (
               SELECT DISTINCT ON (ev.id, ch.id)
                      ev.id AS event_id, ch.id AS channel_id, ch.workspace_id,
                      w.alerts_paused_at IS NOT NULL AS held
               FROM claimed ev
               -- A monitor on either address of a page that is one vendor (`same_as`).
               JOIN providers p ON coalesce(p.same_as, p.id) = ev.provider_id
               JOIN monitors m ON m.provider_id = p.id AND NOT m.paused
                              AND m.created_at <= ev.detected_at
               JOIN workspaces w ON w.id = m.workspace_id
               JOIN notification_groups g ON g.workspace_id = m.workspace_id
               JOIN channels ch ON ch.group_id = g.id
               WHERE ev.alert_class IS NOT NULL
                 AND ch.broken_at IS NULL
                 AND (ch.kind <> 'email' OR ch.verified_at IS NOT NULL)
                 AND (g.all_monitors OR EXISTS (
                        SELECT 1 FROM group_monitors gm
                        WHERE gm.group_id = g.id AND gm.monitor_id = m.id))
                 AND CASE ev.alert_class
                         WHEN 'page_health' THEN g.page_health
                         WHEN 'postmortem' THEN g.postmortems AND ev.severity = ANY(g.severities)
                         ELSE ev.alert_class = ANY(g.events) AND ev.severity = ANY(g.severities)
                     END
                 AND monitor_watches(m.id, m.all_components, ev.provider_id, ev.touches)
           ),
           inserted AS (
               INSERT INTO deliveries (id, workspace_id, channel_id, event_id, state,
                                       next_attempt_at)
               SELECT gen_random_uuid(), r.workspace_id, r.channel_id, r.event_id,
                      CASE WHEN r.held THEN 'held' ELSE 'pending' END,
                      CASE WHEN NOT r.held THEN now() END
               FROM routed r
               ON CONFLICT (event_id, channel_id) DO NOTHING
               RETURNING id, state
           )
           SELECT (SELECT count(*) FROM marked) AS "claimed!",
                  ARRAY(SELECT id FROM inserted WHERE state = 'pending') AS "pending!""#,
        limit
    )
    .fetch_one(conn)
    .await?;
    Ok((
        usize::try_from(rows.claimed).unwrap_or(0),
        rows.pending.into_iter().map(DeliveryId).collect(),
    ))
}

/// A test message to one channel, pending.
pub async fn insert_test(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    channel: ChannelId,
) -> Result<DeliveryId, StoreError> {
    let id = DeliveryId::new();
    sqlx::query!(
        "INSERT INTO deliveries (id, workspace_id, channel_id, state, next_attempt_at)
         VALUES ($1, $2, $3, 'pending', now())",
        id.0,
        workspace.0,
        channel.0
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pending,
    Sending,
    Delivered,
    Failed,
    GaveUp,
    Held,
    Discarded,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Sending => "sending",
            State::Delivered => "delivered",
            State::Failed => "failed",
            State::GaveUp => "gave_up",
            State::Held => "held",
            State::Discarded => "discarded",
        }
    }

    fn parse(word: &str) -> Result<Self, StoreError> {
        [
            State::Pending,
            State::Sending,
            State::Delivered,
            State::Failed,
            State::GaveUp,
            State::Held,
            State::Discarded,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
        .ok_or_else(|| StoreError::Invalid(format!("delivery state {word:?}")))
    }

    /// Nothing more will be tried.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            State::Delivered | State::Failed | State::GaveUp | State::Discarded
        )
    }
}

/// A delivery as its job reads it, with its channel, both locked for the job's transaction.
#[derive(Debug, Clone)]
pub struct Locked {
    pub id: DeliveryId,
    pub workspace_id: WorkspaceId,
    pub event_id: Option<EventId>,
    /// A reminder's maintenance (its offset and the rest are read with its facts).
    pub maintenance_id: Option<vw_domain::MaintenanceId>,
    pub state: State,
    pub attempts: i32,
    /// Pending: when it is due; sending: when the attempt under way is presumed dead.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The retry schedule counts from here.
    pub created_at: DateTime<Utc>,
    pub workspace_name: String,
    /// The workspace's alerts are paused: an event's delivery is held.
    pub alerts_paused: bool,
    pub channel: crate::channels::ForDelivery,
    /// No send to the channel before this moment (its pace).
    pub channel_next_send_at: DateTime<Utc>,
}

/// The delivery and its channel, locked (`FOR UPDATE`): sends to one channel are thereby
/// taken one at a time. `None` when it is gone (its channel was removed).
pub async fn lock(conn: &mut PgConnection, id: DeliveryId) -> Result<Option<Locked>, StoreError> {
    let row = sqlx::query!(
        r#"SELECT d.id, d.workspace_id, d.event_id, d.maintenance_id, d.state, d.attempts,
                  d.next_attempt_at,
                  d.created_at, w.name AS workspace_name,
                  w.alerts_paused_at IS NOT NULL AS "alerts_paused!", c.id AS channel_id, c.group_id, c.kind, c.address, c.secret, c.masked,
                  c.verified_at IS NOT NULL AS "verified!", c.broken_at IS NOT NULL AS "broken!",
                  c.next_send_at
           FROM deliveries d JOIN channels c ON c.id = d.channel_id
           JOIN workspaces w ON w.id = d.workspace_id
           WHERE d.id = $1
           FOR UPDATE OF d, c"#,
        id.0
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Locked {
            id: DeliveryId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            event_id: r.event_id.map(EventId),
            maintenance_id: r.maintenance_id.map(vw_domain::MaintenanceId),
            state: State::parse(&r.state)?,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            created_at: r.created_at,
            workspace_name: r.workspace_name,
            alerts_paused: r.alerts_paused,
            channel: crate::channels::ForDelivery {
                id: ChannelId(r.channel_id),
                workspace_id: WorkspaceId(r.workspace_id),
                group_id: GroupId(r.group_id),
                kind: crate::channels::Kind::parse(&r.kind)
                    .ok_or_else(|| StoreError::Invalid(format!("channel kind {:?}", r.kind)))?,
                address: r.address,
                secret: r.secret,
                masked: r.masked,
                verified: r.verified,
                broken: r.broken,
            },
            channel_next_send_at: r.next_send_at,
        })
    })
    .transpose()
}

/// Records that an attempt is about to be made: `sending`, one attempt more, presumed dead
/// after `presumed_dead_at` (then the sweep hands it to another job). Committed before the
/// call, so that a job run again finds it.
pub async fn start_attempt(
    conn: &mut PgConnection,
    id: DeliveryId,
    presumed_dead_at: DateTime<Utc>,
) -> Result<i32, StoreError> {
    Ok(sqlx::query_scalar!(
        "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, next_attempt_at = $2
         WHERE id = $1 RETURNING attempts",
        id.0,
        presumed_dead_at
    )
    .fetch_one(conn)
    .await?)
}

/// Moves a pending delivery's due time (its channel's pace, or a retry's backoff).
pub async fn due_at(
    db: impl PgExecutor<'_>,
    id: DeliveryId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE deliveries SET state = 'pending', next_attempt_at = $2 WHERE id = $1",
        id.0,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Deliveries whose job went missing: pending and overdue by `grace`, or sending past the
/// moment their attempt is presumed dead (its worker died; the attempt is logged as one
/// whose outcome is unknown). Each is made pending and due at `now`; returns them, to queue
/// a job for each.
pub async fn sweep(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    grace: std::time::Duration,
    limit: i64,
) -> Result<Vec<DeliveryId>, StoreError> {
    let overdue = now - chrono::Duration::from_std(grace).unwrap_or_default();
    let ids = sqlx::query_scalar!(
        "WITH lost AS (
             SELECT id, state, attempts FROM deliveries
             WHERE (state = 'pending' AND next_attempt_at < $2)
                OR (state = 'sending' AND next_attempt_at < $1)
             ORDER BY next_attempt_at
             LIMIT $3
             FOR UPDATE SKIP LOCKED
         ),
         logged AS (
             INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome, detail,
                                            duration_ms)
             SELECT id, attempts, $1, 'retry',
                    'the worker stopped during this attempt: it may have arrived', 0
             FROM lost WHERE state = 'sending'
             ON CONFLICT (delivery_id, attempt) DO NOTHING
         )
         UPDATE deliveries d SET state = 'pending', next_attempt_at = $1
         FROM lost WHERE d.id = lost.id
         RETURNING d.id",
        now,
        overdue,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(ids.into_iter().map(DeliveryId).collect())
}

/// One attempt's outcome, as the log shows it.
#[derive(Debug, Clone)]
pub struct AttemptRecord<'a> {
    pub attempt: i32,
    pub at: DateTime<Utc>,
    /// `delivered`, `retry`, `permanent` or `broken`.
    pub outcome: &'static str,
    pub status: Option<i32>,
    pub detail: &'a str,
    pub duration_ms: i32,
}

/// Logs the attempt and moves the delivery to `state` (`next_attempt_at` for a retry), in one
/// statement: the outcome of a plain delivery needs no transaction of its own.
pub async fn finish_attempt(
    db: impl PgExecutor<'_>,
    id: DeliveryId,
    record: &AttemptRecord<'_>,
    state: State,
    next_attempt_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "WITH logged AS (
             INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome, status, detail,
                                            duration_ms)
             VALUES ($1, $7, $8, $9, $4, $5, $10)
             ON CONFLICT (delivery_id, attempt) DO NOTHING
         )
         UPDATE deliveries SET state = $2, next_attempt_at = $3, last_status = $4,
                               last_error = CASE WHEN $2 = 'delivered' THEN NULL ELSE $5 END,
                               finished_at = CASE WHEN $6 THEN now() END
         WHERE id = $1",
        id.0,
        state.as_str(),
        next_attempt_at,
        record.status,
        record.detail,
        state.is_final(),
        record.attempt,
        record.at,
        record.outcome,
        record.duration_ms
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Ends a delivery without an attempt (its channel went unusable meanwhile).
pub async fn abandon(
    db: impl PgExecutor<'_>,
    id: DeliveryId,
    state: State,
    why: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE deliveries SET state = $2, last_error = $3, finished_at = now() WHERE id = $1",
        id.0,
        state.as_str(),
        why
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Holds a delivery while its workspace's alerts are paused.
pub async fn hold(db: impl PgExecutor<'_>, id: DeliveryId) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE deliveries SET state = 'held', next_attempt_at = NULL WHERE id = $1",
        id.0
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Discards every held delivery of the workspace (its alerts resumed); returns how many.
pub async fn discard_held(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<u64, StoreError> {
    let done = sqlx::query!(
        "UPDATE deliveries SET state = 'discarded', finished_at = now()
         WHERE workspace_id = $1 AND state = 'held'",
        workspace.0
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// How many deliveries the workspace holds.
pub async fn count_held(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM deliveries WHERE workspace_id = $1 AND state = 'held'"#,
        workspace.0
    )
    .fetch_one(db)
    .await?)
}

/// One line of a delivery log.
#[derive(Debug, Clone)]
pub struct LogLine {
    pub id: DeliveryId,
    pub channel_id: ChannelId,
    pub channel: String,
    pub kind: String,
    /// What was sent: the event's kind and title, or a test.
    pub event_kind: Option<String>,
    pub subject: Option<String>,
    pub state: State,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// The newest deliveries of a group's channels, or of one channel (`channel`), at most
/// `limit`, newest first; with `before`, only those older than that (creation time, id).
pub async fn log(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    group: GroupId,
    channel: Option<ChannelId>,
    before: Option<(DateTime<Utc>, DeliveryId)>,
    limit: i64,
) -> Result<Vec<LogLine>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT d.id, d.channel_id, c.masked, c.kind,
                  coalesce(e.kind, CASE WHEN d.maintenance_id IS NOT NULL
                                        THEN 'maintenance_reminder' END) AS "event_kind?",
                  coalesce(i.title, mt.title, rm.title) AS subject, d.state, d.attempts, d.last_status,
                  d.last_error, d.created_at, d.finished_at, d.next_attempt_at
           FROM deliveries d
           JOIN channels c ON c.id = d.channel_id
           LEFT JOIN events e ON e.id = d.event_id
           LEFT JOIN incidents i ON i.id = e.incident_id
           LEFT JOIN maintenances mt ON mt.id = e.maintenance_id
           LEFT JOIN maintenances rm ON rm.id = d.maintenance_id
           WHERE d.workspace_id = $1 AND c.group_id = $2
             AND ($3::uuid IS NULL OR d.channel_id = $3)
             AND ($4::timestamptz IS NULL OR (d.created_at, d.id) < ($4, $5::uuid))
           ORDER BY d.created_at DESC, d.id DESC
           LIMIT $6"#,
        workspace.0,
        group.0,
        channel.map(|c| c.0),
        before.map(|(at, _)| at),
        before.map(|(_, id)| id.0),
        limit
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(LogLine {
                id: DeliveryId(r.id),
                channel_id: ChannelId(r.channel_id),
                channel: r.masked,
                kind: r.kind,
                event_kind: r.event_kind,
                subject: r.subject,
                state: State::parse(&r.state)?,
                attempts: r.attempts,
                last_status: r.last_status,
                last_error: r.last_error,
                created_at: r.created_at,
                finished_at: r.finished_at,
                next_attempt_at: r.next_attempt_at,
            })
        })
        .collect()
}

/// One delivery's attempts, oldest first.
#[derive(Debug, Clone)]
pub struct AttemptLine {
    pub attempt: i32,
    pub at: DateTime<Utc>,
    pub outcome: String,
    pub status: Option<i32>,
    pub detail: String,
    pub duration_ms: i32,
}

pub async fn attempts(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    delivery: DeliveryId,
) -> Result<Vec<AttemptLine>, StoreError> {
    let rows = sqlx::query!(
        "SELECT a.attempt, a.at, a.outcome, a.status, a.detail, a.duration_ms
         FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE d.workspace_id = $1 AND a.delivery_id = $2
         ORDER BY a.attempt",
        workspace.0,
        delivery.0
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AttemptLine {
            attempt: r.attempt,
            at: r.at,
            outcome: r.outcome,
            status: r.status,
            detail: r.detail,
            duration_ms: r.duration_ms,
        })
        .collect())
}

/// Everything an alert about an event says, read for one delivery.
#[derive(Debug, Clone)]
pub struct EventFacts {
    pub event_id: EventId,
    pub body: serde_json::Value,
    pub detected_at: DateTime<Utc>,
    pub provider_slug: String,
    pub provider_name: String,
    pub status_url: String,
    pub incident: Option<IncidentFacts>,
    pub maintenance: Option<MaintenanceFacts>,
    /// The newest update's body (the one the event names, when it names one).
    pub latest_update: Option<String>,
    /// The touched components' (vendor id, name, group), in the vendor's order.
    pub components: Vec<(String, String, Option<String>)>,
    /// The workspace's monitor of the provider: its filter marks the watched components.
    pub monitor_filter: Option<vw_domain::ComponentFilter>,
    pub workspace_name: String,
}

#[derive(Debug, Clone)]
pub struct IncidentFacts {
    pub id: Uuid,
    pub title: String,
    pub impact: Option<String>,
    pub status: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct MaintenanceFacts {
    pub id: Uuid,
    pub title: String,
    pub status: Option<String>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
}

/// The facts of `event` as `workspace` sees it, in one statement: a burst of an event to
/// a thousand workspaces reads it a thousand times.
pub async fn event_facts(
    conn: &mut PgConnection,
    workspace: WorkspaceId,
    event: EventId,
) -> Result<EventFacts, StoreError> {
    let row = sqlx::query!(
        r#"SELECT e.id, e.body, e.detected_at,
                  p.slug, p.name, p.status_url,
                  i.id AS "incident_id?", i.title AS "incident_title?", i.impact, i.current_status,
                  i.started_at, i.resolved_at,
                  mt.id AS "maintenance_id?", mt.title AS "maintenance_title?",
                  mt.status AS maintenance_status, mt.scheduled_for, mt.scheduled_until,
                  w.name AS workspace_name,
                  -- The update the event names, else the newest.
                  coalesce(
                      (SELECT u.body FROM incident_updates u WHERE u.incident_id = i.id
                       ORDER BY (u.vendor_id = coalesce(e.body->>'update_id', '')) DESC,
                                u.posted_at DESC NULLS LAST, u.vendor_id DESC LIMIT 1),
                      (SELECT u.body FROM maintenance_updates u WHERE u.maintenance_id = mt.id
                       ORDER BY (u.vendor_id = coalesce(e.body->>'update_id', '')) DESC,
                                u.posted_at DESC NULLS LAST, u.vendor_id DESC LIMIT 1)
                  ) AS latest_update,
                  coalesce(tc.ids, '{}') AS "component_ids!",
                  coalesce(tc.names, '{}') AS "component_names!",
                  coalesce(tc.groups, '{}') AS "component_groups!: Vec<Option<String>>",
                  m.all_components AS "monitor_all?",
                  ARRAY(SELECT g.group_name FROM monitor_groups g WHERE g.monitor_id = m.id)
                      AS "monitor_groups!",
                  ARRAY(SELECT c.vendor_id FROM monitor_components c WHERE c.monitor_id = m.id)
                      AS "monitor_components!"
           FROM events e
           JOIN providers p ON p.id = e.provider_id
           JOIN workspaces w ON w.id = $1
           LEFT JOIN incidents i ON i.id = e.incident_id
           LEFT JOIN maintenances mt ON mt.id = e.maintenance_id
           -- The components the event touches, in the vendor's order.
           LEFT JOIN LATERAL (
               SELECT array_agg(c.vendor_id ORDER BY c.position) AS ids,
                      array_agg(c.name ORDER BY c.position) AS names,
                      array_agg(c.group_name ORDER BY c.position) AS groups
               FROM components c
               WHERE c.provider_id = e.provider_id AND c.vendor_id = ANY(e.touches)
           ) tc ON true
           -- The workspace's monitor of the provider (on either address of its page).
           LEFT JOIN LATERAL (
               SELECT m.id, m.all_components
               FROM monitors m JOIN providers mp ON mp.id = m.provider_id
               WHERE m.workspace_id = $1 AND coalesce(mp.same_as, mp.id) = e.provider_id
               LIMIT 1
           ) m ON true
           WHERE e.id = $2"#,
        workspace.0,
        event.0
    )
    .fetch_one(&mut *conn)
    .await?;
    let components = row
        .component_ids
        .into_iter()
        .zip(row.component_names)
        .zip(row.component_groups)
        .map(|((id, name), group)| (id, name, group))
        .collect();
    let monitor = row
        .monitor_all
        .map(|all| crate::monitors::filter(all, row.monitor_groups, row.monitor_components));
    let latest_update = row.latest_update;
    Ok(EventFacts {
        event_id: EventId(row.id),
        body: row.body,
        detected_at: row.detected_at,
        provider_slug: row.slug,
        provider_name: row.name,
        status_url: row.status_url,
        incident: row.incident_id.map(|id| IncidentFacts {
            id,
            title: row.incident_title.unwrap_or_default(),
            impact: row.impact,
            status: row.current_status,
            started_at: row.started_at,
            resolved_at: row.resolved_at,
        }),
        maintenance: row.maintenance_id.map(|id| MaintenanceFacts {
            id,
            title: row.maintenance_title.unwrap_or_default(),
            status: row.maintenance_status,
            scheduled_for: row.scheduled_for,
            scheduled_until: row.scheduled_until,
        }),
        latest_update,
        components,
        monitor_filter: monitor,
        workspace_name: row.workspace_name,
    })
}

/// The provider's components among `touches` as (vendor id, name, group), in the vendor's
/// order: what an alert lists.
pub(crate) async fn touched_components(
    conn: &mut PgConnection,
    provider: vw_domain::ProviderId,
    touches: &[String],
) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
    Ok(sqlx::query!(
        "SELECT vendor_id, name, group_name FROM components
         WHERE provider_id = $1 AND vendor_id = ANY($2) ORDER BY position",
        provider.0,
        touches
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|c| (c.vendor_id, c.name, c.group_name))
    .collect())
}

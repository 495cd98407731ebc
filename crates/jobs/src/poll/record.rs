//! Writing what a poll found, each outcome in one transaction: the page's new state, the
//! history tables and the events, together or not at all. The provider's poll_state row is
//! locked first, so two polls of one provider write one after the other and the second
//! compares with what the first wrote: a change becomes exactly one event.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use vw_domain::{
    Event, IncidentId, LeaseId, MaintenanceId, Platform, PollFailure, ProviderChange, ProviderId,
    Snapshot,
};
use vw_store::history::{self, NewEvent};
use vw_store::same_page::{self, SamePage};
use vw_store::{PgPool, polls};

use crate::JobsError;

/// Whether the poll still held its lease when it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Events(usize),
    Superseded,
}

/// A read that found nothing new (every document answered 304).
pub async fn unchanged(
    db: &PgPool,
    provider: ProviderId,
    lease: LeaseId,
    next_poll_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Written, JobsError> {
    let mut tx = vw_store::begin(db).await?;
    let Some(before) =
        polls::finish_read(&mut *tx, provider, lease, now, next_poll_at, None).await?
    else {
        return Ok(Written::Superseded);
    };
    let events = recovered(&mut tx, provider, before, now).await?;
    vw_store::commit(tx).await?;
    count_recovered(events);
    Ok(Written::Events(events))
}

/// A read with news: compares it with the stored state and writes the merged state, the
/// history and the events. A read of a Statuspage page that a provider which came first
/// reads too writes nothing of it: from now on that one is polled for both.
pub async fn changed(
    db: &PgPool,
    provider: ProviderId,
    lease: LeaseId,
    read: Snapshot,
    validators: &Json,
    next_poll_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Written, JobsError> {
    let read_was_partial = read.incomplete;
    let mut tx = vw_store::begin(db).await?;
    let Some(locked) = polls::lock(&mut *tx, provider, lease).await? else {
        return Ok(Written::Superseded);
    };
    if let Some(page_id) = statuspage_page_id(&read) {
        match same_page::settle(&mut tx, provider, page_id).await? {
            SamePage::SameAs { slug, .. } => {
                tracing::info!(%provider, first = %slug, "same Statuspage page as a provider that came first; polled through it from now on");
                let Some(before) =
                    polls::finish_read(&mut *tx, provider, lease, now, next_poll_at, None).await?
                else {
                    return Ok(Written::Superseded);
                };
                let events = recovered(&mut tx, provider, before, now).await?;
                vw_store::commit(tx).await?;
                count_recovered(events);
                return Ok(Written::Events(events));
            }
            SamePage::Own { took_over } if !took_over.is_empty() => {
                tracing::info!(%provider, later = ?took_over, "same Statuspage page as providers that came later; they are polled through this one from now on");
            }
            SamePage::Own { .. } => {}
        }
    }
    let previous = locked.snapshot.and_then(|json| {
        serde_json::from_value::<Snapshot>(json)
            .inspect_err(|e| tracing::warn!(%provider, error = %e, "stored state unreadable; starting afresh"))
            .ok()
    });
    // The first read is the baseline: it records what is there and announces nothing.
    let (state, events) = match &previous {
        None => {
            let mut state = read;
            state.canonicalize();
            (state, Vec::new())
        }
        Some(previous) => (
            vw_domain::merge(previous, &read),
            vw_domain::diff(previous, &read),
        ),
    };
    let ids = write_history(&mut tx, provider, previous.as_ref(), &state, now).await?;
    for event in &events {
        insert(&mut tx, provider, event, &ids, now).await?;
    }
    let state_json = serde_json::to_value(&state)?;
    let Some(before) = polls::finish_read(
        &mut *tx,
        provider,
        lease,
        now,
        next_poll_at,
        Some(polls::Changed {
            snapshot: &state_json,
            validators,
            partial: read_was_partial,
        }),
    )
    .await?
    else {
        return Ok(Written::Superseded);
    };
    let recovered = recovered(&mut tx, provider, before, now).await?;
    vw_store::commit(tx).await?;
    for event in &events {
        crate::series::event(event.kind());
    }
    count_recovered(recovered);
    Ok(Written::Events(events.len() + recovered))
}

/// A failed read: counts it, and once the page has failed for `unreachable_after`, marks it
/// unreachable with one event.
#[allow(clippy::too_many_arguments)]
pub async fn failed(
    db: &PgPool,
    provider: ProviderId,
    lease: LeaseId,
    next_poll_at: DateTime<Utc>,
    kind: PollFailure,
    message: &str,
    unreachable_after: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<Written, JobsError> {
    let mut tx = vw_store::begin(db).await?;
    let Some(streak) =
        polls::finish_failed(&mut *tx, provider, lease, now, next_poll_at, kind, message).await?
    else {
        return Ok(Written::Superseded);
    };
    let mut events = 0;
    if !streak.unreachable
        && now - streak.failing_since >= unreachable_after
        && polls::mark_unreachable(&mut *tx, provider).await?
    {
        let event = Event::ProviderUnreachable(ProviderChange {
            failing_since: streak.failing_since,
            error: Some(message.to_owned()),
        });
        insert(&mut tx, provider, &event, &Ids::default(), now).await?;
        events = 1;
        tracing::warn!(%provider, failing_since = %streak.failing_since, "status page unreachable");
    }
    vw_store::commit(tx).await?;
    if events > 0 {
        crate::series::event(vw_domain::EventKind::ProviderUnreachable);
    }
    Ok(Written::Events(events))
}

/// The page's own id, when Statuspage gave one: the same id at two addresses is one page.
fn statuspage_page_id(read: &Snapshot) -> Option<&str> {
    match read.platform {
        Platform::Statuspage => read.page.id.as_deref(),
        _ => None,
    }
}

/// The event that ends an unreachable spell, if the poll ended one.
async fn recovered(
    tx: &mut vw_store::Transaction<'static, vw_store::Postgres>,
    provider: ProviderId,
    before: polls::Before,
    now: DateTime<Utc>,
) -> Result<usize, JobsError> {
    let (true, Some(failing_since)) = (before.unreachable, before.failing_since) else {
        return Ok(0);
    };
    let event = Event::ProviderRecovered(ProviderChange {
        failing_since,
        error: None,
    });
    insert(tx, provider, &event, &Ids::default(), now).await?;
    tracing::info!(%provider, %failing_since, "status page readable again");
    Ok(1)
}

/// Counts the recovery event `recovered` says was written (0 or 1), once committed.
fn count_recovered(recovered: usize) {
    if recovered > 0 {
        crate::series::event(vw_domain::EventKind::ProviderRecovered);
    }
}

/// Our ids of the incidents and maintenances written by this poll, by vendor id.
#[derive(Default)]
struct Ids {
    incidents: HashMap<String, IncidentId>,
    maintenances: HashMap<String, MaintenanceId>,
}

/// Writes what differs between `previous` and `state`: components when they changed, and
/// each incident or maintenance that is new or changed (with its updates).
async fn write_history(
    tx: &mut vw_store::Transaction<'static, vw_store::Postgres>,
    provider: ProviderId,
    previous: Option<&Snapshot>,
    state: &Snapshot,
    now: DateTime<Utc>,
) -> Result<Ids, JobsError> {
    let mut ids = Ids::default();
    if previous.is_none_or(|p| p.components != state.components) {
        history::replace_components(tx, provider, &state.components).await?;
    }
    for incident in &state.incidents {
        let before = previous.and_then(|p| p.incidents.iter().find(|i| i.id == incident.id));
        if before == Some(incident) {
            continue;
        }
        // First seen already over: news about the past, not something we saw begin.
        let backfilled = before.is_none() && incident.status.is_some_and(|s| s.is_closed());
        let html = render(&incident.updates).await?;
        let id = history::upsert_incident(tx, provider, incident, &html, backfilled, now).await?;
        ids.incidents.insert(incident.id.clone(), id);
    }
    for maintenance in &state.maintenances {
        let before = previous.and_then(|p| p.maintenances.iter().find(|m| m.id == maintenance.id));
        if before == Some(maintenance) {
            continue;
        }
        let backfilled =
            before.is_none() && maintenance.status == Some(vw_domain::MaintenanceStatus::Completed);
        let html = render(&maintenance.updates).await?;
        let id =
            history::upsert_maintenance(tx, provider, maintenance, &html, backfilled, now).await?;
        ids.maintenances.insert(maintenance.id.clone(), id);
    }
    Ok(ids)
}

/// The updates' bodies as safe HTML, rendered on a blocking thread: bounded, but still the
/// heaviest CPU a poll does, and never on the async threads that serve pages and polls.
async fn render<S>(updates: &[vw_domain::Update<S>]) -> Result<Vec<String>, JobsError> {
    let bodies: Vec<String> = updates.iter().map(|u| u.body.clone()).collect();
    tokio::task::spawn_blocking(move || bodies.iter().map(|b| vw_markup::to_safe_html(b)).collect())
        .await
        .map_err(|e| JobsError::Pool(format!("rendering update bodies: {e}")))
}

async fn insert(
    tx: &mut vw_store::Transaction<'static, vw_store::Postgres>,
    provider: ProviderId,
    event: &Event,
    ids: &Ids,
    now: DateTime<Utc>,
) -> Result<(), JobsError> {
    let (mut incident, mut maintenance) = (None, None);
    match event {
        Event::IncidentOpened(c)
        | Event::IncidentUpdated(c)
        | Event::IncidentResolved(c)
        | Event::PostmortemPublished(c) => {
            incident = match ids.incidents.get(&c.incident_id) {
                Some(id) => Some(*id),
                None => history::incident_id(&mut **tx, provider, &c.incident_id).await?,
            };
        }
        Event::MaintenanceCancelled(c) => {
            maintenance =
                history::cancel_maintenance(&mut **tx, provider, &c.maintenance_id, now).await?;
        }
        Event::MaintenanceScheduled(c)
        | Event::MaintenanceStarted(c)
        | Event::MaintenanceCompleted(c) => {
            maintenance = match ids.maintenances.get(&c.maintenance_id) {
                Some(id) => Some(*id),
                None => history::maintenance_id(&mut **tx, provider, &c.maintenance_id).await?,
            };
        }
        Event::ComponentStatusChanged(_)
        | Event::ProviderUnreachable(_)
        | Event::ProviderRecovered(_) => {}
    }
    history::insert_event(
        &mut **tx,
        NewEvent {
            provider,
            event,
            incident,
            maintenance,
            detected_at: now,
        },
    )
    .await?;
    Ok(())
}

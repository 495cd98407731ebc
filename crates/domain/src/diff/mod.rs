//! The snapshot diff: what changed between the state we hold for a page and a new read of it,
//! as [`Event`]s, and [`merge`], the state to hold after that read.
//!
//! A poll does `events = diff(&state, &read); state = merge(&state, &read)` and stores both in
//! one transaction. Folded that way over any sequence of reads, each change the reads show
//! becomes exactly one event, whatever order the sources list things in.
//!
//! # Rules
//!
//! Both snapshots are two reads of the same page through the same surface: ids are unique
//! within a list and mean the same thing in both. (When a provider moves to another platform,
//! its ids change too; the caller starts a new state then.)
//!
//! Incidents (`incidents.rs`):
//! - **Absent is not deleted.** Summaries list only unresolved incidents and feeds only recent
//!   ones, so an incident missing from `next` yields nothing, and [`merge`] keeps it as it was.
//! - **First sight** yields one event: `incident_opened` if open, else `incident_resolved`
//!   with `backfilled` (news about the past, even if a postmortem is already out).
//! - **Each new update** (an id not seen before), oldest first, yields one event by the status
//!   move it makes: open → closed is `incident_resolved` (open → postmortem too, so that
//!   "resolved" subscribers hear of it); resolved → postmortem is `postmortem_published`;
//!   closed → open is `incident_opened` with `reopened`, so that a team filtering on opened +
//!   resolved learns that it broke again; anything else is `incident_updated`. An update
//!   without a status keeps the status; the incident's own status is the final word on where
//!   the newest update left it.
//! - **No new update, status moved** (summaries without timelines): one event by the same
//!   rules, without `update_id`. Else an **impact** that moved yields `incident_updated`, so a
//!   severity filter can notice an escalation. A status the read does not give (`None`)
//!   moves nothing; an impact moves only from one known value to another (a feed gives none,
//!   and learning it later is no change). Alongside new updates, a moved impact is carried by
//!   their events.
//! - **An edited update** (known id, new body) yields `incident_updated` with `edited`: never a
//!   new incident, never a second event for the update itself.
//!
//! Maintenances (`maintenances.rs`): by phase, not by word. Scheduled (or unknown) → running
//! (`in_progress` or `verifying`) → completed.
//! - First sight: scheduled → `maintenance_scheduled`, running → `maintenance_started`,
//!   completed → `maintenance_completed` with `backfilled`.
//! - A later phase: `maintenance_started` or `maintenance_completed` (a skipped phase is not
//!   replayed); back to scheduled: `maintenance_scheduled` with `rescheduled`.
//!   `in_progress` ↔ `verifying` is no event. Still scheduled with a moved window (known
//!   before and after): `maintenance_scheduled` with `rescheduled`.
//! - **Cancelled**: a maintenance last seen `scheduled` that `next` no longer lists. Every
//!   listing that shows scheduled maintenances (summary, upcoming list, full list, feed) keeps
//!   one at least until it starts, and Statuspage cancels by deleting: a scheduled one leaves
//!   early only when cancelled. The exception is a maintenance that started and ended between
//!   two reads of an active-only listing, never seen running; the event carries the window so
//!   that the caller, which knows when it read, can tell. Once cancelled, [`merge`] drops it, so
//!   it is said once; should it come back, it is scheduled anew. Vanishing in any other phase
//!   is no event (summaries drop completed ones). A read that skipped an unreadable item
//!   (`incomplete`) cancels nothing: the missing one may be the item it could not read.
//!
//! Components (`components.rs`): a known status that moved to another known status is
//! `component_status_changed`. A read listing no components (a feed) says nothing about them;
//! appearing or disappearing components are not status changes.
//!
//! Output order: incidents, then maintenances, then components, each by id; within one
//! incident, new updates oldest first, then edits oldest first. Nothing depends on the order of
//! the input lists.

mod components;
mod incidents;
mod maintenances;
mod merge;
#[cfg(test)]
mod test_support;

use std::collections::BTreeMap;

use crate::{Event, Incident, IncidentStatus, Maintenance, MaintenanceStatus, Snapshot, Update};

pub use merge::merge;

/// The events that turn `previous` into `next`. Pure and deterministic; see the module docs.
pub fn diff(previous: &Snapshot, next: &Snapshot) -> Vec<Event> {
    let mut events = Vec::new();
    incidents::diff(&previous.incidents, &next.incidents, &mut events);
    maintenances::diff(
        &previous.maintenances,
        &next.maintenances,
        next.incomplete,
        &mut events,
    );
    components::diff(&previous.components, &next.components, &mut events);
    events
}

/// Indexes a list by id, so that nothing downstream depends on the list's order.
fn by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> BTreeMap<&str, &T> {
    items.iter().map(|item| (id(item), item)).collect()
}

/// Oldest first, the way `Snapshot::canonicalize` orders updates.
fn chronological<S>(a: &&Update<S>, b: &&Update<S>) -> std::cmp::Ordering {
    (a.posted_at, &a.id).cmp(&(b.posted_at, &b.id))
}

fn newest<S>(updates: &[Update<S>]) -> Option<&Update<S>> {
    updates.iter().max_by(chronological)
}

pub(crate) fn newest_status<S: Copy>(updates: &[Update<S>]) -> Option<S> {
    updates
        .iter()
        .filter(|u| u.status.is_some())
        .max_by(chronological)
        .and_then(|u| u.status)
}

fn incident_status(incident: &Incident) -> Option<IncidentStatus> {
    incident.current_status()
}

fn maintenance_status(maintenance: &Maintenance) -> Option<MaintenanceStatus> {
    maintenance
        .status
        .or_else(|| newest_status(&maintenance.updates))
}

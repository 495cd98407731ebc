//! Maintenance events: phases, reschedules, cancellations (rules in `mod.rs`).

use std::collections::BTreeSet;

use super::{by_id, maintenance_status, newest};
use crate::{Event, Maintenance, MaintenanceChange, MaintenanceStatus};

pub(super) fn diff(
    previous: &[Maintenance],
    next: &[Maintenance],
    next_incomplete: bool,
    out: &mut Vec<Event>,
) {
    let before = by_id(previous, |m| &m.id);
    let after = by_id(next, |m| &m.id);
    let ids: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    for id in ids {
        match (before.get(id), after.get(id)) {
            (None, Some(new)) => out.push(first_sight(new)),
            (Some(old), Some(new)) => out.extend(change(old, new)),
            (Some(old), None) if !next_incomplete && is_cancelled_when_gone(old) => {
                let from = maintenance_status(old);
                out.push(Event::MaintenanceCancelled(payload(old, from, None)));
            }
            _ => {}
        }
    }
}

/// Whether a maintenance that the next read no longer lists was cancelled: it was last seen
/// scheduled (see "Cancelled" in `mod.rs` for why that is enough). `merge` drops those.
pub(super) fn is_cancelled_when_gone(maintenance: &Maintenance) -> bool {
    maintenance_status(maintenance) == Some(MaintenanceStatus::Scheduled)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Scheduled,
    Running,
    Completed,
}

/// A status not known yet counts as scheduled: nothing says it has begun.
fn phase(status: Option<MaintenanceStatus>) -> Phase {
    match status {
        None | Some(MaintenanceStatus::Scheduled) => Phase::Scheduled,
        Some(MaintenanceStatus::InProgress | MaintenanceStatus::Verifying) => Phase::Running,
        Some(MaintenanceStatus::Completed) => Phase::Completed,
    }
}

fn first_sight(new: &Maintenance) -> Event {
    let to = maintenance_status(new);
    let mut change = payload(new, None, to);
    match phase(to) {
        Phase::Scheduled => Event::MaintenanceScheduled(change),
        Phase::Running => Event::MaintenanceStarted(change),
        Phase::Completed => {
            change.backfilled = true;
            Event::MaintenanceCompleted(change)
        }
    }
}

fn change(old: &Maintenance, new: &Maintenance) -> Option<Event> {
    let from = maintenance_status(old);
    // An unknown status in the new read moves nothing, as `merge` keeps the old one.
    let to = maintenance_status(new).or(from);
    let mut change = payload(new, from, to);
    match (phase(from), phase(to)) {
        (before, after) if before == after => {
            // A window learned (unknown before) has not moved.
            let moved =
                |new: Option<_>, old: Option<_>| new.is_some() && old.is_some() && new != old;
            let window_moved = moved(new.scheduled_for, old.scheduled_for)
                || moved(new.scheduled_until, old.scheduled_until);
            (to == Some(MaintenanceStatus::Scheduled) && window_moved).then(|| {
                change.rescheduled = true;
                Event::MaintenanceScheduled(change)
            })
        }
        (_, Phase::Scheduled) => {
            change.rescheduled = true;
            Some(Event::MaintenanceScheduled(change))
        }
        (_, Phase::Running) => Some(Event::MaintenanceStarted(change)),
        (_, Phase::Completed) => Some(Event::MaintenanceCompleted(change)),
    }
}

fn payload(
    maintenance: &Maintenance,
    from: Option<MaintenanceStatus>,
    to: Option<MaintenanceStatus>,
) -> MaintenanceChange {
    MaintenanceChange {
        maintenance_id: maintenance.id.clone(),
        update_id: newest(&maintenance.updates).map(|u| u.id.clone()),
        from,
        to,
        scheduled_for: maintenance.scheduled_for,
        scheduled_until: maintenance.scheduled_until,
        components: maintenance.components.clone(),
        backfilled: false,
        rescheduled: false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::diff;
    use super::super::test_support::{at, maintenance, summary, with_maintenances};
    use crate::{Event, MaintenanceStatus::*, Platform, Snapshot};

    fn kinds(prev: Vec<crate::Maintenance>, next: Vec<crate::Maintenance>) -> Vec<String> {
        summary(&diff(&with_maintenances(prev), &with_maintenances(next)))
    }

    #[test]
    fn first_sight_follows_the_phase() {
        let events = diff(
            &Snapshot::empty(Platform::Statuspage),
            &with_maintenances(vec![
                maintenance("a", Scheduled),
                maintenance("b", Verifying),
                maintenance("c", Completed),
            ]),
        );
        assert_eq!(
            summary(&events),
            [
                "maintenance_scheduled a -",
                "maintenance_started b -",
                "maintenance_completed c -"
            ]
        );
        assert!(matches!(&events[2], Event::MaintenanceCompleted(c) if c.backfilled));
    }

    #[test]
    fn each_phase_change_is_one_event() {
        let started = kinds(
            vec![maintenance("m", Scheduled)],
            vec![maintenance("m", InProgress)],
        );
        assert_eq!(started, ["maintenance_started m -"]);
        let completed = kinds(
            vec![maintenance("m", InProgress)],
            vec![maintenance("m", Completed)],
        );
        assert_eq!(completed, ["maintenance_completed m -"]);
    }

    #[test]
    fn a_skipped_phase_is_not_replayed() {
        let jump = kinds(
            vec![maintenance("m", Scheduled)],
            vec![maintenance("m", Completed)],
        );
        assert_eq!(jump, ["maintenance_completed m -"]);
    }

    #[test]
    fn verifying_is_not_an_event() {
        assert!(
            kinds(
                vec![maintenance("m", InProgress)],
                vec![maintenance("m", Verifying)]
            )
            .is_empty()
        );
        assert!(
            kinds(
                vec![maintenance("m", Verifying)],
                vec![maintenance("m", InProgress)]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_moved_window_is_a_reschedule() {
        let mut later = maintenance("m", Scheduled);
        later.scheduled_for = at(900);
        let events = diff(
            &with_maintenances(vec![maintenance("m", Scheduled)]),
            &with_maintenances(vec![later]),
        );
        assert_eq!(summary(&events), ["maintenance_scheduled m -"]);
        assert!(matches!(&events[0], Event::MaintenanceScheduled(c)
            if c.rescheduled && c.scheduled_for == at(900)));
    }

    #[test]
    fn a_window_the_read_does_not_give_or_gives_first_has_not_moved() {
        let mut feed_entry = maintenance("m", Scheduled);
        feed_entry.scheduled_for = None;
        feed_entry.scheduled_until = None;
        let full = maintenance("m", Scheduled);
        assert!(kinds(vec![full.clone()], vec![feed_entry.clone()]).is_empty());
        assert!(kinds(vec![feed_entry], vec![full]).is_empty());
    }

    #[test]
    fn a_scheduled_maintenance_that_vanishes_is_cancelled() {
        let events = diff(
            &with_maintenances(vec![maintenance("m", Scheduled)]),
            &with_maintenances(vec![]),
        );
        assert_eq!(summary(&events), ["maintenance_cancelled m -"]);
        assert!(matches!(&events[0], Event::MaintenanceCancelled(c)
            if c.from == Some(Scheduled) && c.to.is_none() && c.scheduled_for == at(600)));
    }

    #[test]
    fn a_running_or_completed_maintenance_that_vanishes_is_not_cancelled() {
        // Summaries list upcoming and active maintenances only.
        assert!(kinds(vec![maintenance("m", InProgress)], vec![]).is_empty());
        assert!(kinds(vec![maintenance("m", Completed)], vec![]).is_empty());
    }

    #[test]
    fn a_read_that_skipped_an_item_cancels_nothing_and_loses_nothing() {
        let held = with_maintenances(vec![maintenance("m", Scheduled)]);
        let mut read = with_maintenances(vec![]);
        read.incomplete = true;
        assert!(
            diff(&held, &read).is_empty(),
            "m may be the item it skipped"
        );
        let merged = crate::merge(&held, &read);
        assert_eq!(merged.maintenances.len(), 1, "and it is still held");
        assert!(!merged.incomplete);
    }
}

//! Incident events: first sight, new updates, status or impact moves, edits (rules in `mod.rs`).

use super::{by_id, chronological, incident_status, newest};
use crate::{Event, Incident, IncidentChange, IncidentStatus};

pub(super) fn diff(previous: &[Incident], next: &[Incident], out: &mut Vec<Event>) {
    let before = by_id(previous, |i| &i.id);
    // Incidents only in `previous` are not iterated: absent is not deleted.
    for (id, incident) in by_id(next, |i| &i.id) {
        match before.get(id) {
            None => out.push(first_sight(incident)),
            Some(old) => changes(old, incident, out),
        }
    }
}

fn first_sight(incident: &Incident) -> Event {
    let to = incident_status(incident);
    let update = newest(&incident.updates).map(|u| u.id.as_str());
    let mut change = change(incident, update, None, to);
    if is_closed(to) {
        change.backfilled = true;
        Event::IncidentResolved(change)
    } else {
        Event::IncidentOpened(change)
    }
}

fn changes(old: &Incident, new: &Incident, out: &mut Vec<Event>) {
    let known = by_id(&old.updates, |u| &u.id);
    let mut fresh: Vec<_> = new
        .updates
        .iter()
        .filter(|u| !known.contains_key(u.id.as_str()))
        .collect();
    fresh.sort_by(chronological);

    let end = incident_status(new);
    let mut status = incident_status(old);
    for (n, update) in fresh.iter().enumerate() {
        let to = if n + 1 == fresh.len() {
            end.or(update.status).or(status)
        } else {
            update.status.or(status)
        };
        out.push(moved(change(new, Some(&update.id), status, to)));
        status = to;
    }
    if fresh.is_empty() {
        if end.is_some() && end != status {
            out.push(moved(change(new, None, status, end)));
            status = end;
        } else if new.impact.is_some() && old.impact.is_some() && new.impact != old.impact {
            out.push(Event::IncidentUpdated(change(new, None, status, status)));
        }
    }

    let mut edited: Vec<_> = new
        .updates
        .iter()
        .filter(|u| known.get(u.id.as_str()).is_some_and(|o| o.body != u.body))
        .collect();
    edited.sort_by(chronological);
    for update in edited {
        let mut change = change(new, Some(&update.id), status, status);
        change.edited = true;
        out.push(Event::IncidentUpdated(change));
    }
}

/// The event for a status move `from` → `to` of an incident already seen.
fn moved(mut change: IncidentChange) -> Event {
    let (was_closed, now_closed) = (is_closed(change.from), is_closed(change.to));
    if !was_closed && now_closed {
        Event::IncidentResolved(change)
    } else if was_closed && change.to.is_some() && !now_closed {
        change.reopened = true;
        Event::IncidentOpened(change)
    } else if change.to == Some(IncidentStatus::Postmortem)
        && change.from != Some(IncidentStatus::Postmortem)
    {
        Event::PostmortemPublished(change)
    } else {
        Event::IncidentUpdated(change)
    }
}

fn change(
    incident: &Incident,
    update: Option<&str>,
    from: Option<IncidentStatus>,
    to: Option<IncidentStatus>,
) -> IncidentChange {
    IncidentChange {
        incident_id: incident.id.clone(),
        update_id: update.map(str::to_owned),
        from,
        to,
        impact: incident.impact,
        components: incident.components.clone(),
        edited: false,
        backfilled: false,
        reopened: false,
    }
}

fn is_closed(status: Option<IncidentStatus>) -> bool {
    status.is_some_and(IncidentStatus::is_closed)
}

#[cfg(test)]
mod tests {
    use super::super::diff;
    use super::super::test_support::{at, incident, page, summary, update};
    use crate::{Event, Impact, IncidentStatus::*};

    #[test]
    fn an_identical_read_yields_nothing() {
        let s = page(vec![incident("i1", &[("u1", Investigating)])]);
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn first_sight_of_an_open_incident_opens_it_on_its_newest_update() {
        let next = page(vec![incident(
            "i1",
            &[("u1", Investigating), ("u2", Identified)],
        )]);
        let events = diff(&page(vec![]), &next);
        assert_eq!(summary(&events), ["incident_opened i1 u2"]);
    }

    #[test]
    fn first_sight_of_a_closed_incident_is_one_backfilled_resolution() {
        let pm = incident(
            "i1",
            &[("u1", Investigating), ("u2", Resolved), ("u3", Postmortem)],
        );
        let events = diff(&page(vec![]), &page(vec![pm]));
        assert_eq!(summary(&events), ["incident_resolved i1 u3"]);
        assert!(matches!(&events[0], Event::IncidentResolved(c) if c.backfilled));
    }

    #[test]
    fn a_plain_new_update_is_an_update() {
        let prev = page(vec![incident("i1", &[("u1", Investigating)])]);
        let next = page(vec![incident(
            "i1",
            &[("u1", Investigating), ("u2", Identified)],
        )]);
        assert_eq!(summary(&diff(&prev, &next)), ["incident_updated i1 u2"]);
    }

    #[test]
    fn a_resolving_update_is_only_a_resolution() {
        let prev = page(vec![incident("i1", &[("u1", Monitoring)])]);
        let next = page(vec![incident(
            "i1",
            &[("u1", Monitoring), ("u2", Resolved)],
        )]);
        let events = diff(&prev, &next);
        assert_eq!(summary(&events), ["incident_resolved i1 u2"]);
        assert!(matches!(&events[0], Event::IncidentResolved(c)
            if c.from == Some(Monitoring) && c.to == Some(Resolved) && !c.backfilled));
    }

    #[test]
    fn several_new_updates_yield_one_event_each_oldest_first() {
        let prev = page(vec![incident("i1", &[("u1", Investigating)])]);
        let mut next = incident(
            "i1",
            &[("u1", Investigating), ("u2", Resolved), ("u3", Postmortem)],
        );
        next.updates.reverse(); // newest first, as the Statuspage API lists them
        let events = diff(&prev, &page(vec![next]));
        assert_eq!(
            summary(&events),
            ["incident_resolved i1 u2", "postmortem_published i1 u3"]
        );
    }

    #[test]
    fn an_update_straight_to_postmortem_resolves() {
        let prev = page(vec![incident("i1", &[("u1", Monitoring)])]);
        let next = page(vec![incident(
            "i1",
            &[("u1", Monitoring), ("u2", Postmortem)],
        )]);
        assert_eq!(summary(&diff(&prev, &next)), ["incident_resolved i1 u2"]);
    }

    #[test]
    fn a_note_after_resolution_is_an_update() {
        let prev = page(vec![incident("i1", &[("u1", Resolved)])]);
        let next = page(vec![incident("i1", &[("u1", Resolved), ("u2", Resolved)])]);
        assert_eq!(summary(&diff(&prev, &next)), ["incident_updated i1 u2"]);
    }

    #[test]
    fn a_reopen_opens_again_and_says_so() {
        let prev = page(vec![incident("i1", &[("u1", Resolved)])]);
        let next = page(vec![incident(
            "i1",
            &[("u1", Resolved), ("u2", Investigating)],
        )]);
        let events = diff(&prev, &next);
        assert_eq!(summary(&events), ["incident_opened i1 u2"]);
        assert!(matches!(&events[0], Event::IncidentOpened(c)
            if c.reopened && c.from == Some(Resolved) && !c.backfilled));
    }

    #[test]
    fn an_edited_update_is_an_edit_not_a_new_incident() {
        let prev = page(vec![incident(
            "i1",
            &[("u1", Investigating), ("u2", Resolved)],
        )]);
        let mut next = prev.clone();
        next.incidents[0].updates[1].body = "Resolved. Root cause: a bad deploy.".into();
        let events = diff(&prev, &next);
        assert_eq!(summary(&events), ["incident_updated i1 u2"]);
        assert!(matches!(&events[0], Event::IncidentUpdated(c) if c.edited));
    }

    #[test]
    fn a_status_that_moved_without_an_update_still_yields_its_event() {
        let mut prev = incident("i1", &[]);
        prev.status = Some(Investigating);
        let mut next = prev.clone();
        next.status = Some(Resolved);
        let events = diff(&page(vec![prev]), &page(vec![next]));
        assert_eq!(summary(&events), ["incident_resolved i1 -"]);
    }

    #[test]
    fn an_impact_escalation_without_an_update_is_an_update() {
        let mut prev = page(vec![incident("i1", &[("u1", Investigating)])]);
        prev.incidents[0].impact = Some(Impact::Minor);
        let mut next = prev.clone();
        next.incidents[0].impact = Some(Impact::Critical);
        let events = diff(&prev, &next);
        assert_eq!(summary(&events), ["incident_updated i1 -"]);
        assert!(
            matches!(&events[0], Event::IncidentUpdated(c) if c.impact == Some(Impact::Critical))
        );
    }

    #[test]
    fn an_impact_learned_later_is_no_change() {
        // A feed gives no impact; the full API read afterwards does.
        let prev = page(vec![incident("i1", &[("u1", Investigating)])]);
        let mut next = prev.clone();
        next.incidents[0].impact = Some(Impact::Major);
        assert!(diff(&prev, &next).is_empty());
    }

    #[test]
    fn an_unknown_status_or_impact_moves_nothing() {
        let mut prev = page(vec![incident("i1", &[("u1", Investigating)])]);
        prev.incidents[0].impact = Some(Impact::Minor);
        let mut next = prev.clone();
        next.incidents[0].impact = None;
        next.incidents[0].status = None;
        next.incidents[0].updates[0].status = None;
        assert!(diff(&prev, &next).is_empty());
    }

    #[test]
    fn an_incident_missing_from_the_next_read_is_not_deleted() {
        let prev = page(vec![
            incident("i1", &[("u1", Investigating)]),
            incident("i2", &[("u9", Investigating)]),
        ]);
        let next = page(vec![incident("i2", &[("u9", Investigating)])]);
        assert!(diff(&prev, &next).is_empty());
    }

    #[test]
    fn an_end_time_alone_closes_an_incident_without_status() {
        let mut feed_entry = incident("i1", &[]);
        feed_entry.status = None;
        feed_entry
            .updates
            .push(update("u1", None, 5, "All good now"));
        feed_entry.resolved_at = at(5);
        let events = diff(&page(vec![]), &page(vec![feed_entry]));
        assert_eq!(summary(&events), ["incident_resolved i1 u1"]);
    }

    #[test]
    fn events_follow_incident_ids_not_list_order() {
        let a = incident("a", &[("ua", Investigating)]);
        let b = incident("b", &[("ub", Investigating)]);
        let one = diff(&page(vec![]), &page(vec![a.clone(), b.clone()]));
        let other = diff(&page(vec![]), &page(vec![b, a]));
        assert_eq!(one, other);
        assert_eq!(
            summary(&one),
            ["incident_opened a ua", "incident_opened b ub"]
        );
    }
}

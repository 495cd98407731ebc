//! The state to hold after a read: what the next `diff` compares against.
//!
//! It must agree with `diff` field by field: whatever `diff(state, read)` counted as a change
//! is in the merged state, so that `diff(merge(state, read), read)` is empty and no change is
//! counted twice. Values the read does not give (`None`, empty lists) keep the held ones: a
//! summary or a feed tells less than the full API, not that things were erased.

use super::maintenances::is_cancelled_when_gone;
use super::{by_id, incident_status, maintenance_status};
use crate::{Incident, IncidentStatus, Maintenance, Page, Snapshot, Update};

/// `previous` updated with what `next` says. Incidents and maintenances `next` does not list
/// are kept as they were, except a maintenance `diff` has just declared cancelled, which is
/// dropped so that the cancellation is said once. Updates are united by id, the text of `next`
/// winning (edits). Components come from `next` unless it lists none. The result is
/// canonical.
pub fn merge(previous: &Snapshot, next: &Snapshot) -> Snapshot {
    let mut merged = Snapshot {
        platform: next.platform,
        page: Page {
            name: next
                .page
                .name
                .clone()
                .or_else(|| previous.page.name.clone()),
            url: next.page.url.clone().or_else(|| previous.page.url.clone()),
            id: next.page.id.clone().or_else(|| previous.page.id.clone()),
        },
        components: if next.components.is_empty() {
            previous.components.clone()
        } else if next.incomplete {
            // A component the read skipped is not gone: keep the held one after the rest.
            let mut components = next.components.clone();
            components.extend(
                previous
                    .components
                    .iter()
                    .filter(|held| next.components.iter().all(|c| c.id != held.id))
                    .cloned(),
            );
            components
        } else {
            next.components.clone()
        },
        incidents: union(
            &previous.incidents,
            &next.incidents,
            |i| &i.id,
            merge_incident,
            |_| true,
        ),
        maintenances: union(
            &previous.maintenances,
            &next.maintenances,
            |m| &m.id,
            merge_maintenance,
            |m| next.incomplete || !is_cancelled_when_gone(m),
        ),
        incomplete: false,
    };
    merged.canonicalize();
    merged
}

/// Items of `next`, merged with their held versions, plus held items `next` does not list
/// that `keep_gone` keeps.
fn union<T: Clone>(
    previous: &[T],
    next: &[T],
    id: impl Fn(&T) -> &str,
    both: impl Fn(&T, &T) -> T,
    keep_gone: impl Fn(&T) -> bool,
) -> Vec<T> {
    let before = by_id(previous, &id);
    let after = by_id(next, &id);
    let gone = previous
        .iter()
        .filter(|held| !after.contains_key(id(held)) && keep_gone(held));
    let listed = next.iter().map(|new| match before.get(id(new)) {
        Some(held) => both(held, new),
        None => new.clone(),
    });
    gone.cloned().chain(listed).collect()
}

fn merge_incident(held: &Incident, new: &Incident) -> Incident {
    // The status `diff` compared with, stored outright: later reads compare against it.
    let status = incident_status(new).or_else(|| incident_status(held));
    let closed = status.is_some_and(IncidentStatus::is_closed);
    Incident {
        id: new.id.clone(),
        title: text_or(&new.title, &held.title),
        impact: new.impact.or(held.impact),
        status,
        started_at: new.started_at.or(held.started_at),
        // A reopened incident has no end any more.
        resolved_at: new.resolved_at.or(held.resolved_at.filter(|_| closed)),
        url: new.url.clone().or_else(|| held.url.clone()),
        components: list_or(&new.components, &held.components),
        updates: union(
            &held.updates,
            &new.updates,
            |u| &u.id,
            merge_update,
            |_| true,
        ),
    }
}

fn merge_maintenance(held: &Maintenance, new: &Maintenance) -> Maintenance {
    Maintenance {
        id: new.id.clone(),
        title: text_or(&new.title, &held.title),
        status: maintenance_status(new).or_else(|| maintenance_status(held)),
        scheduled_for: new.scheduled_for.or(held.scheduled_for),
        scheduled_until: new.scheduled_until.or(held.scheduled_until),
        url: new.url.clone().or_else(|| held.url.clone()),
        components: list_or(&new.components, &held.components),
        updates: union(
            &held.updates,
            &new.updates,
            |u| &u.id,
            merge_update,
            |_| true,
        ),
    }
}

fn merge_update<S: Copy>(held: &Update<S>, new: &Update<S>) -> Update<S> {
    Update {
        id: new.id.clone(),
        status: new.status.or(held.status),
        body: new.body.clone(),
        posted_at: new.posted_at.or(held.posted_at),
    }
}

fn text_or(new: &str, held: &str) -> String {
    if new.is_empty() { held } else { new }.to_owned()
}

fn list_or(new: &[String], held: &[String]) -> Vec<String> {
    if new.is_empty() { held } else { new }.to_vec()
}

#[cfg(test)]
mod tests {
    use super::super::diff;
    use super::super::test_support::{
        at, component, incident, maintenance, page, with_components, with_maintenances,
    };
    use super::merge;
    use crate::{ComponentStatus, IncidentStatus::*, MaintenanceStatus};

    #[test]
    fn an_incident_the_read_does_not_list_is_kept_as_it_was() {
        let held = page(vec![incident("i1", &[("u1", Investigating)])]);
        let merged = merge(&held, &page(vec![]));
        assert_eq!(merged.incidents, held.incidents);
    }

    #[test]
    fn updates_are_united_by_id_and_the_new_text_wins() {
        let held = page(vec![incident(
            "i1",
            &[("u1", Investigating), ("u2", Identified)],
        )]);
        // A read that shows only the newest update, u2 edited, and a new u3.
        let mut read = incident("i1", &[("u2", Identified), ("u3", Resolved)]);
        read.updates[0].body = "edited".into();
        read.updates[0].posted_at = at(1);
        read.updates[1].posted_at = at(2);
        let merged = merge(&held, &page(vec![read.clone()]));
        let updates = &merged.incidents[0].updates;
        let ids: Vec<_> = updates.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["u1", "u2", "u3"]);
        assert_eq!(updates[1].body, "edited");
        assert_eq!(merged.incidents[0].status, Some(Resolved));
        assert!(diff(&merged, &page(vec![read])).is_empty());
    }

    #[test]
    fn values_the_read_lacks_keep_the_held_ones() {
        let mut held_incident = incident("i1", &[("u1", Investigating)]);
        held_incident.impact = Some(crate::Impact::Major);
        held_incident.components = vec!["api".into()];
        let mut read = held_incident.clone();
        read.impact = None;
        read.components = vec![];
        read.status = None;
        read.updates[0].status = None;
        let merged = merge(&page(vec![held_incident.clone()]), &page(vec![read]));
        assert_eq!(merged.incidents[0], held_incident);
    }

    #[test]
    fn a_reopen_clears_the_end() {
        let mut held = incident("i1", &[("u1", Resolved)]);
        held.resolved_at = at(0);
        let read = incident("i1", &[("u1", Resolved), ("u2", Investigating)]);
        let merged = merge(&page(vec![held]), &page(vec![read]));
        assert_eq!(merged.incidents[0].status, Some(Investigating));
        assert_eq!(merged.incidents[0].resolved_at, None);
    }

    #[test]
    fn a_cancelled_maintenance_is_dropped_and_others_kept() {
        let held = with_maintenances(vec![
            maintenance("cancelled", MaintenanceStatus::Scheduled),
            maintenance("done", MaintenanceStatus::InProgress),
        ]);
        let merged = merge(&held, &with_maintenances(vec![]));
        let ids: Vec<_> = merged.maintenances.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["done"]);
        assert!(diff(&merged, &with_maintenances(vec![])).is_empty());
    }

    #[test]
    fn components_come_from_the_read_unless_it_has_none() {
        let held = with_components(vec![component("api", ComponentStatus::Operational)]);
        let read = with_components(vec![component("api", ComponentStatus::PartialOutage)]);
        assert_eq!(merge(&held, &read).components, read.components);
        assert_eq!(merge(&held, &page(vec![])).components, held.components);
    }

    #[test]
    fn the_page_id_is_held_like_its_name() {
        let mut held = page(vec![]);
        held.page.id = Some("kctbh9vrtdwd".into());
        held.page.name = Some("GitHub".into());
        // A read that names no page (a feed, say) forgets neither.
        let merged = merge(&held, &page(vec![]));
        assert_eq!(merged.page.id.as_deref(), Some("kctbh9vrtdwd"));
        assert_eq!(merged.page.name.as_deref(), Some("GitHub"));
        let mut other = page(vec![]);
        other.page.id = Some("other".into());
        assert_eq!(merge(&held, &other).page.id.as_deref(), Some("other"));
    }
}

//! Component events: a known status that moved (rules in `mod.rs`).

use super::by_id;
use crate::{Component, ComponentChange, Event};

/// A read that lists no components (a feed) yields nothing here by construction: only
/// components of `next` are compared, and `merge` keeps the previous ones for next time.
pub(super) fn diff(previous: &[Component], next: &[Component], out: &mut Vec<Event>) {
    let before = by_id(previous, |c| &c.id);
    for (id, component) in by_id(next, |c| &c.id) {
        let from = before.get(id).and_then(|old| old.status);
        if let (Some(from), Some(to)) = (from, component.status)
            && from != to
        {
            out.push(Event::ComponentStatusChanged(ComponentChange {
                component_id: component.id.clone(),
                from,
                to,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::diff;
    use super::super::test_support::{component, summary, with_components};
    use crate::{ComponentStatus::*, Event};

    #[test]
    fn a_status_change_names_both_statuses() {
        let prev = with_components(vec![
            component("api", Operational),
            component("web", Operational),
        ]);
        let next = with_components(vec![
            component("web", Operational),
            component("api", MajorOutage),
        ]);
        let events = diff(&prev, &next);
        assert_eq!(summary(&events), ["component_status_changed api -"]);
        assert!(matches!(&events[0], Event::ComponentStatusChanged(c)
            if c.from == Operational && c.to == MajorOutage));
    }

    #[test]
    fn a_read_without_components_says_nothing_about_them() {
        let prev = with_components(vec![component("api", MajorOutage)]);
        assert!(diff(&prev, &with_components(vec![])).is_empty());
    }

    #[test]
    fn new_vanished_and_unknown_components_are_not_changes() {
        let prev = with_components(vec![
            component("api", Operational),
            component("old", Operational),
        ]);
        let mut unknown = component("api", Operational);
        unknown.status = None;
        let next = with_components(vec![unknown, component("new", PartialOutage)]);
        assert!(diff(&prev, &next).is_empty());
    }
}

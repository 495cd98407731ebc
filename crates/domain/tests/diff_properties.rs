//! Properties of `diff` and `merge` over generated vendor histories read through the views real
//! sources give (full API, unresolved-only summary, feed), in shuffled orders, repeatedly.
//!
//! The case count honours `PROPTEST_CASES` (default 256).

mod support;

use proptest::collection::vec;
use proptest::prelude::*;
use vw_domain::{Event, Platform, Snapshot, diff, merge};

use support::history::{ACTIONS, Seed, World};
use support::oracle::{Oracle, describe};
use support::views::{View, read, shuffle_lists};

/// One read: a view and, maybe, a shuffle seed.
type Read = (View, Option<u64>);

fn seed() -> impl Strategy<Value = Seed> {
    (0..ACTIONS, any::<u8>(), any::<u8>())
}

fn any_read() -> impl Strategy<Value = Read> {
    (
        prop::sample::select(View::ALL.to_vec()),
        any::<Option<u64>>(),
    )
}

/// Views that list every incident and maintenance, so that nothing vanishes between sparse reads.
fn complete_read() -> impl Strategy<Value = Read> {
    (
        prop::sample::select(vec![View::Full, View::Feed]),
        any::<Option<u64>>(),
    )
}

fn world_after(seeds: &[Seed]) -> World {
    let mut world = World::new();
    for &s in seeds {
        world.step(s);
    }
    world
}

/// Plays the history, reading after each step as `reads` says and once more in full at the
/// end; checks that the events are exactly those the oracle expects.
fn replay(steps: &[(Seed, Vec<Read>)]) -> Result<(), TestCaseError> {
    let mut world = World::new();
    let mut oracle = Oracle::default();
    let mut state = Snapshot::empty(Platform::Statuspage);
    let mut events = Vec::new();
    // Each read with the number of steps made before it; a full read closes the schedule.
    let plays = steps
        .iter()
        .enumerate()
        .flat_map(|(n, (_, reads))| reads.iter().map(move |r| (n + 1, *r)))
        .chain([(steps.len(), (View::Full, None))]);
    let mut made = 0;
    for (due, (view, shuffle)) in plays {
        for (seed, _) in &steps[made..due] {
            world.step(*seed);
        }
        made = due;
        let snapshot = read(&world.truth, view, shuffle);
        events.extend(diff(&state, &snapshot));
        state = merge(&state, &snapshot);
        prop_assert_eq!(
            diff(&state, &snapshot),
            vec![],
            "a read merged in still differs"
        );
        oracle.observe(&world, made, view);
    }
    let mut got: Vec<String> = events.iter().map(describe).collect();
    let mut expected = oracle.expected;
    got.sort();
    expected.sort();
    prop_assert_eq!(got, expected);
    Ok(())
}

proptest! {
    #[test]
    fn replay_with_reads_after_every_step_reports_each_change_once(
        steps in vec((seed(), vec(any_read(), 1..=3)), 1..40)
    ) {
        replay(&steps)?;
    }

    #[test]
    fn replay_with_sparse_complete_reads_reports_each_visible_change_once(
        steps in vec((seed(), vec(complete_read(), 0..=2)), 1..40)
    ) {
        replay(&steps)?;
    }

    #[test]
    fn a_read_differs_from_nothing_like_itself(
        seeds in vec(seed(), 0..40), (view, shuffle) in any_read(), other in any::<u64>()
    ) {
        let world = world_after(&seeds);
        let snapshot = read(&world.truth, view, shuffle);
        prop_assert_eq!(diff(&snapshot, &snapshot), vec![]);
        let mut reordered = snapshot.clone();
        shuffle_lists(&mut reordered, other);
        prop_assert_eq!(diff(&snapshot, &reordered), vec![]);
        prop_assert_eq!(diff(&merge(&snapshot, &snapshot), &reordered), vec![]);
    }

    #[test]
    fn list_order_changes_neither_events_nor_merged_state(
        seeds in vec(seed(), 1..40),
        cut in any::<prop::sample::Index>(),
        (before, after) in (any_read(), any_read()),
        (one, two) in (any::<u64>(), any::<u64>()),
    ) {
        let mut world = World::new();
        let cut = cut.index(seeds.len());
        for &s in &seeds[..cut] {
            world.step(s);
        }
        let previous = read(&world.truth, before.0, None);
        for &s in &seeds[cut..] {
            world.step(s);
        }
        let next = read(&world.truth, after.0, None);
        let (mut previous_shuffled, mut next_shuffled) = (previous.clone(), next.clone());
        shuffle_lists(&mut previous_shuffled, one);
        shuffle_lists(&mut next_shuffled, two);
        prop_assert_eq!(diff(&previous, &next), diff(&previous_shuffled, &next_shuffled));
        let mut merged = merge(&previous, &next);
        let mut merged_shuffled = merge(&previous_shuffled, &next_shuffled);
        // Components keep the source's (display) order; everything else is canonical.
        merged.components.sort_by(|a, b| a.id.cmp(&b.id));
        merged_shuffled.components.sort_by(|a, b| a.id.cmp(&b.id));
        prop_assert_eq!(merged, merged_shuffled);
    }

    #[test]
    fn an_incident_that_vanishes_is_not_deleted(seeds in vec(seed(), 1..40), mask in any::<u64>()) {
        let world = world_after(&seeds);
        let full = read(&world.truth, View::Full, None);
        let mut partial = full.clone();
        let mut bit = 0;
        partial.incidents.retain(|_| {
            bit += 1;
            (mask >> (bit % 64)) & 1 == 1
        });
        prop_assert_eq!(diff(&full, &partial), vec![]);
        prop_assert_eq!(merge(&full, &partial), full);
    }

    #[test]
    fn an_edited_update_is_one_update_event_not_a_new_incident(
        seeds in vec(seed(), 1..40), which in any::<prop::sample::Index>(), update in any::<prop::sample::Index>()
    ) {
        // Opening an incident first, so that there is always one to edit.
        let world = world_after(&[[(0, 0, 0)].as_slice(), &seeds].concat());
        let before = read(&world.truth, View::Full, None);
        let mut after = before.clone();
        let incident = which.get(&after.incidents).id.clone();
        let index = which.index(after.incidents.len());
        let edited = update.get(&after.incidents[index].updates).id.clone();
        let position = update.index(after.incidents[index].updates.len());
        after.incidents[index].updates[position].body.push_str("\n\nRoot cause: a config change.");
        let events = diff(&before, &after);
        prop_assert_eq!(events.len(), 1);
        let Event::IncidentUpdated(change) = &events[0] else {
            return Err(TestCaseError::fail(format!("not an update: {events:?}")));
        };
        prop_assert!(change.edited);
        prop_assert_eq!(&change.incident_id, &incident);
        prop_assert_eq!(change.update_id.as_ref(), Some(&edited));
    }
}

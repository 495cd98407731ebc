//! Cachet 2.x incident lists with arbitrary statuses, visibility, times, `meta` shapes and
//! updates: read without panic, and resolved only with a "Fixed" update to say when.

use proptest::prelude::*;
use serde_json::{Value, json};
use vw_domain::{IncidentStatus, Platform};

use crate::support::config;

fn time() -> impl Strategy<Value = Value> {
    prop_oneof![
        (2000u32..2100, 1u32..13, 1u32..29, 0u32..24)
            .prop_map(|(y, mo, d, h)| json!(format!("{y}-{mo:02}-{d:02} {h:02}:00:00"))),
        Just(json!(null)),
        Just(json!("")),
        Just(json!("2026-13-45 99:99:99")),
        Just(json!("2024-03-01T10:00:00+02:00")),
    ]
}

fn code() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u8..6).prop_map(|c| json!(c)),
        Just(json!(null)),
        Just(json!("4"))
    ]
}

fn incident() -> impl Strategy<Value = Value> {
    let update =
        (code(), time()).prop_map(|(status, at)| json!({"status": status, "created_at": at}));
    (
        code(),
        prop::option::of(code()),
        prop_oneof![Just(json!(1)), Just(json!(0)), Just(json!(null))],
        (time(), time(), time()),
        prop_oneof![Just(json!([])), Just(json!({})), Just(json!({"k": "v"}))],
        prop::collection::vec(update, 0..4),
    )
        .prop_map(
            |(status, latest, visible, (occurred, created, deleted), meta, updates)| {
                let updates: Vec<Value> = updates
                    .into_iter()
                    .enumerate()
                    .map(|(n, mut u)| {
                        u["id"] = json!(n + 1);
                        u["message"] = json!("m");
                        u
                    })
                    .collect();
                let mut incident = json!({
                    "id": 1, "name": "n", "status": status, "visible": visible, "message": "x",
                    "occurred_at": occurred, "created_at": created, "deleted_at": deleted,
                    "meta": meta, "updates": updates
                });
                if let Some(latest) = latest {
                    incident["latest_status"] = latest;
                }
                incident
            },
        )
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn cachet_2_incidents_resolve_only_with_a_fixed_update(
        incidents in prop::collection::vec(incident(), 0..6),
    ) {
        let incidents: Vec<Value> = incidents
            .into_iter()
            .enumerate()
            .map(|(n, mut i)| {
                i["id"] = json!(n + 1);
                i
            })
            .collect();
        let doc = json!({"meta": {"pagination": {"total": incidents.len()}}, "data": incidents});
        let body = serde_json::to_vec(&doc).unwrap();
        if let Ok(snapshot) = vw_sources::parse(Platform::Cachet, &body) {
            for incident in &snapshot.incidents {
                if let Some(resolved_at) = incident.resolved_at {
                    prop_assert!(incident.status.is_some_and(IncidentStatus::is_closed));
                    let fixed = incident.updates.iter().any(|u| {
                        u.status == Some(IncidentStatus::Resolved)
                            && u.posted_at == Some(resolved_at)
                    });
                    prop_assert!(fixed, "{incident:?}");
                }
            }
        }
    }
}

//! Instatus component lists whose `group` references form any graph (chains, cycles, self
//! references, missing groups): read without panic or endless loop, groups left out.

use proptest::prelude::*;
use serde_json::{Value, json};
use vw_domain::Platform;

use crate::support::config;

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn instatus_group_graphs_always_end(
        groups in prop::collection::vec(prop::option::of(0usize..16), 1..16),
    ) {
        let components: Vec<Value> = groups
            .iter()
            .enumerate()
            .map(|(n, group)| {
                json!({
                    "id": format!("c{n}"),
                    "name": format!("C{n}"),
                    "status": "OPERATIONAL",
                    "group": group.map(|g| json!({"id": format!("c{g}"), "name": format!("G{g}")})),
                })
            })
            .collect();
        let body = serde_json::to_vec(&json!({ "components": components })).unwrap();
        let snapshot = vw_sources::parse(Platform::Instatus, &body);
        prop_assert!(snapshot.is_ok(), "{snapshot:?}");
        let snapshot = snapshot.unwrap();
        let referenced: Vec<String> = groups.iter().flatten().map(|g| format!("c{g}")).collect();
        for component in &snapshot.components {
            prop_assert!(!referenced.contains(&component.id), "{} is a group", component.id);
            let depth = component.group.as_deref().map_or(0, |g| g.split(" / ").count());
            prop_assert!(depth <= 8);
        }
        let members = (0..groups.len()).filter(|n| !referenced.contains(&format!("c{n}")));
        prop_assert_eq!(snapshot.components.len(), members.count());
    }
}

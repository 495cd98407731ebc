//! The component list, `/v3/components.json`: `{components: [{id, name, status, group}]}`.
//!
//! A group is itself a component of the list, the one that others name in their
//! `group: {id, name}` (null when ungrouped). Groups are not components to us: they are left
//! out, and name their members' `group`. A group can sit in another group; a member's group
//! is then the path from the outermost, `Outer / Inner`.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use vw_domain::{Component, Platform, Snapshot};

use super::component_status;
use crate::lenient::Lenient;
use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Instatus;

/// Deeper nesting than this is taken for a loop in the data; no page nests groups so deep.
const MAX_DEPTH: usize = 8;

#[derive(Deserialize)]
struct Document {
    components: Lenient<RawComponent>,
}

#[derive(Deserialize)]
struct RawComponent {
    id: String,
    name: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    group: Option<GroupRef>,
}

#[derive(Deserialize)]
struct GroupRef {
    id: String,
    #[serde(default)]
    name: Option<String>,
}

pub(super) fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Document = text::json(PLATFORM, body)?;
    let listed = doc.components.require_read(PLATFORM, "components")?;
    let groups: HashSet<&str> = listed
        .iter()
        .filter_map(|c| c.group.as_ref().map(|g| g.id.as_str()))
        .collect();
    let by_id: HashMap<&str, &RawComponent> = listed.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut snapshot = Snapshot::empty(PLATFORM);
    snapshot.components = listed
        .iter()
        .filter(|c| !groups.contains(c.id.as_str()))
        .map(|c| Component {
            id: c.id.clone(),
            name: c.name.clone(),
            group: group_path(c, &by_id),
            status: c.status.as_deref().and_then(component_status),
        })
        .collect();
    Ok(snapshot)
}

/// The names of the groups `component` is in, outermost first, joined by ` / `. A group the
/// list does not hold is named as the reference names it.
fn group_path(component: &RawComponent, by_id: &HashMap<&str, &RawComponent>) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut next = component.group.as_ref();
    while let Some(group) = next {
        if names.len() == MAX_DEPTH || !seen.insert(group.id.as_str()) {
            break;
        }
        let listed = by_id.get(group.id.as_str());
        match listed.map(|g| g.name.as_str()).or(group.name.as_deref()) {
            Some(name) if !name.is_empty() => names.push(name),
            _ => {}
        }
        next = listed.and_then(|g| g.group.as_ref());
    }
    if names.is_empty() {
        return None;
    }
    names.reverse();
    Some(names.join(" / "))
}

//! From a Statuspage `/api/v2` document to a snapshot. incident.io's compatible endpoint goes
//! through here too, as a [`Dialect`].

use std::collections::HashMap;

use vw_domain::{
    Component, ComponentStatus, Impact, Incident, IncidentStatus, Maintenance, MaintenanceStatus,
    Page, Platform, Snapshot, Update,
};

use super::json::{self, Document, Item};
use crate::ParseError;

/// Whose `/api/v2` it is: the shapes agree, a few words and the platform differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Atlassian,
    IncidentIo,
}

impl Dialect {
    fn platform(self) -> Platform {
        match self {
            Dialect::Atlassian => Platform::Statuspage,
            Dialect::IncidentIo => Platform::Incidentio,
        }
    }

    fn component_status(self, word: &str) -> Option<ComponentStatus> {
        match (self, word) {
            // incident.io's own word for the worst state (FORMATS.md §2).
            (Dialect::IncidentIo, "full_outage") => Some(ComponentStatus::MajorOutage),
            _ => ComponentStatus::parse(word),
        }
    }
}

pub(crate) fn snapshot(doc: Document, dialect: Dialect) -> Result<Snapshot, ParseError> {
    let platform = dialect.platform();
    let mut snapshot = Snapshot::empty(platform);
    let page_url = doc.page.url.clone();
    snapshot.page = Page {
        name: doc.page.name,
        url: doc.page.url,
        // Statuspage's page id; incident.io's compatible endpoint numbers its pages its own
        // way, so its ids say nothing about Statuspage's.
        id: doc.page.id.filter(|_| dialect == Dialect::Atlassian),
    };
    if let Some(components) = doc.components {
        let components = components.require_read(platform, "components")?;
        snapshot.components = components_of(components, dialect);
    }
    let incidents = match doc.incidents {
        Some(list) => list.require_read(platform, "incidents")?,
        None => Vec::new(),
    };
    let maintenances = match doc.scheduled_maintenances {
        Some(list) => list.require_read(platform, "scheduled_maintenances")?,
        None => Vec::new(),
    };
    for item in incidents.into_iter().chain(doc.incident) {
        // Nothing in the fixtures mixes them, but an item with a maintenance window or a
        // maintenance status is a maintenance whichever list it is in.
        if item.scheduled_for.is_some() || MaintenanceStatus::parse(&item.status).is_some() {
            snapshot
                .maintenances
                .push(maintenance(item, page_url.as_deref(), platform));
        } else {
            snapshot
                .incidents
                .push(incident(item, page_url.as_deref(), platform));
        }
    }
    for item in maintenances {
        snapshot
            .maintenances
            .push(maintenance(item, page_url.as_deref(), platform));
    }
    snapshot.canonicalize();
    Ok(snapshot)
}

/// Group headers (`group: true`) are dropped and name their members' `group`.
///
/// GitHub's "Visit www.githubstatus.com for more information" is kept: the only marks it has
/// (`showcase: false`, no group) are shared by real components elsewhere (Bitbucket's "API"
/// and "Website", CloudAMQP's "Backend" are all `showcase: false` without a group), so no
/// rule that is not about GitHub's wording would drop it alone.
fn components_of(components: Vec<json::Component>, dialect: Dialect) -> Vec<Component> {
    let group_names: HashMap<String, String> = components
        .iter()
        .filter(|c| c.group == Some(true))
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    components
        .into_iter()
        .filter(|c| c.group != Some(true))
        .map(|c| Component {
            group: c.group_id.and_then(|id| group_names.get(&id).cloned()),
            status: dialect.component_status(&c.status),
            id: c.id,
            name: c.name,
        })
        .collect()
}

fn incident(mut item: Item, page_url: Option<&str>, platform: Platform) -> Incident {
    let raw_updates = updates_of(&mut item, platform);
    let components = component_ids(&item, &raw_updates);
    let url = url_of(&item, page_url);
    Incident {
        // `maintenance` is the impact Statuspage gives maintenances, not an incident's; like
        // any word outside the vocabulary it maps to nothing.
        impact: item.impact.as_deref().and_then(Impact::parse),
        status: IncidentStatus::parse(&item.status),
        started_at: item.started_at.or(item.created_at).map(json::Time::utc),
        resolved_at: item.resolved_at.map(json::Time::utc),
        url,
        components,
        updates: updates(raw_updates, IncidentStatus::parse),
        id: item.id,
        title: item.name,
    }
}

fn maintenance(mut item: Item, page_url: Option<&str>, platform: Platform) -> Maintenance {
    let raw_updates = updates_of(&mut item, platform);
    let components = component_ids(&item, &raw_updates);
    let url = url_of(&item, page_url);
    Maintenance {
        status: MaintenanceStatus::parse(&item.status),
        scheduled_for: item.scheduled_for.map(json::Time::utc),
        scheduled_until: item.scheduled_until.map(json::Time::utc),
        url,
        components,
        updates: updates(raw_updates, MaintenanceStatus::parse),
        id: item.id,
        title: item.name,
    }
}

/// The item's updates that read; an unreadable one is skipped, not the item.
fn updates_of(item: &mut Item, platform: Platform) -> Vec<json::ItemUpdate> {
    std::mem::take(&mut item.incident_updates)
        .keep_read(platform, &format!("incident_updates of {}", item.id))
}

/// The shortlink when there is one, else the incident's page on the status page, which is
/// where Statuspage (and incident.io) serve it.
fn url_of(item: &Item, page_url: Option<&str>) -> Option<String> {
    item.shortlink.clone().or_else(|| {
        page_url.map(|page| format!("{}/incidents/{}", page.trim_end_matches('/'), item.id))
    })
}

/// The components attached now plus every component an update ever touched, so that a
/// component that recovered before the incident closed still counts as affected.
fn component_ids(item: &Item, updates: &[json::ItemUpdate]) -> Vec<String> {
    let attached = item.components.iter().flatten().map(|c| c.id.clone());
    let touched = updates
        .iter()
        .flat_map(|u| u.affected_components.iter().flatten())
        .map(|a| a.code.clone());
    let mut ids: Vec<String> = attached.chain(touched).collect();
    ids.sort();
    ids.dedup();
    ids
}

fn updates<S>(updates: Vec<json::ItemUpdate>, status: fn(&str) -> Option<S>) -> Vec<Update<S>> {
    updates
        .into_iter()
        .map(|u| Update {
            status: status(&u.status),
            body: u.body.unwrap_or_default(),
            // `display_at` is the time the page shows, which a backfilled update moves.
            posted_at: u.display_at.or(u.created_at).map(json::Time::utc),
            id: u.id,
        })
        .collect()
}

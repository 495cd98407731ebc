//! Better Stack status pages: `GET <page>/index.json`, a JSON:API document.
//!
//! What maps to what:
//! - `status_page_section` → the `group` of the resources in it;
//! - `status_page_resource` → a component (`public_name`, `status`);
//! - `status_report` → an incident, or a maintenance when `report_type` is `maintenance`;
//! - `status_update` (linked from a report by id, not nested) → an update of that report.
//!
//! Better Stack's states are `operational`, `degraded`, `downtime`, `maintenance` and, on
//! reports and updates, `resolved`. A report's `ends_at` stays null even once it is resolved, so
//! whether a report is over comes from its `aggregate_state` alone.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vw_domain::{
    Component, ComponentStatus, Impact, Incident, IncidentStatus, Maintenance, MaintenanceStatus,
    Page, Platform, Snapshot, Update,
};

use crate::lenient::Lenient;
use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Betterstack;

#[derive(Deserialize)]
struct Document {
    data: StatusPage,
    /// Sections, resources, reports and updates, each read on its own.
    #[serde(default)]
    included: Lenient<Included>,
}

#[derive(Deserialize)]
struct StatusPage {
    #[serde(rename = "type")]
    kind: String,
    attributes: PageAttributes,
}

#[derive(Deserialize)]
struct PageAttributes {
    company_name: Option<String>,
    custom_domain: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Included {
    StatusPageSection {
        id: String,
        attributes: SectionAttributes,
    },
    StatusPageResource {
        id: String,
        attributes: ResourceAttributes,
    },
    StatusReport {
        id: String,
        attributes: ReportAttributes,
        relationships: Option<ReportRelationships>,
    },
    StatusUpdate {
        id: String,
        attributes: UpdateAttributes,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct SectionAttributes {
    name: Option<String>,
}

#[derive(Deserialize)]
struct ResourceAttributes {
    /// A number here, while the section's own id is a string.
    status_page_section_id: Option<u64>,
    public_name: String,
    status: Option<String>,
}

#[derive(Deserialize)]
struct ReportAttributes {
    title: String,
    report_type: Option<String>,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    #[serde(default)]
    affected_resources: Vec<AffectedResource>,
    aggregate_state: Option<String>,
}

#[derive(Deserialize)]
struct ReportRelationships {
    status_updates: Option<Linkage>,
}

#[derive(Deserialize)]
struct Linkage {
    #[serde(default)]
    data: Vec<ResourceIdentifier>,
}

#[derive(Deserialize)]
struct ResourceIdentifier {
    id: String,
}

#[derive(Deserialize)]
struct UpdateAttributes {
    message: String,
    published_at: Option<DateTime<Utc>>,
    #[serde(default)]
    affected_resources: Vec<AffectedResource>,
}

#[derive(Deserialize)]
struct AffectedResource {
    status_page_resource_id: String,
    status: String,
}

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Document = text::json(PLATFORM, body)?;
    if doc.data.kind != "status_page" {
        return Err(ParseError::NotThisPlatform {
            platform: PLATFORM,
            reason: format!("data.type is {:?}, not \"status_page\"", doc.data.kind),
        });
    }

    let mut sections = HashMap::new();
    let mut resources = Vec::new();
    let mut reports = Vec::new();
    let mut updates = HashMap::new();
    for item in doc.included.require_read(PLATFORM, "included")? {
        match item {
            Included::StatusPageSection { id, attributes } => {
                sections.insert(id, attributes.name.filter(|n| !n.is_empty()));
            }
            Included::StatusPageResource { id, attributes } => resources.push((id, attributes)),
            Included::StatusReport {
                id,
                attributes,
                relationships,
            } => reports.push((id, attributes, relationships)),
            Included::StatusUpdate { id, attributes } => {
                updates.insert(id, attributes);
            }
            Included::Other => {}
        }
    }

    let mut snapshot = Snapshot::empty(PLATFORM);
    snapshot.page = Page {
        name: doc.data.attributes.company_name,
        url: doc
            .data
            .attributes
            .custom_domain
            .filter(|d| !d.is_empty())
            .map(|d| format!("https://{d}/")),
        id: None,
    };
    snapshot.components = resources
        .into_iter()
        .map(|(id, r)| Component {
            id,
            name: r.public_name,
            group: r
                .status_page_section_id
                .and_then(|s| sections.get(&s.to_string()).cloned().flatten()),
            status: r.status.as_deref().and_then(component_status),
        })
        .collect();

    for (id, report, relationships) in reports {
        let linked: Vec<(String, &UpdateAttributes)> = relationships
            .and_then(|r| r.status_updates)
            .map(|l| l.data)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|link| updates.get(&link.id).map(|u| (link.id, u)))
            .collect();
        let resolved = report.aggregate_state.as_deref() == Some("resolved");
        let components = affected_ids(&report, &linked);
        if report.report_type.as_deref() == Some("maintenance") {
            snapshot
                .maintenances
                .push(maintenance(id, report, resolved, components, &linked));
        } else {
            snapshot
                .incidents
                .push(incident(id, report, resolved, components, &linked));
        }
    }
    snapshot.canonicalize();
    Ok(snapshot)
}

fn incident(
    id: String,
    report: ReportAttributes,
    resolved: bool,
    components: Vec<String>,
    linked: &[(String, &UpdateAttributes)],
) -> Incident {
    // Better Stack reports carry no impact. Like Statuspage, which computes an incident's
    // impact from the component states it sets (degraded → minor, major outage → critical),
    // we take the worst state the report or its updates gave a resource.
    let impact = report
        .affected_resources
        .iter()
        .chain(linked.iter().flat_map(|(_, u)| &u.affected_resources))
        .filter_map(|r| match r.status.as_str() {
            "degraded" => Some(Impact::Minor),
            "downtime" => Some(Impact::Critical),
            _ => None,
        })
        .max();
    let updates: Vec<Update<IncidentStatus>> = linked
        .iter()
        .map(|(uid, u)| Update {
            id: uid.clone(),
            status: announces_resolution(u).then_some(IncidentStatus::Resolved),
            body: u.message.clone(),
            posted_at: u.published_at,
        })
        .collect();
    // `ends_at` is null on resolved reports; the time the resolution was announced is the
    // earliest update that set every resource it names to `resolved`.
    let resolved_at = report.ends_at.or_else(|| {
        resolved
            .then(|| {
                linked
                    .iter()
                    .filter(|(_, u)| announces_resolution(u))
                    .filter_map(|(_, u)| u.published_at)
                    .min()
            })
            .flatten()
    });
    Incident {
        id,
        title: report.title,
        impact,
        status: resolved.then_some(IncidentStatus::Resolved),
        started_at: report.starts_at,
        resolved_at,
        url: None,
        components,
        updates,
    }
}

fn maintenance(
    id: String,
    report: ReportAttributes,
    resolved: bool,
    components: Vec<String>,
    linked: &[(String, &UpdateAttributes)],
) -> Maintenance {
    // An unresolved maintenance report reads `maintenance` both before and during its window
    // (the fixture's report starting three days after the capture does), so only "completed"
    // can be told from the document; the rest needs a clock and is left to the caller.
    Maintenance {
        id,
        title: report.title,
        status: resolved.then_some(MaintenanceStatus::Completed),
        scheduled_for: report.starts_at,
        scheduled_until: report.ends_at,
        url: None,
        components,
        updates: linked
            .iter()
            .map(|(uid, u)| Update {
                id: uid.clone(),
                status: None,
                body: u.message.clone(),
                posted_at: u.published_at,
            })
            .collect(),
    }
}

/// The resources a report names, itself or through its updates, in first-seen order.
fn affected_ids(report: &ReportAttributes, linked: &[(String, &UpdateAttributes)]) -> Vec<String> {
    let mut seen = HashSet::new();
    report
        .affected_resources
        .iter()
        .chain(linked.iter().flat_map(|(_, u)| &u.affected_resources))
        .map(|r| &r.status_page_resource_id)
        .filter(|id| seen.insert(*id))
        .cloned()
        .collect()
}

fn announces_resolution(update: &UpdateAttributes) -> bool {
    !update.affected_resources.is_empty()
        && update
            .affected_resources
            .iter()
            .all(|r| r.status == "resolved")
}

fn component_status(word: &str) -> Option<ComponentStatus> {
    match word {
        "operational" => Some(ComponentStatus::Operational),
        "degraded" => Some(ComponentStatus::DegradedPerformance),
        // A resource in `downtime` is a monitor that is down, not a slow one.
        "downtime" => Some(ComponentStatus::MajorOutage),
        "maintenance" => Some(ComponentStatus::UnderMaintenance),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_included_types_are_skipped() {
        let body = br#"{"data": {"id": "1", "type": "status_page", "attributes": {}},
            "included": [
                {"id": "7", "type": "status_page_section", "attributes": {"name": "API"}},
                {"id": "9", "type": "something_new", "attributes": {"x": [1, 2]}},
                {"id": "8", "type": "status_page_resource", "attributes": {
                    "status_page_section_id": 7, "public_name": "REST", "status": "degraded"}}
            ]}"#;
        let s = parse(body).ok();
        let c = s.as_ref().and_then(|s| s.components.first());
        assert_eq!(c.map(|c| c.name.as_str()), Some("REST"));
        assert_eq!(c.and_then(|c| c.group.as_deref()), Some("API"));
        assert_eq!(
            c.and_then(|c| c.status),
            Some(ComponentStatus::DegradedPerformance)
        );
    }

    #[test]
    fn another_json_api_document_is_not_better_stack() {
        let body = br#"{"data": {"id": "1", "type": "incidents", "attributes": {}}}"#;
        assert!(matches!(
            parse(body),
            Err(ParseError::NotThisPlatform { .. })
        ));
    }
}

//! An alert as the notify crate renders it, from what the store holds of an event (read when
//! the delivery is attempted: the latest title and update, not a copy made at fan-out).

use url::Url;
use vw_domain::{Event, Impact, IncidentStatus, MaintenanceStatus, ProviderSlug, Severity};
use vw_notify::{
    About, AffectedComponent, Alert, IncidentEvent, IncidentInfo, MaintenanceEvent,
    MaintenanceInfo, Provider, ProviderEvent,
};
use vw_store::deliveries::EventFacts;
use vw_store::reminders::ReminderFacts;

use crate::JobsError;

/// The alert `facts` make, with links under `base_url`.
pub fn from_facts(facts: &EventFacts, base_url: &Url) -> Result<Alert, JobsError> {
    let event: Event = serde_json::from_value(facts.body.clone())?;
    let invalid =
        |what: &str| vw_store::StoreError::Invalid(format!("event {}: {what}", facts.event_id));
    let slug = ProviderSlug::parse(&facts.provider_slug).map_err(|_| invalid("provider slug"))?;
    let provider = Provider {
        name: facts.provider_name.clone(),
        status_page_url: Url::parse(&facts.status_url).map_err(|_| invalid("status page URL"))?,
        slug: slug.clone(),
    };
    let severity = event.routing().severity.unwrap_or(Severity::Minor);
    let provider_page = base_url
        .join(&format!("/providers/{slug}"))
        .map_err(|_| invalid("base URL"))?;
    let (about, page_url) = match (&event, &facts.incident, &facts.maintenance) {
        (
            Event::IncidentOpened(c)
            | Event::IncidentUpdated(c)
            | Event::IncidentResolved(c)
            | Event::PostmortemPublished(c),
            Some(incident),
            _,
        ) => {
            let change = match &event {
                Event::IncidentOpened(_) if c.reopened => IncidentEvent::Reopened,
                Event::IncidentOpened(_) => IncidentEvent::Opened,
                Event::IncidentUpdated(_) => IncidentEvent::Updated,
                Event::IncidentResolved(_) => IncidentEvent::Resolved,
                _ => IncidentEvent::PostmortemPublished,
            };
            let page = base_url
                .join(&format!("/providers/{slug}/incidents/{}", incident.id))
                .map_err(|_| invalid("base URL"))?;
            let info = IncidentInfo {
                id: incident.id,
                title: incident.title.clone(),
                impact: incident.impact.as_deref().and_then(Impact::parse),
                status: incident.status.as_deref().and_then(IncidentStatus::parse),
                started_at: incident.started_at,
                resolved_at: incident.resolved_at,
            };
            (
                About::Incident {
                    provider,
                    incident: info,
                    event: change,
                },
                page,
            )
        }
        (
            Event::MaintenanceScheduled(c)
            | Event::MaintenanceStarted(c)
            | Event::MaintenanceCompleted(c)
            | Event::MaintenanceCancelled(c),
            _,
            Some(maintenance),
        ) => {
            let change = match &event {
                Event::MaintenanceScheduled(_) if c.rescheduled => MaintenanceEvent::Rescheduled,
                Event::MaintenanceScheduled(_) => MaintenanceEvent::Scheduled,
                Event::MaintenanceStarted(_) => MaintenanceEvent::Started,
                Event::MaintenanceCompleted(_) => MaintenanceEvent::Completed,
                _ => MaintenanceEvent::Cancelled,
            };
            let info = MaintenanceInfo {
                id: maintenance.id,
                title: maintenance.title.clone(),
                status: maintenance
                    .status
                    .as_deref()
                    .and_then(MaintenanceStatus::parse),
                starts_at: maintenance.scheduled_for,
                ends_at: maintenance.scheduled_until,
            };
            // Its own page (window, status, components, updates).
            let page = base_url
                .join(&format!(
                    "/providers/{slug}/maintenances/{}",
                    maintenance.id
                ))
                .map_err(|_| invalid("base URL"))?;
            (
                About::Maintenance {
                    provider,
                    maintenance: info,
                    event: change,
                },
                page,
            )
        }
        (Event::ProviderUnreachable(p), _, _) => (
            About::Provider {
                provider,
                event: ProviderEvent::Unreachable {
                    since: p.failing_since,
                    error: p.error.clone().unwrap_or_default(),
                },
            },
            provider_page,
        ),
        (Event::ProviderRecovered(p), _, _) => (
            About::Provider {
                provider,
                event: ProviderEvent::Recovered {
                    since: p.failing_since,
                },
            },
            provider_page,
        ),
        _ => return Err(invalid("not an event alerts are made of").into()),
    };
    let filter = facts.monitor_filter.clone().unwrap_or_default();
    let components = affected(&facts.components, &filter);
    Ok(Alert {
        event_id: facts.event_id.0,
        about,
        severity,
        components,
        latest_update: facts.latest_update.clone(),
        page_url,
        detected_at: facts.detected_at,
        workspace: facts.workspace_name.clone(),
    })
}

/// A reminder of a maintenance to come, from its facts at `now`. Refused (a permanent
/// failure, logged with the attempt) when the maintenance began or was cancelled meanwhile:
/// a reminder after the start would mislead.
pub fn reminder(
    facts: &ReminderFacts,
    delivery: vw_domain::DeliveryId,
    now: chrono::DateTime<chrono::Utc>,
    base_url: &Url,
) -> Result<Alert, JobsError> {
    let invalid =
        |what: &str| vw_store::StoreError::Invalid(format!("reminder {delivery}: {what}"));
    let m = &facts.maintenance;
    let status = m.status.as_deref().and_then(MaintenanceStatus::parse);
    let started = m.scheduled_for.is_none_or(|start| start <= now);
    if started || status.is_some_and(|s| s != MaintenanceStatus::Scheduled) {
        return Err(invalid("not sent: the maintenance began or was cancelled before it").into());
    }
    let slug = ProviderSlug::parse(&facts.provider_slug).map_err(|_| invalid("provider slug"))?;
    let page_url = base_url
        .join(&format!("/providers/{slug}/maintenances/{}", m.id))
        .map_err(|_| invalid("base URL"))?;
    let provider = Provider {
        name: facts.provider_name.clone(),
        status_page_url: Url::parse(&facts.status_url).map_err(|_| invalid("status page URL"))?,
        slug,
    };
    let minutes = u64::try_from(facts.offset_minutes).unwrap_or(0);
    let filter = facts.monitor_filter.clone().unwrap_or_default();
    Ok(Alert {
        event_id: delivery.0,
        about: About::Maintenance {
            provider,
            maintenance: MaintenanceInfo {
                id: m.id,
                title: m.title.clone(),
                status,
                starts_at: m.scheduled_for,
                ends_at: m.scheduled_until,
            },
            event: MaintenanceEvent::Reminder {
                before: std::time::Duration::from_secs(minutes * 60),
                late: facts.late,
            },
        },
        severity: Severity::Maintenance,
        components: affected(&facts.components, &filter),
        latest_update: facts.latest_update.clone(),
        page_url,
        detected_at: now,
        workspace: facts.workspace_name.clone(),
    })
}

/// The touched components, those the monitor watches marked.
fn affected(
    components: &[(String, String, Option<String>)],
    filter: &vw_domain::ComponentFilter,
) -> Vec<AffectedComponent> {
    components
        .iter()
        .map(|(vendor_id, name, group)| AffectedComponent {
            name: name.clone(),
            group: group.clone(),
            watched: filter.watches(&Named {
                vendor_id,
                group: group.as_deref(),
            }),
        })
        .collect()
}

/// A test message, for "send test".
pub fn test(delivery: uuid::Uuid, workspace: &str, base_url: &Url) -> Alert {
    Alert {
        event_id: delivery,
        about: About::Test,
        severity: Severity::Minor,
        components: Vec::new(),
        latest_update: None,
        page_url: base_url
            .join("/groups")
            .unwrap_or_else(|_| base_url.clone()),
        detected_at: chrono::Utc::now(),
        workspace: workspace.to_owned(),
    }
}

/// A touched component as the monitor's filter reads it.
struct Named<'a> {
    vendor_id: &'a str,
    group: Option<&'a str>,
}

impl vw_domain::FilterableComponent for Named<'_> {
    fn vendor_id(&self) -> &str {
        self.vendor_id
    }
    fn group(&self) -> Option<&str> {
        self.group
    }
    fn status(&self) -> Option<vw_domain::ComponentStatus> {
        None
    }
}

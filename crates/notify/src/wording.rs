//! The words every channel uses for an alert, so that Slack, Discord, Teams, e-mail and the
//! webhook say the same thing: the headline, the facts, the component list, the times.
//!
//! Labels and fact values are ours and safe in any format; anything taken from the vendor is
//! returned cleaned (no control or bidi characters) but not escaped or cut: that is each
//! channel's job, for its own format and limits.

use std::time::Duration;

use chrono::{DateTime, Utc};
use vw_domain::{Impact, IncidentStatus, MaintenanceStatus, Severity};

use crate::alert::{About, Alert, IncidentEvent, MaintenanceEvent, ProviderEvent};
use crate::text;

/// One labelled value ("Status: Investigating"). Both halves are ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fact {
    pub(crate) label: &'static str,
    pub(crate) value: String,
}

/// What happened, in our words: the start of every headline ("Major", "Resolved",
/// "Maintenance in 24 h").
pub(crate) fn prefix(alert: &Alert) -> String {
    match &alert.about {
        About::Incident { event, .. } => match event {
            IncidentEvent::Opened => severity_word(alert.severity).to_owned(),
            IncidentEvent::Reopened => "Reopened".to_owned(),
            IncidentEvent::Updated => "Update".to_owned(),
            IncidentEvent::Resolved => "Resolved".to_owned(),
            IncidentEvent::PostmortemPublished => "Postmortem".to_owned(),
        },
        About::Maintenance { event, .. } => match event {
            MaintenanceEvent::Scheduled => "Maintenance scheduled".to_owned(),
            MaintenanceEvent::Rescheduled => "Maintenance rescheduled".to_owned(),
            MaintenanceEvent::Started => "Maintenance started".to_owned(),
            MaintenanceEvent::Completed => "Maintenance completed".to_owned(),
            MaintenanceEvent::Cancelled => "Maintenance cancelled".to_owned(),
            MaintenanceEvent::Reminder { before, late } => {
                let within = if *late { "less than " } else { "" };
                format!("Maintenance in {within}{}", span(*before))
            }
        },
        About::Provider { event, .. } => match event {
            ProviderEvent::Unreachable { .. } => "Unreachable".to_owned(),
            ProviderEvent::Recovered { .. } => "Readable again".to_owned(),
        },
        About::Test => "Test".to_owned(),
    }
}

/// What the alert is about, cleaned to one line: "GitHub – Actions degraded". Vendor text.
pub(crate) fn topic(alert: &Alert) -> String {
    match &alert.about {
        About::Incident {
            provider, incident, ..
        } => format!(
            "{} – {}",
            text::line(&provider.name),
            text::line(&incident.title)
        ),
        About::Maintenance {
            provider,
            maintenance,
            ..
        } => format!(
            "{} – {}",
            text::line(&provider.name),
            text::line(&maintenance.title)
        ),
        About::Provider { provider, .. } => {
            format!("{} status page", text::line(&provider.name))
        }
        About::Test => "vendorwatch test message".to_owned(),
    }
}

/// `prefix: topic`, the title of every message.
pub(crate) fn headline(alert: &Alert) -> String {
    format!("{}: {}", prefix(alert), topic(alert))
}

/// The headline with the current status, for one-line fallbacks (Slack's `text`):
/// "[Major] GitHub – Actions degraded (investigating)".
pub(crate) fn one_line(alert: &Alert) -> String {
    match status(alert) {
        Some(status) => format!("[{}] {} ({status})", prefix(alert), topic(alert)),
        None => format!("[{}] {}", prefix(alert), topic(alert)),
    }
}

/// The body text to show: the newest update, or for an unreachable page the last error, or
/// for a test our own sentence. Cleaned, not escaped; `None` when there is nothing to say.
pub(crate) fn body(alert: &Alert) -> Option<String> {
    let raw = match (&alert.about, &alert.latest_update) {
        (_, Some(update)) if !update.trim().is_empty() => update.clone(),
        (
            About::Provider {
                event: ProviderEvent::Unreachable { error, .. },
                ..
            },
            _,
        ) => format!("Last error: {error}"),
        (About::Test, _) => format!(
            "This is a test message from vendorwatch for the workspace {}. Alerts on this \
             channel will look like this one.",
            alert.workspace
        ),
        _ => return None,
    };
    Some(text::multiline(&raw)).filter(|s| !s.is_empty())
}

/// The facts a message lists, in order, all in our own words.
pub(crate) fn facts(alert: &Alert) -> Vec<Fact> {
    let fact = |label, value: String| Fact { label, value };
    let mut facts = Vec::new();
    match &alert.about {
        About::Incident { incident, .. } => {
            facts.push(fact("Severity", severity_word(alert.severity).to_owned()));
            if let Some(status) = incident.status {
                facts.push(fact("Status", incident_status_word(status).to_owned()));
            }
            facts.push(fact(
                "Impact",
                incident.impact.map_or("Not given", impact_word).to_owned(),
            ));
            if let Some(started) = incident.started_at {
                facts.push(fact("Started", time(started)));
            }
            if let Some(resolved) = incident.resolved_at {
                facts.push(fact("Resolved", time(resolved)));
                if let Some(started) = incident.started_at {
                    facts.push(fact("Duration", between(started, resolved)));
                }
            }
        }
        About::Maintenance {
            maintenance, event, ..
        } => {
            let status = match event {
                MaintenanceEvent::Cancelled => "Cancelled",
                _ => maintenance
                    .status
                    .map_or("Not given", maintenance_status_word),
            };
            facts.push(fact("Status", status.to_owned()));
            if let Some(starts) = maintenance.starts_at {
                facts.push(fact("Starts", time(starts)));
            }
            if let Some(ends) = maintenance.ends_at {
                facts.push(fact("Ends", time(ends)));
                if let Some(starts) = maintenance.starts_at {
                    facts.push(fact("Window", between(starts, ends)));
                }
            }
        }
        About::Provider { event, .. } => match event {
            ProviderEvent::Unreachable { since, .. } => {
                facts.push(fact("Failing since", time(*since)));
            }
            ProviderEvent::Recovered { since } => {
                facts.push(fact("Failing since", time(*since)));
                facts.push(fact("Down for", between(*since, alert.detected_at)));
            }
        },
        About::Test => {}
    }
    facts.push(fact("Detected", time(alert.detected_at)));
    facts
}

/// The affected components, one line each, watched ones first and marked: "Actions
/// (watched)", "API › Webhooks". Vendor text, cleaned.
pub(crate) fn components(alert: &Alert) -> Vec<String> {
    let mut ordered: Vec<_> = alert.components.iter().collect();
    // A stable sort keeps the vendor's order within each half.
    ordered.sort_by_key(|c| !c.watched);
    ordered
        .into_iter()
        .map(|c| {
            let name = text::line(&c.name);
            let name = match c.group.as_deref().map(text::line) {
                Some(group) if !group.is_empty() => format!("{group} › {name}"),
                _ => name,
            };
            if c.watched {
                format!("{name} (watched)")
            } else {
                name
            }
        })
        .collect()
}

/// The label of the button or link to the vendorwatch page.
pub(crate) fn page_link_label(alert: &Alert) -> &'static str {
    match alert.about {
        About::Incident { .. } => "View incident",
        About::Maintenance { .. } => "View maintenance",
        About::Provider { .. } => "View provider",
        About::Test => "Open vendorwatch",
    }
}

/// The vendor's status page, when it is a web link (a `javascript:` or other scheme never
/// becomes a link in any message).
pub(crate) fn vendor_link(alert: &Alert) -> Option<&url::Url> {
    alert
        .provider()
        .map(|p| &p.status_page_url)
        .filter(|url| matches!(url.scheme(), "http" | "https"))
}

/// The status after the event, lower case, for one-line texts.
pub(crate) fn status(alert: &Alert) -> Option<&'static str> {
    match &alert.about {
        About::Incident { incident, .. } => incident.status.map(IncidentStatus::as_str),
        About::Maintenance {
            event: MaintenanceEvent::Cancelled,
            ..
        } => Some("cancelled"),
        About::Maintenance { maintenance, .. } => maintenance.status.map(|s| match s {
            MaintenanceStatus::InProgress => "in progress",
            other => other.as_str(),
        }),
        About::Provider { .. } | About::Test => None,
    }
}

pub(crate) fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Major => "Major",
        Severity::Minor => "Minor",
        Severity::Maintenance => "Maintenance",
    }
}

fn impact_word(impact: Impact) -> &'static str {
    match impact {
        Impact::None => "None",
        Impact::Minor => "Minor",
        Impact::Major => "Major",
        Impact::Critical => "Critical",
    }
}

fn incident_status_word(status: IncidentStatus) -> &'static str {
    match status {
        IncidentStatus::Investigating => "Investigating",
        IncidentStatus::Identified => "Identified",
        IncidentStatus::Monitoring => "Monitoring",
        IncidentStatus::Resolved => "Resolved",
        IncidentStatus::Postmortem => "Postmortem",
    }
}

fn maintenance_status_word(status: MaintenanceStatus) -> &'static str {
    match status {
        MaintenanceStatus::Scheduled => "Scheduled",
        MaintenanceStatus::InProgress => "In progress",
        MaintenanceStatus::Verifying => "Verifying",
        MaintenanceStatus::Completed => "Completed",
    }
}

/// A moment, in UTC, to the minute: "2026-07-29 10:02 UTC". Every channel shows UTC: the
/// page linked to shows local times.
pub(crate) fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The time from `from` to `to` ("1 h 25 min"); a negative span reads as 0 min.
fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    span((to - from).to_std().unwrap_or(Duration::ZERO))
}

/// A duration in the two largest units that matter: "3 d 2 h", "1 h 25 min", "24 h", "5 min".
/// Days only from two on: "24 h" and "36 h" read better than "1 d" and "1 d 12 h".
pub(crate) fn span(duration: Duration) -> String {
    let minutes = duration.as_secs() / 60;
    let days = if minutes >= 2 * 1440 {
        minutes / 1440
    } else {
        0
    };
    let (hours, mins) = (minutes / 60 - days * 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(Duration::from_secs(24 * 3600)), "24 h");
        assert_eq!(span(Duration::from_secs(3600)), "1 h");
        assert_eq!(span(Duration::from_secs(85 * 60)), "1 h 25 min");
        assert_eq!(span(Duration::from_secs(74 * 3600)), "3 d 2 h");
        assert_eq!(span(Duration::from_secs(48 * 3600 + 60)), "2 d");
        assert_eq!(span(Duration::from_secs(59)), "0 min");
    }
}

//! How the public pages print what the store holds: times in UTC (the page script adds the
//! viewer's local time), vendor words as people read them, and how incidents are summed up.

use chrono::{DateTime, SecondsFormat, Utc};
use vw_domain::ComponentStatus;
use vw_domain::timeline::{self, IncidentDuration};
use vw_store::directory::Incident;

/// A moment, for a `<time datetime=… data-local>` element.
#[derive(Debug, Clone)]
pub struct When {
    /// RFC 3339, for the element's `datetime` and the script.
    pub iso: String,
    /// What the page shows before the script runs.
    pub utc: String,
}

impl When {
    pub fn new(at: DateTime<Utc>) -> Self {
        When {
            iso: rfc3339(at),
            utc: at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }

    pub fn of(at: Option<DateTime<Utc>>) -> Option<Self> {
        at.map(When::new)
    }
}

/// Times in JSON: RFC 3339 in UTC, to the second, as `vendorwatch inspect` prints them.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One vendor update as a page's timeline shows it (`templates/partials/timeline.html`).
#[derive(Debug, Clone)]
pub struct UpdateLine {
    pub status: Option<String>,
    pub posted: Option<When>,
    /// Sanitised: safe to insert as is.
    pub body_html: String,
    pub edited: Option<When>,
}

impl UpdateLine {
    /// `body_html` is the body rendered when it was written; rows from before that show the
    /// plain text.
    pub fn new(
        status: Option<&str>,
        posted_at: Option<DateTime<Utc>>,
        body: &str,
        body_html: Option<&str>,
        edited_at: Option<DateTime<Utc>>,
    ) -> Self {
        UpdateLine {
            status: status.map(label),
            posted: When::of(posted_at),
            body_html: body_html.map_or_else(|| vw_markup::plain(body), str::to_owned),
            edited: When::of(edited_at),
        }
    }
}

/// A vendor's URL, fit for an `href`: only http and https, never `javascript:` and the like.
pub fn web_link(url: Option<&str>) -> Option<String> {
    let url = url?.trim();
    let scheme = url.split_once("://")?.0;
    (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http"))
        .then(|| url.to_owned())
}

/// A vendor word as a label: "partial_outage" reads "Partial outage".
pub fn label(word: &str) -> String {
    let spaced = word.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A provider's overall state: a label and the CSS class that colours it.
pub fn provider_state(
    unreachable: bool,
    checked: bool,
    status: Option<ComponentStatus>,
) -> (String, &'static str) {
    match status {
        _ if unreachable => ("Status page unreadable".into(), "unknown"),
        Some(status) => (label(status.as_str()), status_class(status)),
        None if checked => ("No component status".into(), "unknown"),
        None => ("Not checked yet".into(), "unknown"),
    }
}

pub fn status_class(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::Operational => "ok",
        ComponentStatus::UnderMaintenance => "maintenance",
        ComponentStatus::DegradedPerformance => "minor",
        ComponentStatus::PartialOutage => "major",
        ComponentStatus::MajorOutage => "critical",
    }
}

/// An incident as a line in a list.
#[derive(Debug, Clone)]
pub struct IncidentLine {
    pub href: String,
    pub title: String,
    /// The impact word ("major"), for the label and its colour.
    pub impact: Option<String>,
    pub status: Option<String>,
    pub started: Option<When>,
    pub duration: String,
    pub open: bool,
}

impl IncidentLine {
    pub fn new(provider_slug: &str, incident: &Incident) -> Self {
        let status = incident.status;
        let duration = IncidentDuration::of(status, incident.started_at, incident.resolved_at);
        IncidentLine {
            href: incident_path(provider_slug, incident),
            title: incident.title.clone(),
            impact: incident.impact.map(|i| i.as_str().to_owned()),
            status: status.map(|s| label(s.as_str())),
            started: When::of(incident.started_at.or(Some(incident.detected_at))),
            duration: describe_duration(duration),
            open: timeline::is_open(status),
        }
    }
}

pub fn incident_path(provider_slug: &str, incident: &Incident) -> String {
    format!("/providers/{provider_slug}/incidents/{}", incident.id)
}

/// The duration as the pages print it.
pub fn describe_duration(duration: IncidentDuration) -> String {
    match duration {
        IncidentDuration::Ongoing => "ongoing".into(),
        IncidentDuration::Lasted(span) => timeline::describe(span),
        IncidentDuration::ResolvedBeforeStarted { by } => format!(
            "unknown: the vendor gives an end {} before the start",
            timeline::describe(by)
        ),
        IncidentDuration::Unknown => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_as_labels() {
        assert_eq!(label("partial_outage"), "Partial outage");
        assert_eq!(label("postmortem"), "Postmortem");
        assert_eq!(label(""), "");
    }

    #[test]
    fn only_web_links_are_linked() {
        let link = |u: &str| web_link(Some(u));
        assert_eq!(
            link(" https://x.example/a "),
            Some("https://x.example/a".into())
        );
        assert_eq!(link("HTTP://x.example"), Some("HTTP://x.example".into()));
        assert_eq!(link("javascript:alert(1)//://"), None);
        assert_eq!(link("data:text/html,x"), None);
        assert_eq!(web_link(None), None);
    }

    #[test]
    fn times_print_in_utc_to_the_second() {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let when = When::new(at);
        assert_eq!(when.iso, "2026-09-21T14:13:20Z");
        assert_eq!(when.utc, "2026-09-21 14:13 UTC");
    }

    #[test]
    fn an_unreadable_page_trumps_stale_component_statuses() {
        let state = provider_state(true, true, Some(ComponentStatus::Operational));
        assert_eq!(state, ("Status page unreadable".to_owned(), "unknown"));
        let state = provider_state(false, true, Some(ComponentStatus::PartialOutage));
        assert_eq!(state, ("Partial outage".to_owned(), "major"));
        assert_eq!(provider_state(false, false, None).0, "Not checked yet");
    }
}

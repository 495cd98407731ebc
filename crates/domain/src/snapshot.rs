//! A snapshot: everything one read of a status page says, in one normalised shape.
//!
//! Serialised as `vendorwatch inspect` prints it: a value the source does not give is `null`,
//! times are RFC 3339 in UTC, updates oldest first, incidents newest first.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::vendor_text::{
    BODY_LIMIT, ID_LIMIT, NAME_LIMIT, TITLE_LIMIT, URL_LIMIT, cap, cut_at_chars, remove_controls,
};
use crate::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Platform};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub platform: Platform,
    pub page: Page,
    pub components: Vec<Component>,
    pub incidents: Vec<Incident>,
    pub maintenances: Vec<Maintenance>,
    /// Some item of the read could not be read and was skipped (a broken date in one
    /// incident, say): what this read does not list may still be on the page. The diff then
    /// cancels nothing for being absent, and the merge keeps what it held.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub name: Option<String>,
    pub url: Option<String>,
    /// The platform's own id of the page, where it gives one (Statuspage's `page.id`): the same
    /// id read at two addresses is one page (`vendorwatch` polls it once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A part of a vendor's service. Group headers are not components: a component names its
/// group in `group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub status: Option<ComponentStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub impact: Option<Impact>,
    pub status: Option<IncidentStatus>,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    /// Ids of the affected components; empty when the source names none.
    pub components: Vec<String>,
    pub updates: Vec<Update<IncidentStatus>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Maintenance {
    pub id: String,
    pub title: String,
    pub status: Option<MaintenanceStatus>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub components: Vec<String>,
    pub updates: Vec<Update<MaintenanceStatus>>,
}

/// One entry of an incident's or a maintenance's timeline. `S` is the status vocabulary of
/// the thing it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update<S> {
    /// The vendor's id, or where the vendor gives none, one derived from what it does give
    /// (such as the update's time), so that the same update keeps the same id across reads.
    pub id: String,
    pub status: Option<S>,
    /// Plain text or Markdown, as the vendor wrote it.
    pub body: String,
    pub posted_at: Option<DateTime<Utc>>,
}

impl Snapshot {
    /// An empty snapshot of a page on `platform`.
    pub fn empty(platform: Platform) -> Self {
        Snapshot {
            platform,
            page: Page::default(),
            components: Vec::new(),
            incidents: Vec::new(),
            maintenances: Vec::new(),
            incomplete: false,
        }
    }

    /// Puts the lists in the order the snapshot promises: updates oldest first, incidents
    /// newest first, maintenances by start. Sorts are stable and ties fall back on ids, so
    /// the order never depends on the order the source listed things in.
    pub fn canonicalize(&mut self) {
        for incident in &mut self.incidents {
            sort_updates(&mut incident.updates);
        }
        for maintenance in &mut self.maintenances {
            sort_updates(&mut maintenance.updates);
        }
        self.incidents.sort_by(|a, b| {
            b.sort_time()
                .cmp(&a.sort_time())
                .then_with(|| a.id.cmp(&b.id))
        });
        self.maintenances.sort_by(|a, b| {
            b.scheduled_for
                .cmp(&a.scheduled_for)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
}

impl Snapshot {
    /// Makes every string the vendor sent fit to store and to show (see `vendor_text`):
    /// control characters removed, then titles, names and bodies capped and marked, ids cut,
    /// absurdly long URLs dropped; and every id unique within its list. The readers apply it
    /// to every snapshot they return.
    pub fn neutralise(&mut self) {
        neutralise_name(&mut self.page.name);
        neutralise_url(&mut self.page.url);
        if let Some(id) = &mut self.page.id {
            neutralise_id(id);
        }
        for component in &mut self.components {
            neutralise_id(&mut component.id);
            neutralise_text(&mut component.name, NAME_LIMIT);
            neutralise_name(&mut component.group);
        }
        for incident in &mut self.incidents {
            neutralise_id(&mut incident.id);
            neutralise_text(&mut incident.title, TITLE_LIMIT);
            neutralise_url(&mut incident.url);
            incident.components.iter_mut().for_each(neutralise_id);
            neutralise_updates(&mut incident.updates);
        }
        for maintenance in &mut self.maintenances {
            neutralise_id(&mut maintenance.id);
            neutralise_text(&mut maintenance.title, TITLE_LIMIT);
            neutralise_url(&mut maintenance.url);
            maintenance.components.iter_mut().for_each(neutralise_id);
            neutralise_updates(&mut maintenance.updates);
        }
        unique_ids(&mut self.components);
        unique_ids(&mut self.incidents);
        unique_ids(&mut self.maintenances);
        for incident in &mut self.incidents {
            unique_ids(&mut incident.updates);
        }
        for maintenance in &mut self.maintenances {
            unique_ids(&mut maintenance.updates);
        }
    }
}

/// What the diff tells apart by id.
trait Identified {
    fn id_mut(&mut self) -> &mut String;
}

impl Identified for Component {
    fn id_mut(&mut self) -> &mut String {
        &mut self.id
    }
}

impl Identified for Incident {
    fn id_mut(&mut self) -> &mut String {
        &mut self.id
    }
}

impl Identified for Maintenance {
    fn id_mut(&mut self) -> &mut String {
        &mut self.id
    }
}

impl<S> Identified for Update<S> {
    fn id_mut(&mut self) -> &mut String {
        &mut self.id
    }
}

/// Gives the second and later of an id in `items` the suffix `~2`, `~3`… in the order the
/// vendor listed them. The diff matches by id, so two of one id (two updates of one second,
/// where the time is the id; a vendor's slip; two long ids cut to one) would read, at every
/// poll, as an edit of one by the other. Found by the fuzz targets (docs/bench/fuzzing.md).
fn unique_ids<T: Identified>(items: &mut [T]) {
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let id = item.id_mut();
        if seen.insert(id.clone()) {
            continue;
        }
        for n in 2.. {
            let suffix = format!("~{n}");
            let mut candidate = id.clone();
            cut_at_chars(&mut candidate, ID_LIMIT - suffix.len());
            candidate.push_str(&suffix);
            if seen.insert(candidate.clone()) {
                *id = candidate;
                break;
            }
        }
    }
}

fn neutralise_updates<S>(updates: &mut [Update<S>]) {
    for update in updates {
        neutralise_id(&mut update.id);
        neutralise_text(&mut update.body, BODY_LIMIT);
    }
}

fn neutralise_text(text: &mut String, limit: usize) {
    remove_controls(text);
    cap(text, limit);
}

fn neutralise_name(name: &mut Option<String>) {
    if let Some(name) = name {
        neutralise_text(name, NAME_LIMIT);
    }
}

fn neutralise_id(id: &mut String) {
    remove_controls(id);
    cut_at_chars(id, ID_LIMIT);
}

fn neutralise_url(url: &mut Option<String>) {
    if let Some(u) = url {
        remove_controls(u);
    }
    if url.as_ref().is_some_and(|u| u.chars().count() > URL_LIMIT) {
        *url = None;
    }
}

impl Incident {
    /// When the incident began as far as the source tells: its start, else its first update.
    pub fn sort_time(&self) -> Option<DateTime<Utc>> {
        self.started_at
            .or_else(|| self.updates.iter().filter_map(|u| u.posted_at).min())
    }
}

fn sort_updates<S>(updates: &mut [Update<S>]) {
    updates.sort_by(|a, b| a.posted_at.cmp(&b.posted_at).then_with(|| a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_unique_in_the_order_listed() {
        let mut snapshot = Snapshot::empty(Platform::Gcp);
        let mut incident = Incident {
            id: "i".into(),
            title: "t".into(),
            impact: None,
            status: None,
            started_at: None,
            resolved_at: None,
            url: None,
            components: Vec::new(),
            updates: vec![
                update("2026-07-15T05:34:26+00:00", "2026-07-15T05:34:26Z"),
                update("2026-07-15T05:34:26+00:00", "2026-07-15T05:34:26Z"),
                update("2026-07-15T05:34:26+00:00~2", "2026-07-15T05:34:26Z"),
            ],
        };
        incident.updates[1].body = "the second".into();
        snapshot.incidents = vec![incident.clone(), incident];
        snapshot.neutralise();
        assert_eq!(snapshot.incidents[1].id, "i~2");
        let ids: Vec<&str> = snapshot.incidents[0]
            .updates
            .iter()
            .map(|u| u.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "2026-07-15T05:34:26+00:00",
                "2026-07-15T05:34:26+00:00~2",
                "2026-07-15T05:34:26+00:00~2~2",
            ]
        );
        let long = "x".repeat(ID_LIMIT);
        let mut items = vec![
            update(&long, "2026-07-15T05:34:26Z"),
            update(&long, "2026-07-15T05:34:26Z"),
        ];
        unique_ids(&mut items);
        assert_eq!(items[1].id.chars().count(), ID_LIMIT);
        assert!(items[1].id.ends_with("~2"));
    }

    fn at(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    fn update(id: &str, posted_at: &str) -> Update<IncidentStatus> {
        Update {
            id: id.into(),
            status: None,
            body: String::new(),
            posted_at: at(posted_at),
        }
    }

    fn incident(id: &str, started_at: &str) -> Incident {
        Incident {
            id: id.into(),
            title: id.into(),
            impact: None,
            status: None,
            started_at: at(started_at),
            resolved_at: None,
            url: None,
            components: vec![],
            updates: vec![
                update("b", "2026-01-01T10:00:00Z"),
                update("a", "2026-01-01T09:00:00Z"),
            ],
        }
    }

    #[test]
    fn canonical_order_is_newest_incident_first_and_oldest_update_first() {
        let mut s = Snapshot::empty(Platform::Statuspage);
        s.incidents = vec![
            incident("old", "2026-01-01T00:00:00Z"),
            incident("new", "2026-02-01T00:00:00Z"),
        ];
        s.canonicalize();
        assert_eq!(s.incidents[0].id, "new");
        assert_eq!(s.incidents[0].updates[0].id, "a");
    }

    #[test]
    fn neutralising_removes_nul_from_titles_bodies_and_names() {
        let mut s = Snapshot::empty(Platform::Statuspage);
        s.page.name = Some("Acme\u{0} Status".into());
        s.page.id = Some("kct\u{0}bh9".into());
        s.components = vec![Component {
            id: "api\u{0}".into(),
            name: "A\u{0}PI\u{1b}[31m".into(),
            group: Some("Core\u{0}".into()),
            status: None,
        }];
        let mut i = incident("x\u{0}", "2026-01-01T00:00:00Z");
        i.title = "Outage\u{0} in\u{7}\u{85} EU".into();
        i.updates[0].body = "line\u{0} one\r\nline\ttwo \u{202e}".into();
        i.components = vec!["api\u{0}".into()];
        s.incidents = vec![i];
        s.neutralise();
        assert_eq!(s.page.name.as_deref(), Some("Acme Status"));
        assert_eq!(s.page.id.as_deref(), Some("kctbh9"));
        let c = &s.components[0];
        assert_eq!((c.id.as_str(), c.name.as_str()), ("api", "API[31m"));
        assert_eq!(c.group.as_deref(), Some("Core"));
        let i = &s.incidents[0];
        assert_eq!((i.id.as_str(), i.title.as_str()), ("x", "Outage in EU"));
        assert_eq!(i.components, ["api"]);
        // Line breaks and tabs stay; bidi controls are left for the pages to isolate.
        assert_eq!(i.updates[0].body, "line one\r\nline\ttwo \u{202e}");
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert!(!json.contains("\\u0000"), "{json}");
    }

    #[test]
    fn a_one_mebibyte_title_is_capped_and_marked() {
        let mut s = Snapshot::empty(Platform::Rss);
        let mut i = incident("x", "2026-01-01T00:00:00Z");
        i.title = "Outage ".repeat(150_000);
        i.updates[0].body = "é".repeat(1 << 20);
        i.url = Some(format!(
            "https://status.example.test/{}",
            "a".repeat(1 << 20)
        ));
        s.incidents = vec![i];
        s.neutralise();
        let i = &s.incidents[0];
        // 300 with the 7-character marker: cut at the space after the 41st "Outage" (286).
        assert_eq!(i.title.chars().count(), 293);
        assert!(crate::was_cut(&i.title));
        assert!(i.title.starts_with("Outage Outage"));
        assert_eq!(i.updates[0].body.chars().count(), BODY_LIMIT);
        assert!(crate::was_cut(&i.updates[0].body));
        assert_eq!(i.url, None);
    }

    #[test]
    fn serialises_missing_values_as_null_and_times_in_utc() {
        let mut s = Snapshot::empty(Platform::Gcp);
        s.incidents = vec![incident("x", "2026-01-01T00:00:00Z")];
        let json = serde_json::to_value(&s).unwrap_or_default();
        assert_eq!(json["platform"], "gcp");
        assert!(json["page"]["name"].is_null());
        assert!(json["incidents"][0]["resolved_at"].is_null());
        assert_eq!(json["incidents"][0]["started_at"], "2026-01-01T00:00:00Z");
    }
}

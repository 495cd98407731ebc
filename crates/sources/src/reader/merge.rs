//! One read of a page fetches several documents (Statuspage: the summary, the incident list,
//! the maintenance list); this makes them one snapshot.
//!
//! The rules, in the order the documents are given (the platform's endpoint order):
//! - page name, URL and id: the first document that gives each;
//! - components: the list of the first document that lists any. Documents that list none
//!   (incidents.json) say nothing about components, so they do not empty the list;
//! - incidents and maintenances: the union by id. When two documents hold the same id, the
//!   fresher version is kept whole: the one whose newest update was posted later; on equal
//!   times, the one with more updates; on a full tie, the earlier document's. Records are never
//!   mixed field by field, so every record is one the vendor actually served.

use chrono::{DateTime, Utc};
use vw_domain::{Incident, Maintenance, Platform, Snapshot, Update};

pub(crate) fn merge(platform: Platform, documents: Vec<Snapshot>) -> Snapshot {
    let mut merged = Snapshot::empty(platform);
    for document in documents {
        if merged.page.name.is_none() {
            merged.page.name = document.page.name;
        }
        if merged.page.url.is_none() {
            merged.page.url = document.page.url;
        }
        if merged.page.id.is_none() {
            merged.page.id = document.page.id;
        }
        if merged.components.is_empty() {
            merged.components = document.components;
        }
        union_by_id(&mut merged.incidents, document.incidents);
        union_by_id(&mut merged.maintenances, document.maintenances);
        merged.incomplete |= document.incomplete;
    }
    merged.canonicalize();
    merged
}

/// Re-keys a Statuspage history feed's incidents and maintenances by their API code, the last
/// segment of their `…/incidents/<code>` link (the feed's own ids, `tag:…:Incident/<number>`,
/// are another numbering), so that they unite with the summary's records of the same read.
pub(crate) fn key_by_api_code(feed: &mut Snapshot) {
    let code = |url: &Option<String>| {
        let url = url.as_deref()?;
        let path = url.split(['?', '#']).next()?;
        let (_, code) = path.trim_end_matches('/').rsplit_once("/incidents/")?;
        (!code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| code.to_owned())
    };
    for incident in &mut feed.incidents {
        if let Some(code) = code(&incident.url) {
            incident.id = code;
        }
    }
    for maintenance in &mut feed.maintenances {
        if let Some(code) = code(&maintenance.url) {
            maintenance.id = code;
        }
    }
}

/// A record that appears in several documents under one id.
trait Versioned {
    fn id(&self) -> &str;
    /// Greater is fresher.
    fn freshness(&self) -> (Option<DateTime<Utc>>, usize);
}

fn freshness_of<S>(updates: &[Update<S>]) -> (Option<DateTime<Utc>>, usize) {
    (
        updates.iter().filter_map(|u| u.posted_at).max(),
        updates.len(),
    )
}

impl Versioned for Incident {
    fn id(&self) -> &str {
        &self.id
    }
    fn freshness(&self) -> (Option<DateTime<Utc>>, usize) {
        freshness_of(&self.updates)
    }
}

impl Versioned for Maintenance {
    fn id(&self) -> &str {
        &self.id
    }
    fn freshness(&self) -> (Option<DateTime<Utc>>, usize) {
        freshness_of(&self.updates)
    }
}

fn union_by_id<T: Versioned>(kept: &mut Vec<T>, incoming: Vec<T>) {
    for record in incoming {
        match kept.iter_mut().find(|k| k.id() == record.id()) {
            Some(existing) if record.freshness() > existing.freshness() => *existing = record,
            Some(_) => {}
            None => kept.push(record),
        }
    }
}

#[cfg(test)]
mod tests {
    use vw_domain::{Component, IncidentStatus, Page};

    use super::*;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    fn incident(id: &str, title: &str, updates: &[&str]) -> Incident {
        Incident {
            id: id.into(),
            title: title.into(),
            impact: None,
            status: None,
            started_at: at("2026-01-01T00:00:00Z"),
            resolved_at: None,
            url: None,
            components: vec![],
            updates: updates
                .iter()
                .map(|t| Update {
                    id: (*t).into(),
                    status: Some(IncidentStatus::Investigating),
                    body: String::new(),
                    posted_at: at(t),
                })
                .collect(),
        }
    }

    fn snapshot(name: Option<&str>, components: &[&str], incidents: Vec<Incident>) -> Snapshot {
        Snapshot {
            incomplete: false,
            platform: Platform::Statuspage,
            page: Page {
                name: name.map(Into::into),
                url: None,
                id: None,
            },
            components: components
                .iter()
                .map(|id| Component {
                    id: (*id).into(),
                    name: (*id).into(),
                    group: None,
                    status: None,
                })
                .collect(),
            incidents,
            maintenances: vec![],
        }
    }

    #[test]
    fn newer_version_wins_whole_and_components_come_from_the_summary() {
        let summary = snapshot(
            Some("GitHub"),
            &["api", "actions"],
            vec![incident("a", "summary title", &["2026-01-01T10:00:00Z"])],
        );
        let list = snapshot(
            None,
            &[],
            vec![
                incident(
                    "a",
                    "list title",
                    &["2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"],
                ),
                incident("b", "older one", &["2025-12-01T10:00:00Z"]),
            ],
        );
        let merged = merge(Platform::Statuspage, vec![summary, list]);
        assert_eq!(merged.page.name.as_deref(), Some("GitHub"));
        assert_eq!(merged.components.len(), 2);
        assert_eq!(merged.incidents.len(), 2);
        let a = merged.incidents.iter().find(|i| i.id == "a");
        assert_eq!(a.map(|i| i.title.as_str()), Some("list title"));
        assert_eq!(a.map(|i| i.updates.len()), Some(2));
    }

    #[test]
    fn a_feed_read_beside_the_summary_is_keyed_by_api_code() {
        let summary = snapshot(
            Some("GitHub"),
            &["api"],
            vec![incident(
                "kctbh9vrtdwd",
                "from the summary",
                &["2026-01-01T10:00:00Z"],
            )],
        );
        let mut same = incident(
            "tag:www.githubstatus.com,2005:Incident/1",
            "from the feed",
            &["2026-01-01T10:00:00Z"],
        );
        same.url = Some("https://www.githubstatus.com/incidents/kctbh9vrtdwd".into());
        let mut other = incident(
            "tag:www.githubstatus.com,2005:Incident/2",
            "older",
            &["2025-12-01T10:00:00Z"],
        );
        other.url = Some("https://www.githubstatus.com/incidents/x9y8z7w6v5u4?u=1".into());
        let mut feed = snapshot(None, &[], vec![same, other]);
        key_by_api_code(&mut feed);
        let merged = merge(Platform::Statuspage, vec![summary, feed]);
        let ids: Vec<&str> = merged.incidents.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["kctbh9vrtdwd", "x9y8z7w6v5u4"]);
        assert_eq!(merged.incidents[0].title, "from the summary");
        assert_eq!(merged.components.len(), 1);
    }

    #[test]
    fn on_a_tie_the_earlier_document_wins() {
        let first = snapshot(
            None,
            &[],
            vec![incident("a", "first", &["2026-01-01T10:00:00Z"])],
        );
        let second = snapshot(
            None,
            &[],
            vec![incident("a", "second", &["2026-01-01T10:00:00Z"])],
        );
        let merged = merge(Platform::Statuspage, vec![first, second]);
        assert_eq!(merged.incidents.len(), 1);
        assert_eq!(merged.incidents[0].title, "first");
    }
}

//! Atlassian Statuspage: every public `/api/v2` JSON document (summary, status, components,
//! incidents, one incident, scheduled maintenances) and the `/history.atom|rss` feeds.

mod json;
mod mapping;

pub(crate) use mapping::{Dialect, snapshot};

use vw_domain::{Platform, Snapshot};

use crate::feed::{self, Markup};
use crate::{ParseError, text};

/// Parses any `/api/v2` document, or a history feed (a body that starts with `<`).
pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    if text::is_markup(body) {
        return feed::parse_as(body, Platform::Statuspage, Markup::Statuspage);
    }
    let doc = document(Platform::Statuspage, body)?;
    snapshot(doc, Dialect::Atlassian)
}

/// Reads the JSON of an `/api/v2` endpoint, once its keys have shown that it is one: JSON of
/// another shape is `NotThisPlatform`, a broken document of the right shape `Malformed`.
pub(crate) fn document(platform: Platform, body: &[u8]) -> Result<json::Document, ParseError> {
    let keys: json::Keys = text::json(platform, body)?;
    if keys.kind().is_none() {
        return Err(ParseError::NotThisPlatform {
            platform,
            reason: "the JSON has the keys of no /api/v2 endpoint".into(),
        });
    }
    text::json(platform, body)
}

#[cfg(test)]
mod tests {
    use vw_domain::MaintenanceStatus;

    use super::*;

    #[test]
    fn other_json_and_html_are_not_statuspage() {
        let instatus = br#"{"page":{"name":"P","url":"u","status":"UP"},"activeIncidents":[]}"#;
        assert!(matches!(
            parse(instatus),
            Err(ParseError::NotThisPlatform { .. })
        ));
        let html = b"<!doctype html><html><body>Status</body></html>";
        assert!(matches!(
            parse(html),
            Err(ParseError::NotThisPlatform { .. })
        ));
    }

    #[test]
    fn documents_are_known_by_their_keys() {
        let kind = |body: &str| {
            serde_json::from_str::<json::Keys>(body)
                .ok()
                .and_then(|k| k.kind())
        };
        let page = r#""page":{"id":"x"}"#;
        let cases = [
            (
                r#""status":{},"components":[],"incidents":[],"scheduled_maintenances":[]"#,
                Some(json::Kind::Summary),
            ),
            (
                r#""status":{},"components":[],"incidents":[]"#,
                Some(json::Kind::Summary),
            ),
            (r#""status":{},"components":[]"#, Some(json::Kind::Summary)),
            (r#""status":{}"#, Some(json::Kind::Status)),
            (r#""components":[]"#, Some(json::Kind::Components)),
            (r#""incidents":[]"#, Some(json::Kind::Incidents)),
            (r#""incident":{}"#, Some(json::Kind::Incident)),
            (
                r#""scheduled_maintenances":[]"#,
                Some(json::Kind::Maintenances),
            ),
            (r#""activeIncidents":[]"#, None),
        ];
        for (keys, expected) in cases {
            assert_eq!(kind(&format!("{{{page},{keys}}}")), expected, "{keys}");
        }
        assert_eq!(kind(r#"{"incidents":[]}"#), None);
    }

    #[test]
    fn a_bad_field_is_malformed_at_its_path() {
        let body =
            br#"{"page":{"id":"x"},"incidents":[{"id":"a","name":"n","status":"investigating",
            "created_at":"yesterday","incident_updates":[]}]}"#;
        match parse(body) {
            Err(ParseError::Malformed { location, .. }) => {
                assert_eq!(location, "incidents[0].created_at")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_item_with_a_window_is_a_maintenance_whatever_its_list() {
        let body =
            br#"{"page":{"id":"x","url":"https://status.example.test/"},"incidents":[{"id":"m1",
            "name":"DB upgrade","status":"scheduled","impact":"maintenance",
            "scheduled_for":"2026-07-01T10:00:00.000-07:00","incident_updates":[]}]}"#;
        let snapshot = parse(body).map_err(|e| e.to_string());
        let snapshot = snapshot
            .as_ref()
            .map(|s| (s.incidents.len(), &s.maintenances));
        let Ok((0, [m])) = snapshot.as_ref().map(|(n, m)| (*n, m.as_slice())) else {
            panic!("{snapshot:?}");
        };
        assert_eq!(m.status, Some(MaintenanceStatus::Scheduled));
        assert_eq!(
            m.url.as_deref(),
            Some("https://status.example.test/incidents/m1")
        );
        assert_eq!(
            m.scheduled_for.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-07-01T17:00:00+00:00")
        );
    }
}

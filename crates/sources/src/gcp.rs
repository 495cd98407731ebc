//! Google Cloud: `GET https://status.cloud.google.com/incidents.json`, every incident Google
//! has published (megabytes), newest first.
//!
//! Read straight into borrowed structs: the document is large and polled often, and most of
//! it (locations, the duplicated `most_recent_update`) is skipped without being built. Each
//! incident and each update is read from its own slice of the text, so that one that does not
//! read is skipped (see `lenient`) without copying any.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use vw_domain::{Component, Impact, Incident, IncidentStatus, Platform, Snapshot, Update};

use crate::lenient::Lenient;
use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Gcp;
const SITE: &str = "https://status.cloud.google.com/";

#[derive(Deserialize)]
struct RawIncident<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    external_desc: Cow<'a, str>,
    #[serde(default, deserialize_with = "time")]
    begin: Option<DateTime<Utc>>,
    /// Absent or empty while the incident is ongoing.
    #[serde(default, deserialize_with = "time")]
    end: Option<DateTime<Utc>>,
    #[serde(borrow)]
    status_impact: Option<Cow<'a, str>>,
    #[serde(borrow)]
    severity: Option<Cow<'a, str>>,
    #[serde(borrow)]
    uri: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    affected_products: Vec<Product<'a>>,
    /// Read one by one, in [`incident`].
    #[serde(default, borrow)]
    updates: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Product<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
}

#[derive(Deserialize)]
struct RawUpdate<'a> {
    /// When the update was written; it never changes, so it serves as the update's id.
    #[serde(borrow)]
    created: Cow<'a, str>,
    /// The time the page shows for the update.
    #[serde(default, deserialize_with = "time")]
    when: Option<DateTime<Utc>>,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
}

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let decoded = text::decode(PLATFORM, body)?;
    let trimmed = decoded.trim_start();
    if !trimmed.starts_with('[') {
        return Err(ParseError::NotThisPlatform {
            platform: PLATFORM,
            reason: "incidents.json is a JSON array".into(),
        });
    }
    let items: Vec<&RawValue> =
        serde_json::from_str(trimmed).map_err(|e| ParseError::Malformed {
            platform: PLATFORM,
            location: format!("line {} column {}", e.line(), e.column()),
            message: e.to_string(),
        })?;
    let raw: Vec<RawIncident> =
        Lenient::from_raw(items.iter().map(|i| i.get())).require_read(PLATFORM, "")?;

    let mut snapshot = Snapshot::empty(PLATFORM);
    // A product's title can change over time ("titles are unstable, ids stable"); the newest
    // incident's title wins.
    let mut products: HashMap<&str, (Option<DateTime<Utc>>, &str)> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for incident in &raw {
        for product in &incident.affected_products {
            match products.get_mut(product.id.as_ref()) {
                Some(known) if known.0 < incident.begin => {
                    *known = (incident.begin, &product.title);
                }
                Some(_) => {}
                None => {
                    products.insert(&product.id, (incident.begin, &product.title));
                    order.push(&product.id);
                }
            }
        }
    }
    snapshot.components = order
        .into_iter()
        .map(|id| Component {
            id: id.to_owned(),
            name: products.get(id).map(|p| p.1).unwrap_or(id).to_owned(),
            group: None,
            status: None,
        })
        .collect();
    snapshot.incidents = raw.iter().map(incident).collect();
    snapshot.canonicalize();
    Ok(snapshot)
}

fn incident(raw: &RawIncident) -> Incident {
    let resolved = raw.end.is_some();
    Incident {
        id: raw.id.to_string(),
        title: raw.external_desc.to_string(),
        impact: raw
            .status_impact
            .as_deref()
            .and_then(impact)
            .or_else(|| raw.severity.as_deref().and_then(severity)),
        // An ongoing incident's stage is not stated: its updates' statuses are impacts.
        status: resolved.then_some(IncidentStatus::Resolved),
        started_at: raw.begin,
        resolved_at: raw.end,
        url: raw
            .uri
            .as_deref()
            .filter(|u| !u.is_empty())
            .map(|u| format!("{SITE}{}", u.trim_start_matches('/'))),
        components: raw
            .affected_products
            .iter()
            .map(|p| p.id.to_string())
            .collect(),
        updates: Lenient::<RawUpdate>::from_raw(raw.updates.iter().map(|u| u.get()))
            .keep_read(PLATFORM, &format!("updates of {}", raw.id))
            .iter()
            .map(|u| Update {
                id: u.created.to_string(),
                // AVAILABLE is the "back to normal" update; it closes the incident only once
                // the incident has an end.
                status: (resolved && u.status.as_deref() == Some("AVAILABLE"))
                    .then_some(IncidentStatus::Resolved),
                body: u.text.to_string(),
                posted_at: u.when.or_else(|| rfc3339(&u.created)),
            })
            .collect(),
    }
}

/// Google's three levels onto our lower three: information (low) has no impact on the
/// service, a disruption (medium) is minor, an outage (high) major. Google has no level above
/// "high", so nothing here is critical.
fn impact(status_impact: &str) -> Option<Impact> {
    match status_impact {
        "SERVICE_INFORMATION" => Some(Impact::None),
        "SERVICE_DISRUPTION" => Some(Impact::Minor),
        "SERVICE_OUTAGE" => Some(Impact::Major),
        _ => None,
    }
}

fn severity(severity: &str) -> Option<Impact> {
    match severity {
        "low" => Some(Impact::None),
        "medium" => Some(Impact::Minor),
        "high" => Some(Impact::Major),
        _ => None,
    }
}

fn rfc3339(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// An RFC 3339 time; null or empty is no time.
fn time<'de, D: Deserializer<'de>>(de: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let raw: Option<Cow<'de, str>> = Option::deserialize(de)?;
    match raw.as_deref() {
        None | Some("") => Ok(None),
        Some(s) => rfc3339(s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {s:?}"))),
    }
}

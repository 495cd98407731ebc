//! AWS service health, in either of its two documents:
//! - [`health`]: `GET https://health.aws.amazon.com/public/currentevents`, today's dashboard;
//! - [`legacy`]: `GET https://status.aws.amazon.com/data.json`, the dashboard retired in 2022.
//!
//! `parse` tells them apart by the top-level JSON value: an array is the first, an object the
//! second. Both rate an event or a service with the same codes: "0" operating normally,
//! "1" informational, "2" degradation, "3" disruption.

mod health;
mod legacy;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserializer;
use vw_domain::{ComponentStatus, Impact, Platform, Snapshot};

use crate::lenient::Lenient;
use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Aws;

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    // AWS Health serves UTF-16; `decode` honours its byte-order mark.
    let array = text::decode(PLATFORM, body)?.trim_start().starts_with('[');
    let mut snapshot = if array {
        let events: Lenient<health::Event> = text::json(PLATFORM, body)?;
        health::parse(events.require_read(PLATFORM, "")?)
    } else {
        legacy::parse(text::json(PLATFORM, body)?)?
    };
    snapshot.canonicalize();
    Ok(snapshot)
}

/// AWS has no "critical": its worst code is a disruption, which need not be a full outage.
fn impact(code: &str) -> Option<Impact> {
    match code {
        "1" => Some(Impact::None),
        "2" => Some(Impact::Minor),
        "3" => Some(Impact::Major),
        _ => None,
    }
}

/// An informational message leaves the service operating normally; a disruption is read as a
/// partial outage, since AWS uses it for "increased error rates" as much as for full loss.
fn component_status(code: &str) -> Option<ComponentStatus> {
    match code {
        "0" | "1" => Some(ComponentStatus::Operational),
        "2" => Some(ComponentStatus::DegradedPerformance),
        "3" => Some(ComponentStatus::PartialOutage),
        _ => None,
    }
}

/// Epoch seconds, written by AWS as a string (`"1772369485"`) or a number.
fn epoch_seconds<'de, D: Deserializer<'de>>(de: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Option<DateTime<Utc>>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("epoch seconds as a number or a string")
        }

        fn visit_i64<E: serde::de::Error>(self, secs: i64) -> Result<Self::Value, E> {
            DateTime::from_timestamp(secs, 0)
                .map(Some)
                .ok_or_else(|| E::custom(format!("{secs} is out of range")))
        }

        fn visit_u64<E: serde::de::Error>(self, secs: u64) -> Result<Self::Value, E> {
            let secs = i64::try_from(secs).map_err(|_| E::custom("out of range"))?;
            self.visit_i64(secs)
        }

        fn visit_str<E: serde::de::Error>(self, secs: &str) -> Result<Self::Value, E> {
            if secs.is_empty() {
                return Ok(None);
            }
            let secs = secs
                .parse()
                .map_err(|_| E::custom(format!("{secs:?} is not epoch seconds")))?;
            self.visit_i64(secs)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    de.deserialize_any(Visitor)
}

/// Gives each id that repeats a `#n` suffix, so that ids derived from times stay unique.
fn unique_ids(ids: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    ids.into_iter()
        .map(|id| {
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { id } else { format!("{id}#{n}") }
        })
        .collect()
}

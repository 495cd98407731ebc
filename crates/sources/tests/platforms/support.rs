//! Reading fixtures and finding things in snapshots, for every platform's tests.
//!
//! Two flavours: the plain helpers panic with the path or id that is missing; those in
//! [`checked`] return errors instead, for tests written as `-> TestResult` with `?`.

use chrono::{DateTime, Utc};
use serde_json::Value;
use vw_domain::{Incident, Maintenance, Snapshot, Update};
use vw_sources::ParseError;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");

pub fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A date no reader can read, for the tests that inject it into one item of a real fixture.
pub const BAD_DATE: &str = "2026-13-45T99:99:99Z";

/// A JSON fixture as the test changes it (the file on disk stays as captured).
pub fn changed(path: &str, change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut doc: Value = serde_json::from_slice(&read(path)).unwrap();
    change(&mut doc);
    serde_json::to_vec(&doc).unwrap()
}

pub fn parsed(parse: fn(&[u8]) -> Result<Snapshot, ParseError>, path: &str) -> Snapshot {
    parse(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn statuspage(file: &str) -> Snapshot {
    parsed(
        vw_sources::statuspage::parse,
        &format!("atlassian-statuspage/{file}"),
    )
}

pub fn at(rfc3339: &str) -> Option<DateTime<Utc>> {
    Some(
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc),
    )
}

pub fn incident<'a>(s: &'a Snapshot, id: &str) -> &'a Incident {
    s.incidents
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no incident {id}"))
}

pub fn maintenance<'a>(s: &'a Snapshot, id: &str) -> &'a Maintenance {
    s.maintenances
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no maintenance {id}"))
}

pub fn incident_titled<'a>(s: &'a Snapshot, title: &str) -> &'a Incident {
    s.incidents
        .iter()
        .find(|i| i.title == title)
        .unwrap_or_else(|| panic!("no {title}"))
}

pub fn statuses<S: Copy>(updates: &[Update<S>]) -> Vec<Option<S>> {
    updates.iter().map(|u| u.status).collect()
}

pub fn update_count(s: &Snapshot) -> usize {
    s.incidents.iter().map(|i| i.updates.len()).sum::<usize>()
        + s.maintenances
            .iter()
            .map(|m| m.updates.len())
            .sum::<usize>()
}

pub mod checked {
    use std::error::Error;

    use vw_domain::{Component, Incident, Maintenance, Platform, Snapshot};

    use super::FIXTURES;

    pub type TestResult = Result<(), Box<dyn Error>>;

    pub fn fixture(path: &str) -> Result<Vec<u8>, Box<dyn Error>> {
        let full = format!("{FIXTURES}{path}");
        std::fs::read(&full).map_err(|e| format!("{full}: {e}").into())
    }

    pub fn parse(platform: Platform, path: &str) -> Result<Snapshot, Box<dyn Error>> {
        let snapshot = vw_sources::parse(platform, &fixture(path)?)?;
        assert_eq!(snapshot.platform, platform);
        Ok(snapshot)
    }

    pub fn incident<'a>(s: &'a Snapshot, id: &str) -> Result<&'a Incident, Box<dyn Error>> {
        Ok(s.incidents
            .iter()
            .find(|i| i.id == id)
            .ok_or(format!("no incident {id}"))?)
    }

    pub fn maintenance<'a>(s: &'a Snapshot, id: &str) -> Result<&'a Maintenance, Box<dyn Error>> {
        Ok(s.maintenances
            .iter()
            .find(|m| m.id == id)
            .ok_or(format!("no maintenance {id}"))?)
    }

    pub fn component<'a>(s: &'a Snapshot, id: &str) -> Result<&'a Component, Box<dyn Error>> {
        Ok(s.components
            .iter()
            .find(|c| c.id == id)
            .ok_or(format!("no component {id}"))?)
    }

    pub fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<&str> {
        items.iter().map(id).collect()
    }
}

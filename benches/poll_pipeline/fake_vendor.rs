//! The fake vendor, run in a process of its own (the bench binary re-executed with
//! [`SERVE_FLAG`]) so that its CPU is not counted as the worker's: many Statuspage sites under
//! `/p/<n>/`, all serving GitHub's real documents, with ETags and 304s.
//!
//! The documents have a version, shared by every site. `POST /control/next-version` publishes
//! the next one: new ETags on all three documents (the page's `updated_at` moves in each, as on
//! Statuspage) and "Git Operations" flipped between operational and degraded performance, so
//! that every poll after it reads a change and writes one event. `GET /control/usage` reports
//! the server's CPU and its answers so far.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

pub const SERVE_FLAG: &str = "--serve-fake-vendor";

/// The documents a Statuspage poll reads, with the letter each puts in its ETag.
pub const DOCUMENTS: [(&str, char); 3] = [
    ("summary.json", 's'),
    ("incidents.json", 'i'),
    ("scheduled-maintenances.json", 'm'),
];

/// The ETag of `document` (its letter) of site `site` at `version`.
pub fn etag(version: u64, site: usize, document: char) -> String {
    format!("\"v{version}-{site}-{document}\"")
}

/// The page's real documents, as read from the fixtures.
#[derive(Clone)]
struct Fixture {
    summary: Value,
    incidents: Value,
}

fn fixture_path(name: &str) -> PathBuf {
    [
        env!("CARGO_MANIFEST_DIR"),
        "tests/fixtures/atlassian-statuspage",
        name,
    ]
    .iter()
    .collect()
}

fn read_json(name: &str) -> anyhow::Result<Value> {
    let path = fixture_path(name);
    let bytes = std::fs::read(&path).with_context(|| path.display().to_string())?;
    serde_json::from_slice(&bytes).with_context(|| path.display().to_string())
}

impl Fixture {
    /// GitHub's summary (12 components, one open incident) and, as its incident list, that
    /// incident with two real resolved GitHub incidents (8 and 2 updates).
    fn github() -> anyhow::Result<Fixture> {
        let summary = read_json("github-summary-major-2026-07-24.json")?;
        let mut incidents = summary["incidents"].as_array().cloned().unwrap_or_default();
        for name in [
            "githubstatus-incident-gqx5l06jjxhp-critical-2023-06-29.json",
            "githubstatus-incident-kv978bsgr4kb-impact-none-2019-05-29.json",
        ] {
            incidents.push(read_json(name)?["incident"].clone());
        }
        Ok(Fixture {
            incidents: json!({ "page": summary["page"], "incidents": incidents }),
            summary,
        })
    }

    fn at(&self, version: u64) -> anyhow::Result<Documents> {
        let updated_at = format!(
            "2026-07-24T19:{:02}:{:02}.000Z",
            version / 60 % 60,
            version % 60
        );
        let mut summary = self.summary.clone();
        summary["page"]["updated_at"] = json!(updated_at);
        let flipped = summary["components"]
            .as_array_mut()
            .and_then(|c| c.iter_mut().find(|c| c["name"] == "Git Operations"))
            .context("the summary fixture has no Git Operations component")?;
        flipped["status"] = json!(if version.is_multiple_of(2) {
            "operational"
        } else {
            "degraded_performance"
        });
        let mut incidents = self.incidents.clone();
        incidents["page"] = summary["page"].clone();
        let maintenances = json!({ "page": summary["page"], "scheduled_maintenances": [] });
        Ok(Documents {
            version,
            bodies: [
                Bytes::from(serde_json::to_vec(&summary)?),
                Bytes::from(serde_json::to_vec(&incidents)?),
                Bytes::from(serde_json::to_vec(&maintenances)?),
            ],
        })
    }
}

/// One version of the three documents, in [`DOCUMENTS`] order.
struct Documents {
    version: u64,
    bodies: [Bytes; 3],
}

struct Vendor {
    sites: usize,
    fixture: Fixture,
    current: RwLock<Arc<Documents>>,
    fresh: AtomicU64,
    not_modified: AtomicU64,
}

/// The server's answer to `/control/usage`.
#[derive(Debug, Clone, Copy)]
pub struct ServerUsage {
    pub cpu_seconds: f64,
    pub peak_rss_kib: i64,
    /// Answers so far: 200s and 304s.
    pub fresh: u64,
    pub not_modified: u64,
}

/// Serves `sites` sites on 127.0.0.1, prints the address on stdout, and stops when stdin
/// closes (so it never outlives the bench, whatever happens to the bench).
pub fn serve(sites: usize) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let fixture = Fixture::github()?;
        let vendor = Arc::new(Vendor {
            sites,
            current: RwLock::new(Arc::new(fixture.at(0)?)),
            fixture,
            fresh: AtomicU64::new(0),
            not_modified: AtomicU64::new(0),
        });
        let app = Router::new()
            .route("/control/next-version", post(next_version))
            .route("/control/usage", get(usage))
            .fallback(document)
            .with_state(vendor);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{}", listener.local_addr()?)?;
        stdout.flush()?;
        let stdin_closed = tokio::task::spawn_blocking(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
        });
        tokio::select! {
            served = axum::serve(listener, app) => served?,
            _ = stdin_closed => {}
        }
        anyhow::Ok(())
    })
}

fn current(vendor: &Vendor) -> Arc<Documents> {
    vendor
        .current
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

async fn next_version(State(vendor): State<Arc<Vendor>>) -> Response {
    let next = current(&vendor).version + 1;
    match vendor.fixture.at(next) {
        Ok(documents) => {
            *vendor
                .current
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(documents);
            next.to_string().into_response()
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")).into_response(),
    }
}

impl ServerUsage {
    pub fn from_json(value: &Value) -> anyhow::Result<ServerUsage> {
        let number = |name: &str| {
            value[name]
                .as_f64()
                .with_context(|| format!("no {name} in {value}"))
        };
        Ok(ServerUsage {
            cpu_seconds: number("cpu_seconds")?,
            peak_rss_kib: number("peak_rss_kib")? as i64,
            fresh: number("fresh")? as u64,
            not_modified: number("not_modified")? as u64,
        })
    }
}

async fn usage(State(vendor): State<Arc<Vendor>>) -> Response {
    let usage = (|| {
        anyhow::Ok(json!({
            "cpu_seconds": crate::usage::own_cpu_seconds()?,
            "peak_rss_kib": crate::usage::own_peak_rss_kib()?,
            "fresh": vendor.fresh.load(Ordering::Relaxed),
            "not_modified": vendor.not_modified.load(Ordering::Relaxed),
        }))
    })();
    match usage {
        Ok(usage) => axum::Json(usage).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")).into_response(),
    }
}

/// `/p/<site>/api/v2/<document>`: the site's document, or 304 when the client holds it.
async fn document(State(vendor): State<Arc<Vendor>>, request: Request) -> Response {
    let Some((site, index)) = route(request.uri().path(), vendor.sites) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let documents = current(&vendor);
    let etag = etag(documents.version, site, DOCUMENTS[index].1);
    let Ok(etag_value) = HeaderValue::from_str(&etag) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let held = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    if held {
        vendor.not_modified.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    vendor.fresh.fetch_add(1, Ordering::Relaxed);
    (
        [
            (header::ETAG, etag_value),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
        ],
        documents.bodies[index].clone(),
    )
        .into_response()
}

/// The site number and the document's index in [`DOCUMENTS`].
fn route(path: &str, sites: usize) -> Option<(usize, usize)> {
    let rest = path.strip_prefix("/p/")?;
    let (site, name) = rest.split_once("/api/v2/")?;
    let site: usize = site.parse().ok().filter(|&n| n < sites)?;
    let index = DOCUMENTS.iter().position(|(d, _)| *d == name)?;
    Some((site, index))
}

//! The fake vendor, run in a process of its own (the bench binary re-executed with
//! [`SERVE_FLAG`]) so that its CPU is not counted as the worker's: many Statuspage sites under
//! `/p/<n>/`, all serving GitHub's real documents, with ETags and 304s.
//!
//! The documents have a version. `POST /control/next-version` publishes the next one: new ETags
//! on all three documents (the page's `updated_at` moves in each, as on Statuspage) and "Git
//! Operations" flipped between operational and degraded performance, so that every poll after
//! it reads a change and writes one event. With `?stride=N` only every Nth site takes each
//! version (a tenth of the fleet changes per round with 10, each site in its turn). Switched on
//! by `POST /control/alerting`, each version also resolves the page's open incident or opens
//! it again, so that its changes alert. `POST /control/mode` with `ok`, `error` (500s) or
//! `hang` (no answer, ever), and the first site it applies to, makes the fleet fail; `GET
//! /control/requests` counts the requests each site received (how many sites got each count),
//! and `GET /control/usage` reports the server's CPU and its answers so far.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, Request, State};
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

    fn at(&self, version: u64, alerting: bool) -> anyhow::Result<Documents> {
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
        if alerting && !version.is_multiple_of(2) {
            // The open incident resolved (and dropped from the summary, as Statuspage does);
            // the next version opens it again.
            summary["incidents"] = json!([]);
            if let Some(open) = incidents["incidents"].get_mut(0) {
                open["status"] = json!("resolved");
                open["resolved_at"] = json!(updated_at);
            }
        }
        incidents["page"] = summary["page"].clone();
        let maintenances = json!({ "page": summary["page"], "scheduled_maintenances": [] });
        let page_id = summary["page"]["id"]
            .as_str()
            .context("the summary fixture has no page id")?
            .to_owned();
        let split = |document: &Value| -> anyhow::Result<Vec<Bytes>> {
            let text = serde_json::to_string(document)?;
            Ok(text
                .split(page_id.as_str())
                .map(|part| Bytes::from(part.to_owned()))
                .collect())
        };
        Ok(Documents {
            version,
            page_id: page_id.clone(),
            parts: [split(&summary)?, split(&incidents)?, split(&maintenances)?],
        })
    }
}

/// One version of the three documents, in [`DOCUMENTS`] order, cut where the page's id goes:
/// each site is a page of its own (`<id>-<site>`), as on Statuspage, where pages sharing an id
/// would be one page under two addresses.
struct Documents {
    version: u64,
    page_id: String,
    parts: [Vec<Bytes>; 3],
}

impl Documents {
    fn body(&self, index: usize, site: usize) -> Bytes {
        let id = format!("{}-{site}", self.page_id);
        let parts = &self.parts[index];
        let mut body =
            Vec::with_capacity(parts.iter().map(Bytes::len).sum::<usize>() + 16 * parts.len());
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(id.as_bytes());
            }
            body.extend_from_slice(part);
        }
        Bytes::from(body)
    }
}

/// How the fleet answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ok,
    /// 500, at once.
    Error,
    /// Never answers: the client's timeout ends the request.
    Hang,
}

struct Vendor {
    sites: usize,
    fixture: Fixture,
    /// The fleet's version, and the stride it was published with.
    version: AtomicU64,
    stride: AtomicU64,
    alerting: AtomicBool,
    /// Every version's documents built so far (by version and alerting).
    built: RwLock<HashMap<(u64, bool), Arc<Documents>>>,
    mode: RwLock<Mode>,
    /// Sites below this one answer normally whatever the mode.
    first_failing: AtomicUsize,
    requests: Vec<AtomicU32>,
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

/// When this process was started as the fake vendor (the bench re-executed with
/// [`SERVE_FLAG`] and a number of sites): serves them, and returns how that ended.
pub fn serve_if_asked() -> Option<anyhow::Result<()>> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == SERVE_FLAG)?;
    Some(
        args.get(at + 1)
            .context("how many sites?")
            .and_then(|n| Ok(n.parse()?))
            .and_then(serve),
    )
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
            fixture,
            version: AtomicU64::new(0),
            stride: AtomicU64::new(1),
            alerting: AtomicBool::new(false),
            built: RwLock::default(),
            mode: RwLock::new(Mode::Ok),
            first_failing: AtomicUsize::new(0),
            requests: (0..sites).map(|_| AtomicU32::new(0)).collect(),
            fresh: AtomicU64::new(0),
            not_modified: AtomicU64::new(0),
        });
        let app = Router::new()
            .route("/control/next-version", post(next_version))
            .route("/control/alerting", post(alerting))
            .route("/control/mode", post(mode))
            .route("/control/requests", get(requests))
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

/// The version `site` serves: how many of the rounds so far were its turn (site `s` takes
/// rounds `s % stride + 1`, `+ stride`, …; with a stride of 1, every round).
fn site_version(version: u64, stride: u64, site: usize) -> u64 {
    let turn = site as u64 % stride;
    (version + stride - 1 - turn) / stride
}

fn documents(vendor: &Vendor, version: u64) -> anyhow::Result<Arc<Documents>> {
    let key = (version, vendor.alerting.load(Ordering::Relaxed));
    let built = vendor
        .built
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&key)
        .cloned();
    if let Some(documents) = built {
        return Ok(documents);
    }
    let documents = Arc::new(vendor.fixture.at(key.0, key.1)?);
    vendor
        .built
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(key, documents.clone());
    Ok(documents)
}

/// `?stride=N`: only every Nth site takes this version.
async fn next_version(State(vendor): State<Arc<Vendor>>, RawQuery(query): RawQuery) -> Response {
    let stride = query
        .as_deref()
        .and_then(|q| q.strip_prefix("stride="))
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(1)
        .max(1);
    // Sites keep their versions only under one stride: changing it is for a fresh fleet.
    vendor.stride.store(stride, Ordering::Relaxed);
    let version = vendor.version.fetch_add(1, Ordering::Relaxed) + 1;
    version.to_string().into_response()
}

async fn alerting(State(vendor): State<Arc<Vendor>>) -> Response {
    vendor.alerting.store(true, Ordering::Relaxed);
    StatusCode::NO_CONTENT.into_response()
}

/// `<ok|error|hang> <first site it applies to>`
async fn mode(State(vendor): State<Arc<Vendor>>, body: String) -> Response {
    let mut words = body.split_whitespace();
    let mode = match words.next() {
        Some("ok") => Mode::Ok,
        Some("error") => Mode::Error,
        Some("hang") => Mode::Hang,
        _ => return (StatusCode::BAD_REQUEST, "ok, error or hang").into_response(),
    };
    let first = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
    vendor.first_failing.store(first, Ordering::Relaxed);
    *vendor
        .mode
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = mode;
    StatusCode::NO_CONTENT.into_response()
}

/// `{"<requests>": <sites that received that many>}`, then the counts start again.
async fn requests(State(vendor): State<Arc<Vendor>>) -> Response {
    let mut histogram: BTreeMap<u32, u64> = BTreeMap::new();
    for count in &vendor.requests {
        *histogram
            .entry(count.swap(0, Ordering::Relaxed))
            .or_default() += 1;
    }
    axum::Json(histogram).into_response()
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
    vendor.requests[site].fetch_add(1, Ordering::Relaxed);
    let mode = *vendor
        .mode
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if site >= vendor.first_failing.load(Ordering::Relaxed) {
        match mode {
            Mode::Ok => {}
            Mode::Error => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            Mode::Hang => std::future::pending::<()>().await,
        }
    }
    let version = site_version(
        vendor.version.load(Ordering::Relaxed),
        vendor.stride.load(Ordering::Relaxed),
        site,
    );
    let Ok(documents) = documents(&vendor, version) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
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
        documents.body(index, site),
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

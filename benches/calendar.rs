//! The iCalendar feed of a workspace at the Business plan's limit: 500 monitors (a third
//! narrowed to one group of components) on providers with 20 components and 6 maintenances
//! each (upcoming, running, past, cancelled, and one on a component a narrowed monitor does
//! not watch). Thousands of calendar apps polling hourly must cost nothing noticeable; this
//! measures, on the real web server in this process:
//!
//! - a conditional GET (`If-None-Match` with the current ETag: answered 304 from a digest,
//!   without reading the events);
//! - a full render (no validators: every event read and written);
//!
//! each as requests/s with 4 concurrent clients for 5 s, and the feed's size.
//!
//! `cargo bench --bench calendar`. Database: `DATABASE_URL`'s server (a fresh database,
//! dropped after), else an embedded cluster in a temporary directory.

#[allow(dead_code)] // shared with the poll bench, which uses more of it
#[path = "poll_pipeline/database.rs"]
mod database;
#[allow(dead_code)]
#[path = "poll_pipeline/usage.rs"]
mod usage;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{TimeDelta, Utc};
use database::BenchDb;
use reqwest::StatusCode;
use tokio::net::TcpListener;
use vendorwatch::db::Purpose;
use vw_domain::{
    CatalogEntry, Component, ComponentFilter, ComponentStatus, EmailAddress, Maintenance,
    MaintenanceStatus, Platform, ProviderSlug, StatusPageUrl, UserId, WorkspaceName,
};
use vw_store::PgPool;

const MONITORS: usize = 500;
const COMPONENTS: usize = 20;
const CLIENTS: usize = 4;
const SECONDS: u64 = 5;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let db = BenchDb::open(4).await?;
    println!("database: {}", db.description);
    let started = Instant::now();
    seed(&db.probe).await?;
    let token = workspace_with_feed(&db.probe).await?;
    println!(
        "seeded {MONITORS} providers × {COMPONENTS} components × 6 maintenances and a workspace \
         monitoring all of them, in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let pool = db.pool_for(Purpose::Web, 10).await?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = vw_web::AppState::new(pool.clone(), vw_web::WebConfig::new(&base));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(vw_web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let url = format!("{base}/calendar/{token}.ics");

    let client = reqwest::Client::new();
    let first = client.get(&url).send().await?;
    if first.status() != StatusCode::OK {
        bail!("the feed answered {}", first.status());
    }
    let etag = first
        .headers()
        .get(reqwest::header::ETAG)
        .context("no ETag")?
        .to_str()?
        .to_owned();
    let body = first.text().await?;
    println!(
        "feed: {} events, {} bytes",
        body.matches("BEGIN:VEVENT").count(),
        body.len()
    );
    println!();
    println!("| request | answer | requests/s | mean latency |");
    println!("| --- | --- | --- | --- |");
    let conditional = load(&url, Some(&etag), StatusCode::NOT_MODIFIED).await?;
    println!(
        "| conditional GET (`If-None-Match`) | 304 | {:.0} | {:.2} ms |",
        conditional.0, conditional.1
    );
    let full = load(&url, None, StatusCode::OK).await?;
    println!("| full render | 200 | {:.0} | {:.2} ms |", full.0, full.1);

    let _ = stop.send(());
    let _ = served.await;
    pool.close().await;
    db.close().await
}

/// (requests/s, mean latency in ms) of `CLIENTS` clients asking for `url` for `SECONDS`,
/// each answer checked to be `expect`.
async fn load(url: &str, etag: Option<&str>, expect: StatusCode) -> anyhow::Result<(f64, f64)> {
    let done = Arc::new(AtomicU64::new(0));
    let busy_micros = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(SECONDS);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (url, etag) = (url.to_owned(), etag.map(str::to_owned));
        let (done, busy_micros) = (done.clone(), busy_micros.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            while Instant::now() < until {
                let sent = Instant::now();
                let mut request = client.get(&url);
                if let Some(tag) = &etag {
                    request = request.header(reqwest::header::IF_NONE_MATCH, tag);
                }
                let response = request.send().await?;
                let status = response.status();
                response.bytes().await?;
                if status != expect {
                    bail!("expected {expect}, got {status}");
                }
                busy_micros.fetch_add(
                    u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX),
                    Ordering::Relaxed,
                );
                done.fetch_add(1, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let n = done.load(Ordering::Relaxed);
    let rate = n as f64 / started.elapsed().as_secs_f64();
    let mean = busy_micros.load(Ordering::Relaxed) as f64 / n.max(1) as f64 / 1000.0;
    Ok((rate, mean))
}

/// 500 providers with components and maintenances, written through the store's functions
/// as polls write them.
async fn seed(db: &PgPool) -> anyhow::Result<()> {
    let now = Utc::now();
    let mut tx = db.begin().await?;
    for n in 0..MONITORS {
        let entry = CatalogEntry {
            slug: ProviderSlug::parse(&format!("vendor-{n:03}"))?,
            name: format!("Vendor {n:03}"),
            homepage: None,
            status_url: StatusPageUrl::parse(&format!("https://status.vendor-{n:03}.example"))?,
            platform: Some(Platform::Statuspage),
        };
        vw_store::catalog::upsert(&mut tx, &entry, Duration::from_secs(3600)).await?;
    }
    tx.commit().await?;
    let mut conn = db.acquire().await?;
    let hours = TimeDelta::hours;
    for n in 0..MONITORS {
        let provider =
            vw_store::directory::provider_by_slug(&mut *conn, &format!("vendor-{n:03}")).await?;
        let components: Vec<Component> = (0..COMPONENTS)
            .map(|c| Component {
                id: format!("c{c}"),
                name: format!("Component {c}"),
                group: Some(format!("Group {}", c % 3)),
                status: Some(ComponentStatus::Operational),
            })
            .collect();
        vw_store::history::replace_components(&mut conn, provider.id, &components).await?;
        let shifted = hours(i64::try_from(n)? % 48);
        let windows = [
            (
                "up-1",
                MaintenanceStatus::Scheduled,
                hours(24) + shifted,
                "c1",
            ),
            (
                "up-2",
                MaintenanceStatus::Scheduled,
                hours(24 * 9) + shifted,
                "c4",
            ),
            ("now", MaintenanceStatus::InProgress, -hours(1), "c7"),
            (
                "past",
                MaintenanceStatus::Completed,
                -hours(24 * 20) - shifted,
                "c1",
            ),
            (
                "cancelled",
                MaintenanceStatus::Scheduled,
                hours(24 * 5) + shifted,
                "c1",
            ),
            (
                "other-group",
                MaintenanceStatus::Scheduled,
                hours(30) + shifted,
                "c2",
            ),
        ];
        for (id, status, start, component) in windows {
            let maintenance = Maintenance {
                id: id.into(),
                title: format!("Scheduled maintenance of component {component}, phase {n}"),
                status: Some(status),
                scheduled_for: Some(now + start),
                scheduled_until: Some(now + start + hours(2)),
                url: Some(format!(
                    "https://status.vendor-{n:03}.example/incidents/{id}"
                )),
                components: vec![component.into()],
                updates: Vec::new(),
            };
            vw_store::history::upsert_maintenance(
                &mut conn,
                provider.id,
                &maintenance,
                &[],
                false,
                now,
            )
            .await?;
            if id == "cancelled" {
                vw_store::history::cancel_maintenance(&mut *conn, provider.id, id, now).await?;
            }
        }
    }
    sqlx::query("ANALYZE").execute(&mut *conn).await?;
    Ok(())
}

/// A Business workspace monitoring every provider (every third narrowed to Group 1), with a
/// calendar feed; returns the feed's token.
async fn workspace_with_feed(db: &PgPool) -> anyhow::Result<String> {
    let user = UserId::new();
    let mut tx = vw_store::begin(db).await?;
    vw_store::users::insert(
        &mut *tx,
        user,
        &EmailAddress::parse("ops@example.com")?,
        "unusable",
    )
    .await?;
    let workspace =
        vw_app::workspaces::create(&mut tx, user, &WorkspaceName::parse("Big Co")?).await?;
    vw_store::commit(tx).await?;
    vw_app::workspaces::set_plan(db, workspace, "business").await?;
    for n in 0..MONITORS {
        let provider = vw_store::directory::provider_by_slug(db, &format!("vendor-{n:03}")).await?;
        let monitor = vw_app::monitors::add(db, workspace, provider.id).await?;
        if n % 3 == 0 {
            let filter = ComponentFilter::chosen(vec!["Group 1".to_owned()], Vec::new());
            vw_app::monitors::set_filter(db, workspace, monitor, filter).await?;
        }
    }
    let secrets = vw_app::secrets::Secrets::random();
    Ok(vw_app::calendar_feed::rotate(db, &secrets, workspace, Utc::now()).await?)
}

//! What a hostile update body costs, before and after issue #9, measured side by side.
//!
//! The three bodies of the attack: 50,000 nested `<div>`s (550 KB), 20,000 nested `> `
//! quotes (40 KB) and a 1 MB Markdown table.
//!
//! - **Before**: what every view of the incident page did — Markdown and ammonia over the whole
//!   body, on the async runtime's threads. Timed once per body (each takes seconds).
//! - **After**: the write path as a poll runs it (the snapshot neutralised at the reader's edge,
//!   then `vw_markup::to_safe_html`, once, off the async threads), then the real web server in
//!   this process showing the stored result to 4 parallel viewers for 10 s while a fifth client
//!   asks `/healthz` every 20 ms: p50 / p99 / max of both.
//!
//! `cargo bench --bench hostile_render`. Database: `DATABASE_URL`'s server (a fresh database,
//! dropped after), else an embedded cluster in a temporary directory.

#[allow(dead_code)] // shared with the poll bench, which uses more of it
#[path = "poll_pipeline/database.rs"]
mod database;
#[allow(dead_code)]
#[path = "poll_pipeline/usage.rs"]
mod usage;

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::Utc;
use database::BenchDb;
use tokio::net::TcpListener;
use vendorwatch::db::Purpose;
use vw_domain::{
    CatalogEntry, Impact, Incident, IncidentStatus, Page, Platform, ProviderSlug, Snapshot,
    StatusPageUrl, Update,
};

const VIEWERS: usize = 4;
const LOAD: Duration = Duration::from_secs(10);
const HEALTH_EVERY: Duration = Duration::from_millis(20);

fn bodies() -> Vec<(&'static str, String)> {
    let divs = format!("{}x{}", "<div>".repeat(50_000), "</div>".repeat(50_000));
    let quotes = format!("{}x\n", "> ".repeat(20_000));
    let mut table = String::from("| a | b | c | d |\n|---|---|---|---|\n");
    while table.len() < 1_000_000 {
        table.push_str("| cell | **bold** | [link](https://example.com) | `code` |\n");
    }
    vec![
        ("50,000 nested <div>s", divs),
        ("20,000 nested > quotes", quotes),
        ("1 MB table", table),
    ]
}

/// The rendering every view ran before #9: unbounded Markdown, then ammonia.
fn render_as_before(text: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut rendered = String::new();
    html::push_html(
        &mut rendered,
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH),
    );
    ammonia::clean(&rendered)
}

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let bodies = bodies();
    println!("## Before: rendered on every view, on the async threads\n");
    println!("| body | bytes | one render |");
    println!("| --- | --- | --- |");
    for (name, body) in &bodies {
        let started = Instant::now();
        let html = render_as_before(body);
        println!(
            "| {name} | {} | {:.2} s ({} bytes of HTML) |",
            body.len(),
            started.elapsed().as_secs_f64(),
            html.len()
        );
    }

    let db = BenchDb::open(4).await?;
    println!("\ndatabase: {}", db.description);
    println!("\n## After: rendered once when written, shown as stored\n");
    println!("| body | stored bytes | write-path render |");
    println!("| --- | --- | --- |");
    let paths = seed(&db, &bodies).await?;

    let pool = db.pool_for(Purpose::Web, 10).await?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = vw_web::AppState::new(pool.clone(), vw_web::WebConfig::new(&base));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(vw_web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    for path in &paths {
        let status = client.get(format!("{base}{path}")).send().await?.status();
        if !status.is_success() {
            bail!("{path} answered {status}");
        }
    }

    let until = Instant::now() + LOAD;
    let viewers: Vec<_> = (0..VIEWERS)
        .map(|n| {
            let (client, base, paths) = (client.clone(), base.clone(), paths.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut next = n;
                while Instant::now() < until {
                    let path = &paths[next % paths.len()];
                    next += 1;
                    let started = Instant::now();
                    let answer = client.get(format!("{base}{path}")).send().await?;
                    answer.error_for_status()?.bytes().await?;
                    latencies.push(started.elapsed());
                }
                anyhow::Ok(latencies)
            })
        })
        .collect();
    let health = {
        let (client, base) = (client.clone(), base.clone());
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < until {
                let started = Instant::now();
                client
                    .get(format!("{base}/healthz"))
                    .send()
                    .await?
                    .error_for_status()?;
                latencies.push(started.elapsed());
                tokio::time::sleep(HEALTH_EVERY).await;
            }
            anyhow::Ok(latencies)
        })
    };
    let mut pages = Vec::new();
    for viewer in viewers {
        pages.extend(viewer.await??);
    }
    let mut health = health.await??;
    pages.sort();
    health.sort();

    println!(
        "\n{VIEWERS} parallel viewers of the three incident pages for {} s, /healthz every {} ms:\n",
        LOAD.as_secs(),
        HEALTH_EVERY.as_millis()
    );
    println!("| path | requests | p50 | p99 | max |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, latencies) in [("incident page", &pages), ("/healthz", &health)] {
        println!(
            "| {name} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
            latencies.len(),
            ms(percentile(latencies, 0.50)),
            ms(percentile(latencies, 0.99)),
            ms(percentile(latencies, 1.0)),
        );
    }

    let _ = stop.send(());
    let _ = server.await;
    pool.close().await;
    db.close().await
}

/// One provider with one incident per body, written as a poll writes them; the pages' paths.
async fn seed(db: &BenchDb, bodies: &[(&str, String)]) -> anyhow::Result<Vec<String>> {
    let entry = CatalogEntry {
        slug: ProviderSlug::parse("hostile")?,
        name: "Hostile Vendor".into(),
        homepage: None,
        status_url: StatusPageUrl::parse("https://status.hostile.example")?,
        platform: Some(Platform::Statuspage),
    };
    let mut tx = db.probe.begin().await?;
    vw_store::catalog::upsert(&mut tx, &entry, Duration::from_secs(3600)).await?;
    tx.commit().await?;
    let provider = vw_store::directory::provider_by_slug(&db.probe, "hostile").await?;
    let mut conn = db.probe.acquire().await?;
    let mut paths = Vec::new();
    for (n, (name, body)) in bodies.iter().enumerate() {
        let started = Instant::now();
        let mut snapshot = Snapshot {
            platform: Platform::Statuspage,
            page: Page::default(),
            components: Vec::new(),
            incidents: vec![Incident {
                id: format!("hostile-{n}"),
                title: format!("Hostile body: {name}"),
                impact: Some(Impact::Minor),
                status: Some(IncidentStatus::Investigating),
                started_at: Some(Utc::now()),
                resolved_at: None,
                url: None,
                components: Vec::new(),
                updates: vec![Update {
                    id: "u1".into(),
                    status: Some(IncidentStatus::Investigating),
                    body: body.clone(),
                    posted_at: Some(Utc::now()),
                }],
            }],
            maintenances: Vec::new(),
            incomplete: false,
        };
        snapshot.neutralise();
        let incident = snapshot.incidents.pop().context("the incident")?;
        let text = incident.updates[0].body.clone();
        let html = tokio::task::spawn_blocking(move || vw_markup::to_safe_html(&text)).await?;
        println!(
            "| {name} | {} | {:.1} ms |",
            html.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        let stored = vw_store::history::upsert_incident(
            &mut conn,
            provider.id,
            &incident,
            &[html],
            false,
            Utc::now(),
        )
        .await?;
        paths.push(format!("/providers/hostile/incidents/{}", stored.0));
    }
    Ok(paths)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

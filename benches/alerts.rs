//! From an event committed to the webhook received: the latency (p50, p99) with 1 and with
//! 1,000 workspaces watching the provider (each with its own webhook endpoint), and the
//! deliveries per second a local receiver gets.
//!
//! The path measured is production's after a poll: the event is committed to the outbox,
//! fan-out runs at once in the worker process (as the poll job does after its commit), and
//! the real worker pool (apalis on PostgreSQL) delivers, signing each webhook, to a receiver
//! on loopback in this process. Latency is the receiver's arrival time minus the commit's.
//!
//! `cargo bench --bench alerts`. Database: `DATABASE_URL`'s server (a fresh database, dropped
//! after), else an embedded cluster in a temporary directory.

#[allow(dead_code)] // shared with the poll bench, which uses more of it
#[path = "poll_pipeline/database.rs"]
mod database;
#[allow(dead_code)]
#[path = "poll_pipeline/usage.rs"]
mod usage;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::body::Bytes;
use axum::extract::State;
use chrono::Utc;
use database::BenchDb;
use tokio::sync::{Notify, oneshot};
use vendorwatch::db::Purpose;
use vw_app::secrets::Secrets;
use vw_domain::{
    EmailAddress, Event, Impact, IncidentChange, IncidentStatus, ProviderId, ProviderSlug,
    StatusPageUrl, UserId, WorkspaceName,
};
use vw_notify::{ChannelKind, TargetRules};
use vw_store::PgPool;

const ROUNDS_ONE: usize = 40;
const ROUNDS_MANY: usize = 8;
const WORKSPACES: usize = 1000;

/// Arrival times by event id (the payload's `data.event_id`).
#[derive(Clone, Default)]
struct Receiver {
    arrivals: Arc<Mutex<HashMap<String, Vec<Instant>>>>,
    arrived: Arc<Notify>,
}

async fn receive(State(receiver): State<Receiver>, body: Bytes) -> &'static str {
    let at = Instant::now();
    let event = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["data"]["event_id"].as_str().map(str::to_owned))
        .unwrap_or_default();
    receiver
        .arrivals
        .lock()
        .map(|mut a| a.entry(event).or_default().push(at))
        .ok();
    receiver.arrived.notify_waiters();
    "ok"
}

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let db = BenchDb::open(4).await?;
    println!("database: {}", db.description);
    let workers_pool = db.pool_for(Purpose::Worker, 20).await?;
    let receiver = Receiver::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let target = format!("http://{}/hook", listener.local_addr()?);
    let app = axum::Router::new()
        .fallback(receive)
        .with_state(receiver.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let secrets = Secrets::random();
    let provider = seed_provider(&db.probe).await?;
    let started = Instant::now();
    seed_workspaces(&db.probe, &secrets, provider, &target, 1).await?;
    println!(
        "seeded 1 workspace in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let (stop, done) = start_workers(workers_pool.clone(), secrets.clone())?;
    let one = measure(&db.probe, &workers_pool, &receiver, provider, 1, ROUNDS_ONE).await?;
    let started = Instant::now();
    seed_workspaces(&db.probe, &secrets, provider, &target, WORKSPACES - 1).await?;
    println!(
        "seeded {} more workspaces in {:.1} s",
        WORKSPACES - 1,
        started.elapsed().as_secs_f64()
    );
    let many = measure(
        &db.probe,
        &workers_pool,
        &receiver,
        provider,
        WORKSPACES,
        ROUNDS_MANY,
    )
    .await?;
    let _ = stop.send(());
    done.await??;

    println!();
    println!("| workspaces watching | events | deliveries | p50 | p99 | max | deliveries/s |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (n, rounds, figures) in [(1, ROUNDS_ONE, &one), (WORKSPACES, ROUNDS_MANY, &many)] {
        println!(
            "| {n} | {rounds} | {} | {} ms | {} ms | {} ms | {:.0} |",
            figures.latencies.len(),
            ms(percentile(&figures.latencies, 0.50)),
            ms(percentile(&figures.latencies, 0.99)),
            ms(percentile(&figures.latencies, 1.0)),
            figures.rate,
        );
    }
    workers_pool.close().await;
    db.close().await
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

struct Figures {
    /// Sorted.
    latencies: Vec<Duration>,
    /// Deliveries per second while a round drained, median over the rounds.
    rate: f64,
}

/// `rounds` events, one at a time: each committed, fanned out, and waited for until all
/// `expected` deliveries arrived.
async fn measure(
    probe: &PgPool,
    workers_pool: &PgPool,
    receiver: &Receiver,
    provider: ProviderId,
    expected: usize,
    rounds: usize,
) -> anyhow::Result<Figures> {
    let mut latencies = Vec::new();
    let mut rates = Vec::new();
    for round in 0..rounds {
        let event = Event::IncidentOpened(IncidentChange {
            incident_id: format!("bench-{expected}-{round}"),
            update_id: None,
            from: None,
            to: Some(IncidentStatus::Investigating),
            impact: Some(Impact::Major),
            components: Vec::new(),
            edited: false,
            backfilled: false,
            reopened: false,
        });
        // The incident and its event in one transaction, as a poll writes them.
        let incident = vw_domain::Incident {
            id: format!("bench-{expected}-{round}"),
            title: format!("Elevated error rates, round {round}"),
            impact: Some(Impact::Major),
            status: Some(IncidentStatus::Investigating),
            started_at: Some(Utc::now()),
            resolved_at: None,
            url: None,
            components: Vec::new(),
            updates: vec![vw_domain::Update {
                id: "u1".into(),
                status: Some(IncidentStatus::Investigating),
                body: "We are investigating elevated error rates on the API.".into(),
                posted_at: Some(Utc::now()),
            }],
        };
        let html = vec![vw_markup::to_safe_html(&incident.updates[0].body)];
        let mut tx = vw_store::begin(probe).await?;
        let stored = vw_store::history::upsert_incident(
            &mut tx,
            provider,
            &incident,
            &html,
            false,
            Utc::now(),
        )
        .await?;
        let id = vw_store::history::insert_event(
            &mut *tx,
            vw_store::history::NewEvent {
                provider,
                event: &event,
                incident: Some(stored),
                maintenance: None,
                detected_at: Utc::now(),
            },
        )
        .await?;
        vw_store::commit(tx).await?;
        let committed = Instant::now();
        // What the poll job does right after its commit, in the worker's process (the
        // workers' one-second clock may have claimed the event first: either way it is routed once).
        vw_jobs::deliver::fan_out(workers_pool).await?;
        let key = id.0.to_string();
        let deadline = committed + Duration::from_secs(120);
        let arrivals = loop {
            let arrived = receiver.arrived.notified();
            let got = receiver
                .arrivals
                .lock()
                .map(|a| a.get(&key).cloned().unwrap_or_default())
                .unwrap_or_default();
            if got.len() >= expected {
                break got;
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "round {round}: {} of {expected} deliveries after 120 s",
                got.len()
            );
            let _ = tokio::time::timeout(Duration::from_millis(50), arrived).await;
        };
        let last = arrivals.iter().max().copied().unwrap_or(committed);
        let drained = last.duration_since(committed).as_secs_f64().max(1e-6);
        rates.push(expected as f64 / drained);
        latencies.extend(arrivals.iter().map(|at| at.duration_since(committed)));
        println!(
            "{expected} workspaces, round {}: last delivery {:.0} ms after the commit",
            round + 1,
            drained * 1000.0
        );
        // Let the workers' queues go quiet between rounds.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    latencies.sort();
    rates.sort_by(f64::total_cmp);
    Ok(Figures {
        latencies,
        rate: rates[rates.len() / 2],
    })
}

/// The worker pool's stop switch and its task.
type Workers = (
    oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), vw_jobs::JobsError>>,
);

fn start_workers(pool: PgPool, secrets: Secrets) -> anyhow::Result<Workers> {
    let mut deliveries = vw_jobs::deliver::DeliveryConfig::new(
        url::Url::parse("https://vendorwatch.example")?,
        secrets,
    );
    deliveries.allow_private_targets = true;
    let mut config =
        vw_jobs::WorkerConfig::new(format!("bench-{}", std::process::id()), deliveries);
    // Nothing to poll: the bench writes the events.
    config.poll.interval = Duration::from_secs(24 * 3600);
    config.poll.idle_interval = Duration::from_secs(24 * 3600);
    config.shutdown_timeout = Duration::from_secs(10);
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(vw_jobs::run(pool, config, async {
        let _ = stopped.await;
    }));
    Ok((stop, done))
}

async fn seed_provider(db: &PgPool) -> anyhow::Result<ProviderId> {
    let listing = vw_store::catalog::Listing {
        slug: ProviderSlug::parse("benchvendor")?,
        name: "Bench Vendor".into(),
        homepage: None,
        status_url: StatusPageUrl::parse("https://status.benchvendor.example")?,
        platform: Some(vw_domain::Platform::Statuspage),
    };
    let mut tx = db.begin().await?;
    vw_store::catalog::upsert(&mut tx, &listing, Duration::ZERO).await?;
    tx.commit().await?;
    // Never polled during the bench.
    sqlx::query("UPDATE poll_state SET next_poll_at = now() + interval '1 day'")
        .execute(db)
        .await?;
    Ok(vw_store::directory::provider_by_slug(db, "benchvendor")
        .await?
        .id)
}

/// `n` workspaces watching `provider`, each with one webhook endpoint at `target` (their
/// owners' addresses removed: this measures webhooks).
async fn seed_workspaces(
    db: &PgPool,
    secrets: &Secrets,
    provider: ProviderId,
    target: &str,
    n: usize,
) -> anyhow::Result<()> {
    for _ in 0..n {
        let user = UserId::new();
        let email = EmailAddress::parse(&format!("owner-{}@bench.example", user.0.simple()))?;
        let mut tx = vw_store::begin(db).await?;
        vw_store::users::insert(&mut *tx, user, &email, "unusable").await?;
        let workspace =
            vw_app::workspaces::create(&mut tx, user, &WorkspaceName::parse("Bench team")?).await?;
        vw_store::commit(tx).await?;
        vw_app::monitors::add(db, workspace, provider).await?;
        let group = vw_store::groups::list(db, workspace).await?[0].id;
        vw_app::channels::add_integration(
            db,
            secrets,
            TargetRules::LOCAL,
            workspace,
            group,
            ChannelKind::Webhook,
            target,
        )
        .await
        .context("adding the webhook")?;
    }
    sqlx::query("DELETE FROM channels WHERE kind = 'email'")
        .execute(db)
        .await?;
    sqlx::query("UPDATE poll_state SET next_poll_at = now() + interval '1 day'")
        .execute(db)
        .await?;
    Ok(())
}

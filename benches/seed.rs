//! The seed incident as a benchmark: `cargo bench --bench seed`.
//!
//! vendorwatch was born from a vendor's outage, where a backfill plus retries overloaded a
//! shared database and user requests failed with 500s. This replays it against the real
//! service, run as `serve` runs it in this process (the web server and the workers on pools of
//! their own, production's sizes, statement timeouts and worker settings), on a fresh database:
//!
//! 1. **idle**: a signed-in person's critical paths (dashboard, a monitor, a provider, an
//!    incident, a sign-in) driven by concurrent clients while nothing else happens;
//! 2. **backfill, 500s**: a fleet of Statuspage sites (one fake vendor process, one host:port,
//!    a site per path `/p/<n>/`) all answering 500, every provider due at once, the same
//!    clients going on;
//! 3. **backfill, timeouts**: the fleet answering nothing at all, every provider due again;
//! 4. **normal**: the fleet answering, a tenth of its pages changing each round (their open
//!    incident resolved, or opened again), a thousand of the providers watched by workspaces
//!    alerting a webhook receiver in this process.
//!
//! Figures: web p50/p99 per phase and their ratio to idle, 5xx counts, the requests each
//! failing site received (counted by the fake vendor) against the backoff's budget, the
//! busiest statements (`pg_stat_statements`, preloaded in the bench's own cluster), the pools'
//! wait times, and for the normal phase polls/s, lag behind schedule, event → webhook p50/p99
//! and the process's peak RSS. The SVG plot goes to `SEED_BENCH_SVG` (default
//! `docs/bench/seed.svg`). Speed is reported, never asserted.
//!
//! Knobs (env): `SEED_BENCH_SITES` (10000), `SEED_BENCH_CLIENTS` (4), `SEED_BENCH_IDLE_SECS`
//! (30), `SEED_BENCH_STORM_SECS` (90, at most: the phase ends 10 s after every site has been
//! tried), `SEED_BENCH_HANG_SECS` (45), `SEED_BENCH_NORMAL_SECS` (180),
//! `SEED_BENCH_NORMAL_INTERVAL` (60, seconds), `SEED_BENCH_WATCHED` (1000), `DATABASE_URL`
//! (else an embedded cluster), `RUST_LOG`.

#[allow(dead_code)] // shared with the poll bench, which uses more of it
#[path = "poll_pipeline/database.rs"]
mod database;
#[allow(dead_code)]
#[path = "poll_pipeline/fake_vendor.rs"]
mod fake_vendor;
#[path = "seed/plot.rs"]
mod plot;
#[path = "seed/receiver.rs"]
mod receiver;
#[path = "seed/service.rs"]
mod service;
#[allow(dead_code)]
#[path = "poll_pipeline/usage.rs"]
mod usage;
#[allow(dead_code)]
#[path = "poll_pipeline/vendor_process.rs"]
mod vendor_process;
#[path = "seed/web_load.rs"]
mod web_load;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use vw_app::secrets::Secrets;
use vw_domain::{EmailAddress, ProviderId, UserId, WorkspaceId, WorkspaceName};

use database::BenchDb;
use plot::Phase;
use receiver::Receiver;
use service::Service;
use vendor_process::VendorProcess;
use web_load::{Person, Sample, WebLoad, quantile, within};

fn env_or(name: &str, default: u64) -> anyhow::Result<u64> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v.trim().parse().with_context(|| format!("{name}={v}")),
        _ => Ok(default),
    }
}

struct Settings {
    sites: usize,
    clients: usize,
    idle: Duration,
    storm: Duration,
    hang: Duration,
    normal: Duration,
    normal_interval: Duration,
    watched: usize,
}

impl Settings {
    fn from_env() -> anyhow::Result<Settings> {
        let secs = |name, default| env_or(name, default).map(Duration::from_secs);
        Ok(Settings {
            sites: usize::try_from(env_or("SEED_BENCH_SITES", 10_000)?)?,
            clients: usize::try_from(env_or("SEED_BENCH_CLIENTS", 4)?)?,
            idle: secs("SEED_BENCH_IDLE_SECS", 30)?,
            storm: secs("SEED_BENCH_STORM_SECS", 90)?,
            hang: secs("SEED_BENCH_HANG_SECS", 45)?,
            normal: secs("SEED_BENCH_NORMAL_SECS", 180)?,
            normal_interval: secs("SEED_BENCH_NORMAL_INTERVAL", 60)?,
            watched: usize::try_from(env_or("SEED_BENCH_WATCHED", 1000)?)?,
        })
    }
}

fn main() -> anyhow::Result<()> {
    if let Some(served) = fake_vendor::serve_if_asked() {
        return served;
    }
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let settings = Settings::from_env()?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(bench(&settings))
}

/// The home page (site 0): answers normally throughout, watched by the signed-in person.
const HOME: &str = "bench-0";
const EMAIL: &str = "person@seed.example";
const PASSWORD: &str = "correct horse battery staple";

async fn bench(settings: &Settings) -> anyhow::Result<()> {
    let origin = Instant::now();
    println!("load at start: {}", uptime());
    // The fleet is sites 1..=N; site 0 is the home page.
    let mut vendor = VendorProcess::start(settings.sites + 1)?;
    let db = BenchDb::open_with(2, true).await?;
    let secrets = Secrets::random();
    let outcome = async {
        let mut service = Service::start(&db, &secrets, origin).await?;
        let result = run(settings, &db, &mut vendor, &mut service, &secrets, origin).await;
        service.stop().await?;
        result
    }
    .await;
    vendor.stop()?;
    db.close().await?;
    outcome
}

async fn run(
    settings: &Settings,
    db: &BenchDb,
    vendor: &mut VendorProcess,
    service: &mut Service,
    secrets: &Secrets,
    origin: Instant,
) -> anyhow::Result<()> {
    println!(
        "seed scenario: {} Statuspage sites on {} (one host:port, a site per path), database: {}",
        settings.sites, vendor.addr, db.description
    );
    database::seed(&db.probe, &vendor.base_url(), settings.sites + 1).await?;
    // Quiet workers first (intervals of a year: nothing pulled in at start), so that idle is
    // idle; the home page is made due by hand.
    service
        .run_workers(service::worker_config(
            secrets,
            Duration::from_secs(365 * 86_400),
        )?)
        .await?;
    let (home, incident, monitor) = home_page(db, service).await?;
    let person = Person {
        base: service.base.clone(),
        email: EMAIL.into(),
        password: PASSWORD.into(),
        pages: vec![
            ("dashboard", "/dashboard".into()),
            ("monitor", format!("/monitors/{monitor}")),
            ("provider", format!("/providers/{HOME}")),
            (
                "incident",
                format!("/providers/{HOME}/incidents/{incident}"),
            ),
        ],
    };
    let load = WebLoad::start(person, settings.clients, origin).await?;
    let mut phases = Vec::new();

    let from = secs(origin);
    tokio::time::sleep(settings.idle).await;
    phases.push(Phase {
        name: "idle".into(),
        from,
        to: secs(origin),
    });

    // The backfill: production's workers, every provider due at once, every site answering
    // 500.
    vendor.answer("error", 1).await?;
    let production = vw_jobs::poll::PollConfig::default();
    service
        .run_workers(service::worker_config(secrets, production.interval)?)
        .await?;
    vendor.requests_per_site().await?;
    reset_statements(db).await?;
    let (phase, storm_polls) = backfill(db, home, settings.storm, origin, "backfill, 500s").await?;
    let storm_requests = vendor.requests_per_site().await?;
    let statements = busiest_statements(db).await?;
    let storm_window = phase.to - phase.from;
    phases.push(phase);

    vendor.answer("hang", 1).await?;
    sqlx::query("UPDATE poll_state SET failures = 0, failing_since = NULL")
        .execute(&db.probe)
        .await?;
    let (phase, hang_polls) =
        backfill(db, home, settings.hang, origin, "backfill, timeouts").await?;
    let hang_requests = vendor.requests_per_site().await?;
    let hang_window = phase.to - phase.from;
    phases.push(phase);

    // Normal operation: a fresh schedule at a shorter interval, the fleet answering.
    vendor.answer("ok", 0).await?;
    vendor.alert_on_changes().await?;
    let receiver = Receiver::start().await?;
    watch_with_webhooks(db, secrets, &receiver, settings.watched).await?;
    service.stop_workers().await?;
    sqlx::query(
        "UPDATE poll_state SET failures = 0, failing_since = NULL, last_error = NULL,
                               last_error_kind = NULL, lease_id = NULL, lease_until = NULL,
                               next_poll_at = now() + random() * $1",
    )
    .bind(settings.normal_interval)
    .execute(&db.probe)
    .await?;
    let before = vendor.usage().await?;
    service
        .run_workers(service::worker_config(secrets, settings.normal_interval)?)
        .await?;
    let from = secs(origin);
    let normal = normal(db, vendor, settings, origin).await?;
    let after = vendor.usage().await?;
    phases.push(Phase {
        name: "normal".into(),
        from,
        to: secs(origin),
    });
    let samples = load.stop().await?;
    let latencies = event_to_webhook(db, &receiver).await?;

    report_web(&samples, &phases);
    println!();
    report_failing("500s", &storm_requests, storm_polls, storm_window);
    report_failing("timeouts", &hang_requests, hang_polls, hang_window);
    println!();
    println!("busiest statements during the 500s backfill (pg_stat_statements, by total time):");
    println!("| calls | total ms | mean ms | statement |");
    println!("|---:|---:|---:|---|");
    for row in &statements {
        println!("{row}");
    }
    println!();
    report_pool_waits(service, &phases);
    println!();
    let polls =
        (after.fresh + after.not_modified - before.fresh - before.not_modified) as f64 / 3.0;
    let normal_secs = phases.last().map_or(1.0, |p| p.to - p.from);
    println!(
        "normal: {:.0} polls/s ({} sites every {} s, wanted {:.0}/s); lag behind schedule \
         p50 {:.1} s, p99 {:.1} s, max {:.1} s; event → webhook p50 {:.0} ms, p99 {:.0} ms \
         ({} alerts); peak RSS of this process (web + workers + the bench's clients) {:.0} MiB",
        polls / normal_secs,
        settings.sites + 1,
        settings.normal_interval.as_secs(),
        (settings.sites + 1) as f64 / settings.normal_interval.as_secs_f64(),
        quantile(&normal, 0.5),
        quantile(&normal, 0.99),
        quantile(&normal, 1.0),
        quantile(&latencies, 0.5),
        quantile(&latencies, 0.99),
        latencies.len(),
        usage::own_peak_rss_kib()? as f64 / 1024.0
    );
    println!("load at end: {}", uptime());
    let path = std::env::var("SEED_BENCH_SVG")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/docs/bench/seed.svg").into());
    std::fs::write(
        &path,
        plot::svg(
            &samples,
            &phases,
            "vendorwatch under the seed scenario: web p99",
        ),
    )?;
    println!("plot: {path}");
    Ok(())
}

fn secs(origin: Instant) -> f64 {
    origin.elapsed().as_secs_f64()
}

fn uptime() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| {
            format!(
                "load average {}",
                l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
            )
        })
        .unwrap_or_default()
}

/// Polls the home page once (GitHub's open incident), signs the person up through the web
/// and gives them a monitor on it: (home provider, its incident, the monitor).
async fn home_page(
    db: &BenchDb,
    service: &Service,
) -> anyhow::Result<(ProviderId, uuid::Uuid, vw_domain::MonitorId)> {
    let home = ProviderId(
        sqlx::query_scalar("SELECT id FROM providers WHERE slug = $1")
            .bind(HOME)
            .fetch_one(&db.probe)
            .await?,
    );
    sqlx::query("UPDATE poll_state SET next_poll_at = now() WHERE provider_id = $1")
        .bind(home.0)
        .execute(&db.probe)
        .await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let incident = loop {
        let found: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT id FROM incidents WHERE provider_id = $1 LIMIT 1")
                .bind(home.0)
                .fetch_optional(&db.probe)
                .await?;
        if let Some(incident) = found {
            break incident;
        }
        anyhow::ensure!(Instant::now() < deadline, "the home page was not read");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let token = web_load::csrf_token(&client, &format!("{}/signup", service.base)).await?;
    let signed_up = client
        .post(format!("{}/signup", service.base))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", EMAIL),
            ("password", PASSWORD),
            ("workspace", "Seed"),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        signed_up.status().is_redirection(),
        "signup: {}",
        signed_up.status()
    );
    let workspace: uuid::Uuid = sqlx::query_scalar(
        "SELECT m.workspace_id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE u.email = $1",
    )
    .bind(EMAIL)
    .fetch_one(&db.probe)
    .await?;
    let monitor = vw_app::monitors::add(&db.probe, WorkspaceId(workspace), home).await?;
    Ok((home, incident, monitor))
}

/// Every fleet provider due at once; runs until every one has been tried and 10 s more, or
/// `limit`. Returns the phase and the polls it saw finish.
async fn backfill(
    db: &BenchDb,
    home: ProviderId,
    limit: Duration,
    origin: Instant,
    name: &str,
) -> anyhow::Result<(Phase, i64)> {
    let started: DateTime<Utc> = sqlx::query_scalar(
        "UPDATE poll_state SET next_poll_at = now() WHERE provider_id <> $1 RETURNING now()",
    )
    .bind(home.0)
    .fetch_one(&db.probe)
    .await?;
    let from = secs(origin);
    let deadline = Instant::now() + limit;
    let mut all_tried_at = None;
    let mut tried = 0;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        tried = sqlx::query_scalar(
            "SELECT count(*) FROM poll_state WHERE provider_id <> $1 AND failing_since >= $2",
        )
        .bind(home.0)
        .bind(started)
        .fetch_one(&db.probe)
        .await?;
        let all: i64 = sqlx::query_scalar("SELECT count(*) - 1 FROM poll_state")
            .fetch_one(&db.probe)
            .await?;
        if tried >= all && all_tried_at.is_none() {
            all_tried_at = Some(Instant::now());
        }
        if all_tried_at.is_some_and(|at| at.elapsed() >= Duration::from_secs(10)) {
            break;
        }
    }
    println!(
        "{name}: {tried} providers tried in {:.0} s",
        secs(origin) - from
    );
    Ok((
        Phase {
            name: name.into(),
            from,
            to: secs(origin),
        },
        tried,
    ))
}

/// `watched` workspaces, one fleet provider each, each alerting a webhook on `receiver`.
async fn watch_with_webhooks(
    db: &BenchDb,
    secrets: &Secrets,
    receiver: &Receiver,
    watched: usize,
) -> anyhow::Result<()> {
    let pool = &db.probe;
    for n in 1..=watched {
        let user = UserId::new();
        let mut tx = vw_store::begin(pool).await?;
        vw_store::users::insert(
            &mut *tx,
            user,
            &EmailAddress::parse(&format!("owner@w{n}.example"))?,
            "unusable",
        )
        .await?;
        let workspace =
            vw_app::workspaces::create(&mut tx, user, &WorkspaceName::parse(&format!("W{n}"))?)
                .await?;
        vw_store::commit(tx).await?;
        let provider = ProviderId(
            sqlx::query_scalar("SELECT id FROM providers WHERE slug = $1")
                .bind(format!("bench-{n}"))
                .fetch_one(pool)
                .await?,
        );
        vw_app::monitors::add(pool, workspace, provider).await?;
        let group = vw_store::groups::list(pool, workspace).await?[0].id;
        let email = vw_store::channels::list(pool, workspace).await?[0].id;
        vw_store::channels::delete(pool, workspace, email).await?;
        vw_app::channels::add_integration(
            pool,
            secrets,
            vw_notify::TargetRules::LOCAL,
            workspace,
            group,
            vw_notify::ChannelKind::Webhook,
            &format!("{}/w{n}", receiver.base),
        )
        .await?;
    }
    Ok(())
}

/// Runs the normal phase: a round every interval changes a tenth of the fleet. Returns the
/// lag behind schedule sampled every second: how late the most overdue poll not yet recorded
/// is (claimed, queued or in flight alike).
async fn normal(
    db: &BenchDb,
    vendor: &mut VendorProcess,
    settings: &Settings,
    origin: Instant,
) -> anyhow::Result<Vec<f64>> {
    let started = Instant::now();
    let mut next_round = settings.normal_interval;
    let mut lag = Vec::new();
    while started.elapsed() < settings.normal {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if started.elapsed() >= next_round {
            vendor.next_version_of_some(10).await?;
            println!("normal: round {} at {:.0} s", vendor.version, secs(origin));
            next_round += settings.normal_interval;
        }
        let late: f64 = sqlx::query_scalar(
            "SELECT coalesce(extract(epoch FROM now() - min(next_poll_at)), 0)::float8
             FROM poll_state WHERE next_poll_at < now()",
        )
        .fetch_one(&db.probe)
        .await?;
        lag.push(late.max(0.0));
    }
    Ok(lag)
}

/// Each alert's arrival at the receiver after its event was detected, in ms.
async fn event_to_webhook(db: &BenchDb, receiver: &Receiver) -> anyhow::Result<Vec<f64>> {
    let arrivals = receiver.arrivals();
    let ids: Vec<uuid::Uuid> = arrivals
        .iter()
        .filter_map(|(id, _)| id.parse().ok())
        .collect();
    let detected: BTreeMap<uuid::Uuid, DateTime<Utc>> =
        sqlx::query_as::<_, (uuid::Uuid, DateTime<Utc>)>(
            "SELECT id, detected_at FROM events WHERE id = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&db.probe)
        .await?
        .into_iter()
        .collect();
    Ok(arrivals
        .iter()
        .filter_map(|(id, at)| {
            let detected = detected.get(&id.parse().ok()?)?;
            Some((*at - *detected).as_seconds_f64() * 1e3)
        })
        .collect())
}

async fn reset_statements(db: &BenchDb) -> anyhow::Result<()> {
    sqlx::query("SELECT pg_stat_statements_reset()")
        .execute(&db.probe)
        .await?;
    Ok(())
}

/// The ten statements that took the most time, as Markdown table rows.
async fn busiest_statements(db: &BenchDb) -> anyhow::Result<Vec<String>> {
    let rows: Vec<(i64, f64, f64, String)> = sqlx::query_as(
        "SELECT calls, total_exec_time, mean_exec_time, query FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY total_exec_time DESC LIMIT 10",
    )
    .fetch_all(&db.probe)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(calls, total, mean, query)| {
            let query: String = query.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = query.chars().take(110).collect();
            format!(
                "| {calls} | {total:.0} | {mean:.2} | `{}` |",
                short.replace('|', "\\|")
            )
        })
        .collect())
}

fn report_web(samples: &[Sample], phases: &[Phase]) {
    let idle = phases
        .first()
        .map(|p| within(samples, p.from, p.to))
        .unwrap_or_default();
    let idle_p99 = quantile(&idle.iter().map(|s| s.ms).collect::<Vec<_>>(), 0.99);
    println!();
    println!("web, every critical path together (ms):");
    println!(
        "| phase | seconds | requests | p50 | p99 | p99 ÷ idle p99 | 5xx | other non-2xx/3xx |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for phase in phases {
        let in_phase = within(samples, phase.from, phase.to);
        let ms: Vec<f64> = in_phase.iter().map(|s| s.ms).collect();
        let p99 = quantile(&ms, 0.99);
        println!(
            "| {} | {:.0} | {} | {:.1} | {:.1} | {:.2} | {} | {} |",
            phase.name,
            phase.to - phase.from,
            in_phase.len(),
            quantile(&ms, 0.5),
            p99,
            p99 / idle_p99,
            in_phase.iter().filter(|s| s.status >= 500).count(),
            in_phase
                .iter()
                .filter(|s| s.status < 500 && s.status >= 400)
                .count(),
        );
    }
    println!();
    println!("web p99 by route (ms):");
    let routes = ["dashboard", "monitor", "provider", "incident", "sign-in"];
    println!("| phase | {} |", routes.join(" | "));
    println!("|---|{}", "---:|".repeat(routes.len()));
    for phase in phases {
        let in_phase = within(samples, phase.from, phase.to);
        let cells: Vec<String> = routes
            .iter()
            .map(|route| {
                let ms: Vec<f64> = in_phase
                    .iter()
                    .filter(|s| s.route == *route)
                    .map(|s| s.ms)
                    .collect();
                format!("{:.1}", quantile(&ms, 0.99))
            })
            .collect();
        println!("| {} | {} |", phase.name, cells.join(" | "));
    }
}

/// The most polls a failing page may get in `window` seconds after it was due: the first,
/// then each retry after at least 0.75 of its backoff (one interval, doubling, at most four).
fn poll_budget(window: f64) -> u32 {
    let interval = vw_jobs::poll::PollConfig::default().interval.as_secs_f64();
    let (mut at, mut polls, mut backoff) = (0.0, 1, interval);
    loop {
        at += 0.75 * backoff;
        if at > window {
            return polls;
        }
        polls += 1;
        backoff = (backoff * 2.0).min(4.0 * interval);
    }
}

fn report_failing(what: &str, histogram: &BTreeMap<u32, u64>, tried: i64, window: f64) {
    // Site 0 (home, answering normally on its own schedule) is in the counts: a poll at most.
    let most = histogram.keys().max().copied().unwrap_or(0);
    let budget = poll_budget(window);
    let spread: Vec<String> = histogram
        .iter()
        .map(|(requests, sites)| format!("{sites} sites got {requests}"))
        .collect();
    println!(
        "failing fleet ({what}): {tried} providers tried in {window:.0} s; requests per site: \
         {}; at most {most}, the backoff's budget in that window {budget} poll(s) (a poll \
         reads up to 3 documents)",
        spread.join(", ")
    );
}

fn report_pool_waits(service: &Service, phases: &[Phase]) {
    println!("pool wait, a probe taking a connection every 100 ms (ms):");
    println!("| phase | web p50 | web p99 | web max | workers p50 | workers p99 | workers max |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let waits = |kept: &std::sync::Mutex<Vec<(f64, f64)>>, phase: &Phase| -> Vec<f64> {
        kept.lock()
            .map(|w| {
                w.iter()
                    .filter(|(at, _)| *at >= phase.from && *at < phase.to)
                    .map(|(_, ms)| *ms)
                    .collect()
            })
            .unwrap_or_default()
    };
    for phase in phases {
        let web = waits(&service.web_waits, phase);
        let workers = waits(&service.worker_waits, phase);
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            phase.name,
            quantile(&web, 0.5),
            quantile(&web, 0.99),
            quantile(&web, 1.0),
            quantile(&workers, 0.5),
            quantile(&workers, 0.99),
            quantile(&workers, 1.0),
        );
    }
}

//! The dashboard at the Business plan's limit: a workspace with 500 monitors (a third of them
//! narrowed to one group) on providers with 20 components each, 20 incidents each (one open on
//! every fifth), and maintenances ahead on every tenth. It measures, on the real web server in
//! this process:
//!
//! - the SQL statements one request runs (counted from sqlx's own statement events), for the
//!   full page and for the 30-second refresh fragment;
//! - their plans, as PostgreSQL ran them (`auto_explain` with `log_analyze`, read from the
//!   embedded cluster's log);
//! - latency under load: `wrk` with 4 connections for 10 s per path, p50 / p99.
//!
//! `cargo bench --bench dashboard`. Database: `DATABASE_URL`'s server (a fresh database,
//! dropped after), else an embedded cluster in a temporary directory (needed for the plans).

#[allow(dead_code)] // shared with the poll bench, which uses more of it
#[path = "poll_pipeline/database.rs"]
mod database;
#[allow(dead_code)]
#[path = "poll_pipeline/usage.rs"]
mod usage;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use chrono::{TimeDelta, Utc};
use database::BenchDb;
use tokio::net::TcpListener;
use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use vendorwatch::db::Purpose;
use vw_domain::{
    CatalogEntry, Component, ComponentFilter, ComponentStatus, Impact, Incident, IncidentStatus,
    Maintenance, MaintenanceStatus, Platform, ProviderSlug, StatusPageUrl, Update,
};
use vw_store::PgPool;

const MONITORS: usize = 500;
const COMPONENTS: usize = 20;
const INCIDENTS: usize = 20;
const PASSWORD: &str = "correct horse battery";

/// Counts sqlx's statement events (target `sqlx::query`, one per statement run).
#[derive(Clone, Default)]
struct Statements(Arc<AtomicUsize>);

impl<S: Subscriber> Layer<S> for Statements {
    fn on_event(
        &self,
        _event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() -> anyhow::Result<()> {
    let statements = Statements::default();
    let subscriber = tracing_subscriber::registry().with(
        statements
            .clone()
            .with_filter(Targets::new().with_target("sqlx::query", tracing::Level::DEBUG)),
    );
    tracing::subscriber::set_global_default(subscriber)?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(statements))
}

async fn run(statements: Statements) -> anyhow::Result<()> {
    let db = BenchDb::open(4).await?;
    println!("database: {}", db.description);
    let started = std::time::Instant::now();
    seed_providers(&db.probe).await?;
    println!(
        "seeded {MONITORS} providers × {COMPONENTS} components, {} incidents, in {:.1} s",
        MONITORS * INCIDENTS,
        started.elapsed().as_secs_f64()
    );

    // The plans, from a server whose connections log every statement's plan.
    let cookie;
    if let Some(log) = &db.server_log {
        let name: String = sqlx::query_scalar("SELECT current_database()")
            .fetch_one(&db.probe)
            .await?;
        for setting in [
            "session_preload_libraries = 'auto_explain'",
            "auto_explain.log_min_duration = 0",
            "auto_explain.log_analyze = on",
            "auto_explain.log_timing = on",
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "ALTER DATABASE \"{name}\" SET {setting}"
            )))
            .execute(&db.probe)
            .await?;
        }
        let before = std::fs::metadata(log).map(|m| m.len()).unwrap_or(0);
        let server = Server::start(&db).await?;
        cookie = server.sign_up_with_monitors(&db.probe).await?;
        let from = std::fs::metadata(log).map(|m| m.len()).unwrap_or(0);
        server.get("/dashboard", &cookie).await?;
        print_plans(log, from)?;
        let _ = before;
        server.stop(&db).await;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE \"{name}\" RESET ALL"
        )))
        .execute(&db.probe)
        .await?;
    } else {
        println!("(plans not shown: DATABASE_URL's server log is not readable from here)");
        let server = Server::start(&db).await?;
        cookie = server.sign_up_with_monitors(&db.probe).await?;
        server.stop(&db).await;
    }

    let server = Server::start(&db).await?;
    for path in ["/dashboard", "/dashboard/monitors"] {
        // Warm, then count one request's statements alone.
        server.get(path, &cookie).await?;
        let before = statements.0.load(Ordering::Relaxed);
        let bytes = server.get(path, &cookie).await?;
        let count = statements.0.load(Ordering::Relaxed) - before;
        println!("{path}: {count} SQL statements per request, {bytes} bytes");
    }
    println!();
    println!("| path | requests/s | p50 | p99 |");
    println!("| --- | --- | --- | --- |");
    for path in ["/dashboard", "/dashboard/monitors"] {
        let (rate, p50, p99) = wrk(&format!("{}{path}", server.base), &cookie)?;
        println!("| `{path}` | {rate:.0} | {p50} | {p99} |");
    }
    server.stop(&db).await;
    db.close().await
}

/// 500 providers with their components, incidents and maintenances, written through the
/// store's functions as polls write them.
async fn seed_providers(db: &PgPool) -> anyhow::Result<()> {
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
    for n in 0..MONITORS {
        let provider =
            vw_store::directory::provider_by_slug(&mut *conn, &format!("vendor-{n:03}")).await?;
        let components: Vec<Component> = (0..COMPONENTS)
            .map(|c| Component {
                id: format!("c{c}"),
                name: format!("Component {c}"),
                group: Some(format!("Group {}", c % 3)),
                status: Some(if n % 7 == 0 && c == 1 {
                    ComponentStatus::PartialOutage
                } else {
                    ComponentStatus::Operational
                }),
            })
            .collect();
        vw_store::history::replace_components(&mut conn, provider.id, &components).await?;
        for i in 0..INCIDENTS {
            let open = n % 5 == 0 && i == 0;
            let started = now - TimeDelta::days(i64::try_from(i)? * 3 + 1);
            let updates = vec![Update {
                id: format!("u{i}"),
                status: Some(if open {
                    IncidentStatus::Investigating
                } else {
                    IncidentStatus::Resolved
                }),
                body: "We are looking into **elevated errors**.".into(),
                posted_at: Some(started),
            }];
            let incident = Incident {
                id: format!("inc-{i}"),
                title: format!("Elevated errors on component {}", i % COMPONENTS),
                impact: Some(Impact::Minor),
                status: updates[0].status,
                started_at: Some(started),
                resolved_at: (!open).then(|| started + TimeDelta::hours(1)),
                url: None,
                components: vec![format!("c{}", i % COMPONENTS)],
                updates,
            };
            let html = vec![vw_markup::to_safe_html(&incident.updates[0].body)];
            vw_store::history::upsert_incident(
                &mut conn,
                provider.id,
                &incident,
                &html,
                false,
                now,
            )
            .await?;
        }
        if n % 10 == 0 {
            let maintenance = Maintenance {
                id: "m".into(),
                title: "Database upgrade".into(),
                status: Some(MaintenanceStatus::Scheduled),
                scheduled_for: Some(now + TimeDelta::days(2)),
                scheduled_until: Some(now + TimeDelta::days(2) + TimeDelta::hours(2)),
                url: None,
                components: vec!["c2".into()],
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
        }
    }
    sqlx::query("ANALYZE").execute(&mut *conn).await?;
    Ok(())
}

struct Server {
    base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
    pool: PgPool,
    client: reqwest::Client,
}

impl Server {
    async fn start(db: &BenchDb) -> anyhow::Result<Server> {
        let pool = db.pool_for(Purpose::Web, 10).await?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let state = vw_web::AppState::new(pool.clone(), vw_web::WebConfig::new(&base));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(vw_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()?;
        Ok(Server {
            base,
            stop,
            done,
            pool,
            client,
        })
    }

    async fn stop(self, _db: &BenchDb) {
        let _ = self.stop.send(());
        let _ = self.done.await;
        self.pool.close().await;
    }

    /// Signs up, moves the workspace to Business and adds a monitor of every provider (every
    /// third narrowed to one group); returns the session cookie.
    async fn sign_up_with_monitors(&self, probe: &PgPool) -> anyhow::Result<String> {
        let form = self
            .client
            .get(format!("{}/signup", self.base))
            .send()
            .await?
            .text()
            .await?;
        let token = form
            .split("name=\"csrf_token\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .context("no CSRF token on the signup page")?
            .to_owned();
        let answer = self
            .client
            .post(format!("{}/signup", self.base))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", "ops@example.com"),
                ("password", PASSWORD),
                ("workspace", "Big Co"),
            ])
            .send()
            .await?;
        let cookie = answer
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.contains("session"))
            .and_then(|c| c.split(';').next())
            .context("no session cookie")?
            .to_owned();
        let workspace = vw_app::workspaces::find(probe, "ops@example.com").await?;
        vw_app::workspaces::set_plan(probe, workspace, "business").await?;
        for n in 0..MONITORS {
            let provider =
                vw_store::directory::provider_by_slug(probe, &format!("vendor-{n:03}")).await?;
            let monitor = vw_app::monitors::add(probe, workspace, provider.id).await?;
            if n % 3 == 0 {
                let filter = ComponentFilter::chosen(vec!["Group 1".to_owned()], Vec::new());
                vw_app::monitors::set_filter(probe, workspace, monitor, filter).await?;
            }
        }
        Ok(cookie)
    }

    async fn get(&self, path: &str, cookie: &str) -> anyhow::Result<usize> {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, cookie)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("{path} answered {}", response.status());
        }
        Ok(response.bytes().await?.len())
    }
}

/// Prints the plans auto_explain logged for the dashboard's own queries since `from`.
fn print_plans(log: &std::path::Path, from: u64) -> anyhow::Result<()> {
    let text = std::fs::read(log)?;
    let text =
        String::from_utf8_lossy(&text[usize::try_from(from)?.min(text.len())..]).into_owned();
    println!("plans of one /dashboard request (auto_explain, log_analyze):");
    for entry in text.split("LOG:  duration:").skip(1) {
        let dashboard = [
            "FROM monitors m",
            "FROM components",
            "FROM incidents",
            "FROM maintenances",
        ]
        .iter()
        .any(|t| entry.contains(t));
        if dashboard {
            let plan: String = entry
                .lines()
                .skip_while(|l| !l.trim_start().starts_with("Query Text"))
                .take(40)
                // Long lines are the query's id lists: the start says enough.
                .map(|l| l.chars().take(160).collect::<String>())
                .collect::<Vec<_>>()
                .join("\n");
            println!("---\n{plan}");
        }
    }
    Ok(())
}

/// (requests/s, p50, p99) from `wrk -t2 -c4 -d10s --latency`.
fn wrk(url: &str, cookie: &str) -> anyhow::Result<(f64, String, String)> {
    let output = Command::new("wrk")
        .args(["-t2", "-c4", "-d10s", "--latency", "-H"])
        .arg(format!("Cookie: {cookie}"))
        .arg(url)
        .output()
        .context("wrk is needed (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let rate: f64 = field("Requests/sec:").parse().unwrap_or(0.0);
    if text.contains("Non-2xx") {
        bail!("wrk saw non-2xx answers:\n{text}");
    }
    Ok((rate, field("50%"), field("99%")))
}

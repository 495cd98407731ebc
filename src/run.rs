//! Running the service: the web server, the workers, or both, until asked to stop.

use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::{DatabaseArgs, SiteArgs, WebArgs, WorkerArgs};
use crate::db::{self, Database, Purpose};

/// Runs the web server (when `web` is given) and the workers (when `workers` is), sharing one
/// shutdown: a signal, or either of them failing, stops both; and the metrics listener
/// when `metrics` names its address.
pub async fn serve(
    database: DatabaseArgs,
    site: SiteArgs,
    web: Option<WebArgs>,
    workers: Option<WorkerArgs>,
    metrics: Option<SocketAddr>,
) -> anyhow::Result<()> {
    let shutdown = CancellationToken::new();
    if let Some(address) = metrics {
        crate::metrics::start(address, shutdown.clone()).await?;
    }
    let db = Database::open(&database).await?;
    let result = run(&db, &database, &site, web, workers, shutdown).await;
    db.close().await?;
    result
}

pub(crate) async fn run(
    db: &Database,
    args: &DatabaseArgs,
    site: &SiteArgs,
    web: Option<WebArgs>,
    workers: Option<WorkerArgs>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    tokio::spawn(stop_on_signal(shutdown.clone()));
    let secrets = site.secrets(&args.data_dir)?;
    // Bound before the workers start, so that their links name the address really served.
    let listener = match &web {
        Some(web) => Some(
            TcpListener::bind(web.listen)
                .await
                .with_context(|| format!("listening on {}", web.listen))?,
        ),
        None => None,
    };
    let base_url = match (&site.base_url, &listener) {
        (Some(url), _) => url.trim_end_matches('/').to_owned(),
        (None, Some(listener)) => format!("http://{}", listener.local_addr()?),
        (None, None) => "http://127.0.0.1:3000".to_owned(),
    };
    let site_url = url::Url::parse(&base_url).context("VW_BASE_URL is not a URL")?;

    let mut tasks = tokio::task::JoinSet::new();
    let run_workers = workers.is_some();
    if let Some(workers) = workers {
        let pool = db.pool(Purpose::Worker, args.worker_db_connections).await?;
        db::migrate(&pool).await?;
        if workers.import_shipped_catalog {
            crate::catalog::import_shipped_at_start(&pool).await?;
        }
        let deliveries = workers.delivery_config(site_url.clone(), site, secrets.clone());
        let mut config = vw_jobs::WorkerConfig::new(instance_name(), deliveries);
        config.poll = workers.poll_config(site);
        let stop = shutdown.clone();
        tasks.spawn(async move {
            let result = vw_jobs::run(pool, config, stop.clone().cancelled_owned()).await;
            stop.cancel();
            result.context("workers failed")
        });
    }
    if let (Some(web), Some(listener)) = (web, listener) {
        let pool = db.pool(Purpose::Web, args.web_db_connections).await?;
        if !run_workers {
            db::migrate(&pool).await?;
        }
        let address = listener.local_addr()?;
        tracing::info!(%address, %base_url, "web server listening");
        let state = vw_web::AppState::new(pool, web.web_config(&base_url, site, secrets));
        let stop = shutdown.clone();
        tasks.spawn(async move {
            let result = vw_web::serve(listener, state, stop.clone().cancelled_owned()).await;
            stop.cancel();
            result.context("web server failed")
        });
    }
    let mut outcome = Ok(());
    while let Some(joined) = tasks.join_next().await {
        let result = joined.context("a service task panicked").and_then(|r| r);
        if outcome.is_ok() {
            outcome = result;
        }
    }
    tracing::info!("stopped");
    outcome
}

pub async fn migrate(database: DatabaseArgs) -> anyhow::Result<()> {
    let db = Database::open(&database).await?;
    let result = async {
        let pool = db.pool(Purpose::Worker, 2).await?;
        db::migrate(&pool).await?;
        pool.close().await;
        tracing::info!("migrations applied");
        Ok(())
    }
    .await;
    db.close().await?;
    result
}

/// SIGTERM or Ctrl-C: stop taking work, finish what runs, exit.
async fn stop_on_signal(shutdown: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = ctrl_c => tracing::info!("interrupted: shutting down"),
        _ = terminate => tracing::info!("terminated: shutting down"),
        _ = shutdown.cancelled() => return,
    }
    shutdown.cancel();
}

/// Distinguishes this process's workers from other replicas' in the job tables.
fn instance_name() -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{}-{}", std::process::id(), &id[..8])
}

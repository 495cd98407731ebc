//! Running the service: the web server, the workers, or both, until asked to stop.

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::{DatabaseArgs, WebArgs, WorkerArgs};
use crate::db::{self, Database, Purpose};

/// Runs the web server (when `web` is given) and the workers (when `workers` is), sharing one
/// shutdown: a signal, or either of them failing, stops both.
pub async fn serve(
    database: DatabaseArgs,
    web: Option<WebArgs>,
    workers: Option<WorkerArgs>,
) -> anyhow::Result<()> {
    let db = Database::open(&database).await?;
    let result = run(&db, &database, web, workers).await;
    db.close().await?;
    result
}

async fn run(
    db: &Database,
    args: &DatabaseArgs,
    web: Option<WebArgs>,
    workers: Option<WorkerArgs>,
) -> anyhow::Result<()> {
    let shutdown = CancellationToken::new();
    tokio::spawn(stop_on_signal(shutdown.clone()));

    let mut tasks = tokio::task::JoinSet::new();
    let run_workers = workers.is_some();
    if let Some(workers) = workers {
        let pool = db.pool(Purpose::Worker, args.worker_db_connections).await?;
        db::migrate(&pool).await?;
        if workers.import_shipped_catalog {
            crate::catalog::import_shipped_at_start(&pool).await?;
        }
        let mut config = vw_jobs::WorkerConfig::new(instance_name());
        config.poll = workers.poll_config();
        let stop = shutdown.clone();
        tasks.spawn(async move {
            let result = vw_jobs::run(pool, config, stop.clone().cancelled_owned()).await;
            stop.cancel();
            result.context("workers failed")
        });
    }
    if let Some(web) = web {
        let pool = db.pool(Purpose::Web, args.web_db_connections).await?;
        if !run_workers {
            db::migrate(&pool).await?;
        }
        let listener = TcpListener::bind(web.listen)
            .await
            .with_context(|| format!("listening on {}", web.listen))?;
        let address = listener.local_addr()?;
        let base_url = web
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        tracing::info!(%address, %base_url, "web server listening");
        let state = vw_web::AppState::new(pool, web.web_config(&base_url));
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

//! Prometheus: the process's one recorder (the crates record through the `metrics` facade and
//! know nothing of it) and the listener that serves its text at `/metrics`.
//!
//! A listener of its own (`VW_METRICS_LISTEN`), not a route of the web server: a worker-only
//! process has no web port and must be scraped too; the scrape is not the public's to read,
//! and on its own address it stays off the internet (bind it to a private interface) and out
//! of the web's sessions, throttles and connection cap.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::routing::get;
use clap::Args;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, Args)]
pub struct MetricsArgs {
    /// Address and port to serve Prometheus metrics on (GET /metrics), apart from the web
    /// server. Unset: no metrics are kept or served.
    #[arg(long, env = "VW_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
}

/// Latencies, from a millisecond to a minute (the workers' statement timeout).
const SECONDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];
/// Poll lag: from on time to two of the longest (idle) intervals behind.
const LAG_SECONDS: &[f64] = &[
    1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
];
/// Attempts per delivery: the retry schedule has ten.
const ATTEMPTS: &[f64] = &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];

/// How often histograms' old samples are let go (the exporter leaves it to its user).
const UPKEEP: Duration = Duration::from_secs(5);

/// Installs the recorder and starts serving it on `address` until `shutdown`.
pub async fn start(address: SocketAddr, shutdown: CancellationToken) -> anyhow::Result<()> {
    let handle = install()?;
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("listening for metrics on {address}"))?;
    tracing::info!(address = %listener.local_addr()?, "serving metrics at /metrics");
    let upkeep = handle.clone();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(UPKEEP);
        loop {
            tokio::select! {
                _ = every.tick() => upkeep.run_upkeep(),
                () = stop.cancelled() => return,
            }
        }
    });
    let app = Router::new().route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move { handle.render() }
        }),
    );
    tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await;
        if let Err(error) = served {
            tracing::error!(%error, "the metrics listener failed");
        }
    });
    Ok(())
}

fn install() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS)?
        .set_buckets_for_metric(Matcher::Full("vw_poll_lag_seconds".into()), LAG_SECONDS)?
        .set_buckets_for_metric(
            Matcher::Full("vw_delivery_attempts_per_delivery".into()),
            ATTEMPTS,
        )?
        .install_recorder()
        .context("installing the Prometheus recorder")?;
    vw_jobs::series::describe();
    vw_web::series::describe();
    crate::db_timings::describe();
    Ok(handle)
}

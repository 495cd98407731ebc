//! vendorwatch as `serve` runs it, in this process: the web server and the workers on pools
//! of their own (production's sizes and statement timeouts, `vendorwatch::db`), and a probe on
//! each pool that takes a connection every 100 ms and notes how long it waited: the pool's
//! wait time as a request or a job would see it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vendorwatch::db::Purpose;
use vw_store::PgPool;

use crate::database::BenchDb;

/// Production's defaults (`VW_WEB_DB_CONNECTIONS`, `VW_WORKER_DB_CONNECTIONS`).
pub const WEB_CONNECTIONS: u32 = 10;
pub const WORKER_CONNECTIONS: u32 = 10;

/// Running workers: how to stop them, and their end.
type Running = (
    oneshot::Sender<()>,
    JoinHandle<Result<(), vw_jobs::JobsError>>,
);

pub struct Service {
    pub base: String,
    pub web_pool: PgPool,
    pub worker_pool: PgPool,
    /// (seconds since origin, ms waited) per probe, web's and workers'.
    pub web_waits: Arc<Mutex<Vec<(f64, f64)>>>,
    pub worker_waits: Arc<Mutex<Vec<(f64, f64)>>>,
    web_stop: Option<oneshot::Sender<()>>,
    web: Option<JoinHandle<std::io::Result<()>>>,
    workers: Option<Running>,
}

impl Service {
    pub async fn start(
        db: &BenchDb,
        secrets: &vw_app::secrets::Secrets,
        origin: Instant,
    ) -> anyhow::Result<Service> {
        let web_pool = db.pool_for(Purpose::Web, WEB_CONNECTIONS).await?;
        let worker_pool = db.pool_for(Purpose::Worker, WORKER_CONNECTIONS).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let mut config = vw_web::WebConfig::new(&base);
        config.secrets = secrets.clone();
        let state = vw_web::AppState::new(web_pool.clone(), config);
        let (web_stop, stopped) = oneshot::channel::<()>();
        let web = tokio::spawn(vw_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let service = Service {
            web_waits: probe(web_pool.clone(), origin),
            worker_waits: probe(worker_pool.clone(), origin),
            base,
            web_pool,
            worker_pool,
            web_stop: Some(web_stop),
            web: Some(web),
            workers: None,
        };
        Ok(service)
    }

    /// Starts the workers with `config` (stopping those running first).
    pub async fn run_workers(&mut self, config: vw_jobs::WorkerConfig) -> anyhow::Result<()> {
        self.stop_workers().await?;
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(vw_jobs::run(self.worker_pool.clone(), config, async {
            let _ = stopped.await;
        }));
        self.workers = Some((stop, done));
        Ok(())
    }

    pub async fn stop_workers(&mut self) -> anyhow::Result<()> {
        if let Some((stop, done)) = self.workers.take() {
            let _ = stop.send(());
            tokio::time::timeout(Duration::from_secs(60), done)
                .await
                .context("the workers did not stop within 60 s")???;
        }
        Ok(())
    }

    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.stop_workers().await?;
        if let (Some(stop), Some(web)) = (self.web_stop.take(), self.web.take()) {
            let _ = stop.send(());
            web.await??;
        }
        self.web_pool.close().await;
        self.worker_pool.close().await;
        Ok(())
    }
}

/// Production's worker configuration, but for: loopback targets allowed, the server key
/// shared with the bench (which adds integrations), and `per_host` equal to the concurrency,
/// since every site of the fleet is on one host:port (production's 4 per host would make the
/// whole fleet one vendor).
pub fn worker_config(
    secrets: &vw_app::secrets::Secrets,
    interval: Duration,
) -> anyhow::Result<vw_jobs::WorkerConfig> {
    static STARTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let start = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut deliveries = vw_jobs::deliver::DeliveryConfig::new(
        url::Url::parse("http://127.0.0.1:3000")?,
        secrets.clone(),
    );
    deliveries.allow_private_targets = true;
    let mut config =
        vw_jobs::WorkerConfig::new(format!("seed-{}-{start}", std::process::id()), deliveries);
    config.poll.interval = interval;
    config.poll.idle_interval = interval;
    config.poll.per_host = config.poll.concurrency;
    config.poll.fetch.allow_private_targets = true;
    Ok(config)
}

fn probe(pool: PgPool, origin: Instant) -> Arc<Mutex<Vec<(f64, f64)>>> {
    let waits = Arc::new(Mutex::new(Vec::new()));
    let kept = waits.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tick.tick().await;
            let asked = Instant::now();
            // A failure to get one (the pool's own timeout) counts as the whole wait.
            let _conn = pool.acquire().await;
            let waited = asked.elapsed().as_secs_f64() * 1e3;
            if let Ok(mut waits) = kept.lock() {
                waits.push((asked.duration_since(origin).as_secs_f64(), waited));
            }
            if pool.is_closed() {
                return;
            }
        }
    });
    waits
}

//! The real worker pool (`vw_jobs::run`), in this process, configured for a round-based bench.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::Context;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vw_store::PgPool;

pub struct Workers {
    stop: oneshot::Sender<()>,
    done: JoinHandle<Result<(), vw_jobs::JobsError>>,
}

/// The production configuration, but for: loopback targets allowed (the fake vendor is on
/// 127.0.0.1), a concurrency of the bench's choosing with `per_host` equal to it (every site is
/// on one host:port), and intervals and leases long enough that each provider is polled once
/// per round however long a round takes.
pub fn config(concurrency: usize, claim_batch: i64) -> anyhow::Result<vw_jobs::WorkerConfig> {
    // apalis registers workers by name: every start gets names of its own.
    static STARTS: AtomicU32 = AtomicU32::new(0);
    let start = STARTS.fetch_add(1, Ordering::Relaxed);
    let instance = format!("bench-{}-{start}", std::process::id());
    let deliveries = vw_jobs::deliver::DeliveryConfig::new(
        url::Url::parse("http://127.0.0.1:3000")?,
        vw_app::secrets::Secrets::random(),
    );
    let mut config = vw_jobs::WorkerConfig::new(instance, deliveries);
    config.shutdown_timeout = Duration::from_secs(10);
    config.poll.interval = Duration::from_secs(24 * 60 * 60);
    config.poll.idle_interval = Duration::from_secs(24 * 60 * 60);
    config.poll.lease = Duration::from_secs(60 * 60);
    config.poll.concurrency = concurrency;
    config.poll.per_host = concurrency;
    config.poll.claim_batch = claim_batch;
    config.poll.fetch.allow_private_targets = true;
    Ok(config)
}

impl Workers {
    pub fn start(pool: PgPool, config: vw_jobs::WorkerConfig) -> Workers {
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(vw_jobs::run(pool, config, async {
            let _ = stopped.await;
        }));
        Workers { stop, done }
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(30), self.done)
            .await
            .context("the workers did not stop within 30 s")???;
        Ok(())
    }
}

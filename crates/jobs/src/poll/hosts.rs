//! A cap on polls in flight per host (and port), so that providers sharing a server — many
//! status pages live on a few platforms' servers — are not all hit at once from one worker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct HostLimits {
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl HostLimits {
    pub fn new(per_host: usize) -> Self {
        HostLimits {
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot for `host`; the slot is freed when the permit is dropped.
    pub async fn acquire(&self, host: &str) -> Option<OwnedSemaphorePermit> {
        let semaphore = {
            let mut hosts = self.hosts.lock().ok()?;
            hosts
                .entry(host.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
                .clone()
        };
        semaphore.acquire_owned().await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_host_waits_while_others_go() {
        let limits = HostLimits::new(1);
        let held = limits.acquire("a.example:443").await;
        assert!(held.is_some());
        let other = tokio::time::timeout(
            std::time::Duration::from_millis(50),
            limits.acquire("b.example:443"),
        )
        .await;
        assert!(other.is_ok(), "another host is not blocked");
        let same = tokio::time::timeout(
            std::time::Duration::from_millis(50),
            limits.acquire("a.example:443"),
        )
        .await;
        assert!(same.is_err(), "the same host waits");
        drop(held);
        assert!(limits.acquire("a.example:443").await.is_some());
    }
}

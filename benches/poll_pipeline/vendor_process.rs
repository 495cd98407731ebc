//! The bench's handle on the fake vendor's process: starts it, steers it, stops it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::fake_vendor::{SERVE_FLAG, ServerUsage};

pub struct VendorProcess {
    pub addr: SocketAddr,
    /// The version being served (0 at start).
    pub version: u64,
    child: Child,
    /// Closing it tells the server to exit.
    stdin: Option<ChildStdin>,
    client: reqwest::Client,
}

impl VendorProcess {
    /// Re-executes this binary as the server of `sites` sites and waits for its address.
    pub fn start(sites: usize) -> anyhow::Result<VendorProcess> {
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .args([SERVE_FLAG, &sites.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting the fake vendor's process")?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .context("no stdout from the fake vendor")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let addr: SocketAddr = match line.trim().parse() {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                bail!("the fake vendor did not say where it listens (said {line:?})");
            }
        };
        Ok(VendorProcess {
            addr,
            version: 0,
            child,
            stdin,
            client: reqwest::Client::new(),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Publishes the next version of every site's documents.
    pub async fn next_version(&mut self) -> anyhow::Result<()> {
        self.next_version_of_some(1).await
    }

    /// Publishes the next version to every `stride`th site (each site in its turn).
    pub async fn next_version_of_some(&mut self, stride: u64) -> anyhow::Result<()> {
        let answer = self
            .client
            .post(format!(
                "{}control/next-version?stride={stride}",
                self.base_url()
            ))
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        self.version = answer.trim().parse()?;
        Ok(())
    }

    /// From now on each version also resolves the page's open incident or opens it again.
    #[allow(dead_code)] // the seed bench's
    pub async fn alert_on_changes(&self) -> anyhow::Result<()> {
        self.control("alerting", String::new()).await
    }

    /// Sites from `first` on answer `mode`: `ok`, `error` (500) or `hang` (never).
    #[allow(dead_code)] // the seed bench's
    pub async fn answer(&self, mode: &str, first: usize) -> anyhow::Result<()> {
        self.control("mode", format!("{mode} {first}")).await
    }

    /// How many sites received each number of requests since the last call.
    #[allow(dead_code)] // the seed bench's
    pub async fn requests_per_site(&self) -> anyhow::Result<std::collections::BTreeMap<u32, u64>> {
        let body = self
            .client
            .get(format!("{}control/requests", self.base_url()))
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let histogram: std::collections::BTreeMap<String, u64> = serde_json::from_slice(&body)?;
        histogram
            .into_iter()
            .map(|(n, sites)| Ok((n.parse()?, sites)))
            .collect()
    }

    async fn control(&self, what: &str, body: String) -> anyhow::Result<()> {
        self.client
            .post(format!("{}control/{what}", self.base_url()))
            .body(body)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    pub async fn usage(&self) -> anyhow::Result<ServerUsage> {
        let value: serde_json::Value = serde_json::from_slice(
            &self
                .client
                .get(format!("{}control/usage", self.base_url()))
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?,
        )?;
        ServerUsage::from_json(&value)
    }

    /// Closes the server's stdin and waits for it to exit; kills it after five seconds.
    pub fn stop(mut self) -> anyhow::Result<()> {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

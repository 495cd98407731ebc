//! The built `vendorwatch serve` as a separate process, configured as an operator would
//! through its environment, its output kept in a log file that a failure points to.

use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::process::{Child, Command};

/// The server's key, so that the test could read its signed links (it follows them instead).
const KEY: &str = "0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0011223344556";

pub struct Server {
    pub base: String,
    pub log: PathBuf,
    child: Child,
    _data_dir: tempfile::TempDir,
}

impl Server {
    /// Starts `vendorwatch serve` on `database_url`, mailing through `smtp_url`, and waits
    /// until it answers.
    pub async fn start(database_url: &str, smtp_url: &str) -> anyhow::Result<Server> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
            .local_addr()?
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        std::fs::create_dir_all(&dir)?;
        let log = dir.join(format!("journey-serve-{port}.log"));
        let out = std::fs::File::create(&log)?;
        let data_dir = tempfile::tempdir_in(&dir)?;
        let child = Command::new(env!("CARGO_BIN_EXE_vendorwatch"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("VW_DATA_DIR", data_dir.path())
            .env("VW_LISTEN", format!("127.0.0.1:{port}"))
            .env("VW_BASE_URL", &base)
            .env("VW_SECRET_KEY", KEY)
            .env("VW_SMTP_URL", smtp_url)
            .env("VW_POLL_INTERVAL", "2s")
            .env("VW_IDLE_POLL_INTERVAL", "24h")
            .env("VW_ALLOW_PRIVATE_TARGETS", "true")
            .env("VW_IMPORT_SHIPPED_CATALOG", "false")
            .env("VW_DASHBOARD_REFRESH", "2s")
            .env("RUST_LOG", "info,sqlx=warn")
            .env_remove("VW_OPERATORS")
            .stdout(out.try_clone()?)
            .stderr(out)
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting the vendorwatch binary")?;
        let mut server = Server {
            base,
            log,
            child,
            _data_dir: data_dir,
        };
        server.wait_until_ready().await?;
        Ok(server)
    }

    async fn wait_until_ready(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let health = format!("{}/healthz", self.base);
        loop {
            if let Ok(answer) = reqwest::get(&health).await
                && answer.status().is_success()
            {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "vendorwatch serve exited at start ({status}); its log: {}",
                    self.log.display()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "vendorwatch serve did not answer within 60 s; its log: {}",
                    self.log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

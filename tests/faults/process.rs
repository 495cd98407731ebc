//! `vendorwatch` as a process of its own, as production runs it: started with the test's
//! environment (short leases, loopback targets allowed, the test's server key), its log kept
//! in a file under the target directory, stopped by a signal.

use std::fs::File;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::process::{Child, Command};

/// The server key every process of a test shares with the test (which seals integrations).
pub const KEY: &str = "4f1c3b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";

pub struct Service {
    child: Child,
    /// Where its stdout and stderr go, for a look when a test fails.
    pub log: PathBuf,
    /// The web server's base URL (`serve`), without a trailing slash.
    pub web: Option<String>,
}

/// Polls every second with a 2 s lease, and presumes a delivery lost after 2 s: a dead
/// worker's work is taken over within seconds.
fn command(
    what: &str,
    database_url: &str,
    log_name: &str,
    extra: &[(&str, &str)],
) -> (Command, PathBuf) {
    let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("faults-logs")
        .join(format!("{log_name}.log"));
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let out = File::options()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_vendorwatch"));
    command
        .arg(what)
        .env("DATABASE_URL", database_url)
        .env("VW_SECRET_KEY", KEY)
        .env("VW_ALLOW_PRIVATE_TARGETS", "true")
        // The test's database lists its own vendors, not the shipped catalog's pages.
        .env("VW_IMPORT_SHIPPED_CATALOG", "false")
        .env("VW_POLL_INTERVAL", "1s")
        .env("VW_IDLE_POLL_INTERVAL", "1s")
        .env("VW_POLL_LEASE", "2s")
        .env("VW_DELIVERY_LEASE", "2s")
        .env("RUST_LOG", "info")
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .kill_on_drop(true);
    for (name, value) in extra {
        command.env(name, value);
    }
    (command, log)
}

impl Service {
    /// `vendorwatch worker`.
    pub fn worker(database_url: &str, log_name: &str, extra: &[(&str, &str)]) -> Service {
        let (mut command, log) = command("worker", database_url, log_name, extra);
        command.env("VW_BASE_URL", "http://127.0.0.1:3000");
        Service {
            child: command.spawn().unwrap(),
            log,
            web: None,
        }
    }

    /// `vendorwatch serve` (web and workers in one process) on a free loopback port.
    pub fn serve(database_url: &str, log_name: &str, extra: &[(&str, &str)]) -> Service {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let address = format!("127.0.0.1:{port}");
        let (mut command, log) = command("serve", database_url, log_name, extra);
        command.env("VW_LISTEN", &address);
        Service {
            child: command.spawn().unwrap(),
            log,
            web: Some(format!("http://{address}")),
        }
    }

    pub fn pid(&self) -> Pid {
        Pid::from_raw(i32::try_from(self.child.id().unwrap()).unwrap())
    }

    /// Whether it is still running (it has not exited, by itself or otherwise).
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// SIGKILL: no chance to clean up, as when a machine dies.
    pub async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }

    /// SIGTERM, then waits for it to exit; returns how long that took and whether it exited
    /// cleanly. Panics when it is still running after `within`.
    pub async fn terminate(mut self, within: Duration) -> (Duration, bool) {
        let asked = Instant::now();
        kill(self.pid(), Signal::SIGTERM).unwrap();
        match tokio::time::timeout(within, self.child.wait()).await {
            Ok(status) => (asked.elapsed(), status.unwrap().success()),
            Err(_) => panic!(
                "still running {} s after SIGTERM (log: {})",
                within.as_secs(),
                self.log.display()
            ),
        }
    }

    /// The web server's `path`: status and body; `None` when it does not answer.
    pub async fn get(&self, client: &reqwest::Client, path: &str) -> Option<(u16, String)> {
        let base = self.web.as_deref().expect("a web server");
        let response = client.get(format!("{base}{path}")).send().await.ok()?;
        let status = response.status().as_u16();
        Some((status, response.text().await.ok()?))
    }
}

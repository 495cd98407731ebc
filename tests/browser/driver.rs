//! Chromium driven through ChromeDriver: the driver process, which takes its browsers down
//! with it when dropped (also when a test panics), and browser sessions, each on a fresh
//! profile, with the few moves the tests make.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::json;
use tempfile::TempDir;

/// The viewer's time zone, so that the page script's local times can be asserted.
pub const TIME_ZONE: &str = "America/New_York";

/// How long a page may take to get where a test expects it.
const PATIENCE: Duration = Duration::from_secs(10);

/// The flags Chromium needs here: headless as root, and no background connections, which
/// the closed network refuses (many at a time, slowly).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=en-US",
    "--window-size=1280,1000",
];

/// A running `chromedriver` on a free loopback port.
pub struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    pub async fn start() -> anyhow::Result<ChromeDriver> {
        let port = free_port()?;
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // Chromium inherits it: the zone the page script sees.
            .env("TZ", TIME_ZONE)
            .stdout(Stdio::null())
            // Its own group, so that dropping it can stop the browsers it started too.
            .process_group(0)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => anyhow::anyhow!(
                    "chromedriver is not on PATH: the browser tests need Chromium and \
                     ChromeDriver (Debian: apt-get install chromium chromium-driver)"
                ),
                _ => anyhow::Error::new(e).context("could not start chromedriver"),
            })?;
        let mut driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if let Some(status) = driver.child.try_wait()? {
                bail!("chromedriver exited at start: {status}");
            }
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on port {port} within {PATIENCE:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(driver)
    }

    /// A new Chromium with an empty profile of its own: no cookies shared with any other.
    pub async fn session(&self, base: &str) -> anyhow::Result<Session> {
        let profile = tempfile::tempdir()?;
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|&f| f.to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), json!({ "args": args }));
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .context("could not start Chromium through chromedriver")?;
        Ok(Session {
            client,
            base: base.to_owned(),
            _profile: profile,
        })
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The group holds chromedriver and every Chromium process it started.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    // Another process could take it before chromedriver does; on a test machine that
    // race is rare enough, and it fails loudly.
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// One browser (one profile, one cookie jar), possibly with several tabs, on the app.
pub struct Session {
    pub client: Client,
    base: String,
    /// Removed after the browser is gone.
    _profile: TempDir,
}

impl Session {
    pub async fn goto(&self, path: &str) -> anyhow::Result<()> {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        Ok(self.client.goto(&url).await?)
    }

    pub async fn fill(&self, selector: &str, text: &str) -> anyhow::Result<()> {
        let field = self.client.find(Locator::Css(selector)).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, selector: &str) -> anyhow::Result<()> {
        self.client
            .find(Locator::Css(selector))
            .await?
            .click()
            .await?;
        Ok(())
    }

    pub async fn click_link(&self, text: &str) -> anyhow::Result<()> {
        self.client
            .find(Locator::LinkText(text))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Waits until the tab shows `path` (query string aside), and says where it is instead.
    pub async fn wait_for_path(&self, path: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.client.current_url().await?;
            if url.path() == path && self.loaded().await? {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("expected to be on {path}, still on {url}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn loaded(&self) -> anyhow::Result<bool> {
        let state = self
            .client
            .execute("return document.readyState", vec![])
            .await?;
        Ok(state == "complete")
    }

    /// The trimmed visible texts of the elements matching a CSS selector.
    pub async fn texts(&self, selector: &str) -> anyhow::Result<Vec<String>> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(selector)).await? {
            texts.push(element.text().await?.trim().to_owned());
        }
        Ok(texts)
    }

    pub async fn text(&self, selector: &str) -> anyhow::Result<String> {
        let element = self.client.find(Locator::Css(selector)).await?;
        Ok(element.text().await?.trim().to_owned())
    }

    /// The HTTP status of the page the tab shows, as the browser received it.
    pub async fn status(&self) -> anyhow::Result<u64> {
        let status = self
            .client
            .execute(
                "return performance.getEntriesByType('navigation')[0].responseStatus",
                vec![],
            )
            .await?;
        status
            .as_u64()
            .with_context(|| format!("no response status: {status}"))
    }

    /// Saves the whole page as `target/tmp/screenshots/<name>.png`, for a person to look at.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        // A screenshot shows the viewport only: make the window as tall as the page plus
        // the browser's own bars (measured in a short window first, so that a page shorter
        // than the last one screenshot does not keep its height).
        let (width, _) = self.client.get_window_size().await?;
        self.client
            .set_window_size(u32::try_from(width)?, 600)
            .await?;
        let height = self
            .client
            .execute(
                "return document.documentElement.scrollHeight \
                 + window.outerHeight - window.innerHeight",
                vec![],
            )
            .await?
            .as_u64()
            .and_then(|h| u32::try_from(h).ok())
            .context("no page height")?;
        self.client
            .set_window_size(u32::try_from(width)?, height.max(600))
            .await?;
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.client.screenshot().await?)?;
        Ok(path)
    }

    /// Ends the browser (the driver would, too, but untidily).
    pub async fn close(self) -> anyhow::Result<()> {
        Ok(self.client.close().await?)
    }
}

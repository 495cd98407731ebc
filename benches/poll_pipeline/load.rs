//! The fake vendor's raw request rate, measured in the same run as the pipeline: `wrk` when
//! installed, rotating over every site's three documents as polls do (conditional requests
//! carrying the current ETags for the 304 case, plain ones for 200s); otherwise a load loop
//! of our own on reqwest, which is slower than wrk and so flatters the pipeline's ratio.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::fake_vendor::{DOCUMENTS, etag};
use crate::vendor_process::VendorProcess;

/// How long each measurement lasts.
const DURATION: Duration = Duration::from_secs(8);

#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub requests_per_second: f64,
    /// The server's CPU per request, in microseconds.
    pub server_cpu_us: f64,
}

/// Which tool measured, for the report.
pub fn tool() -> &'static str {
    if wrk_installed() {
        "wrk"
    } else {
        "a reqwest load loop (wrk is not installed)"
    }
}

fn wrk_installed() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

/// Requests per second with `connections` connections, all answered 304 (`conditional`) or
/// all answered 200.
pub async fn measure(
    vendor: &VendorProcess,
    sites: usize,
    connections: usize,
    conditional: bool,
) -> anyhow::Result<Load> {
    let before = vendor.usage().await?;
    let requests_per_second = if wrk_installed() {
        wrk(vendor, sites, connections, conditional).await?
    } else {
        reqwest_loop(vendor, sites, connections, conditional).await?
    };
    let after = vendor.usage().await?;
    let answered = if conditional {
        after.not_modified - before.not_modified
    } else {
        after.fresh - before.fresh
    };
    let wrong = if conditional {
        after.fresh - before.fresh
    } else {
        after.not_modified - before.not_modified
    };
    if wrong > 0 || answered == 0 {
        bail!("the load got {answered} expected and {wrong} unexpected answers");
    }
    Ok(Load {
        requests_per_second,
        server_cpu_us: (after.cpu_seconds - before.cpu_seconds) / answered as f64 * 1e6,
    })
}

/// The Lua script that makes wrk's requests: site after site, each site's documents in turn.
fn wrk_script(version: u64, sites: usize, conditional: bool) -> String {
    let documents = DOCUMENTS
        .iter()
        .map(|(name, letter)| format!("{{\"{name}\", \"{letter}\"}}"))
        .collect::<Vec<_>>()
        .join(", ");
    // The ETags rebuilt in Lua must be the server's own (`etag`): `measure` checks that every
    // conditional request was answered 304.
    format!(
        r#"local version, sites, conditional = {version}, {sites}, {conditional}
local documents = {{ {documents} }}
local n = 0
request = function()
  local site = math.floor(n / 3) % sites
  local document = documents[n % 3 + 1]
  n = n + 1
  local path = "/p/" .. site .. "/api/v2/" .. document[1]
  if conditional then
    local tag = '"v' .. version .. '-' .. site .. '-' .. document[2] .. '"'
    return wrk.format("GET", path, {{ ["If-None-Match"] = tag }})
  end
  return wrk.format("GET", path)
end
"#
    )
}

async fn wrk(
    vendor: &VendorProcess,
    sites: usize,
    connections: usize,
    conditional: bool,
) -> anyhow::Result<f64> {
    let script = tempfile::Builder::new()
        .prefix("poll-bench-")
        .suffix(".lua")
        .tempfile()?;
    std::fs::write(
        script.path(),
        wrk_script(vendor.version, sites, conditional),
    )?;
    let mut command = tokio::process::Command::new("wrk");
    command
        .arg("--threads=2")
        .arg(format!("--connections={connections}"))
        .arg(format!("--duration={}s", DURATION.as_secs()))
        .arg("--script")
        .arg(script.path())
        .arg(vendor.base_url());
    let output = command.output().await.context("running wrk")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    if text.contains("Non-2xx or 3xx responses") || text.contains("Socket errors") {
        bail!("wrk saw errors:\n{text}");
    }
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("no Requests/sec in wrk's output:\n{text}"))
}

async fn reqwest_loop(
    vendor: &VendorProcess,
    sites: usize,
    connections: usize,
    conditional: bool,
) -> anyhow::Result<f64> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let answered = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..connections {
        let (client, answered, base, version) = (
            client.clone(),
            answered.clone(),
            vendor.base_url(),
            vendor.version,
        );
        tasks.spawn(async move {
            let mut n = worker;
            while started.elapsed() < DURATION {
                let (site, (name, letter)) = (n / 3 % sites, DOCUMENTS[n % 3]);
                n += connections;
                let mut request = client.get(format!("{base}p/{site}/api/v2/{name}"));
                if conditional {
                    request = request.header("If-None-Match", etag(version, site, letter));
                }
                let response = request.send().await?;
                response.bytes().await?;
                answered.fetch_add(1, Ordering::Relaxed);
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(answered.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

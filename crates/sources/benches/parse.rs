//! Parse throughput on the largest real documents we poll: `cargo bench -p vw-sources`.
//!
//! A plain timing loop rather than criterion: the figures we want (median MB/s and pages/s
//! per document) need no statistics crate, and the machine building this is small. Each case
//! is warmed up, then timed in `SAMPLES` samples of enough iterations to last ~50 ms each; the
//! median sample is reported, which shrugs off the noise of a shared machine.

use std::error::Error;
use std::hint::black_box;
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use vw_domain::Platform;

const SAMPLES: usize = 25;
const SAMPLE_TARGET: Duration = Duration::from_millis(50);

struct Case {
    name: &'static str,
    platform: Platform,
    body: Vec<u8>,
}

fn fixture(path: &str) -> Result<Vec<u8>, Box<dyn Error>> {
    let full: PathBuf = [env!("CARGO_MANIFEST_DIR"), "../../tests/fixtures", path]
        .iter()
        .collect();
    std::fs::read(&full).map_err(|e| format!("{}: {e}", full.display()).into())
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

fn cases() -> Result<Vec<Case>, Box<dyn Error>> {
    Ok(vec![
        Case {
            name: "statuspage summary.json (cloudflare, 470 components)",
            platform: Platform::Statuspage,
            body: fixture("atlassian-statuspage/cloudflare-summary-groups-major-2026-07-29.json")?,
        },
        Case {
            name: "statuspage incident (github, 30 updates)",
            platform: Platform::Statuspage,
            body: fixture(
                "atlassian-statuspage/githubstatus-incident-f0mhbz9xn497-major-30-updates-2023-05-09.json",
            )?,
        },
        Case {
            name: "statuspage history.atom (github 2026-08-22)",
            platform: Platform::Statuspage,
            body: fixture("atlassian-statuspage/githubstatus-history-2026-08-22.atom")?,
        },
        Case {
            name: "gcp incidents.json (full, gunzipped)",
            platform: Platform::Gcp,
            body: gunzip(&fixture("gcp/gcp-incidents-json-full-2022-07-03.json.gz")?)?,
        },
    ])
}

/// Median seconds per parse of `case`.
fn measure(case: &Case) -> Result<f64, Box<dyn Error>> {
    let parse = || vw_sources::parse(case.platform, black_box(&case.body));
    // Warm up, and fail loudly rather than time an error path.
    let started = Instant::now();
    let mut warmup = 0u32;
    while started.elapsed() < Duration::from_millis(300) || warmup < 3 {
        parse().map_err(|e| format!("{}: {e}", case.name))?;
        warmup += 1;
    }
    let per_parse = started.elapsed().as_secs_f64() / f64::from(warmup);
    let iterations = ((SAMPLE_TARGET.as_secs_f64() / per_parse).ceil() as u32).max(1);

    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = Instant::now();
        for _ in 0..iterations {
            let _ = black_box(parse());
        }
        samples.push(t.elapsed().as_secs_f64() / f64::from(iterations));
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[SAMPLES / 2])
}

fn main() -> Result<(), Box<dyn Error>> {
    println!(
        "{:<55} {:>10} {:>12} {:>10} {:>12}",
        "document", "bytes", "median", "MB/s", "pages/s"
    );
    for case in cases()? {
        let seconds = measure(&case)?;
        let bytes = case.body.len();
        println!(
            "{:<55} {:>10} {:>9.3} ms {:>10.1} {:>12.1}",
            case.name,
            bytes,
            seconds * 1e3,
            bytes as f64 / seconds / 1e6,
            1.0 / seconds,
        );
    }
    Ok(())
}

//! The polling pipeline's throughput: `cargo bench --bench poll_pipeline`.
//!
//! 10,000 Statuspage providers served by a fake vendor on 127.0.0.1 (one host:port for all,
//! in a process of its own), polled by the real worker pool (`vw_jobs::run`) in this process on
//! a real database. Each round makes every provider due at once and lasts until each has been
//! polled: the first read (baseline), the 304 path, the changed path (one component flips, one
//! event per poll). Per round: wall time, polls/s, share of 304s, CPU seconds of the worker
//! (getrusage of this process), of the vendor and of PostgreSQL (embedded cluster only), and
//! the whole machine's busy CPU (the rest is other work on the machine). Beside them, the
//! vendor's raw request rate measured in the same run (wrk) and the ratios.
//!
//! A plain program rather than a timed test: speed is reported, never asserted. Knobs (env):
//! `POLL_BENCH_SITES` (10000), `POLL_BENCH_CONCURRENCY` (`32,16,64`: the first gets every
//! round `POLL_BENCH_REPEATS` (3) times, the others the 304 and changed rounds once),
//! `POLL_BENCH_DB_CONNECTIONS` (10, as `VW_WORKER_DB_CONNECTIONS`), `POLL_BENCH_CLAIM_BATCH`
//! (2000; production's 500 per tick would cap a process at 500 polls/s and hide the rest of
//! the pipeline), `POLL_BENCH_KEPT_JOBS` (0: that many finished poll jobs are in the queue's
//! table from the start, as after workers have run a while: apalis keeps them all),
//! `DATABASE_URL` (else an embedded cluster), `RUST_LOG`.

#[path = "poll_pipeline/database.rs"]
mod database;
#[path = "poll_pipeline/fake_vendor.rs"]
mod fake_vendor;
#[path = "poll_pipeline/load.rs"]
mod load;
#[path = "poll_pipeline/report.rs"]
mod report;
#[path = "poll_pipeline/rounds.rs"]
mod rounds;
#[path = "poll_pipeline/usage.rs"]
mod usage;
#[path = "poll_pipeline/vendor_process.rs"]
mod vendor_process;
#[path = "poll_pipeline/workers.rs"]
mod workers;

use std::str::FromStr;

use anyhow::Context;

use database::BenchDb;
use report::Median;
use rounds::Path;
use vendor_process::VendorProcess;
use workers::Workers;

struct Settings {
    sites: usize,
    concurrencies: Vec<usize>,
    repeats: usize,
    db_connections: u32,
    claim_batch: i64,
    kept_jobs: i64,
}

fn env_or<T: FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v.trim().parse().with_context(|| format!("{name}={v}")),
        _ => Ok(default),
    }
}

impl Settings {
    fn from_env() -> anyhow::Result<Settings> {
        let concurrencies = env_or("POLL_BENCH_CONCURRENCY", "32,16,64".to_owned())?
            .split(',')
            .map(|c| c.trim().parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
            .context("POLL_BENCH_CONCURRENCY")?;
        anyhow::ensure!(
            !concurrencies.is_empty() && !concurrencies.contains(&0),
            "POLL_BENCH_CONCURRENCY needs positive numbers"
        );
        Ok(Settings {
            sites: env_or("POLL_BENCH_SITES", 10_000)?,
            concurrencies,
            repeats: env_or("POLL_BENCH_REPEATS", 3usize)?.max(1),
            db_connections: env_or("POLL_BENCH_DB_CONNECTIONS", 10)?,
            claim_batch: env_or("POLL_BENCH_CLAIM_BATCH", 2000)?,
            kept_jobs: env_or("POLL_BENCH_KEPT_JOBS", 0)?,
        })
    }
}

fn main() -> anyhow::Result<()> {
    if let Some(served) = fake_vendor::serve_if_asked() {
        return served;
    }
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let settings = Settings::from_env()?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(bench(&settings))
}

async fn bench(settings: &Settings) -> anyhow::Result<()> {
    let db = BenchDb::open(settings.db_connections).await?;
    let mut vendor = VendorProcess::start(settings.sites)?;
    let outcome = measure(settings, &db, &mut vendor).await;
    vendor.stop()?;
    db.close().await?;
    outcome
}

async fn measure(
    settings: &Settings,
    db: &BenchDb,
    vendor: &mut VendorProcess,
) -> anyhow::Result<()> {
    println!(
        "poll pipeline: {} Statuspage providers (GitHub's documents: summary, incidents, \
         maintenances) on one host:port, {}",
        settings.sites, vendor.addr
    );
    println!(
        "database: {}; worker pool of {} connections; claim batch {} per 1 s tick",
        db.description, settings.db_connections, settings.claim_batch
    );
    println!(
        "worker: this process (pid {}); fake vendor: pid {}; {} cores",
        std::process::id(),
        vendor.pid(),
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    database::seed(&db.probe, &vendor.base_url(), settings.sites).await?;
    if settings.kept_jobs > 0 {
        database::keep_finished_polls(&db.probe, settings.kept_jobs).await?;
        println!(
            "apalis.jobs starts with {} finished poll jobs, as earlier workers leave them",
            settings.kept_jobs
        );
    }
    report::print_legend();
    let sites = u64::try_from(settings.sites)?;
    for (i, &concurrency) in settings.concurrencies.iter().enumerate() {
        let (paths, repeats): (&[Path], usize) = if i == 0 {
            (
                &[Path::Baseline, Path::NotModified, Path::Changed],
                settings.repeats,
            )
        } else {
            (&[Path::NotModified, Path::Changed], 1)
        };
        let workers = Workers::start(
            db.pool.clone(),
            workers::config(concurrency, settings.claim_batch)?,
        );
        let mut rows = Vec::new();
        for &path in paths {
            let mut rounds = Vec::new();
            for run in 1..=repeats {
                let round = rounds::run(db, vendor, sites, path).await?;
                println!(
                    "  concurrency {concurrency}, {} #{run}: {:.1} s, {:.0} polls/s \
                     ({} poll jobs in apalis.jobs before)",
                    path.name(),
                    round.wall_seconds,
                    round.polls as f64 / round.wall_seconds,
                    round.queue_rows
                );
                rounds.push(round);
            }
            rows.push((path, Median::of(&rounds)));
        }
        workers.stop().await?;
        // With the workers stopped, the raw rate has the machine to itself.
        let raw_304 = load::measure(vendor, settings.sites, concurrency, true).await?;
        let raw_200 = load::measure(vendor, settings.sites, concurrency, false).await?;
        report::print_rounds(concurrency, &rows);
        let find = |p: Path| rows.iter().find(|(path, _)| *path == p).map(|(_, m)| m);
        if let (Some(not_modified), Some(changed)) = (find(Path::NotModified), find(Path::Changed))
        {
            report::print_ratios(
                load::tool(),
                concurrency,
                raw_304,
                raw_200,
                not_modified,
                changed,
            );
        }
    }
    let server = vendor.usage().await?;
    println!();
    println!(
        "peak RSS: worker process {:.0} MiB, fake vendor {:.0} MiB",
        usage::own_peak_rss_kib()? as f64 / 1024.0,
        server.peak_rss_kib as f64 / 1024.0
    );
    Ok(())
}

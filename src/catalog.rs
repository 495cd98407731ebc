//! `vendorwatch catalog import [FILE]`: loads a provider catalog — the one shipped in the
//! binary (`catalog/providers.json`, built by `scripts/build-catalog`) or a file of the same
//! form — into the providers table, by slug, and reports what it added, updated, left
//! unchanged and rejected (with the reason). Importing twice changes nothing the second time.
//!
//! The form: a JSON array of `{"slug", "name", "homepage", "status_url", "platform"}`;
//! `homepage` and `platform` may be null (a null platform is detected at the first poll), and
//! `platform` takes the names `vendorwatch inspect --format` takes. Other fields are ignored:
//! the shipped catalog's `source` (where each entry comes from) is for its readers.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Subcommand;
use serde_json::{Map, Value};
use vw_domain::{CatalogEntry, RawEntry};
use vw_store::PgPool;
use vw_store::catalog::{self, Listing, Upserted};

use crate::config::DatabaseArgs;
use crate::db::{self, Database, Purpose};

/// The catalog that ships with vendorwatch.
pub const SHIPPED: &str = include_str!("../catalog/providers.json");

/// New providers are first due within this long: the poller's interval for providers no
/// monitor watches, so that the whole catalog's polls are spread over it from the start
/// (the poller keeps each provider's phase from then on).
pub const SPREAD: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    #[command(subcommand)]
    pub command: CatalogCommand,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Add or update providers from a catalog file, by slug; prints what changed.
    Import {
        /// A JSON array of {"slug", "name", "homepage", "status_url", "platform"}. Without it,
        /// the catalog shipped with vendorwatch.
        file: Option<PathBuf>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub entries: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejection>,
    pub elapsed: Duration,
}

/// An entry that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Its position in the file, from 1.
    pub entry: usize,
    /// Its slug, when it has a string one.
    pub slug: Option<String>,
    pub reason: String,
}

pub async fn run(args: CatalogArgs) -> anyhow::Result<()> {
    let CatalogCommand::Import { file, database } = args.command;
    let (catalog, source) = match &file {
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
            path.display().to_string(),
        ),
        None => (SHIPPED.to_owned(), "the shipped catalog".to_owned()),
    };
    let db = Database::open(&database).await?;
    let result = async {
        let pool = db.pool(Purpose::Worker, 2).await?;
        db::migrate(&pool).await?;
        let mut counter = Counter::on_stderr();
        let report = import(&pool, &catalog, SPREAD, &mut |done, total| {
            counter.show(done, total)
        })
        .await
        .with_context(|| format!("importing {source}"))?;
        pool.close().await;
        print_report(&format!("{source}: {report}"))?;
        anyhow::Ok(())
    }
    .await;
    db.close().await?;
    result
}

/// Prints to stdout; a reader that went away early (`| head`) is not a failure: the import is
/// done.
fn print_report(report: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(report.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot print the report")
        }
        _ => Ok(()),
    }
}

/// Imports the shipped catalog when there are no providers at all: a new installation's
/// first start. Replicas starting together import it once (the import lock is taken before
/// counting).
pub async fn import_shipped_if_empty(pool: &PgPool) -> anyhow::Result<Option<Report>> {
    let mut tx = pool.begin().await?;
    catalog::lock_for_import(&mut *tx).await?;
    if catalog::provider_count(&mut *tx).await? > 0 {
        return Ok(None);
    }
    let report = import_in(&mut tx, SHIPPED, SPREAD, &mut |_, _| {}).await?;
    tx.commit().await?;
    tracing::info!(
        added = report.added,
        rejected = report.rejected.len(),
        elapsed_ms = report.elapsed.as_millis(),
        "imported the shipped provider catalog"
    );
    Ok(Some(report))
}

/// Imports `catalog` (the file's text) in one transaction: all of it or, on a database
/// failure, none. Rejected entries are reported, not failures. `progress` is told
/// (done, total) after each entry.
pub async fn import(
    pool: &PgPool,
    catalog: &str,
    spread: Duration,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Report> {
    let mut tx = pool.begin().await?;
    catalog::lock_for_import(&mut *tx).await?;
    let report = import_in(&mut tx, catalog, spread, progress).await?;
    tx.commit().await?;
    Ok(report)
}

async fn import_in(
    tx: &mut vw_store::Transaction<'static, vw_store::Postgres>,
    catalog: &str,
    spread: Duration,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let entries: Vec<Value> =
        serde_json::from_str(catalog).context("the catalog is not a JSON array")?;
    let mut report = Report {
        entries: entries.len(),
        added: 0,
        updated: 0,
        unchanged: 0,
        rejected: Vec::new(),
        elapsed: Duration::ZERO,
    };
    let mut slugs_seen = std::collections::HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let position = index + 1;
        let outcome = match listing(entry) {
            Err(reason) => Err(reason),
            Ok(listing) => match slugs_seen.get(listing.slug.as_str()) {
                Some(first) => Err(format!("slug already used by entry {first} of the file")),
                None => {
                    slugs_seen.insert(listing.slug.to_string(), position);
                    let upserted = catalog::upsert(tx, &listing, spread)
                        .await
                        .with_context(|| format!("entry {position} ({})", listing.slug))?;
                    match upserted {
                        Upserted::Added => Ok(&mut report.added),
                        Upserted::Updated => Ok(&mut report.updated),
                        Upserted::Unchanged => Ok(&mut report.unchanged),
                        Upserted::PageTaken { by } => Err(format!(
                            "{} is already the status page of provider {by:?}",
                            listing.status_url
                        )),
                    }
                }
            },
        };
        match outcome {
            Ok(count) => *count += 1,
            Err(reason) => report.rejected.push(Rejection {
                entry: position,
                slug: entry.get("slug").and_then(Value::as_str).map(str::to_owned),
                reason,
            }),
        }
        progress(position, entries.len());
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// One entry of the file, checked by the domain; the error says what is wrong with it.
fn listing(entry: &Value) -> Result<Listing, String> {
    let entry = entry.as_object().ok_or("not an object")?;
    CatalogEntry::parse(RawEntry {
        slug: text(entry, "slug")?,
        name: text(entry, "name")?,
        homepage: text(entry, "homepage")?,
        status_url: text(entry, "status_url")?,
        platform: text(entry, "platform")?,
    })
}

/// A string field; absent and null are both `None`.
fn text<'a>(entry: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match entry.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("{key} must be a string")),
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} entries: {} added, {} updated, {} unchanged, {} rejected ({:.1} s)",
            self.entries,
            self.added,
            self.updated,
            self.unchanged,
            self.rejected.len(),
            self.elapsed.as_secs_f64()
        )?;
        for r in &self.rejected {
            match &r.slug {
                Some(slug) => writeln!(f, "  rejected entry {} ({slug}): {}", r.entry, r.reason)?,
                None => writeln!(f, "  rejected entry {}: {}", r.entry, r.reason)?,
            }
        }
        Ok(())
    }
}

/// `importing 512/1690` on one line of stderr, redrawn at most ten times a second, only when
/// stderr is a terminal (a log file or a pipe gets the report alone).
struct Counter {
    last: Option<Instant>,
    enabled: bool,
}

impl Counter {
    fn on_stderr() -> Self {
        Counter {
            last: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, done: usize, total: usize) {
        let due = self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if !self.enabled || !(due || done == total) {
            return;
        }
        self.last = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let end = if done == total { "\n" } else { "" };
        // A failed write to a terminal is not worth failing the import for.
        let _ = write!(err, "\rimporting {done}/{total}{end}").and_then(|()| err.flush());
    }
}

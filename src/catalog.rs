//! `vendorwatch catalog import [FILE]`: loads a provider catalog — the one shipped in the
//! binary (`catalog/providers.json`, built by `scripts/build-catalog`) or a file of the same
//! form (see `vw_app::catalog`) — into the providers table, by slug, and prints what it added,
//! updated, left unchanged and rejected (with the reason). And the shipped catalog's import at
//! start-up, when it is not the one last imported.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Subcommand;
use vw_app::catalog::{self, Report};
use vw_store::PgPool;

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
    /// Add or update providers from a catalog file, by slug, each entry as listed (over local
    /// changes); prints what changed.
    Import {
        /// A JSON array of {"slug", "name", "homepage", "status_url", "platform"}. Without it,
        /// the catalog shipped with vendorwatch.
        file: Option<PathBuf>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub async fn run(args: CatalogArgs) -> anyhow::Result<()> {
    let CatalogCommand::Import { file, database } = args.command;
    let (text, source) = match &file {
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
        let report = catalog::import(&pool, &text, SPREAD, &mut |done, total| {
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

/// At start-up (`serve`, `worker`): imports the shipped catalog when it is not the one last
/// imported into this database — a new installation, or an upgrade that ships another one —
/// keeping what an operator changed (`vw_app::catalog::import_shipped`, which logs what it
/// did). `None` when it was imported already.
pub async fn import_shipped_at_start(pool: &PgPool) -> anyhow::Result<Option<Report>> {
    catalog::import_shipped(pool, SHIPPED, SPREAD)
        .await
        .context("importing the shipped provider catalog")
}

/// `importing 512/1909` on one line of stderr, redrawn at most ten times a second, only when
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

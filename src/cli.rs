//! The command line: `vendorwatch <command>`, configured by flags or the environment.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{DatabaseArgs, SiteArgs, WebArgs, WorkerArgs};
use crate::metrics::MetricsArgs;
use crate::{admin, catalog, demo, inspect, providers, run, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "vendorwatch",
    version,
    about = "Watches vendors' status pages and alerts teams when they report incidents"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server and the workers in one process (the default for one machine).
    Serve {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        web: WebArgs,
        #[command(flatten)]
        worker: WorkerArgs,
        #[command(flatten)]
        metrics: MetricsArgs,
    },
    /// Run only the web server.
    Web {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        web: WebArgs,
        #[command(flatten)]
        metrics: MetricsArgs,
    },
    /// Run only the background workers.
    Worker {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        worker: WorkerArgs,
        #[command(flatten)]
        metrics: MetricsArgs,
    },
    /// Apply database migrations, then exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Load the provider catalog (the shipped one, or a file) into the database.
    Catalog(catalog::CatalogArgs),
    /// Read one status page (a URL or a saved file) and print its snapshot as JSON.
    Inspect(inspect::InspectArgs),
    /// Operator commands (move a workspace to another plan).
    Admin(admin::AdminArgs),
    /// Operate on one provider (re-detect its platform).
    Providers(providers::ProvidersArgs),
    /// Show vendorwatch at work: serve, with a fake vendor in trouble and a webhook receiver
    /// on loopback, on a data directory of its own (emptied at every start).
    Demo(demo::DemoArgs),
}

/// Parses the command line and runs the command; the exit code tells success.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Inspect(args) = cli.command {
        return inspect::run(args);
    }
    let metrics = match &cli.command {
        Command::Serve { metrics, .. }
        | Command::Web { metrics, .. }
        | Command::Worker { metrics, .. } => metrics.metrics_listen,
        _ => None,
    };
    telemetry::init(metrics.is_some());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("vendorwatch: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve {
                database,
                site,
                web,
                worker,
                ..
            } => run::serve(database, site, Some(web), Some(worker), metrics).await,
            Command::Web {
                database,
                site,
                web,
                ..
            } => run::serve(database, site, Some(web), None, metrics).await,
            Command::Worker {
                database,
                site,
                worker,
                ..
            } => run::serve(database, site, None, Some(worker), metrics).await,
            Command::Migrate { database } => run::migrate(database).await,
            Command::Catalog(args) => catalog::run(args).await,
            Command::Providers(args) => providers::run(args).await,
            Command::Admin(args) => admin::run(args).await,
            Command::Demo(args) => demo::run(args).await,
            Command::Inspect(_) => unreachable!("handled above"),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("vendorwatch: {error:#}");
            ExitCode::FAILURE
        }
    }
}

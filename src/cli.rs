//! The command line: `vendorwatch <command>`, configured by flags or the environment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::{inspect, run, telemetry};

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
        web: WebArgs,
    },
    /// Run only the web server.
    Web {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        web: WebArgs,
    },
    /// Run only the background workers.
    Worker {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Apply database migrations, then exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Read one status page (a URL or a saved file) and print its snapshot as JSON.
    Inspect(inspect::InspectArgs),
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// PostgreSQL URL. Without it, vendorwatch runs its own PostgreSQL cluster under
    /// `<data dir>/pg` from the server binaries on this machine.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where vendorwatch keeps its local state (the embedded cluster among it).
    #[arg(long, env = "VW_DATA_DIR", default_value = "./.vendorwatch")]
    pub data_dir: PathBuf,
    /// Connections the web server may hold open to the database.
    #[arg(long, env = "VW_WEB_DB_CONNECTIONS", default_value_t = 10)]
    pub web_db_connections: u32,
    /// Connections the workers may hold open to the database, apart from the web's.
    #[arg(long, env = "VW_WORKER_DB_CONNECTIONS", default_value_t = 10)]
    pub worker_db_connections: u32,
}

#[derive(Debug, Clone, Args)]
pub struct WebArgs {
    /// Address and port the web server listens on.
    #[arg(long, env = "VW_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// The public URL of the site, used in links it hands out (invitations, alerts). Cookies
    /// are marked Secure when it is https. Defaults to http://<listen address>.
    #[arg(long, env = "VW_BASE_URL")]
    pub base_url: Option<String>,
}

/// Parses the command line and runs the command; the exit code tells success.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Inspect(args) = cli.command {
        return inspect::run(args);
    }
    telemetry::init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("vendorwatch: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve { database, web } => run::serve(database, Some(web), true).await,
            Command::Web { database, web } => run::serve(database, Some(web), false).await,
            Command::Worker { database } => run::serve(database, None, true).await,
            Command::Migrate { database } => run::migrate(database).await,
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

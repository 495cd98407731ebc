//! The configuration: every flag and its environment variable, as the commands share them.
//! The command line (`cli`) assembles commands from these; everything else reads them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

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
    /// The public URL of the site, used in links it hands out (invitations, alerts). When it
    /// is https, responses carry HSTS and cookies are Secure and __Host- prefixed. Defaults to
    /// http://<listen address>.
    #[arg(long, env = "VW_BASE_URL")]
    pub base_url: Option<String>,
    /// Reverse proxies in front of the web server, as comma-separated IP addresses and CIDR
    /// blocks: only from these is the client's address read from X-Forwarded-For (the
    /// rightmost address that is not one of them). Unset: the header is ignored.
    #[arg(long, env = "VW_TRUSTED_PROXIES", value_parser = vw_web::TrustedProxies::parse)]
    pub trusted_proxies: Option<vw_web::TrustedProxies>,
    /// Connections the web server serves at once; more wait until one closes. Keep it under
    /// the process's file descriptor limit.
    #[arg(long, env = "VW_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
}

impl WebArgs {
    /// The web server's configuration, for the site reached at `base_url`.
    pub fn web_config(&self, base_url: &str) -> vw_web::WebConfig {
        let mut config = vw_web::WebConfig::new(base_url);
        config.trusted_proxies = self.trusted_proxies.clone().unwrap_or_default();
        config.max_connections = self.max_connections;
        config
    }
}

#[derive(Debug, Clone, Args)]
pub struct WorkerArgs {
    /// How often a provider that an active monitor watches is polled (e.g. 5m, 30s, 1s).
    #[arg(long, env = "VW_POLL_INTERVAL", default_value = "5m", value_parser = duration)]
    pub poll_interval: Duration,
    /// How often the rest of the catalog is polled, to keep public pages fresh.
    #[arg(long, env = "VW_IDLE_POLL_INTERVAL", default_value = "30m", value_parser = duration)]
    pub idle_poll_interval: Duration,
    /// Polls in flight at once in this process.
    #[arg(long, env = "VW_POLL_CONCURRENCY", default_value_t = 32)]
    pub poll_concurrency: usize,
    /// Polls in flight at once per host, in this process.
    #[arg(long, env = "VW_POLL_PER_HOST", default_value_t = 4)]
    pub poll_per_host: usize,
    /// How long a claimed poll may take before its provider is due again (a worker that died
    /// mid-poll is noticed after this long).
    #[arg(long, env = "VW_POLL_LEASE", default_value = "5m", value_parser = duration)]
    pub poll_lease: Duration,
    /// How long a status page must fail before it is reported unreachable.
    #[arg(long, env = "VW_UNREACHABLE_AFTER", default_value = "30m", value_parser = duration)]
    pub unreachable_after: Duration,
    /// Allow status pages on private, loopback and link-local addresses (tests, local
    /// development). Checked after DNS resolution and on every redirect.
    #[arg(long, env = "VW_ALLOW_PRIVATE_TARGETS", default_value_t = false)]
    pub allow_private_targets: bool,
    /// Import the shipped provider catalog at start when it is not the one last imported (a
    /// new installation, an upgrade), keeping entries changed locally. `false`: never, for an
    /// installation that lists only providers of its own.
    #[arg(long, env = "VW_IMPORT_SHIPPED_CATALOG", default_value_t = true, action = clap::ArgAction::Set)]
    pub import_shipped_catalog: bool,
}

impl WorkerArgs {
    pub fn poll_config(&self) -> vw_jobs::poll::PollConfig {
        vw_jobs::poll::PollConfig {
            interval: self.poll_interval,
            idle_interval: self.idle_poll_interval,
            concurrency: self.poll_concurrency,
            per_host: self.poll_per_host,
            lease: self.poll_lease,
            unreachable_after: self.unreachable_after,
            fetch: vw_sources::FetchConfig {
                allow_private_targets: self.allow_private_targets,
                ..vw_sources::FetchConfig::default()
            },
            ..vw_jobs::poll::PollConfig::default()
        }
    }
}

/// Durations as people write them: `300ms`, `1s`, `5m`, `1h 30m`.
fn duration(text: &str) -> Result<Duration, String> {
    let parsed = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if parsed < Duration::from_secs(1) {
        return Err("must be at least 1s".into());
    }
    Ok(parsed)
}

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

/// What the web server and the workers share: where the site is, its key, and whether
/// targets on private addresses are allowed.
#[derive(Debug, Clone, Args)]
pub struct SiteArgs {
    /// The public URL of the site, used in links it hands out (invitations, alerts,
    /// unsubscribe). When it is https, responses carry HSTS and cookies are Secure and __Host-
    /// prefixed. Defaults to http://<listen address> (workers alone: http://127.0.0.1:3000).
    #[arg(long, env = "VW_BASE_URL")]
    pub base_url: Option<String>,
    /// The server's secret key, 64 hex digits: encrypts integration URLs and webhook secrets
    /// at rest and signs the links in e-mails. Without it, a key is generated on first start
    /// into `<data dir>/secret.key` and read from there. Every process of one installation
    /// needs the same key.
    #[arg(long, env = "VW_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Allow status pages and alert targets on private, loopback and link-local addresses,
    /// and plain http (tests, local development). Checked after DNS resolution.
    #[arg(long, env = "VW_ALLOW_PRIVATE_TARGETS", default_value_t = false)]
    pub allow_private_targets: bool,
}

impl SiteArgs {
    /// The server's key: `VW_SECRET_KEY`, else the one in the data directory (generated
    /// there on first start).
    pub fn secrets(&self, data_dir: &std::path::Path) -> anyhow::Result<vw_app::secrets::Secrets> {
        use anyhow::Context;
        match &self.secret_key {
            Some(hex) => Ok(vw_app::secrets::Secrets::from_hex(hex)?),
            None => {
                std::fs::create_dir_all(data_dir)
                    .with_context(|| format!("creating {}", data_dir.display()))?;
                Ok(vw_app::secrets::Secrets::from_file(
                    &data_dir.join("secret.key"),
                )?)
            }
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct WebArgs {
    /// Address and port the web server listens on.
    #[arg(long, env = "VW_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// Reverse proxies in front of the web server, as comma-separated IP addresses and CIDR
    /// blocks: only from these is the client's address read from X-Forwarded-For (the
    /// rightmost address that is not one of them). Unset: the header is ignored.
    #[arg(long, env = "VW_TRUSTED_PROXIES", value_parser = vw_web::TrustedProxies::parse)]
    pub trusted_proxies: Option<vw_web::TrustedProxies>,
    /// Connections the web server serves at once; more wait until one closes. Keep it under
    /// the process's file descriptor limit.
    #[arg(long, env = "VW_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// The operators of this installation, as comma-separated e-mail addresses: signed in,
    /// they may read the operators' pages (the sent-mail page, /operator/mail).
    #[arg(long, env = "VW_OPERATORS", value_delimiter = ',', value_parser = email)]
    pub operators: Vec<vw_domain::EmailAddress>,
    /// Requests each API token may make a minute on each web server, in bursts of up to a
    /// tenth of that; past it the API answers 429 with Retry-After.
    #[arg(long, env = "VW_API_RATE_LIMIT", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
    pub api_rate_limit: u32,
    /// How often the dashboard's list of monitors refreshes itself in the browser.
    #[arg(long, env = "VW_DASHBOARD_REFRESH", default_value = "30s", value_parser = duration)]
    pub dashboard_refresh: Duration,
}

impl WebArgs {
    /// The web server's configuration, for the site reached at `base_url`.
    pub fn web_config(
        &self,
        base_url: &str,
        site: &SiteArgs,
        secrets: vw_app::secrets::Secrets,
    ) -> vw_web::WebConfig {
        let mut config = vw_web::WebConfig::new(base_url);
        config.trusted_proxies = self.trusted_proxies.clone().unwrap_or_default();
        config.max_connections = self.max_connections;
        config.secrets = secrets;
        config.target_rules = vw_notify::TargetRules {
            allow_private_targets: site.allow_private_targets,
        };
        config.operators = self.operators.clone();
        config.api_requests_per_minute = self.api_rate_limit;
        config.dashboard_refresh = self.dashboard_refresh;
        config
    }
}

fn email(text: &str) -> Result<vw_domain::EmailAddress, String> {
    vw_domain::EmailAddress::parse(text.trim()).map_err(|e| e.to_string())
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
    /// Where e-mail goes: `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host:465`, or `smtp://host:25` (a local relay). Without it, e-mails
    /// are not sent: they are written to the log and kept for the sent-mail page.
    #[arg(long, env = "VW_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// `From` of every e-mail: `Name <address>` or an address, on a domain whose SPF/DKIM
    /// let the SMTP server send for it. Defaults to alerts@<the base URL's host>.
    #[arg(long, env = "VW_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// How long a delivery attempt may be "sending" before it is presumed lost with its
    /// worker and tried again.
    #[arg(long, env = "VW_DELIVERY_LEASE", default_value = "60s", value_parser = duration)]
    pub delivery_lease: Duration,
    /// Import the shipped provider catalog at start when it is not the one last imported (a
    /// new installation, an upgrade), keeping entries changed locally. `false`: never, for an
    /// installation that lists only providers of its own.
    #[arg(long, env = "VW_IMPORT_SHIPPED_CATALOG", default_value_t = true, action = clap::ArgAction::Set)]
    pub import_shipped_catalog: bool,
}

impl WorkerArgs {
    /// How this process sends alerts, with links to `base_url`.
    pub fn delivery_config(
        &self,
        base_url: url::Url,
        site: &SiteArgs,
        secrets: vw_app::secrets::Secrets,
    ) -> vw_jobs::deliver::DeliveryConfig {
        let mut config = vw_jobs::deliver::DeliveryConfig::new(base_url, secrets);
        config.smtp_url = self.smtp_url.clone();
        if let Some(from) = &self.mail_from {
            config.mail_from = from.clone();
        }
        config.allow_private_targets = site.allow_private_targets;
        config.lease = self.delivery_lease;
        config
    }

    pub fn poll_config(&self, site: &SiteArgs) -> vw_jobs::poll::PollConfig {
        vw_jobs::poll::PollConfig {
            interval: self.poll_interval,
            idle_interval: self.idle_poll_interval,
            concurrency: self.poll_concurrency,
            per_host: self.poll_per_host,
            lease: self.poll_lease,
            unreachable_after: self.unreachable_after,
            fetch: vw_sources::FetchConfig {
                allow_private_targets: site.allow_private_targets,
                ..vw_sources::FetchConfig::default()
            },
            ..vw_jobs::poll::PollConfig::default()
        }
    }
}

/// Durations as people write them: `300ms`, `1s`, `5m`, `1h 30m`.
pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    let parsed = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if parsed < Duration::from_secs(1) {
        return Err("must be at least 1s".into());
    }
    Ok(parsed)
}

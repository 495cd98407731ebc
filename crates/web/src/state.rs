use std::sync::Arc;
use std::time::Duration;

use vw_app::secrets::Secrets;
use vw_domain::EmailAddress;
use vw_notify::TargetRules;
use vw_store::PgPool;

use crate::api::rate_limit::RateLimiter;
use crate::{Passwords, TrustedProxies};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<WebConfig>,
    pub passwords: Passwords,
    /// Each API token's request budget.
    pub api_limiter: Arc<RateLimiter>,
}

impl AppState {
    pub fn new(db: PgPool, config: WebConfig) -> Self {
        AppState {
            db,
            api_limiter: Arc::new(RateLimiter::per_minute(config.api_requests_per_minute)),
            config: Arc::new(config),
            passwords: Passwords::for_cores(
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where people reach the site, without a trailing slash: links in invitations use it.
    pub base_url: String,
    /// The public URL is https: responses then carry HSTS, and cookies are `Secure` and
    /// `__Host-` prefixed.
    pub https: bool,
    /// Peers whose `X-Forwarded-For` names the client (`VW_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// How long a client may take to send a request's headers, counted from when the
    /// connection starts waiting for them; on a keep-alive connection that wait begins when
    /// the previous answer is sent, so this also closes connections idle between requests.
    pub header_read_timeout: Duration,
    /// How long a connection may go without a byte read or written (a stalled body, a client
    /// that stopped reading its answer). Longer than a request may take (30 s), or a slow
    /// handler's connection would look idle.
    pub idle_timeout: Duration,
    /// Connections served at once (`VW_MAX_CONNECTIONS`); more wait in the listen backlog.
    pub max_connections: usize,
    /// How often the dashboard's script refreshes its monitor list.
    pub dashboard_refresh: Duration,
    /// The server's key: seals integration URLs, reads the links in e-mails.
    pub secrets: Secrets,
    /// How integration URLs are checked (`VW_ALLOW_PRIVATE_TARGETS` loosens them).
    pub target_rules: TargetRules,
    /// Who may read the operators' pages (the sent-mail page): signed-in people with these
    /// addresses (`VW_OPERATORS`).
    pub operators: Vec<EmailAddress>,
    /// Requests each API token may make a minute on this server (`VW_API_RATE_LIMIT`).
    pub api_requests_per_minute: u32,
}

impl WebConfig {
    pub fn new(base_url: &str) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        WebConfig {
            https: base_url.starts_with("https://"),
            base_url,
            trusted_proxies: TrustedProxies::default(),
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            dashboard_refresh: Duration::from_secs(30),
            // Replaced by the server's key at start; a key of its own keeps a config built
            // elsewhere (tests) working, never able to read what another process sealed.
            secrets: Secrets::random(),
            target_rules: TargetRules::STRICT,
            operators: Vec::new(),
            api_requests_per_minute: 600,
        }
    }
}

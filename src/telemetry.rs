//! Structured logs: `RUST_LOG` chooses what (default `info`), `VW_LOG_FORMAT=json` how.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let json = std::env::var("VW_LOG_FORMAT").is_ok_and(|f| f == "json");
    // A second init (tests running several commands) keeps the first subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

//! Structured logs: `RUST_LOG` chooses what (default `info`), `VW_LOG_FORMAT=json` how. With
//! metrics on, the database timings layer reads sqlx's own events too, whatever the logs show.

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, fmt};

use crate::db_timings::DbTimings;

pub fn init(db_timings: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let json = std::env::var("VW_LOG_FORMAT").is_ok_and(|f| f == "json");
    let logs = if json {
        fmt::layer().json().with_ansi(ansi).boxed()
    } else {
        fmt::layer().with_ansi(ansi).boxed()
    };
    // Each layer filters for itself: the logs' level does not hide sqlx's debug events from
    // the timings, and the timings' interest puts no statement in the logs.
    let timings = db_timings.then(|| DbTimings.with_filter(DbTimings::filter()));
    // A second init (tests running several commands) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(logs.with_filter(filter))
        .with(timings)
        .try_init();
}

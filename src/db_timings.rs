//! The database's pool wait and statement times, for the web and the workers apart.
//!
//! sqlx has no hook around every statement, but it traces them: each statement's end is an
//! event (target `sqlx::query`, `elapsed_secs`; debug, or warn past a second) and, at the level
//! the pools are built with (`db::Database::pool`), each acquire (target
//! `sqlx::pool::acquire`, `acquired_after_secs`: the wait for a connection, opening one
//! included). This tracing layer turns those events into histograms. Which side a statement
//! belongs to is read from the spans it ran in: inside the web's `request` span, the web's;
//! anywhere else, the workers' (in a web-only process that is only its start-up migrations).
//! The time measured is sqlx's, from sending a statement to its last row: queueing for a
//! connection is in the wait, not here.

use metrics::{Unit, describe_histogram, histogram};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

const QUERY_TARGET: &str = "sqlx::query";
const ACQUIRE_TARGET: &str = "sqlx::pool::acquire";

pub fn describe() {
    describe_histogram!(
        "vw_db_query_duration_seconds",
        Unit::Seconds,
        "Statement execution time, by pool (web, worker)"
    );
    describe_histogram!(
        "vw_db_pool_wait_seconds",
        Unit::Seconds,
        "Time to get a connection from the pool, by pool (web, worker)"
    );
}

pub struct DbTimings;

impl DbTimings {
    /// What the layer must see: sqlx's events, and the web's request spans.
    pub fn filter() -> Targets {
        Targets::new()
            .with_target(QUERY_TARGET, Level::DEBUG)
            .with_target(ACQUIRE_TARGET, Level::DEBUG)
            .with_target("vw_web", Level::INFO)
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for DbTimings {
    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let (series, field) = match event.metadata().target() {
            QUERY_TARGET => ("vw_db_query_duration_seconds", "elapsed_secs"),
            ACQUIRE_TARGET => ("vw_db_pool_wait_seconds", "acquired_after_secs"),
            _ => return,
        };
        let mut seconds = Seconds { field, value: None };
        event.record(&mut seconds);
        let Some(value) = seconds.value else {
            return;
        };
        let in_request = ctx.event_scope(event).is_some_and(|mut scope| {
            scope.any(|span| span.name() == "request" && span.metadata().target() == "vw_web")
        });
        let pool = if in_request { "web" } else { "worker" };
        histogram!(series, "pool" => pool).record(value);
    }
}

/// Reads one `f64` field of an event.
struct Seconds {
    field: &'static str,
    value: Option<f64>,
}

impl Visit for Seconds {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == self.field {
            self.value = Some(value);
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

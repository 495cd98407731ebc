//! The printed figures: medians of the repeated rounds, the raw rate beside them, the ratios.

use crate::load::Load;
use crate::rounds::{Path, Round};

/// The median of each figure over a path's rounds (each figure on its own).
pub struct Median {
    pub runs: usize,
    pub wall_seconds: f64,
    pub polls_per_second: f64,
    pub share_304: f64,
    pub requests_per_poll: f64,
    pub changed_polls: f64,
    pub events: f64,
    pub worker_cpu: f64,
    pub server_cpu: f64,
    pub postgres_cpu: Option<f64>,
    pub machine_cpu: f64,
    polls: f64,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if !n.is_multiple_of(2) => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

impl Median {
    pub fn of(rounds: &[Round]) -> Median {
        let each = |f: fn(&Round) -> f64| median(rounds.iter().map(f).collect());
        Median {
            runs: rounds.len(),
            wall_seconds: each(|r| r.wall_seconds),
            polls_per_second: each(|r| r.polls as f64 / r.wall_seconds),
            share_304: each(|r| r.not_modified as f64 / (r.fresh + r.not_modified).max(1) as f64),
            requests_per_poll: each(|r| (r.fresh + r.not_modified) as f64 / r.polls as f64),
            changed_polls: each(|r| r.changed_polls as f64),
            events: each(|r| r.events as f64),
            worker_cpu: each(|r| r.worker_cpu),
            server_cpu: each(|r| r.server_cpu),
            postgres_cpu: rounds
                .iter()
                .all(|r| r.postgres_cpu.is_some())
                .then(|| each(|r| r.postgres_cpu.unwrap_or_default())),
            machine_cpu: each(|r| r.machine_cpu),
            polls: each(|r| r.polls as f64),
        }
    }

    fn worker_cpu_ms_per_poll(&self) -> f64 {
        self.worker_cpu / self.polls * 1e3
    }
}

/// What the columns of [`print_rounds`] mean.
pub fn print_legend() {
    println!(
        "columns: wall s from making every provider due to the last poll's write (includes up \
         to 1 s for the clock's tick); 304 % and req/poll from the vendor's answers; changed = \
         polls that wrote a new state; worker s / vendor s / pg s = CPU seconds (user + sys) \
         of the worker process, the fake vendor and the PostgreSQL cluster; ms/poll = worker \
         CPU per poll; busy s = the whole machine's busy CPU (other work on the machine = \
         busy - worker - vendor - pg)"
    );
}

pub fn print_rounds(concurrency: usize, rows: &[(Path, Median)]) {
    println!();
    println!("concurrency {concurrency} (per_host {concurrency}): medians of each figure");
    println!(
        "{:<22} {:>4} {:>7} {:>8} {:>6} {:>8} {:>7} {:>7} {:>9} {:>8} {:>8} {:>8} {:>8}",
        "round",
        "runs",
        "wall s",
        "polls/s",
        "304 %",
        "req/poll",
        "changed",
        "events",
        "worker s",
        "ms/poll",
        "vendor s",
        "pg s",
        "busy s"
    );
    for (path, m) in rows {
        let postgres = m
            .postgres_cpu
            .map_or_else(|| "n/a".to_owned(), |s| format!("{s:.1}"));
        println!(
            "{:<22} {:>4} {:>7.1} {:>8.0} {:>6.1} {:>8.2} {:>7.0} {:>7.0} {:>9.1} {:>8.2} {:>8.1} {:>8} {:>8.1}",
            path.name(),
            m.runs,
            m.wall_seconds,
            m.polls_per_second,
            m.share_304 * 100.0,
            m.requests_per_poll,
            m.changed_polls,
            m.events,
            m.worker_cpu,
            m.worker_cpu_ms_per_poll(),
            m.server_cpu,
            postgres,
            m.machine_cpu,
        );
    }
}

/// The raw rates and the pipeline's share of them.
pub fn print_ratios(
    tool: &str,
    connections: usize,
    raw_304: Load,
    raw_200: Load,
    not_modified: &Median,
    changed: &Median,
) {
    println!(
        "raw rate of the same server ({tool}, {connections} connections): \
         304s {:.0} req/s (vendor CPU {:.0} µs/req), 200s {:.0} req/s (vendor CPU {:.0} µs/req)",
        raw_304.requests_per_second,
        raw_304.server_cpu_us,
        raw_200.requests_per_second,
        raw_200.server_cpu_us
    );
    for (name, m, raw) in [
        ("304 path", not_modified, raw_304),
        ("changed path", changed, raw_200),
    ] {
        let per_poll = m.polls_per_second / raw.requests_per_second;
        let per_request = per_poll * m.requests_per_poll;
        println!(
            "ratio, {name}: polls/s ÷ raw req/s = {per_poll:.4} per poll, \
             {per_request:.4} per request ({:.2} requests per poll)",
            m.requests_per_poll
        );
    }
}

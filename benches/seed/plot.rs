//! The run as a picture (SVG, written by hand: no plotting crate, no network): the web's p99
//! latency per 5-second window over the whole run, on the phases it went through.

use std::fmt::Write;

use crate::web_load::{Sample, quantile, within};

/// A stretch of the run, named, in seconds since the origin.
pub struct Phase {
    pub name: String,
    pub from: f64,
    pub to: f64,
}

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 360.0;
const LEFT: f64 = 60.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 30.0;
const WINDOW: f64 = 5.0;
const COLOURS: [&str; 4] = ["#e8f0fe", "#fde7e7", "#fff4d6", "#e6f4ea"];

pub fn svg(samples: &[Sample], phases: &[Phase], title: &str) -> String {
    let end = phases.iter().map(|p| p.to).fold(0.0, f64::max).max(1.0);
    let start = phases.iter().map(|p| p.from).fold(end, f64::min);
    let mut points = Vec::new();
    let mut t = start;
    while t < end {
        let ms: Vec<f64> = within(samples, t, t + WINDOW)
            .iter()
            .map(|s| s.ms)
            .collect();
        if !ms.is_empty() {
            points.push((t + WINDOW / 2.0, quantile(&ms, 0.99)));
        }
        t += WINDOW;
    }
    let top_ms = points.iter().map(|p| p.1).fold(10.0, f64::max) * 1.1;
    let x = |t: f64| LEFT + (t - start) / (end - start) * (WIDTH - LEFT - 20.0);
    let y = |ms: f64| HEIGHT - BOTTOM - ms / top_ms * (HEIGHT - BOTTOM - TOP);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="18" font-size="14">{title}</text>"#
    );
    for (i, phase) in phases.iter().enumerate() {
        let (x0, x1) = (x(phase.from), x(phase.to));
        let _ = writeln!(
            out,
            r#"<rect x="{x0:.1}" y="{TOP}" width="{:.1}" height="{:.1}" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            (x1 - x0).max(0.0),
            HEIGHT - BOTTOM - TOP,
            COLOURS[i % COLOURS.len()],
            x0 + 4.0,
            TOP + 14.0,
            phase.name
        );
    }
    let line: Vec<String> = points
        .iter()
        .map(|(t, ms)| format!("{:.1},{:.1}", x(*t), y(*ms)))
        .collect();
    let _ = writeln!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#1a73e8" stroke-width="2"/>"##,
        line.join(" ")
    );
    for i in 0..=4 {
        let ms = top_ms * f64::from(i) / 4.0;
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#ccc"/><text x="4" y="{:.1}">{ms:.0} ms</text>"##,
            WIDTH - 20.0,
            y(ms),
            y(ms),
            y(ms) + 4.0
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}">seconds into the run; the line: web p99 per {WINDOW:.0} s window, every critical path together</text>"#,
        LEFT,
        HEIGHT - 10.0
    );
    out.push_str("</svg>\n");
    out
}

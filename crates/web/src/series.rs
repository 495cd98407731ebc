//! The web's Prometheus series, through the `metrics` facade (a no-op unless the binary
//! installed a recorder): every request's latency by route pattern, method and status.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics::{Unit, describe_histogram, histogram};

/// Says what each series means, once the recorder is installed.
pub fn describe() {
    describe_histogram!(
        "vw_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer a request (until its headers), by route pattern, method and status"
    );
}

/// Times the request. The route is the pattern it matched (`/monitors/{id}`), never the path:
/// paths carry tokens, and one series per id would be without bound.
pub async fn record(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    histogram!(
        "vw_http_request_duration_seconds",
        "route" => route,
        "method" => method,
        "status" => response.status().as_u16().to_string(),
    )
    .record(started.elapsed().as_secs_f64());
    response
}

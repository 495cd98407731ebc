//! The web face of vendorwatch: routes, handlers, sessions, CSRF and the glue to the templates
//! in `templates/`. Handlers are thin: extract, parse into domain values, call the store,
//! render or redirect.
//!
//! Depends on `vw-domain` and `vw-store`; never on the job or source crates: the web process
//! makes no outbound calls on a request's path.

mod api;
mod assets;
mod auth;
mod client_ip;
mod error;
mod ical;
mod layout;
mod negotiate;
mod passwords;
mod routes;
pub mod series;
mod serve;
mod state;

use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::sensitive_headers::SetSensitiveHeadersLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use client_ip::TrustedProxies;
pub use error::WebError;
pub use passwords::Passwords;
pub use routes::table::{Csrf, PageRoute, Param, Resource, routes as page_routes};
pub use serve::serve;
pub use state::{AppState, WebConfig};

/// How long a handler may take before the request is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The JSON API's OpenAPI document, as `/api/v1/openapi.json` serves it.
pub fn api_document() -> utoipa::openapi::OpenApi {
    api::document()
}

/// Every route of the site, with its middleware. Public so that tests can drive it directly.
pub fn router(state: AppState) -> Router {
    let pages = routes::pages().layer(middleware::from_fn_with_state(
        state.clone(),
        auth::context::load,
    ));
    Router::new()
        .merge(pages)
        .merge(api::routes(&state))
        .merge(routes::health::routes())
        .merge(routes::calendar_feed::routes())
        .merge(assets::routes())
        .fallback(error::not_found)
        .layer(
            ServiceBuilder::new()
                .layer(SetSensitiveHeadersLayer::new([
                    header::COOKIE,
                    header::SET_COOKIE,
                    header::AUTHORIZATION,
                ]))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                // Outside the panic and timeout layers, so that their 500s and 408s count.
                .layer(middleware::from_fn(series::record))
                .layer(CatchPanicLayer::custom(error::panic_response))
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    REQUEST_TIMEOUT,
                ))
                .layer(security_header(
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                     form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                ))
                // Over https, browsers are to come back over https only, for a year.
                .option_layer(state.config.https.then(|| {
                    security_header(
                        header::STRICT_TRANSPORT_SECURITY,
                        "max-age=31536000; includeSubDomains",
                    )
                }))
                .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
                .layer(security_header(header::REFERRER_POLICY, "same-origin")),
        )
        .with_state(state)
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Logs the route pattern rather than the path: paths carry secrets such as invitation tokens.
fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    tracing::info_span!("request", method = %request.method(), route)
}

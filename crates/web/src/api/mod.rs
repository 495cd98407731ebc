//! The JSON API under `/api/v1`: bearer tokens of a workspace (read-only or read-write), each
//! with its request budget; problem documents (RFC 9457) with stable codes; cursor pages;
//! `ETag`s; `Idempotency-Key` on creates. Handlers call the same use cases as the site's
//! pages, so no rule (quota, filters, roles, tenancy) lives twice.
//!
//! The router is built from the handlers' OpenAPI annotations (utoipa-axum), so the document
//! at `/api/v1/openapi.json` lists exactly the operations the router serves.

mod calendar;
mod caller;
mod channels;
mod conditional;
mod docs;
mod groups;
mod history;
mod idempotency;
mod monitors;
mod paging;
mod problem;
mod providers;
pub(crate) mod rate_limit;
mod request;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::any;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "vendorwatch API",
        version = "1",
        description = "Automate the vendors a workspace monitors and read their incidents.\n\n\
            **Tokens.** Admins create workspace tokens in the workspace's settings (API tokens), \
            read-only or read-write; operators also with `vendorwatch admin create-token`. Send \
            one as `Authorization: Bearer <token>`. A missing, unknown or revoked token gets \
            `401`; a read-only token asking to change something gets `403` (`read_only_token`).\n\n\
            **Rate limit.** Each token may make 600 requests a minute (the server's \
            `VW_API_RATE_LIMIT`), in bursts of up to a tenth of that, per web server. Past it, \
            `429` (`rate_limited`) with `Retry-After` in seconds. Every answer carries \
            `RateLimit-Limit` (the burst) and `RateLimit-Remaining`.\n\n\
            **Conventions.** JSON only; times in RFC 3339, UTC. Lists are pages: `limit` (1 to \
            200, default 50) and `cursor`, with a `next` link while more follow; a page starts \
            after the last row of the one before, so rows added meanwhile neither repeat nor \
            push others off. Errors are `application/problem+json` with a stable `code` and, \
            for a request that cannot be used, `errors` naming each field. A `POST` with an \
            `Idempotency-Key` header, retried with the same key and body within a day, returns \
            the first answer (marked `Idempotent-Replayed: true`) instead of doing it twice. \
            Single resources carry an `ETag`; send it back in `If-None-Match` for a `304`.\n\n\
            **Stability.** Fields may be added; none of those documented here is renamed."
    ),
    modifiers(&BearerToken),
    tags(
        (name = "providers", description = "The public directory of status pages"),
        (name = "monitors", description = "The providers the workspace watches"),
        (name = "incidents", description = "Incidents of the monitored providers"),
        (name = "maintenances", description = "Maintenances of the monitored providers, and the calendar"),
        (name = "groups", description = "Notification groups: who gets which alerts"),
        (name = "channels", description = "A group's recipients and integrations"),
        (name = "deliveries", description = "What was sent to each channel, and how it went"),
    )
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A workspace API token (`vwk_…`)"))
                    .build(),
            ),
        );
    }
}

/// Every operation of the API, with its document.
fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(providers::list))
        .routes(routes!(providers::get))
        .routes(routes!(monitors::list, monitors::create))
        .routes(routes!(monitors::get, monitors::update, monitors::delete))
        .routes(routes!(monitors::request))
        .routes(routes!(history::incidents))
        .routes(routes!(history::incident))
        .routes(routes!(history::maintenances))
        .routes(routes!(history::maintenance))
        .routes(routes!(calendar::window))
        .routes(routes!(groups::list, groups::create))
        .routes(routes!(groups::get, groups::update, groups::delete))
        .routes(routes!(channels::list, channels::create))
        .routes(routes!(channels::get, channels::delete))
        .routes(routes!(channels::send_test))
        .routes(routes!(channels::group_deliveries))
        .routes(routes!(channels::channel_deliveries))
}

/// The API's OpenAPI 3.1 document.
pub fn document() -> utoipa::openapi::OpenApi {
    operations().into_openapi()
}

/// The API's routes: its operations behind the token check, its document and its docs page,
/// and a problem document for any other path under `/api/`.
pub fn routes(state: &AppState) -> Router<AppState> {
    let (operations, document) = operations().split_for_parts();
    let document = document
        .to_json()
        .map(axum::body::Bytes::from)
        .unwrap_or_default();
    operations
        // Outermost first: the token (and its budget and scope), then the idempotency key.
        .route_layer(from_fn_with_state(state.clone(), idempotency::once))
        .route_layer(from_fn_with_state(state.clone(), caller::authenticate))
        .merge(docs::routes(document))
        .route("/api/{*rest}", any(problem::no_such_route))
}

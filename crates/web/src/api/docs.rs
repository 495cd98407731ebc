//! The API's documentation: its OpenAPI document, and `/api/docs` rendering it with Swagger
//! UI compiled into the binary (`static/vendor/swagger-ui`), so that it needs no CDN.

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::assets::asset;

const SWAGGER_JS: &str = include_str!("../../../../static/vendor/swagger-ui/swagger-ui-bundle.js");
const SWAGGER_CSS: &str = include_str!("../../../../static/vendor/swagger-ui/swagger-ui.css");
const INIT_JS: &str = include_str!("../../../../static/api-docs.js");

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vendorwatch API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
"#;

/// Swagger UI styles some elements with `style` attributes: this page alone allows inline
/// styles (never inline scripts).
const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                        script-src 'self'; connect-src 'self'; form-action 'none'; \
                        frame-ancestors 'none'; base-uri 'none'";

/// The document at `/api/v1/openapi.json`, and the page that renders it.
pub fn routes(document: Bytes) -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], document) }),
        )
        .route("/api/docs", get(page))
        .route(
            "/api/docs/swagger-ui-bundle.js",
            get(|| async { asset("text/javascript; charset=utf-8", SWAGGER_JS) }),
        )
        .route(
            "/api/docs/swagger-ui.css",
            get(|| async { asset("text/css; charset=utf-8", SWAGGER_CSS) }),
        )
        .route(
            "/api/docs/init.js",
            get(|| async { asset("text/javascript; charset=utf-8", INIT_JS) }),
        )
}

async fn page() -> Response {
    let mut response = Html(PAGE).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOCS_CSP),
    );
    response
}

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::Visitor;
use crate::layout::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
}

/// Signed-in people go straight to their dashboard; everyone else sees what vendorwatch is.
pub async fn show(visitor: Visitor) -> Response {
    if visitor.0.session.is_some() {
        return Redirect::to("/dashboard").into_response();
    }
    HomePage {
        layout: visitor.layout(),
    }
    .into_response()
}

//! Every state-changing form carries a hidden `csrf_token`; [`CsrfForm`] checks it before the
//! form is even parsed. Signed-in visitors' forms carry their session's token; anonymous
//! visitors' forms carry the token of their `vw_csrf` cookie (double submit).

use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

use super::context::RequestContext;
use super::tokens;
use crate::WebError;

/// Forms are small; anything bigger is refused before it is read whole.
const FORM_LIMIT: usize = 64 * 1024;

pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, _: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let context = parts
            .extensions
            .get::<RequestContext>()
            .ok_or_else(|| WebError::bug("request context middleware missing"))?;
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(WebError::BadRequest(
                "Expected a form submission (application/x-www-form-urlencoded).".into(),
            ));
        }
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| WebError::TooLarge)?;
        let sent = form_urlencoded::parse(&bytes)
            .find(|(key, _)| key == "csrf_token")
            .map(|(_, value)| value.into_owned());
        if !sent.is_some_and(|token| tokens::same(&token, context.csrf_token())) {
            return Err(WebError::Csrf);
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|e| WebError::BadRequest(format!("The form could not be read: {e}.")))
    }
}

//! The workspace's API tokens (`/settings/api-tokens`), for its admins: listed by name and
//! prefix with when they were made and last used, made (read-only or read-write, shown once
//! on the page that made it) and revoked.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vw_app::api_tokens::{Scope, Token};
use vw_domain::ApiTokenId;

use super::display::When;
use super::{Empty, notice, redirect_with_flash};
use crate::auth::{Admin, CsrfForm, Member};
use crate::layout::Layout;
use crate::{AppState, WebError};

pub const PATH: &str = "/settings/api-tokens";

#[derive(Template, WebTemplate)]
#[template(path = "settings/api_tokens.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<TokenLine>,
    /// A token just made: shown this once.
    created: Option<String>,
}

struct TokenLine {
    id: ApiTokenId,
    name: String,
    prefix: String,
    writes: bool,
    created: When,
    created_by: Option<String>,
    last_used: Option<When>,
}

impl TokenLine {
    fn new(token: Token) -> Self {
        TokenLine {
            id: token.id,
            name: token.name,
            prefix: token.prefix,
            writes: token.scope == Scope::Write,
            created: When::new(token.created_at),
            created_by: token.created_by,
            last_used: token.last_used_at.map(When::new),
        }
    }
}

async fn page(
    state: &AppState,
    member: &Member,
    created: Option<String>,
) -> Result<TokensPage, WebError> {
    let tokens = vw_app::api_tokens::list(&state.db, member.workspace).await?;
    Ok(TokensPage {
        layout: member.layout(),
        tokens: tokens.into_iter().map(TokenLine::new).collect(),
        created,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, WebError> {
    Ok(page(&state, &member, None).await?.into_response())
}

#[derive(Deserialize)]
pub struct NewToken {
    name: String,
    /// `read` or `write`.
    scope: String,
}

/// Makes a token and shows it, on this page only.
pub async fn create(
    State(state): State<AppState>,
    Admin(member): Admin,
    CsrfForm(form): CsrfForm<NewToken>,
) -> Result<Response, WebError> {
    let scope = match form.scope.as_str() {
        "write" => Scope::Write,
        "read" => Scope::Read,
        _ => {
            return Err(WebError::BadRequest(
                "Choose read-only or read-write.".into(),
            ));
        }
    };
    let made = vw_app::api_tokens::create(
        &state.db,
        member.workspace,
        &form.name,
        scope,
        Some(member.signed_in.user()),
    )
    .await?;
    let mut response = page(&state, &member, Some(made.secret))
        .await?
        .into_response();
    // The page holds a secret: no cache may keep it.
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

pub async fn revoke(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let id: ApiTokenId = id.parse().map_err(|_| WebError::NotFound)?;
    vw_app::api_tokens::revoke(&state.db, member.workspace, id).await?;
    Ok(redirect_with_flash(
        &state,
        PATH,
        notice("Token revoked: requests with it are refused from now on."),
    ))
}

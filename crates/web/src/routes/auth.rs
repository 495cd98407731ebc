//! Signing up, signing in and signing out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use vw_domain::{EmailAddress, Password, UserId, WorkspaceName};
use vw_store::StoreError;

use super::{Empty, notice, redirect_with_flash, safe_next};
use crate::auth::{
    CsrfForm, LoginThrottle, SignedIn, Visitor, end_session, reserve_sign_up,
    session_cookie_cleared, start_session,
};
use crate::error::{Taken, form_error};
use crate::layout::Layout;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "auth/signup.html")]
struct SignupPage {
    layout: Layout,
    email: String,
    workspace: String,
    error: Option<String>,
}

/// What a sign-up with a taken address gets: nothing that tells it from any other.
#[derive(Template, WebTemplate)]
#[template(path = "auth/check_inbox.html")]
struct CheckInboxPage {
    layout: Layout,
    email: String,
}

#[derive(Deserialize)]
pub struct SignupForm {
    email: String,
    password: String,
    workspace: String,
}

pub async fn signup_form(visitor: Visitor) -> Response {
    if visitor.0.session.is_some() {
        return Redirect::to("/dashboard").into_response();
    }
    SignupPage {
        layout: visitor.layout(),
        email: String::new(),
        workspace: String::new(),
        error: None,
    }
    .into_response()
}

/// Creates the user, their workspace on the free plan and their ownership of it in one
/// transaction, then signs them in. A taken address gets a page that does not say so.
pub async fn signup(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<SignupForm>,
) -> Result<Response, WebError> {
    let refuse = |error: String| {
        let page = SignupPage {
            layout: visitor.layout(),
            email: form.email.clone(),
            workspace: form.workspace.clone(),
            error: Some(error),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let (email, password, name) = match (
        EmailAddress::parse(&form.email),
        Password::parse(&form.password),
        WorkspaceName::parse(&form.workspace),
    ) {
        (Ok(email), Ok(password), Ok(name)) => (email, password, name),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return refuse(e.to_string()),
    };
    // Before the hash: each sign-up costs one.
    reserve_sign_up(&state.db, visitor.0.client_ip).await?;
    let password_hash = state.passwords.hash(password).await?;
    let user = UserId::new();

    let mut tx = vw_store::begin(&state.db).await?;
    match vw_store::users::insert(&mut *tx, user, &email, &password_hash).await {
        Err(StoreError::Duplicate(constraint)) => match form_error(&constraint) {
            Some(Taken::Field(_field, message)) => return refuse(message.into()),
            // As long as the answer for a new address, the password having been hashed all
            // the same, and nothing in it about the account.
            Some(Taken::Unsaid) => {
                let page = CheckInboxPage {
                    layout: visitor.layout(),
                    email: email.to_string(),
                };
                return Ok(page.into_response());
            }
            None => return Err(StoreError::Duplicate(constraint).into()),
        },
        other => other?,
    }
    let workspace = vw_app::workspaces::create(&mut tx, user, &name).await?;
    vw_store::commit(tx).await?;
    tracing::info!(%user, %workspace, "signed up");

    if let Some(previous) = &visitor.0.session {
        end_session(&state, &previous.token_hash).await?;
    }
    let cookie = start_session(&state, user, Some(workspace)).await?;
    Ok((CookieJar::new().add(cookie), Redirect::to("/dashboard")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn login_form(visitor: Visitor, Query(query): Query<NextQuery>) -> Response {
    let next = safe_next(query.next.as_deref()).to_owned();
    if visitor.0.session.is_some() {
        return Redirect::to(&next).into_response();
    }
    LoginPage {
        layout: visitor.layout(),
        email: String::new(),
        next,
        error: None,
    }
    .into_response()
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref()).to_owned();
    let refuse = || {
        let page = LoginPage {
            layout: visitor.layout(),
            email: form.email.clone(),
            next: next.clone(),
            error: Some("Wrong email or password.".into()),
        };
        Ok((StatusCode::UNAUTHORIZED, page).into_response())
    };
    let Ok(email) = EmailAddress::parse(&form.email) else {
        return refuse();
    };
    let throttle = LoginThrottle::new(&email, visitor.0.client_ip);
    throttle.reserve(&state.db).await?;

    let credentials = vw_store::users::credentials(&state.db, &email).await?;
    let matches = match Password::parse(&form.password) {
        Ok(password) => {
            let stored = credentials.as_ref().map(|c| c.password_hash.clone());
            state.passwords.verify(password, stored).await?
        }
        Err(_) => false,
    };
    let Some(user) = credentials.filter(|_| matches).map(|c| c.id) else {
        return refuse();
    };
    throttle.succeeded(&state.db).await?;

    if let Some(previous) = &visitor.0.session {
        end_session(&state, &previous.token_hash).await?;
    }
    let workspace = vw_store::workspaces::list_for_user(&state.db, user)
        .await?
        .first()
        .map(|m| m.workspace_id);
    let cookie = start_session(&state, user, workspace).await?;
    tracing::info!(%user, "signed in");
    Ok((CookieJar::new().add(cookie), Redirect::to(&next)).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    end_session(&state, &signed_in.session.token_hash).await?;
    let jar = CookieJar::new().add(session_cookie_cleared(state.config.https));
    Ok((
        jar,
        redirect_with_flash(&state, "/", notice("You have signed out.")),
    )
        .into_response())
}

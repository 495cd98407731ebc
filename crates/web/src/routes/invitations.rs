//! Inviting people by email: the inviter gets a link to pass on (until email sending exists),
//! and whoever holds the link joins — as a new user, or signed in with the invited address.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::{Duration, Utc};
use serde::Deserialize;
use vw_domain::{EmailAddress, InvitationId, Password, Role, UserId};
use vw_store::StoreError;
use vw_store::invitations::{NewInvitation, Pending};

use super::settings::PATH;
use super::{Empty, notice, redirect_with_flash};
use crate::auth::{Admin, CsrfForm, SignedIn, Visitor, reserve_sign_up, start_session};
use crate::layout::{Flash, Layout};
use crate::{AppState, WebError};

/// Long enough to survive a weekend in an inbox.
const VALID_DAYS: i64 = 7;

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
    role: String,
}

pub async fn create(
    State(state): State<AppState>,
    Admin(member): Admin,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> Result<Response, WebError> {
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => email,
        Err(error) => return Ok(redirect_with_flash(&state, PATH, notice(error.to_string()))),
    };
    let role = Role::parse(&form.role)?;
    if role > member.role {
        return Err(WebError::Forbidden(
            "You cannot invite someone with a higher role than yours.",
        ));
    }
    let members = vw_store::memberships::list(&state.db, member.workspace).await?;
    if members.iter().any(|m| m.email == email.as_str()) {
        let message = format!("{email} is already a member.");
        return Ok(redirect_with_flash(&state, PATH, notice(message)));
    }
    let token = crate::auth::new_token()?;
    vw_store::invitations::insert(
        &state.db,
        NewInvitation {
            id: InvitationId::new(),
            workspace: member.workspace,
            email: &email,
            role,
            token_hash: &crate::auth::token_hash(&token),
            invited_by: member.user(),
            expires_at: Utc::now() + Duration::days(VALID_DAYS),
        },
    )
    .await?;
    let flash = Flash {
        message: format!(
            "Invitation created. Send this link to {email}; it works once, for {VALID_DAYS} days:"
        ),
        link: Some(format!("{}/invite/{token}", state.config.base_url)),
    };
    Ok(redirect_with_flash(&state, PATH, flash))
}

pub async fn revoke(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let id = id
        .parse()
        .map(InvitationId)
        .map_err(|_| WebError::NotFound)?;
    vw_store::invitations::revoke(&state.db, member.workspace, id).await?;
    Ok(redirect_with_flash(
        &state,
        PATH,
        notice("Invitation revoked."),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "invitations/show.html")]
struct InvitationPage {
    layout: Layout,
    invitation: Pending,
    token: String,
    next: String,
    view: View,
    error: Option<String>,
}

/// What the holder of the link can do, depending on who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    /// Signed in with the invited address.
    Accept,
    /// Signed in as someone else.
    WrongAccount,
    /// Not signed in; the invited address has an account.
    SignIn,
    /// Not signed in; no account yet.
    SignUp,
}

async fn pending(state: &AppState, token: &str) -> Result<Pending, WebError> {
    vw_store::invitations::find_pending(&state.db, &crate::auth::token_hash(token))
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let invitation = pending(&state, &token).await?;
    let view = match &visitor.0.session {
        Some(session) if session.record.email == invitation.email => View::Accept,
        Some(_) => View::WrongAccount,
        None => {
            let email = EmailAddress::parse(&invitation.email)?;
            if vw_store::users::credentials(&state.db, &email)
                .await?
                .is_some()
            {
                View::SignIn
            } else {
                View::SignUp
            }
        }
    };
    Ok(InvitationPage {
        layout: visitor.layout(),
        next: format!("/invite/{token}"),
        invitation,
        token,
        view,
        error: None,
    }
    .into_response())
}

/// A signed-in user with the invited address joins.
pub async fn accept(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let invitation = pending(&state, &token).await?;
    signed_in.require_email(&invitation.email).map_err(|_| {
        WebError::Forbidden("This invitation was sent to another address: sign in with it.")
    })?;
    let mut tx = vw_store::begin(&state.db).await?;
    join(&mut tx, &invitation, signed_in.user()).await?;
    vw_store::sessions::set_workspace(
        &mut *tx,
        &signed_in.session.token_hash,
        Some(invitation.workspace_id),
    )
    .await?;
    vw_store::commit(tx).await?;
    let message = format!("You joined {}.", invitation.workspace_name);
    Ok(redirect_with_flash(&state, "/dashboard", notice(message)))
}

#[derive(Deserialize)]
pub struct SignUpForm {
    password: String,
}

/// Someone without an account creates one with the invited address and joins.
pub async fn sign_up_and_accept(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<SignUpForm>,
) -> Result<Response, WebError> {
    let invitation = pending(&state, &token).await?;
    let refuse = |view: View, error: &str| {
        let page = InvitationPage {
            layout: visitor.layout(),
            next: format!("/invite/{token}"),
            invitation: invitation.clone(),
            token: token.clone(),
            view,
            error: Some(error.to_owned()),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let password = match Password::parse(&form.password) {
        Ok(password) => password,
        Err(error) => return refuse(View::SignUp, &error.to_string()),
    };
    let email = EmailAddress::parse(&invitation.email)?;
    // Before the hash: each sign-up costs one.
    reserve_sign_up(&state.db, visitor.0.client_ip).await?;
    let password_hash = state.passwords.hash(password).await?;
    let user = UserId::new();
    let mut tx = vw_store::begin(&state.db).await?;
    match vw_store::users::insert(&mut *tx, user, &email, &password_hash).await {
        Err(StoreError::Duplicate(_)) => {
            return refuse(
                View::SignIn,
                "This address already has an account: sign in to accept.",
            );
        }
        other => other?,
    }
    join(&mut tx, &invitation, user).await?;
    vw_store::commit(tx).await?;
    tracing::info!(%user, workspace = %invitation.workspace_id, "signed up by invitation");
    let cookie = start_session(&state, user, Some(invitation.workspace_id)).await?;
    Ok((CookieJar::new().add(cookie), Redirect::to("/dashboard")).into_response())
}

/// Uses the invitation (once: a second use finds it accepted) and adds the membership.
async fn join(
    tx: &mut vw_store::Transaction<'static, vw_store::Postgres>,
    invitation: &Pending,
    user: UserId,
) -> Result<(), WebError> {
    vw_store::invitations::accept(&mut **tx, invitation.id, user).await?;
    vw_store::memberships::insert(&mut **tx, invitation.workspace_id, user, invitation.role)
        .await?;
    Ok(())
}

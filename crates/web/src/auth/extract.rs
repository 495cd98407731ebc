//! Extractors that say who is asking: anyone ([`Visitor`]), a signed-in user ([`SignedIn`]), a
//! member of the workspace being looked at ([`Member`]), or one with a role that a route needs
//! ([`Admin`], [`Owner`]). The workspace always comes from the session, never from a form or
//! a path; a role requirement is a handler's argument, never a check in its body.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use vw_domain::{Role, UserId, WorkspaceId};

use super::context::{ActiveSession, RequestContext};
use crate::layout::{Layout, WorkspaceTab};
use crate::{AppState, WebError};

/// Anyone, signed in or not.
pub struct Visitor(pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .map(Visitor)
            .ok_or_else(|| WebError::bug("request context middleware missing"))
    }
}

impl Visitor {
    pub fn layout(&self) -> Layout {
        Layout {
            csrf_token: self.0.csrf_token().to_owned(),
            user_email: self.0.session.as_ref().map(|s| s.record.email.clone()),
            flash: self.0.flash.clone(),
            ..Layout::default()
        }
    }
}

/// A signed-in user; anyone else is sent to the sign-in page and back.
pub struct SignedIn {
    pub context: RequestContext,
    pub session: Arc<ActiveSession>,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Visitor(context) = Visitor::from_request_parts(parts, state).await?;
        match context.session.clone() {
            Some(session) => Ok(SignedIn { context, session }),
            None => Err(WebError::SignInRequired {
                next: parts
                    .uri
                    .path_and_query()
                    .map_or("/dashboard", |p| p.as_str())
                    .to_owned(),
            }),
        }
    }
}

impl SignedIn {
    pub fn user(&self) -> UserId {
        self.session.record.user_id
    }

    pub fn email(&self) -> &str {
        &self.session.record.email
    }

    /// The page frame for a signed-in user outside any workspace (creating one).
    pub fn layout(&self) -> Layout {
        Layout {
            csrf_token: self.context.csrf_token().to_owned(),
            user_email: Some(self.email().to_owned()),
            flash: self.context.flash.clone(),
            ask_time_zone: self.session.record.time_zone.is_none(),
            ..Layout::default()
        }
    }

    /// `Forbidden` unless signed in with exactly this (stored, lower-case) address.
    pub fn require_email(&self, email: &str) -> Result<(), WebError> {
        if self.email() == email {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "You are signed in with another email address.",
            ))
        }
    }
}

/// A signed-in member of the workspace their session is looking at. If that workspace is
/// gone or they were removed from it, the session moves to another of theirs; with none
/// left they are sent to create one.
pub struct Member {
    pub signed_in: SignedIn,
    pub workspace: WorkspaceId,
    pub workspace_name: String,
    pub role: Role,
    others: Vec<WorkspaceTab>,
}

impl FromRequestParts<AppState> for Member {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        let memberships = vw_store::workspaces::list_for_user(&state.db, signed_in.user()).await?;
        let wanted = signed_in.session.record.workspace_id;
        let current = memberships
            .iter()
            .find(|m| Some(m.workspace_id) == wanted)
            .or_else(|| memberships.first())
            .cloned()
            .ok_or(WebError::NoWorkspace)?;
        if wanted != Some(current.workspace_id) {
            vw_store::sessions::set_workspace(
                &state.db,
                &signed_in.session.token_hash,
                Some(current.workspace_id),
            )
            .await?;
        }
        let others = memberships
            .into_iter()
            .filter(|m| m.workspace_id != current.workspace_id)
            .map(|m| WorkspaceTab {
                id: m.workspace_id,
                name: m.name,
            })
            .collect();
        Ok(Member {
            signed_in,
            workspace: current.workspace_id,
            workspace_name: current.name,
            role: current.role,
            others,
        })
    }
}

impl Member {
    pub fn user(&self) -> UserId {
        self.signed_in.user()
    }

    pub fn layout(&self) -> Layout {
        let context = &self.signed_in.context;
        Layout {
            csrf_token: context.csrf_token().to_owned(),
            user_email: Some(self.signed_in.email().to_owned()),
            workspace: Some(WorkspaceTab {
                id: self.workspace,
                name: self.workspace_name.clone(),
            }),
            other_workspaces: self.others.clone(),
            flash: context.flash.clone(),
            ask_time_zone: self.signed_in.session.record.time_zone.is_none(),
        }
    }
}

/// A member whose role is admin or owner: settings, invitations.
pub struct Admin(pub Member);

impl FromRequestParts<AppState> for Admin {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let member = Member::from_request_parts(parts, state).await?;
        if member.role.can_administer() {
            Ok(Admin(member))
        } else {
            Err(WebError::Forbidden(
                "Only the workspace's admins and owners can do that.",
            ))
        }
    }
}

/// A member whose role is owner: changing roles, removing members.
pub struct Owner(pub Member);

impl FromRequestParts<AppState> for Owner {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let member = Member::from_request_parts(parts, state).await?;
        if member.role.can_manage_members() {
            Ok(Owner(member))
        } else {
            Err(WebError::Forbidden(
                "Only the workspace's owners can do that.",
            ))
        }
    }
}

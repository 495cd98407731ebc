//! The calendar feed's settings (`/settings/calendar`): the workspace's subscription links
//! for every member, and making, rotating and revoking the feed for its admins. A rotated
//! or revoked URL answers 404 from the next request on.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;

use super::{Empty, notice, redirect_with_flash};
use crate::auth::{Admin, CsrfForm, Member};
use crate::layout::Layout;
use crate::{AppState, WebError};

pub const PATH: &str = "/settings/calendar";

#[derive(Template, WebTemplate)]
#[template(path = "settings/calendar.html")]
pub struct FeedPage {
    layout: Layout,
    links: Option<Links>,
    can_administer: bool,
}

/// The feed's URL as each kind of calendar app takes it.
struct Links {
    https: String,
    webcal: String,
    google: String,
}

impl Links {
    fn new(base_url: &str, token: &str) -> Self {
        let https = format!("{base_url}/calendar/{token}.ics");
        let webcal = match https.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => https.clone(),
        };
        let google = format!(
            "https://calendar.google.com/calendar/render?cid={}",
            form_urlencoded::byte_serialize(webcal.as_bytes()).collect::<String>()
        );
        Links {
            https,
            webcal,
            google,
        }
    }
}

pub async fn show(State(state): State<AppState>, member: Member) -> Result<FeedPage, WebError> {
    let token =
        vw_app::calendar_feed::token(&state.db, &state.config.secrets, member.workspace).await?;
    Ok(FeedPage {
        layout: member.layout(),
        links: token.map(|t| Links::new(&state.config.base_url, &t)),
        can_administer: member.role.can_administer(),
    })
}

/// Makes the feed, or gives it a new URL (the old one stops working).
pub async fn rotate(
    State(state): State<AppState>,
    Admin(member): Admin,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    vw_app::calendar_feed::rotate(
        &state.db,
        &state.config.secrets,
        member.workspace,
        Utc::now(),
    )
    .await?;
    Ok(redirect_with_flash(
        &state,
        PATH,
        notice("The calendar feed has a new address; the old one no longer works."),
    ))
}

pub async fn revoke(
    State(state): State<AppState>,
    Admin(member): Admin,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    vw_app::calendar_feed::revoke(&state.db, member.workspace).await?;
    Ok(redirect_with_flash(
        &state,
        PATH,
        notice("The calendar feed is switched off; its address no longer works."),
    ))
}

//! A group's delivery log, one channel's page (its deliveries, each with its attempts), and
//! what is done to a channel: removing it, sending it a test (queued: the web makes no
//! outbound call; the result appears in the log when the worker has tried).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use vw_domain::{ChannelId, GroupId};
use vw_store::deliveries::{AttemptLine, LogLine};

use super::display::{When, label};
use super::group::parse_id as parse_group;
use super::groups::ChannelLine;
use super::{Empty, notice, redirect_with_flash};
use crate::auth::{Admin, CsrfForm, Member};
use crate::layout::Layout;
use crate::{AppState, WebError};

/// Lines on a log page.
const LOG_LINES: i64 = 100;
/// Deliveries whose attempts a channel page lists.
const CHANNEL_LINES: i64 = 30;

#[derive(Template, WebTemplate)]
#[template(path = "groups/log.html")]
pub struct LogPage {
    layout: Layout,
    group_href: String,
    group_name: String,
    lines: Vec<Line>,
}

#[derive(Template, WebTemplate)]
#[template(path = "groups/channel.html")]
pub struct ChannelPage {
    layout: Layout,
    group_href: String,
    group_name: String,
    channel: ChannelLine,
    can_change: bool,
    lines: Vec<Line>,
}

/// One delivery as a log shows it.
pub struct Line {
    at: When,
    what: String,
    channel: String,
    channel_href: String,
    state: &'static str,
    state_label: String,
    attempts: i32,
    last_status: Option<i32>,
    last_error: Option<String>,
    next_attempt: Option<When>,
    tries: Vec<Try>,
}

/// One attempt of a delivery.
pub struct Try {
    number: i32,
    at: When,
    outcome: String,
    status: Option<i32>,
    detail: String,
    duration_ms: i32,
}

impl Line {
    fn new(group: GroupId, line: LogLine, tries: Vec<AttemptLine>) -> Self {
        let what = match (&line.subject, &line.event_kind) {
            (Some(subject), Some(kind)) => format!("{}: {subject}", label(kind)),
            (Some(subject), None) => subject.clone(),
            (None, Some(kind)) => label(kind),
            (None, None) => "Test message".to_owned(),
        };
        Line {
            at: When::new(line.created_at),
            what,
            channel: line.channel,
            channel_href: format!("/groups/{group}/channels/{}", line.channel_id),
            state: line.state.as_str(),
            state_label: label(line.state.as_str()),
            attempts: line.attempts,
            last_status: line.last_status,
            last_error: line.last_error,
            next_attempt: When::of(line.next_attempt_at).filter(|_| !line.state.is_final()),
            tries: tries
                .into_iter()
                .map(|t| Try {
                    number: t.attempt,
                    at: When::new(t.at),
                    outcome: label(&t.outcome),
                    status: t.status,
                    detail: t.detail,
                    duration_ms: t.duration_ms,
                })
                .collect(),
        }
    }
}

fn parse_channel(id: &str) -> Result<ChannelId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn log(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<LogPage, WebError> {
    let id = parse_group(&id)?;
    let group = vw_store::groups::get(&state.db, member.workspace, id).await?;
    let lines = vw_store::deliveries::log(&state.db, member.workspace, id, None, None, LOG_LINES)
        .await?
        .into_iter()
        .map(|l| Line::new(id, l, Vec::new()))
        .collect();
    Ok(LogPage {
        layout: member.layout(),
        group_href: format!("/groups/{id}"),
        group_name: group.name,
        lines,
    })
}

pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((group, channel)): Path<(String, String)>,
) -> Result<ChannelPage, WebError> {
    let group = parse_group(&group)?;
    let channel = parse_channel(&channel)?;
    let found = vw_store::channels::get(&state.db, member.workspace, channel).await?;
    if found.group_id != group {
        return Err(WebError::NotFound);
    }
    let group_row = vw_store::groups::get(&state.db, member.workspace, group).await?;
    let log = vw_store::deliveries::log(
        &state.db,
        member.workspace,
        group,
        Some(channel),
        None,
        CHANNEL_LINES,
    )
    .await?;
    let mut lines = Vec::with_capacity(log.len());
    for line in log {
        let tries = vw_store::deliveries::attempts(&state.db, member.workspace, line.id).await?;
        lines.push(Line::new(group, line, tries));
    }
    Ok(ChannelPage {
        layout: member.layout(),
        group_href: format!("/groups/{group}"),
        group_name: group_row.name,
        channel: ChannelLine::new(&found),
        can_change: member.role.can_administer(),
        lines,
    })
}

/// The channel's group page, after checking the channel is the workspace's.
async fn group_of(
    state: &AppState,
    member: &Member,
    channel: ChannelId,
) -> Result<String, WebError> {
    let found = vw_store::channels::get(&state.db, member.workspace, channel).await?;
    Ok(format!("/groups/{}", found.group_id))
}

pub async fn remove(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let channel = parse_channel(&id)?;
    let back = group_of(&state, &member, channel).await?;
    vw_app::channels::remove(&state.db, member.workspace, channel).await?;
    Ok(redirect_with_flash(&state, &back, notice("Removed.")))
}

pub async fn send_test(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let channel = parse_channel(&id)?;
    let back = group_of(&state, &member, channel).await?;
    vw_app::channels::send_test(&state.db, member.workspace, channel).await?;
    Ok(redirect_with_flash(
        &state,
        &back,
        notice(
            "Test message queued. Its result appears beside the channel when it comes back: \
             reload in a few seconds.",
        ),
    ))
}

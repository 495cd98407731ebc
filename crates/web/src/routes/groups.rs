//! The workspace's notification groups (`/groups`): each with its channels, filters and
//! scope; creating one; and the workspace-wide switch that pauses every alert.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use vw_domain::{GroupFilters, GroupName};
use vw_store::channels::{Channel, Kind};
use vw_store::groups::Group;

use super::display::When;
use super::{Empty, notice, redirect_with_flash};
use crate::auth::{Admin, CsrfForm, Member};
use crate::layout::Layout;
use crate::{AppState, WebError};

pub const PATH: &str = "/groups";

#[derive(Template, WebTemplate)]
#[template(path = "groups/index.html")]
pub struct GroupsPage {
    layout: Layout,
    groups: Vec<GroupCard>,
    can_change: bool,
    paused_since: Option<When>,
    held: i64,
}

/// One group as the list shows it.
pub struct GroupCard {
    pub href: String,
    pub name: String,
    pub is_default: bool,
    pub filters: String,
    pub scope: String,
    pub channels: Vec<ChannelLine>,
}

/// One channel as pages show it: never its secret.
pub struct ChannelLine {
    pub id: vw_domain::ChannelId,
    pub href: String,
    pub kind: &'static str,
    /// The address, or the integration's masked URL.
    pub target: String,
    /// `verified`, `unverified`, `broken`, `failing` or `ok`: the CSS class too.
    pub status: &'static str,
    pub status_label: &'static str,
    pub broken_reason: Option<String>,
}

impl ChannelLine {
    pub fn new(channel: &Channel) -> Self {
        let (status, status_label) = if channel.broken_at.is_some() {
            ("broken", "Broken")
        } else if channel.is_failing() {
            ("failing", "Failing")
        } else if channel.kind == Kind::Email && channel.verified_at.is_none() {
            ("unverified", "Unverified")
        } else if channel.kind == Kind::Email {
            ("verified", "Verified")
        } else {
            ("ok", "Working")
        };
        ChannelLine {
            id: channel.id,
            href: format!("/groups/{}/channels/{}", channel.group_id, channel.id),
            kind: kind_label(channel.kind),
            target: channel.masked.clone(),
            status,
            status_label,
            broken_reason: channel.broken_reason.clone(),
        }
    }
}

pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Email => "E-mail",
        Kind::Slack => "Slack",
        Kind::Discord => "Discord",
        Kind::Teams => "Microsoft Teams",
        Kind::Webhook => "Webhook",
    }
}

/// "Major, minor · opened, resolved · postmortems": what a group lets through, in a line.
pub fn filters_summary(filters: &GroupFilters) -> String {
    let list = |words: Vec<&str>, none: &str| {
        if words.is_empty() {
            none.to_owned()
        } else {
            words.join(", ")
        }
    };
    let mut parts = vec![
        list(
            filters.severities.iter().map(|s| s.as_str()).collect(),
            "no severity",
        ),
        list(
            filters.events.iter().map(|e| e.as_str()).collect(),
            "no change",
        ),
    ];
    if filters.postmortems {
        parts.push("postmortems".into());
    }
    if filters.page_health {
        parts.push("status page unreadable / readable again".into());
    }
    super::display::label(&parts.join(" · "))
}

pub fn scope_summary(group: &Group) -> String {
    match &group.scope {
        None => "All monitors".into(),
        Some(chosen) if chosen.len() == 1 => "1 chosen monitor".into(),
        Some(chosen) => format!("{} chosen monitors", chosen.len()),
    }
}

pub async fn index(State(state): State<AppState>, member: Member) -> Result<GroupsPage, WebError> {
    let groups = vw_store::groups::list(&state.db, member.workspace).await?;
    let channels = vw_store::channels::list(&state.db, member.workspace).await?;
    let pause = vw_app::alerts::pause_state(&state.db, member.workspace).await?;
    let groups = groups
        .iter()
        .map(|g| GroupCard {
            href: format!("/groups/{}", g.id),
            name: g.name.clone(),
            is_default: g.is_default,
            filters: filters_summary(&g.filters),
            scope: scope_summary(g),
            channels: channels
                .iter()
                .filter(|c| c.group_id == g.id)
                .map(ChannelLine::new)
                .collect(),
        })
        .collect();
    Ok(GroupsPage {
        layout: member.layout(),
        groups,
        can_change: member.role.can_administer(),
        paused_since: When::of(pause.since),
        held: pause.held,
    })
}

#[derive(Deserialize)]
pub struct CreateForm {
    name: String,
}

/// A new group starts with the product's default filters, for every monitor, and no channels.
pub async fn create(
    State(state): State<AppState>,
    Admin(member): Admin,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<Response, WebError> {
    let settings = vw_app::groups::Settings {
        name: GroupName::parse(&form.name)?,
        filters: GroupFilters::default(),
    };
    let group = vw_app::groups::create(&state.db, member.workspace, &settings).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/groups/{group}"),
        notice("Group created. Add its recipients and integrations below."),
    ))
}

pub async fn pause(
    State(state): State<AppState>,
    Admin(member): Admin,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    vw_app::alerts::pause(&state.db, member.workspace).await?;
    Ok(redirect_with_flash(
        &state,
        PATH,
        notice(
            "Alerts paused: new alerts are held, not sent. When you resume, the held ones are \
             discarded.",
        ),
    ))
}

pub async fn resume(
    State(state): State<AppState>,
    Admin(member): Admin,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let discarded = vw_app::alerts::resume(&state.db, member.workspace).await?;
    let s = if discarded == 1 { "" } else { "s" };
    Ok(redirect_with_flash(
        &state,
        PATH,
        notice(format!(
            "Alerts resumed. {discarded} held alert{s} discarded; new alerts are sent again."
        )),
    ))
}

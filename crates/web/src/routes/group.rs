//! One notification group: its name and filters, its scope, its channels (adding a
//! recipient or an integration) and deleting it. Its admins and owners change it; every
//! member reads it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vw_domain::{GroupFilters, GroupId, GroupName, MonitorId, Severity};
use vw_notify::ChannelKind;
use vw_store::deliveries::LogLine;

use super::display::label;
use super::groups::{ChannelLine, filters_summary, scope_summary};
use super::{Empty, notice, redirect_with_flash};
use crate::auth::{Admin, CsrfForm, Member};
use crate::layout::Layout;
use crate::{AppState, WebError};

/// Deliveries read to find each channel's latest one.
const RECENT: i64 = 200;

#[derive(Template, WebTemplate)]
#[template(path = "groups/show.html")]
pub struct GroupPage {
    layout: Layout,
    id: GroupId,
    name: String,
    is_default: bool,
    can_change: bool,
    summary: String,
    scope_summary: String,
    severities: Vec<FilterBox>,
    events: Vec<FilterBox>,
    postmortems: bool,
    page_health: bool,
    all_monitors: bool,
    monitors: Vec<MonitorBox>,
    channels: Vec<ChannelRow>,
    /// A webhook's signing secret, on the answer to adding it only.
    new_secret: Option<String>,
    kinds: [(&'static str, &'static str); 4],
}

/// One severity's or one event class's checkbox: an alert passes when both its severity's
/// and its class's are on.
pub struct FilterBox {
    value: &'static str,
    label: String,
    checked: bool,
}

pub struct MonitorBox {
    id: MonitorId,
    name: String,
    chosen: bool,
}

pub struct ChannelRow {
    line: ChannelLine,
    /// How its newest delivery stands: the answer to "send test".
    latest: Option<Latest>,
}

pub struct Latest {
    state: &'static str,
    state_label: String,
    what: String,
    detail: Option<String>,
}

impl Latest {
    fn of(line: &LogLine) -> Self {
        Latest {
            state: line.state.as_str(),
            state_label: label(line.state.as_str()),
            what: line.subject.clone().unwrap_or_else(|| {
                line.event_kind
                    .as_deref()
                    .map_or_else(|| "Test message".to_owned(), label)
            }),
            detail: line.last_error.clone(),
        }
    }
}

pub fn parse_id(id: &str) -> Result<GroupId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

fn path(id: GroupId) -> String {
    format!("/groups/{id}")
}

pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<GroupPage, WebError> {
    page(&state, &member, parse_id(&id)?, None).await
}

async fn page(
    state: &AppState,
    member: &Member,
    id: GroupId,
    new_secret: Option<String>,
) -> Result<GroupPage, WebError> {
    let group = vw_store::groups::get(&state.db, member.workspace, id).await?;
    let channels = vw_store::channels::list(&state.db, member.workspace).await?;
    let log =
        vw_store::deliveries::log(&state.db, member.workspace, id, None, None, RECENT).await?;
    let monitors = vw_store::dashboard::monitors(&state.db, member.workspace).await?;
    let severities = Severity::ALL
        .iter()
        .map(|s| FilterBox {
            value: s.as_str(),
            label: label(s.as_str()),
            checked: group.filters.severities.contains(s),
        })
        .collect();
    let events = GroupFilters::EVENTS
        .iter()
        .map(|e| FilterBox {
            value: e.as_str(),
            label: label(e.as_str()),
            checked: group.filters.events.contains(e),
        })
        .collect();
    let chosen = group.scope.clone().unwrap_or_default();
    Ok(GroupPage {
        layout: member.layout(),
        id,
        name: group.name.clone(),
        is_default: group.is_default,
        can_change: member.role.can_administer(),
        summary: filters_summary(&group.filters),
        scope_summary: scope_summary(&group),
        severities,
        events,
        postmortems: group.filters.postmortems,
        page_health: group.filters.page_health,
        all_monitors: group.scope.is_none(),
        monitors: monitors
            .into_iter()
            .map(|m| MonitorBox {
                chosen: chosen.contains(&m.id),
                id: m.id,
                name: m.name,
            })
            .collect(),
        channels: channels
            .iter()
            .filter(|c| c.group_id == id)
            .map(|c| ChannelRow {
                line: ChannelLine::new(c),
                latest: log.iter().find(|l| l.channel_id == c.id).map(Latest::of),
            })
            .collect(),
        new_secret,
        kinds: [
            ("slack", "Slack"),
            ("discord", "Discord"),
            ("teams", "Microsoft Teams (Workflows)"),
            ("webhook", "Webhook (signed)"),
        ],
    })
}

/// Renames the group and sets its filters from `severity` and `event` checkboxes (repeated),
/// `postmortems` and `page_health`.
pub async fn update(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let name = pairs
        .iter()
        .find(|(k, _)| k == "name")
        .map_or("", |(_, v)| v.as_str());
    let values = |name: &'static str| {
        pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let flag = |name: &str| pairs.iter().any(|(k, _)| k == name);
    let settings = vw_app::groups::Settings {
        name: GroupName::parse(name)?,
        filters: GroupFilters::parse(
            values("severity"),
            values("event"),
            flag("postmortems"),
            flag("page_health"),
        )?,
    };
    vw_app::groups::update(&state.db, member.workspace, id, &settings).await?;
    Ok(redirect_with_flash(
        &state,
        &path(id),
        notice("Group saved."),
    ))
}

/// `scope=all`, or `scope=chosen` with `monitor` values (repeated).
pub async fn set_scope(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let monitors = if pairs.iter().any(|(k, v)| k == "scope" && v == "all") {
        None
    } else {
        Some(
            pairs
                .iter()
                .filter(|(k, _)| k == "monitor")
                .map(|(_, v)| v.parse::<MonitorId>().map_err(|_| WebError::NotFound))
                .collect::<Result<Vec<_>, _>>()?,
        )
    };
    vw_app::groups::set_scope(&state.db, member.workspace, id, monitors.as_deref()).await?;
    Ok(redirect_with_flash(
        &state,
        &path(id),
        notice("Scope saved."),
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    vw_app::groups::delete(&state.db, member.workspace, parse_id(&id)?).await?;
    Ok(redirect_with_flash(
        &state,
        super::groups::PATH,
        notice("Group deleted, with its channels and their delivery log."),
    ))
}

#[derive(Deserialize)]
pub struct RecipientForm {
    email: String,
}

pub async fn add_recipient(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RecipientForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    vw_app::channels::add_recipient(&state.db, member.workspace, id, &form.email).await?;
    Ok(redirect_with_flash(
        &state,
        &path(id),
        notice(
            "Recipient added. A confirmation e-mail is on its way; nothing else is sent to \
             the address until its owner opens the link in it.",
        ),
    ))
}

#[derive(Deserialize)]
pub struct IntegrationForm {
    kind: String,
    url: String,
}

/// Adds the integration. The answer is the group page itself, not a redirect: a webhook's
/// signing secret is on it this once, and must not travel in a cookie or be kept anywhere
/// to show it again.
pub async fn add_integration(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<IntegrationForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let kind = match form.kind.as_str() {
        "slack" => ChannelKind::Slack,
        "discord" => ChannelKind::Discord,
        "teams" => ChannelKind::Teams,
        "webhook" => ChannelKind::Webhook,
        _ => {
            return Err(WebError::BadRequest(
                "Choose the kind of integration.".into(),
            ));
        }
    };
    let config = &state.config;
    let added = vw_app::channels::add_integration(
        &state.db,
        &config.secrets,
        config.target_rules,
        member.workspace,
        id,
        kind,
        &form.url,
    )
    .await?;
    match added.webhook_secret {
        None => Ok(redirect_with_flash(
            &state,
            &path(id),
            notice("Integration added. Use \"Send test\" to check it."),
        )),
        Some(secret) => Ok(page(&state, &member, id, Some(secret))
            .await?
            .into_response()),
    }
}

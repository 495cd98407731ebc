//! One monitor: its provider's components by group, with their status and the filter that
//! chooses which count; pausing, resuming and deleting (with a confirmation step).

use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use vw_domain::{ComponentFilter, FilterableComponent, MonitorId};
use vw_store::directory::Component;
use vw_store::monitors::Monitor;

use super::display::{When, label, provider_state, status_class};
use super::{Empty, notice, redirect_with_flash};
use crate::auth::{CsrfForm, Member};
use crate::layout::Layout;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "monitors/show.html")]
pub struct MonitorPage {
    layout: Layout,
    id: MonitorId,
    name: String,
    provider_href: String,
    state: String,
    state_class: &'static str,
    paused: bool,
    all: bool,
    last_checked: Option<When>,
    groups: Vec<GroupBox>,
    /// Chosen components the vendor no longer lists.
    gone: Vec<String>,
}

pub struct GroupBox {
    /// `None` for components outside any group.
    name: Option<String>,
    chosen: bool,
    components: Vec<ComponentBox>,
}

pub struct ComponentBox {
    id: String,
    name: String,
    status: String,
    class: &'static str,
    chosen: bool,
    /// Watched through the filter (chosen itself, or its group is).
    watched: bool,
}

fn parse_id(id: &str) -> Result<MonitorId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<MonitorPage, WebError> {
    let monitor = vw_store::monitors::get(&state.db, member.workspace, parse_id(&id)?).await?;
    let provider = vw_store::directory::provider_by_slug(&state.db, &monitor.provider_slug).await?;
    let components = vw_store::directory::components(&state.db, monitor.provider_id).await?;
    let worst = monitor.filter.worst(&components);
    let (state_label, state_class) = if monitor.paused {
        ("Paused".to_owned(), "unknown")
    } else {
        provider_state(
            provider.unreachable,
            provider.last_checked_at.is_some(),
            worst,
        )
    };
    Ok(MonitorPage {
        layout: member.layout(),
        provider_href: format!("/providers/{}", monitor.provider_slug),
        state: state_label,
        state_class,
        paused: monitor.paused,
        all: monitor.filter.is_all(),
        last_checked: When::of(provider.last_checked_at),
        groups: boxes(&monitor, &components),
        gone: gone(&monitor, &components),
        id: monitor.id,
        name: monitor.provider_name,
    })
}

/// The components in the vendor's order, gathered under their groups.
fn boxes(monitor: &Monitor, components: &[Component]) -> Vec<GroupBox> {
    let (chosen_groups, chosen_components) = match &monitor.filter {
        ComponentFilter::All => (BTreeSet::new(), BTreeSet::new()),
        ComponentFilter::Chosen { groups, components } => (groups.clone(), components.clone()),
    };
    let mut groups: Vec<GroupBox> = Vec::new();
    for component in components {
        let group = component.group.clone();
        let at = match groups.iter().position(|g| g.name == group) {
            Some(at) => at,
            None => {
                groups.push(GroupBox {
                    chosen: group.as_ref().is_some_and(|g| chosen_groups.contains(g)),
                    name: group,
                    components: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let status = component.status();
        groups[at].components.push(ComponentBox {
            id: component.vendor_id.clone(),
            name: component.name.clone(),
            status: status.map_or_else(|| "Unknown".to_owned(), |s| label(s.as_str())),
            class: status.map_or("unknown", status_class),
            chosen: chosen_components.contains(&component.vendor_id),
            watched: monitor.filter.watches(component),
        });
    }
    groups
}

fn gone(monitor: &Monitor, components: &[Component]) -> Vec<String> {
    match &monitor.filter {
        ComponentFilter::All => Vec::new(),
        ComponentFilter::Chosen {
            components: chosen, ..
        } => chosen
            .iter()
            .filter(|id| !components.iter().any(|c| &c.vendor_id == *id))
            .cloned()
            .collect(),
    }
}

/// Saves the component filter from the form's checkboxes: `all`, or `group` and
/// `component` values (repeated). A group's box selects its members.
pub async fn set_components(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let filter = if pairs.iter().any(|(k, v)| k == "scope" && v == "all") {
        ComponentFilter::All
    } else {
        let values = |name: &str| -> Vec<String> {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        ComponentFilter::chosen(values("group"), values("component"))
    };
    let path = format!("/monitors/{id}");
    match vw_app::monitors::set_filter(&state.db, member.workspace, id, filter).await {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &path,
            notice("Components saved."),
        )),
        Err(vw_app::AppError::Invalid(why)) => Err(WebError::BadRequest(why)),
        Err(error) => Err(error.into()),
    }
}

pub async fn pause(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    vw_app::monitors::set_paused(&state.db, member.workspace, id, true).await?;
    let message = "Paused: this monitor shows nothing new and alerts nobody until resumed.";
    Ok(redirect_with_flash(
        &state,
        &format!("/monitors/{id}"),
        notice(message),
    ))
}

pub async fn resume(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    vw_app::monitors::set_paused(&state.db, member.workspace, id, false).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/monitors/{id}"),
        notice("Resumed."),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "monitors/delete.html")]
pub struct DeletePage {
    layout: Layout,
    id: MonitorId,
    name: String,
}

/// The confirmation step before deleting.
pub async fn confirm_delete(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<DeletePage, WebError> {
    let monitor = vw_store::monitors::get(&state.db, member.workspace, parse_id(&id)?).await?;
    Ok(DeletePage {
        layout: member.layout(),
        id: monitor.id,
        name: monitor.provider_name,
    })
}

pub async fn delete(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    vw_app::monitors::delete(&state.db, member.workspace, id).await?;
    Ok(redirect_with_flash(
        &state,
        "/dashboard",
        notice("Monitor deleted."),
    ))
}

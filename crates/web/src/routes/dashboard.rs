//! The signed-in dashboard: the workspace's monitors, trouble first, each through its own
//! component filter; the search and URL forms that add them. `/dashboard/monitors` is the
//! list alone, which the page script fetches every 30 seconds.

use std::cmp::Reverse;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use chrono::Utc;
use std::collections::HashMap;

use vw_domain::{ComponentStatus, MonitorRequestId, ProviderId, Severity};
use vw_store::dashboard::{self, ComponentLine, MonitorLine, OpenIncident, UpcomingMaintenance};

use super::display::{When, label, provider_state};
use crate::auth::Member;
use crate::layout::Layout;
use crate::{AppState, WebError};

/// Search results shown under the search box.
const FOUND: i64 = 10;
const MAX_QUERY: usize = 200;

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/show.html")]
pub struct DashboardPage {
    layout: Layout,
    /// For the result forms (the included template reads it by this name).
    csrf_token: String,
    workspace: vw_store::workspaces::Workspace,
    monitor_count: usize,
    query: String,
    found: Vec<Found>,
    checking: Vec<Checking>,
    rows: Vec<Row>,
    refresh_seconds: u64,
    /// Channels that are broken or whose last delivery failed, for the banner.
    failing: Vec<FailingChannel>,
}

pub struct FailingChannel {
    group_href: String,
    target: String,
    kind: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/search.html")]
pub struct SearchFragment {
    csrf_token: String,
    query: String,
    found: Vec<Found>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/fragment.html")]
pub struct MonitorsFragment {
    rows: Vec<Row>,
}

pub struct Found {
    slug: String,
    name: String,
    monitored: bool,
}

pub struct Checking {
    id: MonitorRequestId,
    url: String,
}

/// One monitor as the dashboard shows it.
pub struct Row {
    id: vw_domain::MonitorId,
    name: String,
    state: String,
    state_class: &'static str,
    paused: bool,
    filtered: bool,
    last_checked: Option<When>,
    unreachable: Option<Option<When>>,
    incidents: Vec<IncidentItem>,
    maintenances: Vec<MaintenanceItem>,
    /// How much trouble: the list is sorted by it, then by name.
    trouble: u8,
}

pub struct IncidentItem {
    href: String,
    title: String,
    severity: &'static str,
    status: Option<String>,
    /// "for 2 h 5 min", from its start (or our first sight of it).
    since: String,
}

pub struct MaintenanceItem {
    title: String,
    status: Option<String>,
    starts: Option<When>,
    ends: Option<When>,
}

pub async fn show(
    State(state): State<AppState>,
    member: Member,
    RawQuery(raw): RawQuery,
) -> Result<DashboardPage, WebError> {
    let query = search_query(raw.as_deref())?;
    let workspace = vw_store::workspaces::get(&state.db, member.workspace).await?;
    let lines = dashboard::monitors(&state.db, member.workspace).await?;
    let monitored: Vec<ProviderId> = lines.iter().map(|l| l.provider_id).collect();
    let found = search(&state, &query, &monitored).await?;
    let checking = vw_store::monitors::checking_requests(&state.db, member.workspace)
        .await?
        .into_iter()
        .map(|r| Checking {
            id: r.id,
            url: r.url,
        })
        .collect();
    let failing = vw_store::channels::list(&state.db, member.workspace)
        .await?
        .into_iter()
        .filter(vw_store::channels::Channel::is_failing)
        .map(|c| FailingChannel {
            group_href: format!("/groups/{}", c.group_id),
            kind: super::groups::kind_label(c.kind),
            target: c.masked,
        })
        .collect();
    Ok(DashboardPage {
        failing,
        csrf_token: member.layout().csrf_token,
        layout: member.layout(),
        monitor_count: lines.len(),
        workspace,
        query,
        found,
        checking,
        rows: rows(&state, lines).await?,
        refresh_seconds: state.config.dashboard_refresh.as_secs().max(1),
    })
}

pub async fn fragment(
    State(state): State<AppState>,
    member: Member,
) -> Result<MonitorsFragment, WebError> {
    let lines = dashboard::monitors(&state.db, member.workspace).await?;
    Ok(MonitorsFragment {
        rows: rows(&state, lines).await?,
    })
}

/// The search box's results alone, for the page script (as the visitor types).
pub async fn search_fragment(
    State(state): State<AppState>,
    member: Member,
    RawQuery(raw): RawQuery,
) -> Result<SearchFragment, WebError> {
    let query = search_query(raw.as_deref())?;
    let monitored = vw_store::dashboard::monitored_providers(&state.db, member.workspace).await?;
    Ok(SearchFragment {
        csrf_token: member.layout().csrf_token,
        found: search(&state, &query, &monitored).await?,
        query,
    })
}

/// Providers matching `query` (name or address, typo-tolerant), marked when monitored.
async fn search(
    state: &AppState,
    query: &str,
    monitored: &[ProviderId],
) -> Result<Vec<Found>, WebError> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vw_store::directory::search(&state.db, query, FOUND, 0)
        .await?
        .into_iter()
        .map(|p| Found {
            monitored: monitored.contains(&p.id),
            slug: p.slug,
            name: p.name,
        })
        .collect())
}

/// `?q=` of the search form: trimmed, bounded, and free of control characters.
fn search_query(raw: Option<&str>) -> Result<String, WebError> {
    let q = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "q")
        .map(|(_, value)| value.trim().chars().take(MAX_QUERY).collect::<String>())
        .unwrap_or_default();
    if q.chars().any(char::is_control) {
        return Err(WebError::BadRequest(
            "A search cannot hold control characters.".into(),
        ));
    }
    Ok(q)
}

/// The rows of `lines`, trouble first: three statements for all monitors together.
async fn rows(state: &AppState, lines: Vec<MonitorLine>) -> Result<Vec<Row>, WebError> {
    let providers: Vec<ProviderId> = lines.iter().map(|l| l.provider_id).collect();
    let components = dashboard::components(&state.db, &providers).await?;
    let incidents = dashboard::open_incidents(&state.db, &providers).await?;
    let maintenances = dashboard::upcoming_maintenances(&state.db, &providers, Utc::now()).await?;
    let mut by_provider: HashMap<ProviderId, Vec<&ComponentLine>> = HashMap::new();
    for component in &components {
        by_provider
            .entry(component.provider_id)
            .or_default()
            .push(component);
    }
    let mut rows: Vec<Row> = lines
        .into_iter()
        .map(|line| {
            let own = by_provider
                .get(&line.provider_id)
                .map_or(&[][..], Vec::as_slice);
            row(line, own, &incidents, &maintenances)
        })
        .collect();
    rows.sort_by_key(|r| (Reverse(r.trouble), r.name.to_lowercase()));
    Ok(rows)
}

fn row(
    line: MonitorLine,
    own: &[&ComponentLine],
    incidents: &[OpenIncident],
    maintenances: &[UpcomingMaintenance],
) -> Row {
    let filter = &line.filter;
    let worst = filter.worst(own);
    let (state, state_class) = if line.paused {
        ("Paused".to_owned(), "unknown")
    } else {
        provider_state(line.unreachable, line.last_checked_at.is_some(), worst)
    };
    // A paused monitor shows nothing new.
    let incidents: Vec<IncidentItem> = if line.paused {
        Vec::new()
    } else {
        incidents
            .iter()
            .filter(|i| i.provider_id == line.provider_id && filter.touches(&i.components, own))
            .map(|i| IncidentItem {
                href: format!("/providers/{}/incidents/{}", line.slug, i.id),
                title: i.title.clone(),
                severity: Severity::of_impact(i.impact).as_str(),
                status: i.status.map(|s| label(s.as_str())),
                since: since(i.started_at.unwrap_or(i.detected_at)),
            })
            .collect()
    };
    let maintenances: Vec<MaintenanceItem> = if line.paused {
        Vec::new()
    } else {
        maintenances
            .iter()
            .filter(|m| m.provider_id == line.provider_id && filter.touches(&m.components, own))
            .map(|m| MaintenanceItem {
                title: m.title.clone(),
                status: m.status.map(|s| label(s.as_str())),
                starts: When::of(m.scheduled_for),
                ends: When::of(m.scheduled_until),
            })
            .collect()
    };
    let trouble = trouble(&line, worst, &incidents);
    Row {
        id: line.id,
        filtered: !filter.is_all(),
        last_checked: When::of(line.last_checked_at),
        unreachable: (line.unreachable && !line.paused).then(|| When::of(line.failing_since)),
        paused: line.paused,
        name: line.name,
        state,
        state_class,
        incidents,
        maintenances,
        trouble,
    }
}

/// Paused monitors last; an unreadable page first; then by the worst watched status and
/// whether incidents are open.
fn trouble(line: &MonitorLine, worst: Option<ComponentStatus>, incidents: &[IncidentItem]) -> u8 {
    if line.paused {
        return 0;
    }
    if line.unreachable {
        return 7;
    }
    let status = match worst {
        Some(ComponentStatus::MajorOutage) => 6,
        Some(ComponentStatus::PartialOutage) => 5,
        Some(ComponentStatus::DegradedPerformance) => 4,
        Some(ComponentStatus::UnderMaintenance) => 2,
        Some(ComponentStatus::Operational) | None => 1,
    };
    if incidents.is_empty() {
        status
    } else {
        status.max(3)
    }
}

fn since(start: chrono::DateTime<Utc>) -> String {
    let span = (Utc::now() - start).max(chrono::TimeDelta::zero());
    format!("for {}", vw_domain::timeline::describe(span))
}

//! The maintenance calendar: the maintenances of the workspace's monitored providers,
//! touching watched components, whose window meets the one asked for.

use axum::extract::State;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vw_domain::{CalendarStatus, MaintenanceId};
use vw_store::calendar::Entry;

use super::caller::Caller;
use super::problem::{ApiError, Problem};
use super::request::ApiQuery;
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarWindow {
    /// The window's start (RFC 3339); now unless given.
    from: Option<DateTime<Utc>>,
    /// The window's end (RFC 3339), at most 400 days after `from`; 30 days after `from`
    /// unless given.
    to: Option<DateTime<Utc>>,
}

/// One maintenance on the calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarEntry {
    #[schema(value_type = String, format = Uuid)]
    id: MaintenanceId,
    provider: CalendarProvider,
    title: String,
    /// `scheduled`, `in_progress`, `verifying`, `completed` or `cancelled`.
    #[schema(example = "scheduled")]
    status: &'static str,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    /// The vendor's page about it.
    url: Option<String>,
    /// The names of the components it names.
    components: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarProvider {
    slug: String,
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Calendar {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    data: Vec<CalendarEntry>,
}

fn entry(e: Entry) -> CalendarEntry {
    CalendarEntry {
        id: e.id,
        provider: CalendarProvider {
            slug: e.provider_slug,
            name: e.provider_name,
        },
        status: CalendarStatus::of(e.status, e.cancelled).as_str(),
        title: e.title,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        url: e.url,
        components: e.components,
    }
}

/// The calendar's maintenances in a window, by start.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "maintenances",
    params(CalendarWindow),
    responses(
        (status = 200, description = "The maintenances in the window", body = Calendar),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn window(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(window): ApiQuery<CalendarWindow>,
) -> Result<axum::Json<Calendar>, ApiError> {
    let from = window.from.unwrap_or_else(Utc::now);
    let to = window.to.unwrap_or(from + TimeDelta::days(30));
    let entries = vw_app::calendar::between(&state.db, caller.workspace, from, to)
        .await
        .map_err(|e| match e {
            vw_app::AppError::Invalid(why) => ApiError::invalid("to", why),
            other => other.into(),
        })?;
    Ok(axum::Json(Calendar {
        from,
        to,
        data: entries.into_iter().map(entry).collect(),
    }))
}

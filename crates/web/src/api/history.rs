//! The incidents and maintenances of the providers the workspace monitors, in the shapes of
//! the public pages' JSON, with their provider; filtered, and paged newest first.

use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vw_domain::{Impact, IncidentId, MaintenanceId};
use vw_store::monitored::{self, After, IncidentQuery, MaintenanceQuery};

use super::caller::Caller;
use super::conditional::tagged;
use super::paging::{Page, PageParams, TimeKey, page};
use super::problem::{ApiError, Problem};
use super::request::{ApiQuery, list_parameter};
use crate::AppState;
use crate::routes::directory_json::{IncidentDetail, IncidentSummary, MaintenanceDetailJson};

/// The provider of an incident or a maintenance.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderName {
    slug: String,
    name: String,
}

/// An incident with its provider.
#[derive(Serialize, ToSchema)]
pub struct IncidentItem<'a> {
    #[serde(flatten)]
    incident: IncidentSummary<'a>,
    provider: ProviderName,
}

/// An incident with its provider and its timeline.
#[derive(Serialize, ToSchema)]
pub struct IncidentFull<'a> {
    #[serde(flatten)]
    incident: IncidentDetail<'a>,
    provider: ProviderName,
}

/// Which incidents or maintenances to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryFilter {
    /// Only this provider's (its slug).
    provider: Option<String>,
    /// `open` or `resolved` (for maintenances: not yet completed nor cancelled, or the rest).
    state: Option<StateWord>,
    /// Begun (maintenances: scheduled to begin) at or after this time (RFC 3339).
    since: Option<DateTime<Utc>>,
    /// Only those touching a component that one of the workspace's monitors watches.
    watched: Option<bool>,
}

/// Which impacts of incidents to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeverityFilter {
    /// Impacts to keep, comma-separated (`minor,major,critical`).
    #[param(pattern = "^(none|minor|major|critical)(,(none|minor|major|critical))*$")]
    severity: Option<String>,
}

/// Where an incident or maintenance stands.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StateWord {
    Open,
    Resolved,
}

impl HistoryFilter {
    fn open(&self) -> Option<bool> {
        self.state.map(|s| matches!(s, StateWord::Open))
    }
}

fn after(paging: &PageParams) -> Result<Option<After>, ApiError> {
    Ok(paging
        .after::<TimeKey>()?
        .map(|k| After { at: k.at, id: k.id }))
}

/// The workspace's incidents, newest first.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents",
    params(HistoryFilter, SeverityFilter, PageParams),
    responses(
        (status = 200, description = "A page of incidents", body = Page<IncidentItem>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn incidents(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(filter): ApiQuery<HistoryFilter>,
    ApiQuery(severity): ApiQuery<SeverityFilter>,
    ApiQuery(paging): ApiQuery<PageParams>,
) -> Result<Response, ApiError> {
    let limit = paging.limit()?;
    let impacts = list_parameter(severity.severity.as_deref())
        .into_iter()
        .map(|word| {
            Impact::parse(word).ok_or_else(|| {
                ApiError::invalid(
                    "severity",
                    format!("{word:?} is not an impact (none, minor, major, critical)."),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let rows = monitored::incidents(
        &state.db,
        caller.workspace,
        &IncidentQuery {
            id: None,
            provider_slug: filter.provider.clone(),
            open: filter.open(),
            since: filter.since,
            impacts,
            watched_only: filter.watched.unwrap_or(false),
            after: after(&paging)?,
            limit: limit + 1,
        },
    )
    .await?;
    let listed = page(
        rows.iter().collect(),
        limit,
        &uri,
        |r| TimeKey {
            at: r.sort_at,
            id: r.incident.id.0,
        },
        |r| IncidentItem {
            incident: IncidentSummary::new(&r.incident),
            provider: ProviderName {
                slug: r.provider.slug.clone(),
                name: r.provider.name.clone(),
            },
        },
    );
    Ok(axum::response::IntoResponse::into_response(axum::Json(
        listed,
    )))
}

/// One incident, with its timeline.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = String, Path, format = Uuid, description = "vendorwatch's id of the incident")),
    responses(
        (status = 200, description = "The incident", body = IncidentFull),
        (status = 304, description = "Unchanged since the `ETag` in `If-None-Match`"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn incident(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: IncidentId = id.parse().map_err(|_| ApiError::not_found())?;
    let found = monitored::incidents(
        &state.db,
        caller.workspace,
        &IncidentQuery {
            id: Some(id),
            limit: 1,
            ..IncidentQuery::default()
        },
    )
    .await?
    .pop()
    .ok_or_else(ApiError::not_found)?;
    let updates = vw_store::directory::incident_updates(&state.db, id).await?;
    tagged(
        &headers,
        &IncidentFull {
            incident: IncidentDetail::new(&found.incident, &updates),
            provider: ProviderName {
                slug: found.provider.slug,
                name: found.provider.name,
            },
        },
    )
}

/// The workspace's maintenances, latest start first.
#[utoipa::path(get, path = "/api/v1/maintenances", tag = "maintenances",
    params(HistoryFilter, PageParams),
    responses(
        (status = 200, description = "A page of maintenances", body = Page<MaintenanceDetailJson>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn maintenances(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(filter): ApiQuery<HistoryFilter>,
    ApiQuery(paging): ApiQuery<PageParams>,
) -> Result<Response, ApiError> {
    let limit = paging.limit()?;
    let rows = monitored::maintenances(
        &state.db,
        caller.workspace,
        &MaintenanceQuery {
            id: None,
            provider_slug: filter.provider.clone(),
            open: filter.open(),
            since: filter.since,
            watched_only: filter.watched.unwrap_or(false),
            after: after(&paging)?,
            limit: limit + 1,
        },
    )
    .await?;
    let listed = page(
        rows.iter().collect(),
        limit,
        &uri,
        |r| TimeKey {
            at: r.sort_at,
            id: r.maintenance.id.0,
        },
        |r| MaintenanceDetailJson::new(&r.maintenance, &r.provider.slug, None),
    );
    Ok(axum::response::IntoResponse::into_response(axum::Json(
        listed,
    )))
}

/// One maintenance, with its timeline.
#[utoipa::path(get, path = "/api/v1/maintenances/{id}", tag = "maintenances",
    params(("id" = String, Path, format = Uuid, description = "vendorwatch's id of the maintenance")),
    responses(
        (status = 200, description = "The maintenance", body = MaintenanceDetailJson),
        (status = 304, description = "Unchanged since the `ETag` in `If-None-Match`"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn maintenance(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: MaintenanceId = id.parse().map_err(|_| ApiError::not_found())?;
    let found = monitored::maintenances(
        &state.db,
        caller.workspace,
        &MaintenanceQuery {
            id: Some(id),
            limit: 1,
            ..MaintenanceQuery::default()
        },
    )
    .await?
    .pop()
    .ok_or_else(ApiError::not_found)?;
    let updates = vw_store::directory::maintenance_updates(&state.db, id).await?;
    tagged(
        &headers,
        &MaintenanceDetailJson::new(&found.maintenance, &found.provider.slug, Some(&updates)),
    )
}

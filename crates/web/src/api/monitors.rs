//! The workspace's monitors: listed, read, added (by a provider's slug at once, or by any
//! status page's URL through a request to poll), narrowed to components, paused, deleted.
//! Every rule (the plan's quota under the workspace's lock, one monitor per provider, which
//! components exist) is the use case's, shared with the site.

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vw_app::monitors::ByUrl;
use vw_domain::{ComponentFilter, MonitorId, MonitorRequestId, ProviderSlug};
use vw_store::dashboard;
use vw_store::monitors::RequestState;

use super::caller::Caller;
use super::conditional::tagged;
use super::paging::{Page, PageParams, page};
use super::problem::{ApiError, Problem};
use super::providers::status_word;
use super::request::{ApiJson, ApiQuery};
use crate::AppState;

/// A monitor.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitorJson {
    #[schema(value_type = String, format = Uuid)]
    id: MonitorId,
    provider: ProviderRef,
    paused: bool,
    components: ComponentsJson,
    /// The worst status among the components it watches (see the providers' `status`).
    #[schema(example = "operational")]
    status: &'static str,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderRef {
    slug: String,
    name: String,
    /// Its worst component's status.
    #[schema(example = "operational")]
    status: &'static str,
}

/// What a monitor watches: `{"all": true}`, or `{"all": false, "groups": […], "components":
/// […]}` naming the provider's component groups and vendor component ids (at least one of
/// them; each must be the provider's).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentsJson {
    all: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    components: Option<Vec<String>>,
}

impl ComponentsJson {
    fn of(filter: &ComponentFilter) -> Self {
        match filter {
            ComponentFilter::All => ComponentsJson {
                all: true,
                groups: None,
                components: None,
            },
            ComponentFilter::Chosen { groups, components } => ComponentsJson {
                all: false,
                groups: Some(groups.iter().cloned().collect()),
                components: Some(components.iter().cloned().collect()),
            },
        }
    }

    fn filter(self) -> Result<ComponentFilter, ApiError> {
        if self.all {
            if self.groups.as_ref().is_some_and(|g| !g.is_empty())
                || self.components.as_ref().is_some_and(|c| !c.is_empty())
            {
                return Err(ApiError::invalid(
                    "components",
                    "With `all: true`, name no groups or components.",
                ));
            }
            return Ok(ComponentFilter::All);
        }
        let filter = ComponentFilter::chosen(
            self.groups.unwrap_or_default(),
            self.components.unwrap_or_default(),
        );
        if filter.is_all() {
            return Err(ApiError::invalid(
                "components",
                "With `all: false`, name at least one group or component.",
            ));
        }
        Ok(filter)
    }
}

struct Row {
    id: MonitorId,
    slug: String,
    name: String,
    paused: bool,
    filter: ComponentFilter,
    created_at: DateTime<Utc>,
}

fn shape<C: vw_domain::FilterableComponent>(row: Row, components: &[C]) -> MonitorJson {
    MonitorJson {
        id: row.id,
        status: status_word(row.filter.worst(components)),
        provider: ProviderRef {
            slug: row.slug,
            name: row.name,
            status: status_word(ComponentFilter::All.worst(components)),
        },
        paused: row.paused,
        components: ComponentsJson::of(&row.filter),
        created_at: row.created_at,
    }
}

async fn one(state: &AppState, caller: Caller, id: MonitorId) -> Result<MonitorJson, ApiError> {
    let monitor = vw_store::monitors::get(&state.db, caller.workspace, id).await?;
    let components = vw_store::directory::components(&state.db, monitor.provider_id).await?;
    Ok(shape(
        Row {
            id: monitor.id,
            slug: monitor.provider_slug,
            name: monitor.provider_name,
            paused: monitor.paused,
            filter: monitor.filter,
            created_at: monitor.created_at,
        },
        &components,
    ))
}

fn monitor_id(raw: &str) -> Result<MonitorId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

#[derive(Serialize, Deserialize)]
struct NameKey {
    name: String,
    id: uuid::Uuid,
}

/// The workspace's monitors, by provider name.
#[utoipa::path(get, path = "/api/v1/monitors", tag = "monitors",
    params(PageParams),
    responses(
        (status = 200, description = "A page of monitors", body = Page<MonitorJson>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<axum::Json<Page<MonitorJson>>, ApiError> {
    let limit = params.limit()?;
    let after: Option<NameKey> = params.after()?;
    // A workspace has at most its plan's monitors (hundreds): read at once, as the dashboard
    // does, and paged here by (name, id), which inserts cannot shift.
    let mut lines = dashboard::monitors(&state.db, caller.workspace).await?;
    if let Some(after) = &after {
        lines.retain(|m| (m.name.to_lowercase(), m.id.0) > (after.name.clone(), after.id));
    }
    lines.sort_by_key(|m| (m.name.to_lowercase(), m.id));
    lines.truncate(usize::try_from(limit + 1).unwrap_or(usize::MAX));
    let providers: Vec<_> = lines.iter().map(|m| m.provider_id).collect();
    let components = dashboard::components(&state.db, &providers).await?;
    Ok(axum::Json(page(
        lines,
        limit,
        &uri,
        |m| NameKey {
            name: m.name.to_lowercase(),
            id: m.id.0,
        },
        |m| {
            let own: Vec<_> = components
                .iter()
                .filter(|c| c.provider_id == m.provider_id)
                .collect();
            shape(
                Row {
                    id: m.id,
                    slug: m.slug,
                    name: m.name,
                    paused: m.paused,
                    filter: m.filter,
                    created_at: m.created_at,
                },
                &own,
            )
        },
    )))
}

/// One monitor.
#[utoipa::path(get, path = "/api/v1/monitors/{id}", tag = "monitors",
    params(("id" = String, Path, format = Uuid, description = "The monitor's id")),
    responses(
        (status = 200, description = "The monitor", body = MonitorJson),
        (status = 304, description = "Unchanged since the `ETag` in `If-None-Match`"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let monitor = one(&state, caller, monitor_id(&id)?).await?;
    tagged(&headers, &monitor)
}

/// What to monitor: exactly one of `provider` (a slug of the directory) and `url` (any
/// status page's address).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, max_properties = 1)]
pub struct NewMonitor {
    #[schema(example = "github", min_length = 1, max_length = 100)]
    provider: Option<String>,
    #[schema(
        example = "https://www.githubstatus.com/",
        min_length = 1,
        max_length = 2048
    )]
    url: Option<String>,
}

/// A request to monitor a page by its URL, which a job checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitorRequestJson {
    #[schema(value_type = String, format = Uuid)]
    id: MonitorRequestId,
    url: String,
    /// `checking` until the page is read, then `added` or `failed`.
    #[schema(example = "checking")]
    state: &'static str,
    /// Why it failed, for people.
    error: Option<String>,
    /// The monitor, once added (or the one that already watched the page).
    monitor: Option<MonitorJson>,
}

/// Add a monitor: by slug at once (`201`), or by a status page's URL through a request that
/// ends as the monitor or as an error (`202`, its `Location` to poll). A known page's URL is
/// added at once, as by its slug.
#[utoipa::path(post, path = "/api/v1/monitors", tag = "monitors",
    request_body = NewMonitor,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer", pattern = "^[!-~]{1,255}$")),
    responses(
        (status = 201, description = "Added", body = MonitorJson, headers(("Location" = String))),
        (status = 202, description = "The page is being checked: poll `Location`", body = MonitorRequestJson, headers(("Location" = String))),
        (status = 409, description = "`plan_limit`: the plan's quota is reached; `already_monitored`: see `monitor`", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(new): ApiJson<NewMonitor>,
) -> Result<Response, ApiError> {
    let added = match (new.provider, new.url) {
        (Some(slug), None) => {
            let slug = ProviderSlug::parse(slug.trim())
                .map_err(|_| ApiError::invalid("provider", "No provider has this slug."))?;
            let provider = vw_store::directory::provider_by_slug(&state.db, slug.as_str())
                .await
                .map_err(|e| match e {
                    vw_store::StoreError::NotFound => {
                        ApiError::invalid("provider", "No provider has this slug.")
                    }
                    other => other.into(),
                })?;
            ByUrl::Added(vw_app::monitors::add(&state.db, caller.workspace, provider.id).await?)
        }
        (None, Some(url)) => vw_app::monitors::add_by_url(&state.db, caller.workspace, &url)
            .await
            .map_err(|e| match e {
                vw_app::AppError::Invalid(why) => ApiError::invalid("url", why),
                other => other.into(),
            })?,
        _ => {
            return Err(ApiError::invalid(
                "body",
                "Give exactly one of `provider` (a slug) and `url`.",
            ));
        }
    };
    match added {
        ByUrl::Added(id) => {
            let monitor = one(&state, caller, id).await?;
            Ok(created(
                StatusCode::CREATED,
                &format!("/api/v1/monitors/{id}"),
                monitor,
            ))
        }
        ByUrl::Checking(request) => {
            let json = request_json(&state, caller, request).await?;
            Ok(created(
                StatusCode::ACCEPTED,
                &format!("/api/v1/monitor-requests/{request}"),
                json,
            ))
        }
    }
}

/// A `201` or `202` with its `Location`.
pub fn created(status: StatusCode, location: &str, body: impl Serialize) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

async fn request_json(
    state: &AppState,
    caller: Caller,
    id: MonitorRequestId,
) -> Result<MonitorRequestJson, ApiError> {
    let found = vw_store::monitors::request(&state.db, caller.workspace, id).await?;
    let monitor = match found.monitor_id {
        Some(monitor) => Some(one(state, caller, monitor).await?),
        None => None,
    };
    Ok(MonitorRequestJson {
        id: found.id,
        url: found.url,
        state: match found.state {
            RequestState::Checking => "checking",
            RequestState::Added => "added",
            RequestState::Failed => "failed",
        },
        error: found.error,
        monitor,
    })
}

/// A request to monitor a page by URL: poll it until `state` is `added` or `failed`.
#[utoipa::path(get, path = "/api/v1/monitor-requests/{id}", tag = "monitors",
    params(("id" = String, Path, format = Uuid, description = "The request's id")),
    responses(
        (status = 200, description = "The request", body = MonitorRequestJson),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn request(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<MonitorRequestJson>, ApiError> {
    let id = id.parse().map_err(|_| ApiError::not_found())?;
    Ok(axum::Json(request_json(&state, caller, id).await?))
}

/// What to change of a monitor; what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitorChange {
    paused: Option<bool>,
    components: Option<ComponentsJson>,
}

/// Change what a monitor watches, or pause or resume it.
#[utoipa::path(patch, path = "/api/v1/monitors/{id}", tag = "monitors",
    params(("id" = String, Path, format = Uuid, description = "The monitor's id")),
    request_body = MonitorChange,
    responses(
        (status = 200, description = "The monitor as changed", body = MonitorJson),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<MonitorChange>,
) -> Result<axum::Json<MonitorJson>, ApiError> {
    let id = monitor_id(&id)?;
    if let Some(components) = change.components {
        let filter = components.filter()?;
        vw_app::monitors::set_filter(&state.db, caller.workspace, id, filter)
            .await
            .map_err(|e| match e {
                vw_app::AppError::Invalid(why) => ApiError::invalid("components", why),
                other => other.into(),
            })?;
    }
    if let Some(paused) = change.paused {
        vw_app::monitors::set_paused(&state.db, caller.workspace, id, paused).await?;
    }
    Ok(axum::Json(one(&state, caller, id).await?))
}

/// Stop monitoring a provider.
#[utoipa::path(delete, path = "/api/v1/monitors/{id}", tag = "monitors",
    params(("id" = String, Path, format = Uuid, description = "The monitor's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = monitor_id(&id)?;
    vw_store::monitors::get(&state.db, caller.workspace, id).await?;
    vw_app::monitors::delete(&state.db, caller.workspace, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

//! Notification groups: who gets which alerts. Listed with their channels, created, renamed,
//! filtered, scoped to monitors, deleted (all but the Default group), through the same use
//! cases as the site's group pages.

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vw_domain::{GroupFilters, GroupId, GroupName, MonitorId};
use vw_store::channels::Channel;
use vw_store::groups::Group;

use super::caller::Caller;
use super::channels::ChannelJson;
use super::conditional::tagged;
use super::monitors::created;
use super::paging::{Page, PageParams, page};
use super::problem::{ApiError, Problem};
use super::request::{ApiJson, ApiQuery};
use crate::AppState;

/// A notification group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupJson {
    #[schema(value_type = String, format = Uuid)]
    id: GroupId,
    name: String,
    /// The workspace's Default group, made with it, which cannot be deleted.
    default: bool,
    filters: FiltersJson,
    scope: ScopeJson,
    channels: Vec<ChannelJson>,
    created_at: DateTime<Utc>,
}

/// What a group lets through: an alert passes when both its severity and its kind of
/// change are listed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FiltersJson {
    /// Of `major`, `minor`, `maintenance`.
    #[schema(example = json!(["major", "minor"]), value_type = Vec<SeverityWord>)]
    severities: Vec<String>,
    /// Of `opened`, `updated`, `resolved`.
    #[schema(example = json!(["opened", "resolved"]), value_type = Vec<EventWord>)]
    events: Vec<String>,
    /// Postmortems published.
    #[serde(default)]
    postmortems: bool,
    /// The status page cannot be read, or reads again.
    #[serde(default)]
    page_health: bool,
}

impl FiltersJson {
    fn of(filters: &GroupFilters) -> Self {
        FiltersJson {
            severities: filters
                .severities
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            events: filters
                .events
                .iter()
                .map(|e| e.as_str().to_owned())
                .collect(),
            postmortems: filters.postmortems,
            page_health: filters.page_health,
        }
    }

    fn parse(&self) -> Result<GroupFilters, ApiError> {
        GroupFilters::parse(
            self.severities.iter().map(String::as_str),
            self.events.iter().map(String::as_str),
            self.postmortems,
            self.page_health,
        )
        .map_err(|e| ApiError::invalid("filters", e.to_string()))
    }
}

/// A severity a group can let through.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // only its schema is used: the words are read by the domain
pub enum SeverityWord {
    Major,
    Minor,
    Maintenance,
}

/// A kind of change a group can let through.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // only its schema is used: the words are read by the domain
pub enum EventWord {
    Opened,
    Updated,
    Resolved,
}

/// Which monitors a group's alerts come from: `{"all": true}`, or `{"all": false,
/// "monitors": [ids]}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeJson {
    all: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    monitors: Option<Vec<MonitorId>>,
}

impl ScopeJson {
    fn of(scope: Option<&[MonitorId]>) -> Self {
        ScopeJson {
            all: scope.is_none(),
            monitors: scope.map(<[MonitorId]>::to_vec),
        }
    }

    fn monitors(&self) -> Result<Option<&[MonitorId]>, ApiError> {
        match (self.all, &self.monitors) {
            (true, None) => Ok(None),
            (true, Some(m)) if m.is_empty() => Ok(None),
            (false, Some(m)) => Ok(Some(m)),
            (false, None) => Ok(Some(&[])),
            (true, Some(_)) => Err(ApiError::invalid(
                "scope",
                "With `all: true`, name no monitors.",
            )),
        }
    }
}

pub(super) fn shape(group: Group, channels: &[Channel]) -> GroupJson {
    GroupJson {
        filters: FiltersJson::of(&group.filters),
        scope: ScopeJson::of(group.scope.as_deref()),
        channels: channels
            .iter()
            .filter(|c| c.group_id == group.id)
            .map(ChannelJson::of)
            .collect(),
        id: group.id,
        name: group.name,
        default: group.is_default,
        created_at: group.created_at,
    }
}

pub(super) fn group_id(raw: &str) -> Result<GroupId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

async fn one(state: &AppState, caller: Caller, id: GroupId) -> Result<GroupJson, ApiError> {
    let group = vw_store::groups::get(&state.db, caller.workspace, id).await?;
    let channels = vw_store::channels::list(&state.db, caller.workspace).await?;
    Ok(shape(group, &channels))
}

#[derive(Serialize, Deserialize)]
struct GroupKey {
    not_default: bool,
    name: String,
    id: uuid::Uuid,
}

fn key(group: &Group) -> GroupKey {
    GroupKey {
        not_default: !group.is_default,
        name: group.name.to_lowercase(),
        id: group.id.0,
    }
}

/// The workspace's groups, the Default one first, then by name.
#[utoipa::path(get, path = "/api/v1/groups", tag = "groups",
    params(PageParams),
    responses(
        (status = 200, description = "A page of groups", body = Page<GroupJson>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<axum::Json<Page<GroupJson>>, ApiError> {
    let limit = params.limit()?;
    let after: Option<GroupKey> = params.after()?;
    let mut groups = vw_store::groups::list(&state.db, caller.workspace).await?;
    let order = |g: &Group| {
        let k = key(g);
        (k.not_default, k.name, k.id)
    };
    groups.sort_by_key(order);
    if let Some(after) = after {
        let after = (after.not_default, after.name, after.id);
        groups.retain(|g| order(g) > after);
    }
    groups.truncate(usize::try_from(limit + 1).unwrap_or(usize::MAX));
    let channels = vw_store::channels::list(&state.db, caller.workspace).await?;
    Ok(axum::Json(page(groups, limit, &uri, key, |g| {
        shape(g, &channels)
    })))
}

/// A new group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    #[schema(example = "On-call", min_length = 1, max_length = 100)]
    name: String,
    /// Major and minor incidents, opened and resolved, unless given.
    filters: Option<FiltersJson>,
    /// Every monitor unless given.
    scope: Option<ScopeJson>,
}

/// Create a group (with no channels yet).
#[utoipa::path(post, path = "/api/v1/groups", tag = "groups",
    request_body = NewGroup,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer", pattern = "^[!-~]{1,255}$")),
    responses(
        (status = 201, description = "Created", body = GroupJson, headers(("Location" = String))),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(new): ApiJson<NewGroup>,
) -> Result<Response, ApiError> {
    let settings = vw_app::groups::Settings {
        name: GroupName::parse(&new.name).map_err(|e| ApiError::invalid("name", e.to_string()))?,
        filters: match &new.filters {
            Some(filters) => filters.parse()?,
            None => GroupFilters::default(),
        },
    };
    let scope = new
        .scope
        .as_ref()
        .map(ScopeJson::monitors)
        .transpose()?
        .flatten();
    let id = vw_app::groups::create(&state.db, caller.workspace, &settings)
        .await
        .map_err(name_taken)?;
    if scope.is_some() {
        vw_app::groups::set_scope(&state.db, caller.workspace, id, scope)
            .await
            .map_err(unknown_monitor)?;
    }
    let group = one(&state, caller, id).await?;
    Ok(created(
        StatusCode::CREATED,
        &format!("/api/v1/groups/{id}"),
        group,
    ))
}

fn name_taken(error: vw_app::AppError) -> ApiError {
    match error {
        vw_app::AppError::Invalid(why) => ApiError::invalid("name", why),
        other => other.into(),
    }
}

fn unknown_monitor(error: vw_app::AppError) -> ApiError {
    match error {
        vw_app::AppError::NotFound => {
            ApiError::invalid("scope.monitors", "A monitor named is not this workspace's.")
        }
        other => other.into(),
    }
}

/// One group, with its channels.
#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "groups",
    params(("id" = String, Path, format = Uuid, description = "The group's id")),
    responses(
        (status = 200, description = "The group", body = GroupJson),
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
    let group = one(&state, caller, group_id(&id)?).await?;
    tagged(&headers, &group)
}

/// What to change of a group; what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupChange {
    #[schema(min_length = 1, max_length = 100)]
    name: Option<String>,
    filters: Option<FiltersJson>,
    scope: Option<ScopeJson>,
}

/// Rename a group, or change its filters or scope.
#[utoipa::path(patch, path = "/api/v1/groups/{id}", tag = "groups",
    params(("id" = String, Path, format = Uuid, description = "The group's id")),
    request_body = GroupChange,
    responses(
        (status = 200, description = "The group as changed", body = GroupJson),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<GroupChange>,
) -> Result<axum::Json<GroupJson>, ApiError> {
    let id = group_id(&id)?;
    let current = vw_store::groups::get(&state.db, caller.workspace, id).await?;
    let scope = change.scope.as_ref().map(ScopeJson::monitors).transpose()?;
    if change.name.is_some() || change.filters.is_some() {
        let settings = vw_app::groups::Settings {
            name: match &change.name {
                Some(name) => {
                    GroupName::parse(name).map_err(|e| ApiError::invalid("name", e.to_string()))?
                }
                None => GroupName::parse(&current.name)?,
            },
            filters: match &change.filters {
                Some(filters) => filters.parse()?,
                None => current.filters.clone(),
            },
        };
        vw_app::groups::update(&state.db, caller.workspace, id, &settings)
            .await
            .map_err(name_taken)?;
    }
    if let Some(scope) = scope {
        vw_app::groups::set_scope(&state.db, caller.workspace, id, scope)
            .await
            .map_err(unknown_monitor)?;
    }
    Ok(axum::Json(one(&state, caller, id).await?))
}

/// Delete a group with its channels; the Default group cannot be deleted.
#[utoipa::path(delete, path = "/api/v1/groups/{id}", tag = "groups",
    params(("id" = String, Path, format = Uuid, description = "The group's id")),
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
    vw_app::groups::delete(&state.db, caller.workspace, group_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

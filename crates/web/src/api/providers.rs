//! The public directory of status pages: listed and searched by name, one with its
//! components by group and its status.

use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vw_domain::{ComponentFilter, ComponentStatus, ProviderSlug};
use vw_store::directory::{self, Component, ProviderSummary};

use super::conditional::tagged;
use super::paging::{Page, PageParams, page};
use super::problem::{ApiError, Problem};
use super::request::ApiQuery;
use crate::AppState;

/// A status word of a component or a provider (its worst component's): `operational`,
/// `under_maintenance`, `degraded_performance`, `partial_outage`, `major_outage`, or `unknown`
/// before the first read and for a page that gives no component statuses.
pub fn status_word(status: Option<ComponentStatus>) -> &'static str {
    status.map_or("unknown", ComponentStatus::as_str)
}

/// A provider as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderItem {
    slug: String,
    name: String,
    /// Its worst component's status (see the `status` words).
    #[schema(example = "operational")]
    status: &'static str,
    open_incidents: i64,
    last_checked_at: Option<DateTime<Utc>>,
    /// Since when its page cannot be read, while it cannot.
    unreachable_since: Option<DateTime<Utc>>,
}

impl ProviderItem {
    fn new(p: ProviderSummary) -> Self {
        ProviderItem {
            slug: p.slug,
            name: p.name,
            status: status_word(p.status),
            open_incidents: p.open_incidents,
            last_checked_at: p.last_checked_at,
            unreachable_since: p.unreachable_since,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProviderSearch {
    /// Part of a name (a near miss finds it too) or of the page's address; all providers
    /// when absent.
    q: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct NameKey {
    name: String,
    slug: String,
}

/// List or search the directory of status pages, by name.
#[utoipa::path(get, path = "/api/v1/providers", tag = "providers",
    params(ProviderSearch, PageParams),
    responses(
        (status = 200, description = "A page of providers", body = Page<ProviderItem>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn list(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    ApiQuery(search): ApiQuery<ProviderSearch>,
    ApiQuery(paging): ApiQuery<PageParams>,
) -> Result<axum::Json<Page<ProviderItem>>, ApiError> {
    let limit = paging.limit()?;
    let after: Option<NameKey> = paging.after()?;
    let query = search.q.unwrap_or_default();
    if query.chars().count() > 200 {
        return Err(ApiError::invalid(
            "q",
            "A search is at most 200 characters.",
        ));
    }
    let rows = directory::by_name(
        &state.db,
        &query,
        after.as_ref().map(|k| (k.name.as_str(), k.slug.as_str())),
        limit + 1,
    )
    .await?;
    Ok(axum::Json(page(
        rows,
        limit,
        &uri,
        |p| NameKey {
            name: p.name.to_lowercase(),
            slug: p.slug.clone(),
        },
        ProviderItem::new,
    )))
}

/// A provider with its components by group.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderDetail {
    slug: String,
    name: String,
    #[schema(example = "operational")]
    status: &'static str,
    homepage: Option<String>,
    status_page: String,
    /// How the page is read (`statuspage`, `incidentio`, …); `null` until the first read.
    platform: Option<String>,
    last_checked_at: Option<DateTime<Utc>>,
    unreachable: bool,
    /// The provider listed in this one's place: the same page under another address.
    same_as: Option<String>,
    /// Components by group, in the vendor's order; a `null` name holds those outside any group.
    groups: Vec<ComponentGroup>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComponentGroup {
    name: Option<String>,
    components: Vec<ComponentItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComponentItem {
    /// The vendor's id: what a monitor's component filter names.
    id: String,
    name: String,
    #[schema(example = "operational")]
    status: &'static str,
}

/// Components by group, groups in the order the vendor first lists them.
fn grouped(components: Vec<Component>) -> Vec<ComponentGroup> {
    let mut groups: Vec<ComponentGroup> = Vec::new();
    for component in components {
        let item = ComponentItem {
            id: component.vendor_id,
            name: component.name,
            status: status_word(component.status),
        };
        match groups.iter_mut().find(|g| g.name == component.group) {
            Some(group) => group.components.push(item),
            None => groups.push(ComponentGroup {
                name: component.group,
                components: vec![item],
            }),
        }
    }
    groups
}

/// One provider, with its components and status.
#[utoipa::path(get, path = "/api/v1/providers/{slug}", tag = "providers",
    params(("slug" = String, Path, description = "The provider's slug")),
    responses(
        (status = 200, description = "The provider", body = ProviderDetail),
        (status = 304, description = "Unchanged since the `ETag` in `If-None-Match`"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let slug = ProviderSlug::parse(&slug).map_err(|_| ApiError::not_found())?;
    let provider = directory::provider_by_slug(&state.db, slug.as_str()).await?;
    let components = directory::components(&state.db, provider.id).await?;
    let detail = ProviderDetail {
        status: status_word(ComponentFilter::All.worst(&components)),
        slug: provider.slug,
        name: provider.name,
        homepage: provider.homepage,
        status_page: provider.status_url,
        platform: provider.platform.map(|p| p.to_string()),
        last_checked_at: provider.last_checked_at,
        unreachable: provider.unreachable,
        same_as: provider.same_as,
        groups: grouped(components),
    };
    tagged(&headers, &detail)
}

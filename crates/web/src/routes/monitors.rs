//! Adding monitors: from the directory (a provider picked by its slug), or by pasting a
//! status page's URL — known pages at once, others through a request that a job checks and
//! whose page (`/monitors/requests/{id}`) follows it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use vw_app::AppError;
use vw_app::monitors::ByUrl;
use vw_domain::{MonitorId, MonitorRequestId, ProviderSlug};
use vw_store::monitors::RequestState;

use super::{notice, redirect_with_flash};
use crate::auth::{CsrfForm, Member};
use crate::layout::Layout;
use crate::negotiate::Format;
use crate::{AppState, WebError};

const DASHBOARD: &str = "/dashboard";

#[derive(Deserialize)]
pub struct AddForm {
    provider: String,
}

/// Adds a monitor of a provider from the directory.
pub async fn add(
    State(state): State<AppState>,
    member: Member,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<Response, WebError> {
    let slug = ProviderSlug::parse(form.provider.trim()).map_err(|_| WebError::NotFound)?;
    let provider = vw_store::directory::provider_by_slug(&state.db, slug.as_str()).await?;
    let added = vw_app::monitors::add(&state.db, member.workspace, provider.id).await;
    Ok(added_or_refused(&state, added, &provider.name))
}

#[derive(Deserialize)]
pub struct ByUrlForm {
    url: String,
}

/// Adds a monitor of the page at a pasted URL: at once when it is a known provider, else
/// after a job has detected it.
pub async fn add_by_url(
    State(state): State<AppState>,
    member: Member,
    CsrfForm(form): CsrfForm<ByUrlForm>,
) -> Result<Response, WebError> {
    match vw_app::monitors::add_by_url(&state.db, member.workspace, &form.url).await {
        Ok(ByUrl::Checking(request)) => {
            Ok(Redirect::to(&format!("/monitors/requests/{request}")).into_response())
        }
        Ok(ByUrl::Added(monitor)) => Ok(added_or_refused(&state, Ok(monitor), form.url.trim())),
        Err(error) => Ok(added_or_refused(&state, Err(error), form.url.trim())),
    }
}

/// Post/Redirect/Get: the new monitor's page, or the dashboard saying why not.
fn added_or_refused(state: &AppState, added: Result<MonitorId, AppError>, what: &str) -> Response {
    match added {
        Ok(monitor) => redirect_with_flash(
            state,
            &format!("/monitors/{monitor}"),
            notice(format!(
                "Monitoring {what}. Choose the components you use below."
            )),
        ),
        Err(AppError::AlreadyMonitored(existing)) => redirect_with_flash(
            state,
            &format!("/monitors/{existing}"),
            notice("This workspace already monitors that provider; here it is."),
        ),
        Err(refusal @ (AppError::PlanLimit { .. } | AppError::Invalid(_))) => {
            redirect_with_flash(state, DASHBOARD, notice(refusal.to_string()))
        }
        Err(error) => WebError::from(error).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "monitors/request.html")]
struct RequestPage {
    layout: Layout,
    request: RequestJson,
}

/// A request as its page and its script see it.
#[derive(Serialize)]
struct RequestJson {
    id: MonitorRequestId,
    url: String,
    state: &'static str,
    error: Option<String>,
    /// The monitor's page, once added (or the one that already watched the page).
    monitor: Option<String>,
}

pub async fn request(
    State(state): State<AppState>,
    member: Member,
    format: Format,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id.parse().map_err(|_| WebError::NotFound)?;
    let found = vw_store::monitors::request(&state.db, member.workspace, id).await?;
    let json = RequestJson {
        id: found.id,
        url: found.url,
        state: match found.state {
            RequestState::Checking => "checking",
            RequestState::Added => "added",
            RequestState::Failed => "failed",
        },
        error: found.error,
        monitor: found.monitor_id.map(|m| format!("/monitors/{m}")),
    };
    Ok(match format {
        Format::Json => Json(json).into_response(),
        Format::Html => RequestPage {
            layout: member.layout(),
            request: json,
        }
        .into_response(),
    })
}

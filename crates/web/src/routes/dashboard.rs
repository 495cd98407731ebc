use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::auth::Member;
use crate::layout::Layout;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/show.html")]
pub struct DashboardPage {
    layout: Layout,
    workspace: vw_store::workspaces::Workspace,
}

pub async fn show(
    State(state): State<AppState>,
    member: Member,
) -> Result<DashboardPage, WebError> {
    let workspace = vw_store::workspaces::get(&state.db, member.workspace).await?;
    Ok(DashboardPage {
        layout: member.layout(),
        workspace,
    })
}

//! The frame around every page (`templates/base.html`): navigation, the signed-in user, the
//! workspace switcher and the flash message left by the previous request.

use serde::{Deserialize, Serialize};
use vw_domain::WorkspaceId;

#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// For the forms in the frame itself (sign out, switch workspace).
    pub csrf_token: String,
    pub user_email: Option<String>,
    pub workspace: Option<WorkspaceTab>,
    pub other_workspaces: Vec<WorkspaceTab>,
    pub flash: Option<Flash>,
    /// The signed-in user has no time zone yet: the page script reports the browser's.
    pub ask_time_zone: bool,
}

#[derive(Debug, Clone)]
pub struct WorkspaceTab {
    pub id: WorkspaceId,
    pub name: String,
}

/// A one-time message carried across a redirect in a cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub message: String,
    /// A link to show with the message, ready to copy (an invitation link).
    pub link: Option<String>,
}

impl Layout {
    /// For pages shown before anything is known about the visitor (error pages).
    pub fn bare() -> Self {
        Layout::default()
    }
}

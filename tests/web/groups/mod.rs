//! Notification groups on the web: their pages, tenancy, roles, hostile input, the pause
//! switch, the links in e-mails and the operators' sent-mail page.

mod hostile;
mod links;
mod operator;
mod pages;
mod pause;
mod roles;
mod tenancy;

use chrono::Utc;
use uuid::Uuid;
use vw_app::secrets::Secrets;
use vw_domain::{ChannelId, DeliveryId, EmailAddress, WorkspaceId};
use vw_store::deliveries::{AttemptRecord, State};

use crate::app::{App, Browser, Page};

/// The server's key in these tests, so that a test can make (and forge) the links it mails.
pub const KEY: [u8; 32] = [7; 32];
pub const OPERATOR: &str = "op@example.com";

pub fn secrets() -> Secrets {
    Secrets::from_key(&KEY)
}

/// The app with a known key and one operator.
pub async fn start() -> App {
    App::start_with(None, |config| {
        config.secrets = secrets();
        config.operators = vec![EmailAddress::parse(OPERATOR).unwrap()];
    })
    .await
}

pub async fn workspace_id(app: &App, name: &str) -> WorkspaceId {
    WorkspaceId(
        sqlx::query_scalar("SELECT id FROM workspaces WHERE name = $1")
            .bind(name)
            .fetch_one(&app.db.pool)
            .await
            .unwrap(),
    )
}

/// The id of the workspace's group of that name.
pub async fn group_id(app: &App, workspace: &str, group: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT g.id FROM notification_groups g JOIN workspaces w ON w.id = g.workspace_id
         WHERE w.name = $1 AND g.name = $2",
    )
    .bind(workspace)
    .bind(group)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// The id of the channel whose address or masked URL contains `needle`.
pub async fn channel_id(app: &App, needle: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM channels WHERE masked LIKE '%' || $1 || '%'")
        .bind(needle)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

pub async fn count(app: &App, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

pub fn flash(page: &Page) -> String {
    page.texts(".flash p").join(" ")
}

/// Creates a group from /groups; returns its page's path.
pub async fn create_group(browser: &Browser, name: &str) -> String {
    let created = browser
        .submit("/groups", "/groups", &[("name", name)])
        .await;
    assert_eq!(
        created.status,
        reqwest::StatusCode::SEE_OTHER,
        "{}",
        created.body
    );
    created.location().unwrap().to_owned()
}

/// Adds an integration from the group's page; returns the answer.
pub async fn add_integration(browser: &Browser, group: &str, kind: &str, url: &str) -> Page {
    browser
        .submit(
            group,
            &format!("{group}/integrations"),
            &[("kind", kind), ("url", url)],
        )
        .await
}

/// A delivery to the channel that a worker tried: one attempt per `(status, detail)`, the
/// last one's state `last`.
pub async fn tried(
    app: &App,
    workspace: WorkspaceId,
    channel: Uuid,
    attempts: &[(Option<i32>, &str, &'static str)],
    last: State,
) -> DeliveryId {
    let pool = &app.db.pool;
    let delivery = vw_store::deliveries::insert_test(pool, workspace, ChannelId(channel))
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    for (i, (status, detail, outcome)) in attempts.iter().enumerate() {
        let number = vw_store::deliveries::start_attempt(&mut conn, delivery, Utc::now())
            .await
            .unwrap();
        let state = if i + 1 == attempts.len() {
            last
        } else {
            State::Pending
        };
        vw_store::deliveries::finish_attempt(
            &mut *conn,
            delivery,
            &AttemptRecord {
                attempt: number,
                at: Utc::now(),
                outcome,
                status: *status,
                detail,
                duration_ms: 120 + 37 * i32::try_from(i).unwrap(),
            },
            state,
            None,
        )
        .await
        .unwrap();
    }
    delivery
}

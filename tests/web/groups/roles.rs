//! Members read the groups; only admins and owners change them.

use reqwest::StatusCode;

use super::{add_integration, count, create_group, start};
use crate::members::acme_with_bob;

#[tokio::test]
async fn members_read_groups_and_cannot_change_them() {
    let app = start().await;
    let (ada, bob) = acme_with_bob(&app).await;
    let group = create_group(&ada, "Ops").await;
    add_integration(
        &ada,
        &group,
        "slack",
        "https://hooks.slack.com/services/T1/B1/x",
    )
    .await;
    let channel: uuid::Uuid = sqlx::query_scalar("SELECT id FROM channels WHERE kind = 'slack'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    let list = bob.get("/groups").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.texts(".group-card h2 a"), ["Default", "Ops"]);
    assert!(list.texts("#new-group").is_empty(), "no create form");
    assert!(
        list.attr("form[action='/alerts/pause']", "action")
            .is_none()
    );
    let page = bob.get(&group).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("#add-integration").is_empty());
    assert!(page.texts("#delete-group").is_empty());
    assert!(page.attr("form[action$='/test']", "action").is_none());
    assert_eq!(
        bob.get(&format!("{group}/channels/{channel}")).await.status,
        StatusCode::OK
    );

    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/groups".into(), vec![("name", "Bob's")]),
        (group.clone(), vec![("name", "Renamed")]),
        (format!("{group}/scope"), vec![("scope", "chosen")]),
        (format!("{group}/delete"), vec![]),
        (
            format!("{group}/recipients"),
            vec![("email", "bob2@example.com")],
        ),
        (
            format!("{group}/integrations"),
            vec![("kind", "webhook"), ("url", "https://bob.example.com/x")],
        ),
        (format!("/channels/{channel}/remove"), vec![]),
        (format!("/channels/{channel}/test"), vec![]),
        ("/alerts/pause".into(), vec![]),
        ("/alerts/resume".into(), vec![]),
    ];
    for (action, fields) in posts {
        let answer = bob.submit("/groups", &action, &fields).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{action}");
        assert!(answer.body.contains("admins and owners"), "{action}");
    }
    assert_eq!(
        count(&app, "SELECT count(*) FROM notification_groups").await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM notification_groups WHERE name = 'Ops' AND all_monitors"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM channels").await,
        2,
        "ada and slack"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM deliveries").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM workspaces WHERE alerts_paused_at IS NOT NULL"
        )
        .await,
        0
    );
}

//! Another workspace's groups and channels do not exist for Eve: every route answers 404
//! and changes nothing.

use reqwest::StatusCode;
use vw_store::deliveries::State;

use super::{add_integration, count, create_group, start, tried, workspace_id};

#[tokio::test]
async fn another_workspaces_groups_and_channels_answer_404_and_stay_as_they_were() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let eve = app.member("eve@example.com", "Evil Corp").await;
    let group = create_group(&ada, "Acme on-call").await;
    add_integration(
        &ada,
        &group,
        "slack",
        "https://hooks.slack.com/services/T1/B1/acme",
    )
    .await;
    let channel: uuid::Uuid = sqlx::query_scalar("SELECT id FROM channels WHERE kind = 'slack'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let acme = workspace_id(&app, "Acme").await;
    tried(
        &app,
        acme,
        channel,
        &[(Some(500), "acme-detail", "retry")],
        State::Failed,
    )
    .await;
    let eve_group = create_group(&eve, "Evil group").await;
    let deliveries = count(&app, "SELECT count(*) FROM deliveries").await;

    for path in [
        group.clone(),
        format!("{group}/log"),
        format!("{group}/channels/{channel}"),
        // Eve's own group with Acme's channel: still nothing.
        format!("{eve_group}/channels/{channel}"),
    ] {
        let page = eve.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("Acme"), "{path} leaks nothing");
        assert!(!page.body.contains("acme-detail"), "{path}");
    }
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            group.clone(),
            vec![("name", "Pwned"), ("severity", "minor")],
        ),
        (format!("{group}/scope"), vec![("scope", "chosen")]),
        (format!("{group}/delete"), vec![]),
        (
            format!("{group}/recipients"),
            vec![("email", "eve@example.com")],
        ),
        (
            format!("{group}/integrations"),
            vec![("kind", "webhook"), ("url", "https://evil.example.com/x")],
        ),
        (format!("/channels/{channel}/remove"), vec![]),
        (format!("/channels/{channel}/test"), vec![]),
    ];
    for (action, fields) in posts {
        let answer = eve.submit("/groups", &action, &fields).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{action}: {}",
            answer.body
        );
        assert!(!answer.body.contains("Acme"), "{action}");
    }
    // Nothing changed in Acme.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM notification_groups WHERE name = 'Acme on-call' AND all_monitors"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM notification_groups WHERE name = 'Pwned'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM channels WHERE kind = 'slack'").await,
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM channels WHERE address = 'eve@example.com' AND verified_at IS NULL").await,
        0
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM channels WHERE kind = 'webhook'").await,
        0
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM deliveries").await,
        deliveries
    );
    // Eve's list and dashboard show only her own.
    let list = eve.get("/groups").await;
    assert_eq!(list.texts(".group-card h2 a"), ["Default", "Evil group"]);
    assert!(!list.body.contains("hooks.slack.com"));
    assert!(
        eve.get("/dashboard")
            .await
            .texts("#failing-channels")
            .is_empty()
    );
    assert!(
        !ada.get("/dashboard")
            .await
            .texts("#failing-channels")
            .is_empty()
    );
    // Acme's monitor in Eve's group's scope: not found, and her scope stays "all".
    crate::support::seed::provider(&app.db.pool, "github", "GitHub").await;
    ada.submit("/dashboard", "/monitors", &[("provider", "github")])
        .await;
    let acme_monitor: uuid::Uuid = sqlx::query_scalar("SELECT id FROM monitors")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let acme_monitor = acme_monitor.to_string();
    let scoped = eve
        .submit(
            &eve_group,
            &format!("{eve_group}/scope"),
            &[("scope", "chosen"), ("monitor", &acme_monitor)],
        )
        .await;
    assert_eq!(scoped.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM notification_groups WHERE name = 'Evil group' AND all_monitors"
        )
        .await,
        1
    );
    assert_eq!(count(&app, "SELECT count(*) FROM group_monitors").await, 0);
    // Pausing acts on Eve's workspace only.
    eve.submit("/groups", "/alerts/pause", &[]).await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM workspaces WHERE alerts_paused_at IS NOT NULL AND name = 'Acme'"
        )
        .await,
        0
    );
}

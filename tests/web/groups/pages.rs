//! The groups pages: the Default group, creating, renaming, filtering, scoping and deleting a
//! group, adding and removing channels, send test and its result, the webhook secret shown
//! once, and the failing-channel banner.

use reqwest::StatusCode;
use vw_store::deliveries::State;

use super::{
    add_integration, channel_id, count, create_group, flash, group_id, start, tried, workspace_id,
};
use crate::support::seed;

#[tokio::test]
async fn signup_makes_the_default_group_which_cannot_be_deleted() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let groups = ada.get("/groups").await;
    assert_eq!(groups.status, StatusCode::OK);
    assert_eq!(groups.texts(".group-card h2 a"), ["Default"]);
    assert_eq!(
        groups.texts(".group-card .filters"),
        ["Major, minor · opened, resolved"]
    );
    assert_eq!(groups.texts(".group-card .scope"), ["All monitors"]);
    assert_eq!(groups.texts(".channel-target"), ["ada@example.com"]);
    assert_eq!(groups.texts(".channel .pill"), ["Verified"]);
    assert!(
        groups.body.contains("href=\"/groups\">Groups</a>"),
        "nav link"
    );

    let default = format!("/groups/{}", group_id(&app, "Acme", "Default").await);
    let page = ada.get(&default).await;
    assert!(page.texts("#delete-group").is_empty(), "no delete button");
    let refused = ada
        .submit(&default, &format!("{default}/delete"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("cannot be deleted"),
        "{}",
        refused.body
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM notification_groups").await,
        1
    );
}

#[tokio::test]
async fn a_group_is_created_renamed_filtered_scoped_and_deleted() {
    let app = start().await;
    seed::provider(&app.db.pool, "github", "GitHub").await;
    seed::provider(&app.db.pool, "stripe", "Stripe").await;
    let ada = app.member("ada@example.com", "Acme").await;
    for slug in ["github", "stripe"] {
        let added = ada
            .submit("/dashboard", "/monitors", &[("provider", slug)])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
    }
    let group = create_group(&ada, "On-call").await;
    let page = ada.get(&group).await;
    assert_eq!(page.texts("h1"), ["On-call"]);
    assert_eq!(page.texts("#summary"), ["Major, minor · opened, resolved"]);

    let saved = ada
        .submit(
            &group,
            &group,
            &[
                ("name", "  Platform team "),
                ("severity", "major"),
                ("severity", "maintenance"),
                ("event", "updated"),
                ("postmortems", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = ada.follow(&saved).await;
    assert_eq!(flash(&page), "Group saved.");
    assert_eq!(page.texts("h1"), ["Platform team"]);
    assert_eq!(
        page.texts("#summary"),
        ["Major, maintenance · updated · postmortems"]
    );
    assert_eq!(
        page.attr("input[name=severity][value=minor]", "checked"),
        None
    );
    assert!(page.attr("input[name=postmortems]", "checked").is_some());
    assert!(page.attr("input[name=page_health]", "checked").is_none());

    let github: uuid::Uuid = sqlx::query_scalar(
        "SELECT m.id FROM monitors m JOIN providers p ON p.id = m.provider_id WHERE p.slug = 'github'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let github = github.to_string();
    let scoped = ada
        .submit(
            &group,
            &format!("{group}/scope"),
            &[("scope", "chosen"), ("monitor", &github)],
        )
        .await;
    assert_eq!(scoped.status, StatusCode::SEE_OTHER, "{}", scoped.body);
    let page = ada.follow(&scoped).await;
    assert!(page.body.contains("1 chosen monitor"));
    assert_eq!(
        page.attr(&format!("input[name=monitor][value='{github}']"), "checked"),
        Some(String::new())
    );
    assert_eq!(count(&app, "SELECT count(*) FROM group_monitors").await, 1);
    let list = ada.get("/groups").await;
    assert_eq!(list.texts(".group-card h2 a"), ["Default", "Platform team"]);
    assert_eq!(list.texts(".group-card .scope")[1], "1 chosen monitor");

    let all = ada
        .submit(&group, &format!("{group}/scope"), &[("scope", "all")])
        .await;
    assert!(ada.follow(&all).await.body.contains("All monitors"));

    let deleted = ada.submit(&group, &format!("{group}/delete"), &[]).await;
    assert_eq!(deleted.location(), Some("/groups"));
    assert_eq!(ada.get(&group).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(&app, "SELECT count(*) FROM notification_groups").await,
        1
    );
}

#[tokio::test]
async fn recipients_and_integrations_are_added_shown_masked_and_removed() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let group = create_group(&ada, "Ops").await;
    let added = ada
        .submit(
            &group,
            &format!("{group}/recipients"),
            &[("email", "Bob@Example.com")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert!(flash(&ada.follow(&added).await).contains("confirmation e-mail"));
    let slack_url = "https://hooks.slack.com/services/T0000/B0000/SuperSecretToken123";
    let slack = add_integration(&ada, &group, "slack", slack_url).await;
    assert_eq!(slack.status, StatusCode::SEE_OTHER, "{}", slack.body);
    let page = ada.get(&group).await;
    let targets = page.texts("#channels .channel-target");
    assert_eq!(targets[0], "bob@example.com");
    assert!(
        targets[1].starts_with("https://hooks.slack.com/"),
        "{targets:?}"
    );
    assert!(
        !page.body.contains("SuperSecretToken123"),
        "the URL is masked"
    );
    assert_eq!(
        page.texts("#channels .pill-channel-unverified"),
        ["Unverified"]
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM channels WHERE kind = 'slack'").await,
        1
    );
    let groups = ada.get("/groups").await;
    assert!(!groups.body.contains("SuperSecretToken123"));
    assert_eq!(groups.texts(".channel-kind").len(), 3, "ada, bob and slack");

    let bob = channel_id(&app, "bob@example.com").await;
    let removed = ada
        .submit(&group, &format!("/channels/{bob}/remove"), &[])
        .await;
    assert_eq!(removed.location(), Some(group.as_str()));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM channels WHERE address = 'bob@example.com'"
        )
        .await,
        0
    );
    // Sending a test to an unconfirmed address is refused with the reason.
    let carol = ada
        .submit(
            &group,
            &format!("{group}/recipients"),
            &[("email", "carol@example.com")],
        )
        .await;
    assert_eq!(carol.status, StatusCode::SEE_OTHER);
    let carol = channel_id(&app, "carol@example.com").await;
    let refused = ada
        .submit(&group, &format!("/channels/{carol}/test"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("not been confirmed"));
    assert_eq!(count(&app, "SELECT count(*) FROM deliveries").await, 0);
}

#[tokio::test]
async fn a_webhook_secret_is_shown_once() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let group = create_group(&ada, "Hooks").await;
    let added = add_integration(
        &ada,
        &group,
        "webhook",
        "https://hooks.example.com/vendorwatch",
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let secret = added.attr("#webhook-secret input.secret", "value").unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert!(secret.len() > 20);
    for path in [group.as_str(), "/groups", &format!("{group}/log")] {
        let again = ada.get(path).await;
        assert!(
            !again.body.contains(&secret),
            "{path} shows the secret again"
        );
        assert!(!again.body.contains("whsec_"), "{path}");
    }
    let hook = channel_id(&app, "hooks.example.com").await;
    let channel = ada.get(&format!("{group}/channels/{hook}")).await;
    assert_eq!(channel.status, StatusCode::OK);
    assert!(!channel.body.contains("whsec_"));
}

#[tokio::test]
async fn an_office_365_connector_is_refused_with_the_workflows_advice() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let group = create_group(&ada, "Teams").await;
    let refused = add_integration(
        &ada,
        &group,
        "teams",
        "https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456",
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Workflows"), "{}", refused.body);
    assert!(
        refused.body.to_lowercase().contains("retired"),
        "{}",
        refused.body
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM channels WHERE kind = 'teams'").await,
        0
    );
}

#[tokio::test]
async fn send_test_queues_a_delivery_whose_result_shows_on_the_page_and_dashboard() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let group = create_group(&ada, "Hooks").await;
    add_integration(&ada, &group, "webhook", "https://hooks.example.com/vw").await;
    let hook = channel_id(&app, "hooks.example.com").await;
    let queued = ada
        .submit(&group, &format!("/channels/{hook}/test"), &[])
        .await;
    assert_eq!(queued.status, StatusCode::SEE_OTHER, "{}", queued.body);
    let page = ada.follow(&queued).await;
    assert!(flash(&page).contains("Test message queued"));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM deliveries WHERE state = 'pending' AND event_id IS NULL"
        )
        .await,
        1
    );
    assert_eq!(
        page.attr(".latest .pill", "data-state").as_deref(),
        Some("pending")
    );
    assert!(
        ada.get("/dashboard")
            .await
            .texts("#failing-channels")
            .is_empty()
    );

    // The worker's answer comes back: a failure.
    let acme = workspace_id(&app, "Acme").await;
    tried(
        &app,
        acme,
        hook,
        &[
            (Some(500), "HTTP 500: <b>oops</b>", "retry"),
            (Some(400), "HTTP 400: bad payload", "permanent"),
        ],
        State::Failed,
    )
    .await;
    let page = ada.get(&group).await;
    assert_eq!(
        page.attr(".latest .pill", "data-state").as_deref(),
        Some("failed")
    );
    assert!(
        page.texts(".latest")
            .join(" ")
            .contains("HTTP 400: bad payload")
    );
    assert_eq!(page.texts("#channels .pill-channel-failing"), ["Failing"]);
    let dashboard = ada.get("/dashboard").await;
    assert_eq!(
        dashboard.attr("#failing-channels a", "href"),
        Some(group.clone())
    );

    let channel = ada.get(&format!("{group}/channels/{hook}")).await;
    let attempts = channel.texts(".attempt td:nth-child(4)");
    assert_eq!(
        attempts,
        ["500", "400"],
        "both attempts of the failed delivery"
    );
    assert!(!channel.body.contains("<b>oops"), "escaped");
    assert_eq!(
        channel.texts(".attempt td:nth-child(5)")[0],
        "HTTP 500: <b>oops</b>"
    );
    let log = ada.get(&format!("{group}/log")).await;
    let states = log.texts("#delivery-log .pill");
    assert_eq!(states, ["Failed", "Pending"], "newest first");
}

//! Odd and hostile input: a clear refusal and nothing stored; vendor-like text shown
//! escaped and isolated.

use reqwest::StatusCode;

use super::{add_integration, count, create_group, start};

#[tokio::test]
async fn hostile_group_names_are_refused_or_shown_isolated() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let nul = ada
        .submit("/groups", "/groups", &[("name", "On\0call")])
        .await;
    assert_eq!(nul.status, StatusCode::BAD_REQUEST);
    assert!(nul.body.contains("control characters"), "{}", nul.body);
    let long = "x".repeat(101);
    let too_long = ada.submit("/groups", "/groups", &[("name", &long)]).await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert!(too_long.body.contains("1 to 100 characters"));
    let megabyte = "y".repeat(1 << 20);
    let huge = ada
        .submit("/groups", "/groups", &[("name", &megabyte)])
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    let blank = ada.submit("/groups", "/groups", &[("name", "   ")]).await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        count(&app, "SELECT count(*) FROM notification_groups").await,
        1
    );

    // Bidi overrides are not control characters to Rust: kept, but shown inside <bdi>.
    let bidi = "Ops \u{202e}gnp.exe";
    let group = create_group(&ada, bidi).await;
    let page = ada.get(&group).await;
    assert!(
        page.body.contains(&format!("<h1><bdi>{bidi}</bdi>")),
        "{}",
        page.body
    );
    let script = create_group(&ada, "<script>alert(1)</script>").await;
    let shown = ada.get(&script).await;
    assert!(!shown.body.contains("<script>alert(1)"));
    assert_eq!(
        shown.texts("h1"),
        ["<script>alert(1)</script>"],
        "escaped, shown as text"
    );
    let duplicate = ada.submit("/groups", "/groups", &[("name", bidi)]).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert!(duplicate.body.contains("already has a group of that name"));
}

#[tokio::test]
async fn hostile_urls_and_addresses_are_refused_and_nothing_is_stored() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let group = create_group(&ada, "Ops").await;
    let long_url = format!("https://hooks.example.com/{}", "a".repeat(10_000));
    for (kind, url) in [
        ("webhook", "javascript:alert(1)"),
        ("webhook", "http://hooks.example.com/plain-http"),
        ("webhook", "https://127.0.0.1/hook"),
        ("webhook", "https://10.0.0.8/hook"),
        ("webhook", "https://169.254.169.254/latest/meta-data"),
        ("webhook", "https://[::1]/hook"),
        ("webhook", "https://localhost/hook"),
        ("slack", "https://evil.example.com/services/T/B/x"),
        (
            "discord",
            "https://discord.com.evil.example/api/webhooks/1/x",
        ),
        ("webhook", long_url.as_str()),
        ("webhook", ""),
        ("email", "https://hooks.example.com/x"),
        ("smtp", "https://hooks.example.com/x"),
    ] {
        let refused = add_integration(&ada, &group, kind, url).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{kind} {url:?}");
        assert!(!refused.body.contains("whsec_"), "{url:?}");
    }
    for address in [
        "not-an-address",
        "a@b",
        "bob@example.com\0",
        "a b@example.com",
    ] {
        let refused = ada
            .submit(
                &group,
                &format!("{group}/recipients"),
                &[("email", address)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{address:?}");
    }
    assert_eq!(
        count(&app, "SELECT count(*) FROM channels").await,
        1,
        "ada's only"
    );
    let bad_filter = ada
        .submit(
            &group,
            &group,
            &[("name", "Ops"), ("severity", "apocalyptic")],
        )
        .await;
    assert_eq!(bad_filter.status, StatusCode::BAD_REQUEST);
    assert!(bad_filter.body.contains("not a severity"));
    let bad_monitor = ada
        .submit(
            &group,
            &format!("{group}/scope"),
            &[("scope", "chosen"), ("monitor", "../../etc")],
        )
        .await;
    assert_eq!(bad_monitor.status, StatusCode::NOT_FOUND);
    assert_eq!(
        ada.get("/groups/not-a-uuid").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM notification_groups WHERE all_monitors"
        )
        .await,
        2
    );
}

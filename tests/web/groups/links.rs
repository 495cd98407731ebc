//! The links in e-mails, without a session: confirming an address, and RFC 8058 one-click
//! unsubscribe (GET asks, POST does; forged tokens 404; nothing cached).

use reqwest::StatusCode;
use reqwest::header::CACHE_CONTROL;
use url::Url;
use vw_domain::ChannelId;

use super::{channel_id, count, create_group, secrets, start};

fn path(url: &Url) -> String {
    url.path().to_owned()
}

#[tokio::test]
async fn a_verification_link_confirms_the_address_and_a_forged_one_is_404() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let group = create_group(&ada, "Ops").await;
    ada.submit(
        &group,
        &format!("{group}/recipients"),
        &[("email", "bob@example.com")],
    )
    .await;
    let bob = ChannelId(channel_id(&app, "bob@example.com").await);
    let base: Url = app.base.parse().unwrap();
    let link = path(&vw_app::channels::verify_url(&secrets(), &base, bob));

    let stranger = app.browser();
    let mut forged = link.clone();
    forged.pop();
    forged.push(if link.ends_with('A') { 'B' } else { 'A' });
    let refused = stranger.get(&forged).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    // An unsubscribe token is no verification token.
    let unsubscribe = path(&vw_app::channels::unsubscribe_url(&secrets(), &base, bob));
    let wrong = unsubscribe.replacen("/u/", "/verify/", 1);
    assert_eq!(stranger.get(&wrong).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM channels WHERE verified_at IS NOT NULL"
        )
        .await,
        1,
        "ada's only"
    );

    let confirmed = stranger.get(&link).await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert_eq!(confirmed.texts("h1"), ["Address confirmed"]);
    assert_eq!(confirmed.headers.get(CACHE_CONTROL).unwrap(), "no-store");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM channels WHERE verified_at IS NOT NULL"
        )
        .await,
        2
    );
    assert_eq!(
        stranger.get(&link).await.status,
        StatusCode::OK,
        "idempotent"
    );
    assert_eq!(
        ada.get(&group)
            .await
            .texts("#channels .pill-channel-verified")
            .len(),
        1
    );
}

#[tokio::test]
async fn unsubscribe_asks_on_get_and_removes_on_a_sessionless_post() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let ada_channel = ChannelId(channel_id(&app, "ada@example.com").await);
    let base: Url = app.base.parse().unwrap();
    let link = path(&vw_app::channels::unsubscribe_url(
        &secrets(),
        &base,
        ada_channel,
    ));

    let mail_client = app.browser();
    let asked = mail_client.get(&link).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert_eq!(asked.headers.get(CACHE_CONTROL).unwrap(), "no-store");
    assert!(asked.body.contains("ada@example.com"));
    assert_eq!(
        asked.attr("#unsubscribe form", "action"),
        Some(link.clone())
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM channels").await,
        1,
        "GET changes nothing"
    );

    let forged = format!("{}x", &link[..link.len() - 1]);
    let refused = mail_client
        .post_raw(&forged, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(mail_client.get(&forged).await.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "SELECT count(*) FROM channels").await, 1);

    // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click`, no session, no CSRF.
    let done = mail_client
        .post_raw(&link, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.headers.get(CACHE_CONTROL).unwrap(), "no-store");
    assert_eq!(done.texts("h1"), ["Unsubscribed"]);
    assert_eq!(count(&app, "SELECT count(*) FROM channels").await, 0);
    let again = mail_client
        .post_raw(&link, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(again.status, StatusCode::OK, "a second POST says the same");
    assert!(ada.get("/groups").await.texts(".channel-target").is_empty());
}

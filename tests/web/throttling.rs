//! Throttles that concurrency cannot outrun: sign-in guesses and sign-ups, counted in the
//! database.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use vw_web::TrustedProxies;

use crate::app::{App, Browser, PASSWORD};

#[tokio::test]
async fn forty_parallel_guesses_get_ten_checks_and_then_even_the_password_waits() {
    let app = App::start().await;
    app.member("ada@example.com", "Acme").await;
    let browser = app.browser();
    let token = browser.get("/login").await.csrf_token();
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..40 {
        let (client, url, token) = (
            browser.client.clone(),
            format!("{}/login", app.base),
            token.clone(),
        );
        guesses.spawn(async move {
            let password = format!("wrong password {n}");
            let fields = [
                ("csrf_token", token.as_str()),
                ("email", "ada@example.com"),
                ("password", password.as_str()),
            ];
            client
                .post(url)
                .form(&fields)
                .send()
                .await
                .unwrap()
                .status()
        });
    }
    let answers = guesses.join_all().await;
    let checked = answers
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (10, 30), "{answers:?}");

    let blocked = browser.log_in("ada@example.com", PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.headers.contains_key("retry-after"));

    sqlx::query("UPDATE login_failures SET failed_at = failed_at - interval '16 minutes'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let later = browser.log_in("ada@example.com", PASSWORD).await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "the window has passed");
}

#[tokio::test]
async fn right_passwords_do_not_count_against_the_address() {
    let app = App::start().await;
    app.member("ada@example.com", "Acme").await;
    // An office behind one address signs in all morning.
    for n in 0..12 {
        let response = app.browser().log_in("ada@example.com", PASSWORD).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "sign-in {n}");
    }
    let wrong = app
        .browser()
        .log_in("bob@example.com", "wrong password")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let failures: i64 = sqlx::query_scalar("SELECT count(*) FROM login_failures")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        failures, 2,
        "the one failure, under its email and its address"
    );
}

#[tokio::test]
async fn the_sixth_sign_up_from_one_address_within_the_hour_waits_and_creates_nothing() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let link = crate::invitations::invite(&ada, "bob@example.com", "member").await;
    for n in 2..=5 {
        app.member(&format!("user{n}@example.com"), &format!("Workspace {n}"))
            .await;
    }
    let sixth = app
        .browser()
        .sign_up("user6@example.com", PASSWORD, "Workspace 6")
        .await;
    assert_eq!(
        sixth.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        sixth.body
    );
    let retry_after: u64 = sixth.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    assert!(sixth.body.contains("Too many sign-ups"), "{}", sixth.body);

    // Signing up through an invitation counts alike.
    let bob = app.browser();
    let invitation = format!("/invite/{}", link.rsplit('/').next().unwrap());
    let token = bob.get(&invitation).await.csrf_token();
    let joined = bob
        .post_raw(
            &format!("{invitation}/signup"),
            &[("csrf_token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(joined.status, StatusCode::TOO_MANY_REQUESTS);

    for count in [
        "SELECT count(*) FROM users",
        "SELECT count(*) FROM workspaces",
        "SELECT count(*) FROM memberships",
    ] {
        let rows: i64 = sqlx::query_scalar(count)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(rows, 5, "{count}");
    }

    // An hour later the door opens again.
    sqlx::query("UPDATE signup_attempts SET attempted_at = attempted_at - interval '61 minutes'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let later = app
        .browser()
        .sign_up("user6@example.com", PASSWORD, "Workspace 6")
        .await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "{}", later.body);
}

/// A browser behind a proxy that says it forwards for `forwarded_for`.
fn behind_proxy(app: &App, forwarded_for: &str) -> Browser {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        HeaderValue::from_str(forwarded_for).unwrap(),
    );
    app.browser_sending(headers)
}

/// Ten failures from `client`, each for another email (so that only the address adds up).
async fn fail_ten_times(client: &Browser) {
    for n in 0..10 {
        let email = format!("guess{n}@example.com");
        let response = client.log_in(&email, "wrong password").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "guess {n}");
    }
}

#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_throttled_by_their_own_address() {
    let app = App::start_with(None, |config| {
        config.trusted_proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
    })
    .await;
    fail_ten_times(&behind_proxy(&app, "203.0.113.1")).await;
    let again = behind_proxy(&app, "203.0.113.1")
        .log_in("guess10@example.com", "wrong password")
        .await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    // What the client wrote to the left of what the proxies added is its own say-so.
    let spoofed = behind_proxy(&app, "198.51.100.2, 203.0.113.1, 10.1.2.3")
        .log_in("guess11@example.com", "wrong password")
        .await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);

    let other = behind_proxy(&app, "198.51.100.2")
        .log_in("guess12@example.com", "wrong password")
        .await;
    assert_eq!(
        other.status,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy is not locked out"
    );
}

#[tokio::test]
async fn x_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let app = App::start().await;
    fail_ten_times(&behind_proxy(&app, "203.0.113.1")).await;
    let other = behind_proxy(&app, "198.51.100.2")
        .log_in("guess10@example.com", "wrong password")
        .await;
    assert_eq!(
        other.status,
        StatusCode::TOO_MANY_REQUESTS,
        "anyone can write the header: the peer's address counts"
    );
}

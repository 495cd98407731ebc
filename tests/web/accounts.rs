//! Signing up, signing in and out, sessions, CSRF and throttling.

use reqwest::StatusCode;

use crate::app::{App, PASSWORD};

#[tokio::test]
async fn signup_creates_an_owned_free_workspace_and_lands_on_the_dashboard() {
    let app = App::start().await;
    let browser = app.browser();
    let response = browser
        .sign_up("  Ada@Example.COM ", PASSWORD, "Acme")
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/dashboard"));
    let cookie = response
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("vw_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=2592000"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http must not get Secure: {cookie}"
    );

    let dashboard = browser.follow(&response).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert_eq!(dashboard.texts("h1"), ["Acme"]);
    assert!(dashboard.body.contains("Add your first monitor"));
    assert!(dashboard.body.contains("0 of 5 monitors"));
    assert_eq!(
        app.role("Acme", "ada@example.com").await.as_deref(),
        Some("owner")
    );
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[tokio::test]
async fn cookies_are_secure_when_the_site_is_https() {
    let app = App::start_with_base(Some("https://vendorwatch.example")).await;
    let response = app
        .browser()
        .sign_up("ada@example.com", PASSWORD, "Acme")
        .await;
    let session = response
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("__Host-vw_session="))
        .expect("a session cookie");
    assert!(session.contains("; Secure"), "{session}");
}

#[tokio::test]
async fn a_taken_email_is_refused_whatever_its_case_without_saying_so() {
    let app = App::start().await;
    app.member("ada@example.com", "Acme").await;
    let second = app
        .browser()
        .sign_up("ADA@example.com ", PASSWORD, "Other")
        .await;
    // The page anyone gets who may have an account: it must not tell a visitor which
    // addresses have one.
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.texts("h1"), ["Check your inbox"]);
    assert!(!second.body.contains("already exists"), "{}", second.body);
    assert!(
        !second.body.contains("Acme"),
        "nothing of the account shows: {}",
        second.body
    );
    assert!(
        !second
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("vw_session=")),
        "nobody is signed in"
    );
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let workspaces: i64 = sqlx::query_scalar("SELECT count(*) FROM workspaces")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        (users, workspaces),
        (1, 1),
        "the refused signup left nothing behind"
    );
}

#[tokio::test]
async fn signup_checks_its_fields() {
    let app = App::start().await;
    let browser = app.browser();
    let short = browser.sign_up("ada@example.com", "short", "Acme").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("8 to 128 characters"));
    let long = browser
        .sign_up("ada@example.com", &"x".repeat(129), "Acme")
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let email = browser.sign_up("not-an-email", PASSWORD, "Acme").await;
    assert!(email.body.contains("valid email"));
    let name = browser.sign_up("ada@example.com", PASSWORD, "   ").await;
    assert!(name.body.contains("workspace a name"));
    // The form keeps what was typed, escaped.
    let hostile = browser
        .sign_up("ada@example.com", "short", "<script>x</script>")
        .await;
    assert!(hostile.body.contains("&#60;script&#62;") || hostile.body.contains("&lt;script&gt;"));
    assert!(!hostile.body.contains("<script>x</script>"));
}

#[tokio::test]
async fn a_wrong_password_signs_nobody_in() {
    let app = App::start().await;
    app.member("ada@example.com", "Acme").await;
    let browser = app.browser();
    let wrong = browser.log_in("ada@example.com", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Wrong email or password"));
    assert!(
        !wrong
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("vw_session="))
    );
    let unknown = browser.log_in("nobody@example.com", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(
        unknown.body.contains("Wrong email or password"),
        "same answer for unknown emails"
    );
    assert_eq!(
        browser.get("/dashboard").await.status,
        StatusCode::SEE_OTHER
    );

    let right = browser.log_in("ADA@example.com", PASSWORD).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.follow(&right).await.texts("h1"), ["Acme"]);
}

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for_and_only_on_this_site() {
    let app = App::start().await;
    app.member("ada@example.com", "Acme").await;
    let browser = app.browser();
    let asked = browser.get("/settings/workspace").await;
    assert_eq!(
        asked.location(),
        Some("/login?next=%2Fsettings%2Fworkspace")
    );
    let form = browser.follow(&asked).await;
    assert_eq!(
        form.attr("input[name=next]", "value").as_deref(),
        Some("/settings/workspace")
    );
    let token = form.csrf_token();
    let fields = [
        ("csrf_token", token.as_str()),
        ("email", "ada@example.com"),
        ("password", PASSWORD),
        ("next", "/settings/workspace"),
    ];
    let response = browser.post_raw("/login", &fields).await;
    assert_eq!(response.location(), Some("/settings/workspace"));

    let other = app.browser();
    let token = other.get("/login").await.csrf_token();
    let fields = [
        ("csrf_token", token.as_str()),
        ("email", "ada@example.com"),
        ("password", PASSWORD),
        ("next", "//evil.example/"),
    ];
    assert_eq!(
        other.post_raw("/login", &fields).await.location(),
        Some("/dashboard")
    );
}

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_refused() {
    let app = App::start().await;
    let browser = app.browser();
    let fields = [
        ("email", "ada@example.com"),
        ("password", PASSWORD),
        ("workspace", "Acme"),
    ];
    let missing = browser.post_raw("/signup", &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("security token"), "{}", missing.body);
    let mut wrong = vec![("csrf_token", "x".repeat(43))];
    wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        browser.post_raw("/signup", &wrong).await.status,
        StatusCode::FORBIDDEN
    );
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(users, 0);

    // Signed in, the anonymous token no longer counts: only the session's does.
    let anonymous_token = browser.get("/login").await.csrf_token();
    let ada = app.member("ada@example.com", "Acme").await;
    let stale = ada
        .post_raw(
            "/settings/workspace/name",
            &[("csrf_token", &anonymous_token), ("name", "Hacked")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    let logout = ada.post_raw("/logout", &[]).await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(
        ada.get("/dashboard").await.texts("h1"),
        ["Acme"],
        "still signed in, not renamed"
    );
}

#[tokio::test]
async fn logout_ends_the_session_for_good() {
    let app = App::start().await;
    let browser = app.member("ada@example.com", "Acme").await;
    let dashboard = browser.get("/dashboard").await;
    let token = dashboard.csrf_token();
    let out = browser.post_raw("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        browser.cookie("vw_session").is_none(),
        "the cookie is removed"
    );
    assert_eq!(
        browser.get("/dashboard").await.status,
        StatusCode::SEE_OTHER
    );
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "the session row is deleted");
}

#[tokio::test]
async fn an_old_session_token_is_worthless_after_logout_and_login_issues_a_new_one() {
    let app = App::start().await;
    let browser = app.member("ada@example.com", "Acme").await;
    let first = browser.cookie("vw_session").unwrap();
    let token = browser.get("/dashboard").await.csrf_token();
    browser.post_raw("/logout", &[("csrf_token", &token)]).await;
    let again = browser.log_in("ada@example.com", PASSWORD).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let second = browser.cookie("vw_session").unwrap();
    assert_ne!(first, second, "a new session id at login");

    let replay = app.browser();
    let response = replay
        .client
        .get(format!("{}/dashboard", app.base))
        .header("cookie", format!("vw_session={first}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the logged-out token opens nothing"
    );
}

#[tokio::test]
async fn an_expired_session_is_treated_as_signed_out() {
    let app = App::start().await;
    let browser = app.member("ada@example.com", "Acme").await;
    assert_eq!(browser.get("/dashboard").await.status, StatusCode::OK);
    sqlx::query("UPDATE sessions SET expires_at = now() - interval '1 second'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let response = browser.get("/dashboard").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/login?next=%2Fdashboard"));
}

#[tokio::test]
async fn ten_failures_for_one_email_close_the_door_with_retry_after() {
    let app = App::start().await;
    app.member("ada@example.com", "Acme").await;
    let browser = app.browser();
    for attempt in 1..=10 {
        let response = browser.log_in("ada@example.com", "wrong password").await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let blocked = browser.log_in("ada@example.com", PASSWORD).await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let retry_after: u64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert!(blocked.body.contains("Too many failed sign-ins"));

    // Fifteen minutes later the door opens again.
    sqlx::query("UPDATE login_failures SET failed_at = failed_at - interval '16 minutes'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        browser.log_in("ada@example.com", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn ten_failures_from_one_address_close_the_door_for_every_email() {
    let app = App::start().await;
    app.member("ada@example.com", "Acme").await;
    let browser = app.browser();
    for n in 0..10 {
        let email = format!("guess{n}@example.com");
        assert_eq!(
            browser.log_in(&email, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let blocked = browser.log_in("ada@example.com", PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.headers.contains_key("retry-after"));
}

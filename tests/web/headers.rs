//! What responses tell browsers and caches: HSTS and `__Host-` cookies when the site is
//! https, and that signed-in pages are not to be stored.

use reqwest::StatusCode;

use crate::app::{App, PASSWORD, Page};

const HTTPS: &str = "https://vendorwatch.example";

fn cookie(page: &Page, name: &str) -> Option<String> {
    page.set_cookies()
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
}

#[tokio::test]
async fn an_https_site_sends_hsts_and_host_only_cookies() {
    let app = App::start_with_base(Some(HTTPS)).await;
    let browser = app.browser();
    for path in [
        "/",
        "/login",
        "/static/app.css",
        "/healthz",
        "/no/such/page",
    ] {
        let page = browser.get(path).await;
        assert_eq!(
            page.headers
                .get("strict-transport-security")
                .map(|v| v.to_str().unwrap()),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }

    let browser = app.browser();
    let form = browser.get("/signup").await;
    let csrf = cookie(&form, "__Host-vw_csrf").expect("a __Host- CSRF cookie");
    let signed_up = browser.sign_up("ada@example.com", PASSWORD, "Acme").await;
    assert_eq!(
        signed_up.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_up.body
    );
    let session = cookie(&signed_up, "__Host-vw_session").expect("a __Host- session cookie");
    for cookie in [&csrf, &session] {
        // What browsers require of a __Host- cookie, or they drop it.
        assert!(cookie.contains("; Secure"), "{cookie}");
        assert!(cookie.contains("; Path=/"), "{cookie}");
        assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    }
    assert!(
        !signed_up.set_cookies().iter().any(|c| c.starts_with("vw_")),
        "no cookie under its plain name"
    );
    // The session works under its new name, and signing out removes it.
    let dashboard = browser.get("/dashboard").await;
    assert_eq!(dashboard.texts("h1"), ["Acme"]);
    let out = browser
        .post_raw("/logout", &[("csrf_token", &dashboard.csrf_token())])
        .await;
    let cleared = cookie(&out, "__Host-vw_session").expect("the session cookie cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert!(browser.cookie("__Host-vw_session").is_none());
}

#[tokio::test]
async fn a_plain_http_site_keeps_its_cookie_names_and_sends_no_hsts() {
    let app = App::start().await;
    let browser = app.browser();
    let form = browser.get("/signup").await;
    assert!(!form.headers.contains_key("strict-transport-security"));
    assert!(cookie(&form, "vw_csrf").is_some());
    let signed_up = browser.sign_up("ada@example.com", PASSWORD, "Acme").await;
    let session = cookie(&signed_up, "vw_session").expect("a session cookie");
    assert!(!session.contains("Secure"), "{session}");
}

#[tokio::test]
async fn signed_in_pages_are_not_stored() {
    let app = App::start().await;
    let no_store = |page: &Page| {
        page.headers
            .get("cache-control")
            .is_some_and(|v| v.to_str().unwrap() == "no-store")
    };
    let anonymous = app.browser();
    for path in ["/dashboard", "/settings/workspace", "/workspaces/new"] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(no_store(&page), "{path} needs sign-in");
    }
    for path in ["/", "/providers", "/login", "/static/app.css"] {
        let page = anonymous.get(path).await;
        assert!(!no_store(&page), "{path} is the same for everyone");
    }

    let ada = app.member("ada@example.com", "Acme").await;
    for path in [
        "/",
        "/dashboard",
        "/settings/workspace",
        "/workspaces/new",
        "/providers",
        "/login",
    ] {
        let page = ada.get(path).await;
        assert!(
            no_store(&page),
            "{path} for a signed-in visitor: {:?}",
            page.headers
        );
    }
    // A form's answer too.
    let renamed = ada
        .submit(
            "/settings/workspace",
            "/settings/workspace/name",
            &[("name", "Acme Two")],
        )
        .await;
    assert!(no_store(&renamed));
}

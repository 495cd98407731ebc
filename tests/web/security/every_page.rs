//! The security headers on every page the router has, whatever it answers: a CSP that runs
//! no inline script and lets no one frame the site, no MIME sniffing, a referrer kept to the
//! site, and HSTS when the site is https.

use axum::http::Method;
use vw_web::page_routes;

use super::World;
use crate::app::{App, Page};

fn header<'a>(page: &'a Page, name: &str) -> Option<&'a str> {
    page.headers.get(name).and_then(|v| v.to_str().ok())
}

fn check(page: &Page, what: &str) {
    let csp = header(page, "content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP"));
    let directive = |name: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.starts_with(&format!("{name} ")))
    };
    let scripts = directive("script-src").or_else(|| directive("default-src"));
    let scripts = scripts.unwrap_or_else(|| panic!("{what}: CSP names no script source: {csp}"));
    assert!(
        !scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'"),
        "{what}: {scripts}"
    );
    assert_eq!(
        directive("frame-ancestors"),
        Some("frame-ancestors 'none'"),
        "{what}: {csp}"
    );
    assert_eq!(
        header(page, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert!(
        header(page, "referrer-policy").is_some(),
        "{what}: no Referrer-Policy"
    );
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let world = World::new().await;
    let gets: Vec<_> = page_routes()
        .into_iter()
        .filter(|r| r.method == Method::GET)
        .collect();
    assert!(gets.len() > 25, "{} GET routes", gets.len());
    let anonymous = world.app.browser();
    for route in &gets {
        let path = world.path(route, &world.acme, None);
        let signed_in = world.acme.browser.get(&path).await;
        check(
            &signed_in,
            &format!("GET {} signed in ({})", route.path, signed_in.status),
        );
        assert!(
            header(&signed_in, "strict-transport-security").is_none(),
            "no HSTS over plain http"
        );
        let visitor = anonymous.get(&path).await;
        check(
            &visitor,
            &format!("GET {} anonymous ({})", route.path, visitor.status),
        );
    }
}

#[tokio::test]
async fn every_page_of_an_https_site_carries_hsts() {
    // The browser reaches the server over plain http on loopback, so its Secure cookies never
    // come back: every page is seen as a visitor sees it, redirects to sign in included.
    // Ids of nobody's: a visitor is sent to sign in, or shown a 404, before any is looked up.
    let app = App::start_with_base(Some("https://vendorwatch.example")).await;
    let visitor = app.browser();
    for route in page_routes()
        .into_iter()
        .filter(|r| r.method == Method::GET)
    {
        let page = visitor.get(&World::path_of_nobody(&route)).await;
        let what = format!("GET {} ({})", route.path, page.status);
        check(&page, &what);
        assert_eq!(
            header(&page, "strict-transport-security"),
            Some("max-age=31536000; includeSubDomains"),
            "{what}"
        );
    }
}

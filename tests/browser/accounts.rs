//! Signing up, out and in through the forms, and a stale form refused the way a person sees it.

use crate::app::{App, PASSWORD};
use crate::driver::{ChromeDriver, Session};

/// Signs up from the home page's "Sign up" button, landing on the new workspace's dashboard.
pub async fn sign_up(browser: &Session, email: &str, workspace: &str) -> anyhow::Result<()> {
    browser.goto("/").await?;
    browser.click_link("Sign up").await?;
    browser.wait_for_path("/signup").await?;
    browser.fill("input[name=email]", email).await?;
    browser.fill("input[name=password]", PASSWORD).await?;
    browser.fill("input[name=workspace]", workspace).await?;
    browser
        .click("form[action='/signup'] button[type=submit]")
        .await?;
    browser.wait_for_path("/dashboard").await
}

async fn sign_out(browser: &Session) -> anyhow::Result<()> {
    browser.click("form[action='/logout'] button").await?;
    browser.wait_for_path("/").await
}

async fn log_in(browser: &Session, email: &str) -> anyhow::Result<()> {
    browser.click_link("Log in").await?;
    browser.wait_for_path("/login").await?;
    browser.fill("input[name=email]", email).await?;
    browser.fill("input[name=password]", PASSWORD).await?;
    browser
        .click("form[action='/login'] button[type=submit]")
        .await?;
    browser.wait_for_path("/dashboard").await
}

#[tokio::test]
async fn a_visitor_signs_up_signs_out_and_logs_back_in() -> anyhow::Result<()> {
    let app = App::start().await;
    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&app.base).await?;

    sign_up(&ada, "ada@example.com", "Analytical Engines").await?;
    assert_eq!(ada.texts("main h1").await?, ["Analytical Engines"]);
    assert_eq!(ada.text(".empty-state h2").await?, "Add your first monitor");
    assert_eq!(
        ada.text("details.switcher summary").await?,
        "Analytical Engines"
    );
    let shot = ada.screenshot("dashboard").await?;
    eprintln!("dashboard screenshot: {}", shot.display());

    sign_out(&ada).await?;
    assert_eq!(ada.text(".flash p").await?, "You have signed out.");
    assert_eq!(
        ada.text(".hero h1").await?,
        "Know the moment a vendor you depend on goes down."
    );
    assert!(ada.texts("nav.nav a").await?.contains(&"Log in".to_owned()));
    ada.goto("/dashboard").await?;
    ada.wait_for_path("/login").await?;

    ada.goto("/").await?;
    log_in(&ada, "ada@example.com").await?;
    assert_eq!(ada.texts("main h1").await?, ["Analytical Engines"]);
    assert_eq!(ada.text(".empty-state h2").await?, "Add your first monitor");
    ada.close().await
}

/// Three tabs of one browser: two hold the settings page; the third signs out, which sends
/// the first tab's rename to the sign-in page, then signs in again, after which the second
/// tab's form carries a token of a session that is gone.
#[tokio::test]
async fn a_form_from_before_signing_out_is_refused_as_expired() -> anyhow::Result<()> {
    let app = App::start().await;
    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&app.base).await?;
    sign_up(&ada, "ada@example.com", "Acme").await?;

    let first = ada.client.window().await?;
    ada.goto("/settings/workspace").await?;
    let second = ada.client.new_window(true).await?.handle;
    ada.client.switch_to_window(second.clone()).await?;
    ada.goto("/settings/workspace").await?;
    let third = ada.client.new_window(true).await?.handle;
    ada.client.switch_to_window(third.clone()).await?;
    ada.goto("/dashboard").await?;
    sign_out(&ada).await?;

    ada.client.switch_to_window(first).await?;
    ada.fill(
        "form[action='/settings/workspace/name'] input[name=name]",
        "Signed out",
    )
    .await?;
    ada.click("form[action='/settings/workspace/name'] button")
        .await?;
    ada.wait_for_path("/login").await?;

    ada.client.switch_to_window(third).await?;
    log_in(&ada, "ada@example.com").await?;

    ada.client.switch_to_window(second).await?;
    ada.fill(
        "form[action='/settings/workspace/name'] input[name=name]",
        "Stale",
    )
    .await?;
    ada.click("form[action='/settings/workspace/name'] button")
        .await?;
    ada.wait_for_path("/settings/workspace/name").await?;
    assert_eq!(ada.status().await?, 403);
    assert_eq!(ada.text(".error-page h1").await?, "Form expired");
    assert_eq!(ada.text(".error-page .status-code").await?, "403");
    assert!(
        ada.text(".error-page").await?.contains("reload the page"),
        "the page says what to do"
    );
    // In the site's look: its header and its stylesheet, which lays the header out.
    assert_eq!(ada.text("header.topbar .brand").await?, "◉ vendorwatch");
    let header = ada
        .client
        .find(fantoccini::Locator::Css("header.topbar"))
        .await?;
    assert_eq!(header.css_value("display").await?, "flex");

    ada.goto("/dashboard").await?;
    assert_eq!(ada.texts("main h1").await?, ["Acme"], "never renamed");
    ada.close().await
}

//! An owner invites someone by link; the invitee opens it in a browser of their own.

use crate::accounts::sign_up;
use crate::app::{App, PASSWORD};
use crate::driver::ChromeDriver;

#[tokio::test]
async fn an_invitee_opens_the_link_creates_an_account_and_joins() -> anyhow::Result<()> {
    let app = App::start().await;
    let driver = ChromeDriver::start().await?;
    let owner = driver.session(&app.base).await?;
    sign_up(&owner, "owner@example.com", "Orbit Labs").await?;

    owner.goto("/settings/workspace").await?;
    let invite = "form[action='/settings/workspace/invitations']";
    owner
        .fill(&format!("{invite} input[name=email]"), "bea@example.com")
        .await?;
    owner.click(&format!("{invite} button")).await?;
    owner.wait_for_path("/settings/workspace").await?;
    let link = owner
        .client
        .find(fantoccini::Locator::Css(".flash input.copy"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(
        link.starts_with(&format!("{}/invite/", app.base)),
        "an invitation link: {link:?}"
    );
    assert_eq!(
        owner.texts("#invitations tbody td:first-child").await?,
        ["bea@example.com"]
    );

    // A fresh profile: no cookie of the owner's.
    let bea = driver.session(&app.base).await?;
    bea.goto(&link).await?;
    assert_eq!(bea.text("main h1").await?, "Join Orbit Labs");
    assert!(
        bea.texts("nav.nav a").await?.contains(&"Log in".to_owned()),
        "not signed in as the owner"
    );
    bea.fill("input[name=password]", PASSWORD).await?;
    bea.click("form[action$='/signup'] button[type=submit]")
        .await?;
    bea.wait_for_path("/dashboard").await?;
    assert_eq!(bea.texts("main h1").await?, ["Orbit Labs"]);
    assert_eq!(bea.text("details.switcher summary").await?, "Orbit Labs");

    owner.goto("/settings/workspace").await?;
    let members = owner.texts("#members tbody td:first-child").await?;
    assert_eq!(members, ["owner@example.com you", "bea@example.com"]);
    bea.close().await?;
    owner.close().await
}

//! The API's pages in a real browser: an admin makes a token in the settings and sees it once;
//! the docs page renders the OpenAPI document with the Swagger UI the binary serves (its
//! script runs under the site's CSP), listing every operation. Screenshots of both.

use crate::accounts::sign_up;
use crate::app::App;
use crate::driver::ChromeDriver;

#[tokio::test]
async fn an_admin_makes_a_token_and_the_docs_page_lists_every_operation() -> anyhow::Result<()> {
    let app = App::start().await;
    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&app.base).await?;
    sign_up(&ada, "ada@example.com", "Acme").await?;
    ada.goto("/settings/workspace").await?;
    ada.click_link("Manage API tokens").await?;
    ada.wait_for_path("/settings/api-tokens").await?;
    ada.fill("#new-token-form input[name=name]", "terraform")
        .await?;
    ada.click("#create-token").await?;
    ada.wait_for_path("/settings/api-tokens").await?;
    let shown = ada.texts("#new-token h2").await?;
    assert_eq!(shown, ["Your new token"]);
    assert_eq!(
        ada.texts("#tokens tbody tr td:first-child").await?,
        ["terraform"]
    );
    let tokens = ada.screenshot("api-tokens").await?;
    eprintln!("tokens screenshot: {}", tokens.display());

    ada.goto("/api/docs").await?;
    let document = vw_web::api_document();
    let operations: usize = document
        .paths
        .paths
        .values()
        .map(|item| {
            [&item.get, &item.post, &item.patch, &item.delete, &item.put]
                .iter()
                .filter(|o| o.is_some())
                .count()
        })
        .sum();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let rendered = loop {
        let rendered = ada.texts(".opblock-summary-path").await?;
        if rendered.len() >= operations {
            break rendered;
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "Swagger UI rendered {} of {operations} operations",
            rendered.len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(
        rendered.iter().any(|p| p.contains("/api/v1/monitors")),
        "{rendered:?}"
    );
    let docs = ada.screenshot("api-docs").await?;
    eprintln!("docs screenshot: {}", docs.display());
    ada.close().await
}

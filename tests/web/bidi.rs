//! A person's own text with a bidi override (a workspace name) is isolated wherever it is
//! shown, so that it cannot reverse vendorwatch's words around it.

use crate::app::App;

#[tokio::test]
async fn a_workspace_name_with_an_override_is_isolated() {
    let app = App::start().await;
    let name = "Acme\u{202e}emca";
    let browser = app.member("ada@example.com", name).await;
    let page = browser.get("/dashboard").await;
    assert!(
        page.body.contains(&format!("<h1><bdi>{name}</bdi></h1>")),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("<bdi>{name}</bdi></summary>")));
    let settings = browser.get("/settings/workspace").await;
    assert!(settings.body.contains(&format!("Leave <bdi>{name}</bdi>")));
}

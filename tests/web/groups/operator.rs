//! The operators' sent-mail page: 404 for anyone else; the HTML part framed in a sandbox,
//! the text part as text.

use reqwest::StatusCode;
use reqwest::header::CONTENT_SECURITY_POLICY;

use super::{OPERATOR, start};

pub const MAIL: &str = "From: vendorwatch <alerts@vendorwatch.example>\r
To: ada@example.com\r
Subject: [Major] GitHub: Actions degraded\r
MIME-Version: 1.0\r
Content-Type: multipart/alternative; boundary=\"b1\"\r
\r
--b1\r
Content-Type: text/plain; charset=utf-8\r
\r
GitHub reports a major incident: Actions degraded.\r
--b1\r
Content-Type: text/html; charset=utf-8\r
\r
<html><body><h1 style=\"color:#b54708\">Actions degraded</h1><p>GitHub reports a major incident.</p><script>alert('x')</script><img src=\"https://tracker.example/pixel.gif\"></body></html>\r
--b1--\r
";

#[tokio::test]
async fn only_operators_see_sent_mail_and_the_html_part_is_sandboxed() {
    let app = start().await;
    let id = vw_store::logged_mail::insert(
        &app.db.pool,
        "ada@example.com",
        "[Major] GitHub: Actions degraded",
        MAIL,
    )
    .await
    .unwrap();
    let one = format!("/operator/mail/{id}");

    let anonymous = app.browser();
    let ada = app.member("ada@example.com", "Acme").await;
    for browser in [&anonymous, &ada] {
        for path in ["/operator/mail", one.as_str()] {
            let page = browser.get(path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!page.body.contains("Actions degraded"));
        }
    }

    let operator = app.member(OPERATOR, "Operations").await;
    let list = operator.get("/operator/mail").await;
    assert_eq!(list.status, StatusCode::OK);
    let subjects = list.texts("#mails td:nth-child(3)");
    assert!(
        subjects.contains(&"[Major] GitHub: Actions degraded".to_owned()),
        "{subjects:?}"
    );
    let view = operator.get(&one).await;
    assert_eq!(view.status, StatusCode::OK);
    assert_eq!(
        view.attr("iframe.mail-frame", "sandbox"),
        Some(String::new())
    );
    let srcdoc = view.attr("iframe.mail-frame", "srcdoc").unwrap();
    assert!(
        srcdoc.contains("<h1 style=\"color:#b54708\">Actions degraded</h1>"),
        "{srcdoc}"
    );
    assert!(
        !view.body.contains("<script>alert"),
        "the HTML is escaped into the attribute"
    );
    let csp = view
        .headers
        .get(CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src 'unsafe-inline'"));
    assert_eq!(
        view.texts("#text-part pre"),
        ["GitHub reports a major incident: Actions degraded."]
    );
    assert_eq!(
        operator.get("/operator/mail/not-a-uuid").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        operator
            .get(&format!("/operator/mail/{}", uuid::Uuid::nil()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

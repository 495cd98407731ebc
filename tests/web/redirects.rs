//! Where signing in sends people back to (`next`): only a path on this site, whatever a
//! link or a form carries.

use reqwest::StatusCode;

use crate::app::{App, PASSWORD};

/// `next` values that lead elsewhere once a browser reads them: browsers drop tabs and line
/// breaks from URLs (`/\t/evil.example` becomes `//evil.example`), read `\` as `/`, and
/// follow `//host` and `scheme:` to other origins. The rest hold what no path of this site
/// has once written in a URL (a space, a control character, raw non-ASCII).
const HOSTILE: [&str; 13] = [
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r/evil.example/",
    "/\0/evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "//evil.example/",
    "/\t/\t/evil.example/",
    "https://evil.example/",
    "https:evil.example",
    "/ /evil.example/",
    "/dashboard\u{7f}",
    "/caf\u{e9}",
];

#[tokio::test]
async fn a_hostile_next_on_the_sign_in_link_goes_to_the_dashboard() {
    let app = App::start().await;
    let signed_in = app.member("ada@example.com", "Acme").await;
    let anonymous = app.browser();
    for next in HOSTILE {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("next", next)
            .finish();
        let path = format!("/login?{query}");

        let form = anonymous.get(&path).await;
        assert_eq!(form.status, StatusCode::OK, "{next:?}: {}", form.body);
        assert_eq!(
            form.attr("input[name=next]", "value").as_deref(),
            Some("/dashboard"),
            "{next:?}"
        );

        let redirect = signed_in.get(&path).await;
        assert_eq!(redirect.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(redirect.location(), Some("/dashboard"), "{next:?}");
    }
    // As the link wrote it, slashes and all.
    let raw = signed_in.get("/login?next=/%09/evil.example/").await;
    assert_eq!(raw.location(), Some("/dashboard"));
    // A path of this site still works, query and all.
    let own = signed_in
        .get("/login?next=%2Fproviders%3Fq%3Dgit%26page%3D2")
        .await;
    assert_eq!(own.location(), Some("/providers?q=git&page=2"));
}

#[tokio::test]
async fn a_hostile_next_in_the_sign_in_form_goes_to_the_dashboard() {
    let app = App::start().await;
    app.member("ada@example.com", "Acme").await;
    for next in HOSTILE {
        let browser = app.browser();
        let token = browser.get("/login").await.csrf_token();
        let fields = [
            ("csrf_token", token.as_str()),
            ("email", "ada@example.com"),
            ("password", PASSWORD),
            ("next", next),
        ];
        let signed_in = browser.post_raw("/login", &fields).await;
        assert_eq!(
            signed_in.status,
            StatusCode::SEE_OTHER,
            "{next:?}: {}",
            signed_in.body
        );
        assert_eq!(signed_in.location(), Some("/dashboard"), "{next:?}");
    }
}

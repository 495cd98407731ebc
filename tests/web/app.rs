//! Browsers that drive the running server (`support::app`) over HTTP, and what tests ask
//! the database about it.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use scraper::{Html, Selector};

pub use crate::support::app::App;

impl App {
    pub fn browser(&self) -> Browser {
        self.browser_sending(HeaderMap::new())
    }

    /// A browser whose every request carries `headers` (a proxy's `X-Forwarded-For`, say).
    pub fn browser_sending(&self, headers: HeaderMap) -> Browser {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Browser {
            jar: jar.clone(),
            client: reqwest::Client::builder()
                .default_headers(headers)
                .cookie_provider(jar)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            base: self.base.clone(),
        }
    }

    /// A browser signed up as `email` with a workspace of its own named `workspace`.
    pub async fn member(&self, email: &str, workspace: &str) -> Browser {
        let browser = self.browser();
        let response = browser.sign_up(email, PASSWORD, workspace).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        browser
    }

    pub async fn user_id(&self, email: &str) -> uuid::Uuid {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    pub async fn role(&self, workspace: &str, email: &str) -> Option<String> {
        sqlx::query_scalar(
            "SELECT m.role FROM memberships m
             JOIN users u ON u.id = m.user_id JOIN workspaces w ON w.id = m.workspace_id
             WHERE w.name = $1 AND u.email = $2",
        )
        .bind(workspace)
        .bind(email)
        .fetch_optional(&self.db.pool)
        .await
        .unwrap()
    }
}

pub const PASSWORD: &str = "correct horse battery";

/// What came back: the status, the headers and the body as text.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// Texts of the elements matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).unwrap();
        Html::parse_document(&self.body)
            .select(&selector)
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }

    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        let selector = Selector::parse(selector).unwrap();
        Html::parse_document(&self.body)
            .select(&selector)
            .find_map(|e| e.value().attr(name).map(str::to_owned))
    }

    pub fn csrf_token(&self) -> String {
        self.attr("input[name=csrf_token]", "value")
            .unwrap_or_else(|| panic!("no csrf_token in page:\n{}", self.body))
    }
}

#[derive(Clone)]
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
}

impl Browser {
    /// The value of one of this browser's cookies for the site.
    pub fn cookie(&self, name: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let header = self.jar.cookies(&self.base.parse().unwrap())?;
        header.to_str().ok()?.split("; ").find_map(|pair| {
            pair.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
                .map(str::to_owned)
        })
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        page(response).await
    }

    /// Posts exactly these fields, with no CSRF token added.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap();
        page(response).await
    }

    /// Posts a form as the page at `form_page` would: with that page's CSRF token.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.get(form_page).await.csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    pub async fn sign_up(&self, email: &str, password: &str, workspace: &str) -> Page {
        self.submit(
            "/signup",
            "/signup",
            &[
                ("email", email),
                ("password", password),
                ("workspace", workspace),
            ],
        )
        .await
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Follows a redirect the way a browser would.
    pub async fn follow(&self, page: &Page) -> Page {
        let to = page
            .location()
            .unwrap_or_else(|| panic!("expected a redirect, got {}", page.status));
        self.get(to).await
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }
}

async fn page(response: reqwest::Response) -> Page {
    Page {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

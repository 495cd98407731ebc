//! A script's view of the API: a bearer token, JSON in and out, and the answer's status and
//! headers.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use vw_app::api_tokens::Scope;
use vw_domain::WorkspaceId;

use crate::app::App;

pub struct Api {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
}

/// What came back.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A problem document's `code`.
    pub fn code(&self) -> &str {
        self.json["code"].as_str().unwrap_or_default()
    }
}

impl Api {
    pub fn new(app: &App, token: Option<&str>) -> Self {
        Api {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            base: app.base.clone(),
            token: token.map(str::to_owned),
        }
    }

    /// A client with a new token of `workspace`.
    pub async fn for_workspace(app: &App, workspace: WorkspaceId, scope: Scope) -> Self {
        let made = vw_app::api_tokens::create(&app.db.pool, workspace, "tests", scope, None)
            .await
            .unwrap();
        Api::new(app, Some(&made.secret))
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(serde_json::to_vec(body).unwrap());
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{path}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Answer {
            status,
            headers,
            json,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::PATCH, path, Some(body), &[]).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(Method::DELETE, path, None, &[]).await
    }
}

/// Asserts that `answer` is a problem document with this status and code.
#[track_caller]
pub fn assert_problem(answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!(answer.status, status, "{:?}", answer.json);
    assert_eq!(answer.code(), code, "{:?}", answer.json);
    assert_eq!(
        answer.header("content-type"),
        Some("application/problem+json"),
        "{:?}",
        answer.headers
    );
    assert_eq!(answer.json["status"], status.as_u16());
    assert_eq!(
        answer.json["type"],
        format!("urn:vendorwatch:problem:{code}")
    );
    assert!(
        answer.json["detail"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
}

//! Reading whole pages from local servers that serve fixtures at the platforms' paths: the
//! merge of a poll's documents, conditional reads, and Statuspage's feed fallback.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use serde_json::{Value, json};
use url::Url;
use vw_domain::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Platform};
use vw_sources::reader::read;
use vw_sources::{FetchConfig, FetchError, Fetcher, PageValidators, Read, StatusPage};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Vec<u8> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    std::fs::read(file).unwrap()
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        allow_private_targets: true,
        ..FetchConfig::default()
    })
    .unwrap()
}

fn statuspage(server: &MockServer) -> StatusPage {
    StatusPage {
        platform: Platform::Statuspage,
        base_url: Url::parse(&format!("{}/", server.uri())).unwrap(),
        feed_url: None,
    }
}

const SUMMARY: &str = "atlassian-statuspage/claude-summary-major-outage-2026-07-29.json";
const MAINTENANCES: &str =
    "atlassian-statuspage/claude-scheduled-maintenances-completed-2026-09-15.json";

/// Claude's incidents.json as it would read a little later: constructed from the summary's
/// open incident, with a resolving update added (no incidents.json of Claude was captured).
fn later_incidents() -> Vec<u8> {
    let summary: Value = serde_json::from_slice(&fixture(SUMMARY)).unwrap();
    let mut incident = summary["incidents"][0].clone();
    incident["status"] = json!("resolved");
    incident["resolved_at"] = json!("2026-07-29T20:40:00.000Z");
    let mut resolved = incident["incident_updates"][0].clone();
    resolved["id"] = json!("zzresolved01");
    resolved["status"] = json!("resolved");
    resolved["body"] = json!("This incident has been resolved.");
    resolved["affected_components"] = Value::Null;
    for key in ["created_at", "updated_at", "display_at"] {
        resolved[key] = json!("2026-07-29T20:40:00.000Z");
    }
    incident["incident_updates"] = json!([resolved, incident["incident_updates"][0]]);
    serde_json::to_vec(&json!({"page": summary["page"], "incidents": [incident]})).unwrap()
}

/// Serves `body` at `at` with ETag `etag`, and a 304 to requests that hold it.
async fn serve_with_etag(server: &MockServer, at: &str, etag: &str, body: Vec<u8>) {
    Mock::given(path(at))
        .and(header("if-none-match", etag))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path(at))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", etag)
                .set_body_bytes(body),
        )
        .mount(server)
        .await;
}

async fn claude_site(server: &MockServer, summary_etag: &str) {
    serve_with_etag(
        server,
        "/api/v2/summary.json",
        summary_etag,
        fixture(SUMMARY),
    )
    .await;
    serve_with_etag(
        server,
        "/api/v2/incidents.json",
        "\"i1\"",
        later_incidents(),
    )
    .await;
    serve_with_etag(
        server,
        "/api/v2/scheduled-maintenances.json",
        "\"m1\"",
        fixture(MAINTENANCES),
    )
    .await;
}

#[tokio::test]
async fn a_statuspage_read_merges_its_three_documents() {
    let server = MockServer::start().await;
    claude_site(&server, "\"s1\"").await;
    let Read::Changed {
        snapshot,
        validators,
    } = read(&fetcher(), &statuspage(&server), &PageValidators::new())
        .await
        .unwrap()
    else {
        panic!("a first read has nothing to compare with");
    };

    assert_eq!(snapshot.platform, Platform::Statuspage);
    assert_eq!(snapshot.page.name.as_deref(), Some("Claude"));
    // Components come from the summary; the lists carry none.
    assert_eq!(snapshot.components.len(), 6);
    let claude_ai = snapshot
        .components
        .iter()
        .find(|c| c.name == "claude.ai")
        .unwrap();
    assert_eq!(claude_ai.status, Some(ComponentStatus::MajorOutage));
    // The incident is in two documents; the list's version has the newer update and wins.
    assert_eq!(snapshot.incidents.len(), 1);
    let incident = &snapshot.incidents[0];
    assert_eq!(incident.id, "q2kg8n613kr3");
    assert_eq!(incident.status, Some(IncidentStatus::Resolved));
    assert_eq!(incident.updates.len(), 2);
    assert_eq!(incident.updates[1].body, "This incident has been resolved.");
    // Maintenances come from the maintenance list alone.
    let ids: Vec<&str> = snapshot
        .maintenances
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(ids, ["x017628t2rl5", "16z0qdmy3qv2"]);
    assert!(
        snapshot
            .maintenances
            .iter()
            .all(|m| m.status == Some(MaintenanceStatus::Completed))
    );

    let base = server.uri();
    assert_eq!(validators.len(), 3);
    assert_eq!(
        validators[&format!("{base}/api/v2/summary.json")]
            .etag
            .as_deref(),
        Some("\"s1\"")
    );
}

#[tokio::test]
async fn an_unchanged_page_costs_304s_and_no_parsing() {
    let server = MockServer::start().await;
    claude_site(&server, "\"s1\"").await;
    let page = statuspage(&server);
    let Read::Changed { validators, .. } = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap()
    else {
        panic!("first read");
    };
    assert_eq!(
        read(&fetcher(), &page, &validators).await.unwrap(),
        Read::Unchanged
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 6);
    assert!(
        requests[3..]
            .iter()
            .all(|r| r.headers.contains_key("if-none-match"))
    );
}

#[tokio::test]
async fn when_one_document_changes_the_unchanged_ones_are_read_again() {
    let server = MockServer::start().await;
    claude_site(&server, "\"s1\"").await;
    let page = statuspage(&server);
    let Read::Changed { validators, .. } = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap()
    else {
        panic!("first read");
    };

    // The summary moves on; the two lists do not.
    server.reset().await;
    claude_site(&server, "\"s2\"").await;
    let Read::Changed {
        snapshot,
        validators,
    } = read(&fetcher(), &page, &validators).await.unwrap()
    else {
        panic!("the summary changed");
    };
    assert_eq!(
        snapshot.maintenances.len(),
        2,
        "the unchanged list still counts"
    );
    assert_eq!(snapshot.incidents[0].updates.len(), 2);
    assert_eq!(
        validators[&format!("{}/api/v2/summary.json", server.uri())]
            .etag
            .as_deref(),
        Some("\"s2\"")
    );
    // Three conditional requests, then the two 304s again without validators.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 5);
    assert!(
        requests[3..]
            .iter()
            .all(|r| !r.headers.contains_key("if-none-match"))
    );
}

#[tokio::test]
async fn a_closed_statuspage_api_falls_back_to_the_history_feed() {
    let server = MockServer::start().await;
    // The API answers with its login page rather than JSON.
    Mock::given(path("/api/v2/summary.json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("<!DOCTYPE html><html>Log in</html>"),
        )
        .mount(&server)
        .await;
    let feed = fixture("atlassian-statuspage/githubstatus-history-2026-08-22.atom");
    serve_with_etag(&server, "/history.atom", "\"h1\"", feed).await;
    let page = statuspage(&server);

    let Read::Changed {
        snapshot,
        validators,
    } = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap()
    else {
        panic!("first read");
    };
    assert_eq!(snapshot.platform, Platform::Statuspage);
    assert_eq!(snapshot.incidents.len() + snapshot.maintenances.len(), 25);
    assert_eq!(
        validators.keys().collect::<Vec<_>>(),
        [&format!("{}/history.atom", server.uri())]
    );
    assert_eq!(
        read(&fetcher(), &page, &validators).await.unwrap(),
        Read::Unchanged
    );
}

/// GitHub's summary of 2026-07-24 (an open critical incident, 12 components) answers, its
/// lists do not (`closed` answers them), and its history feed of 2026-08-22 does.
async fn github_with_closed_lists(server: &MockServer, closed: [u16; 2]) -> StatusPage {
    let summary = fixture("atlassian-statuspage/github-summary-major-2026-07-24.json");
    serve_with_etag(server, "/api/v2/summary.json", "\"s1\"", summary).await;
    for (at, status) in [
        "/api/v2/incidents.json",
        "/api/v2/scheduled-maintenances.json",
    ]
    .into_iter()
    .zip(closed)
    {
        Mock::given(path(at))
            .respond_with(ResponseTemplate::new(status))
            .mount(server)
            .await;
    }
    let feed = fixture("atlassian-statuspage/githubstatus-history-2026-08-22.atom");
    serve_with_etag(server, "/history.atom", "\"h1\"", feed).await;
    statuspage(server)
}

#[tokio::test]
async fn a_summary_that_answers_is_kept_when_its_lists_are_closed() {
    for closed in [[404, 404], [200, 403]] {
        let server = MockServer::start().await;
        let page = github_with_closed_lists(&server, closed).await;
        let Read::Changed {
            snapshot,
            validators,
        } = read(&fetcher(), &page, &PageValidators::new())
            .await
            .unwrap()
        else {
            panic!("first read");
        };
        // The summary's components and its open incident, as the API gives them.
        assert_eq!(snapshot.components.len(), 12, "{closed:?}");
        let prs = snapshot
            .components
            .iter()
            .find(|c| c.id == "hhtssxt0f5v2")
            .unwrap();
        assert_eq!(prs.status, Some(ComponentStatus::MajorOutage));
        let open = snapshot
            .incidents
            .iter()
            .find(|i| i.id == "jxd617hfwfq8")
            .unwrap();
        assert_eq!(open.title, "Incident with Pull Requests");
        assert_eq!(open.impact, Some(Impact::Critical));
        assert_eq!(open.components, ["hhtssxt0f5v2"]);
        // The feed's 25 incidents, keyed by their API code like the summary's.
        assert_eq!(snapshot.incidents.len(), 26);
        let from_feed = snapshot
            .incidents
            .iter()
            .find(|i| i.id == "bhbcjn4n3jzp")
            .unwrap();
        assert_eq!(
            from_feed.title,
            "Intermittent failures creating agent tasks"
        );
        assert_eq!(from_feed.status, Some(IncidentStatus::Resolved));
        assert_eq!(validators.len(), 2);
        assert_eq!(
            read(&fetcher(), &page, &validators).await.unwrap(),
            Read::Unchanged
        );
    }
}

#[tokio::test]
async fn a_404_api_falls_back_too_but_a_server_error_does_not() {
    let server = MockServer::start().await;
    Mock::given(path("/history.atom"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(fixture(
            "atlassian-statuspage/travisci-history-2016-07-01.atom",
        )))
        .mount(&server)
        .await;
    let page = statuspage(&server);
    let result = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap();
    assert!(matches!(result, Read::Changed { .. }));

    server.reset().await;
    claude_site(&server, "\"s1\"").await;
    Mock::given(path("/api/v2/incidents.json"))
        .respond_with(ResponseTemplate::new(502))
        .with_priority(1)
        .mount(&server)
        .await;
    let error = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap_err();
    assert!(
        matches!(error, FetchError::Status { status: 502, .. }),
        "{error:?}"
    );
}

/// Serves OpenAI's summary, changed by `change`, as an incident.io page's only document.
async fn openai_summary_with(server: &MockServer, change: impl FnOnce(&mut Value)) -> StatusPage {
    let mut summary: Value = serde_json::from_slice(&fixture(
        "incidentio/openai-api-v2-summary-minor-2026-07-22.json",
    ))
    .unwrap();
    change(&mut summary);
    Mock::given(path("/api/v2/summary.json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(serde_json::to_vec(&summary).unwrap()),
        )
        .mount(server)
        .await;
    StatusPage {
        platform: Platform::Incidentio,
        ..statuspage(server)
    }
}

#[tokio::test]
async fn a_broken_document_says_which_and_where() {
    // OpenAI's summary with every component's name turned into a number: not one bad item
    // (which would be skipped) but a list the reader cannot read.
    let server = MockServer::start().await;
    let page = openai_summary_with(&server, |summary| {
        for component in summary["components"].as_array_mut().unwrap() {
            component["name"] = json!(42);
        }
    })
    .await;
    let error = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap_err();
    assert!(matches!(error, FetchError::Malformed { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("/api/v2/summary.json"), "{message}");
    assert!(message.contains("components[0].name"), "{message}");
    assert!(message.contains("no item of the 25 read"), "{message}");
}

#[tokio::test]
async fn one_broken_component_is_skipped_and_the_page_still_read() {
    // The same summary with only the third component's name turned into a number.
    let server = MockServer::start().await;
    let page = openai_summary_with(&server, |summary| {
        summary["components"][2]["name"] = json!(42)
    })
    .await;
    let Read::Changed { snapshot, .. } = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap()
    else {
        panic!("nothing read");
    };
    assert_eq!(snapshot.components.len(), 24);
    assert!(
        !snapshot
            .components
            .iter()
            .any(|c| c.id == "01KX45G1SHQQ9DTAX9S4W7FV8G")
    );
    assert_eq!(snapshot.incidents.len(), 1);
    assert_eq!(snapshot.incidents[0].id, "01KY54SWGRK806N6TJ495MYPDD");
}

fn page_at(server: &MockServer, platform: Platform) -> StatusPage {
    StatusPage {
        platform,
        ..statuspage(server)
    }
}

#[tokio::test]
async fn slack_reads_merge_the_current_incidents_into_the_history() {
    let server = MockServer::start().await;
    for (at, file) in [
        (
            "/api/v2.0.0/current",
            "slack/slack-status-api-v2-current-active-incident-2020-07-30.json",
        ),
        (
            "/api/v2.0.0/history",
            "slack/slack-status-api-v2-history-2019-08.json",
        ),
    ] {
        Mock::given(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(fixture(file)))
            .mount(&server)
            .await;
    }
    let read = read(
        &fetcher(),
        &page_at(&server, Platform::Slack),
        &PageValidators::new(),
    )
    .await;
    let Read::Changed { snapshot, .. } = read.unwrap() else {
        panic!("first read");
    };
    // 116 past incidents and the 2 active ones.
    assert_eq!(snapshot.incidents.len(), 118);
    assert!(snapshot.incidents.iter().any(|i| i.id == "878"));
    assert!(snapshot.incidents.iter().any(|i| i.id == "756"));
}

#[tokio::test]
async fn cachet_needs_one_of_its_documents_but_not_both() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/components"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(fixture("cachet/yoti-cachet-v1-components-2020-10.json")),
        )
        .mount(&server)
        .await;
    let page = page_at(&server, Platform::Cachet);
    // Cachet 2: components, and a 404 for Cachet 3's incidents.
    let Read::Changed { snapshot, .. } = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap()
    else {
        panic!("first read");
    };
    assert_eq!(snapshot.components.len(), 7);
    assert!(snapshot.incidents.is_empty());

    server.reset().await;
    let error = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap_err();
    assert!(
        matches!(error, FetchError::Status { status: 404, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_instatus_read_takes_the_components_from_their_list() {
    let server = MockServer::start().await;
    Mock::given(path("/summary.json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(fixture("instatus/perplexity-summary-major-2026-07-23.json")),
        )
        .mount(&server)
        .await;
    // No components list was captured: one built after Instatus' typings.
    let components = json!({"components": [
        {"id": "ckgroup", "name": "Computer", "status": "MAJOROUTAGE", "group": null},
        {"id": "cksandbox", "name": "Sandbox", "status": "MAJOROUTAGE",
         "group": {"id": "ckgroup", "name": "Computer"}}
    ]});
    Mock::given(path("/v3/components.json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(components))
        .mount(&server)
        .await;
    let page = page_at(&server, Platform::Instatus);
    let Read::Changed { snapshot, .. } = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap()
    else {
        panic!("nothing read");
    };
    assert_eq!(snapshot.page.name.as_deref(), Some("Perplexity"));
    assert_eq!(snapshot.incidents[0].id, "cmrxt1rlu000f0zlcv4dzmdlr");
    assert_eq!(snapshot.components.len(), 1);
    assert_eq!(snapshot.components[0].group.as_deref(), Some("Computer"));
    assert_eq!(
        snapshot.components[0].status,
        Some(ComponentStatus::MajorOutage)
    );

    // Without its components list the summary is read alone, as before.
    server.reset().await;
    Mock::given(path("/summary.json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(fixture("instatus/perplexity-summary-major-2026-07-23.json")),
        )
        .mount(&server)
        .await;
    let Read::Changed { snapshot, .. } = read(&fetcher(), &page, &PageValidators::new())
        .await
        .unwrap()
    else {
        panic!("nothing read");
    };
    assert!(snapshot.components.is_empty());
    assert_eq!(snapshot.incidents.len(), 1);
}

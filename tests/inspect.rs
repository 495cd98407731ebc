//! `vendorwatch inspect`, run as the real binary: on saved fixtures, on a Statuspage site served
//! from a local server, and on inputs it must refuse.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap()
}

async fn inspect(args: &[&str], allow_private: bool) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_vendorwatch"));
    command.arg("inspect").args(args);
    command.env_remove("VW_ALLOW_PRIVATE_TARGETS");
    if allow_private {
        command.env("VW_ALLOW_PRIVATE_TARGETS", "true");
    }
    command.output().await.unwrap()
}

fn stdout_json(output: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}: {stderr}",
        output.status
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The one line of a failure, after checking it is one line and the exit code says failure.
fn failure_line(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("vendorwatch inspect: "), "{stderr}");
    stderr
}

#[tokio::test]
async fn a_saved_file_is_parsed_by_its_detected_platform() {
    let file = fixture_path(
        "atlassian-statuspage/cloudamqp-summary-maintenance-in-progress-2020-07-16.json",
    );
    let snapshot = stdout_json(&inspect(&[file.to_str().unwrap()], false).await);
    assert_eq!(snapshot["platform"], "statuspage");
    assert_eq!(snapshot["page"]["name"], "CloudAMQP");
    let maintenance = &snapshot["maintenances"][0];
    assert_eq!(maintenance["status"], "in_progress");
    assert!(
        snapshot["components"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "under_maintenance")
    );

    // AWS serves UTF-16; detection reads through the byte-order mark.
    let aws = fixture_path("aws/health-currentevents-utf16-2026-08-01.json");
    let snapshot = stdout_json(&inspect(&[aws.to_str().unwrap()], false).await);
    assert_eq!(snapshot["platform"], "aws");
    assert_eq!(snapshot["incidents"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_explicit_format_overrides_detection() {
    let feed = fixture_path("atlassian-statuspage/streamyard-history-2024-06-10.atom");
    let snapshot =
        stdout_json(&inspect(&[feed.to_str().unwrap(), "--format", "atom"], false).await);
    assert_eq!(snapshot["platform"], "atom");
    let detected = stdout_json(&inspect(&[feed.to_str().unwrap()], false).await);
    assert_eq!(detected["platform"], "statuspage");
}

/// Claude's page as a Statuspage site: the home page of the 1Password capture (for its
/// markers), Claude's summary, an incident list built from the summary's open incident, and
/// Claude's maintenance list.
async fn statuspage_site() -> MockServer {
    let summary: Value = serde_json::from_slice(&fixture(
        "atlassian-statuspage/claude-summary-major-outage-2026-07-29.json",
    ))
    .unwrap();
    let incidents = json!({"page": summary["page"], "incidents": summary["incidents"]});
    let server = MockServer::start().await;
    let files = [
        (
            "/",
            fixture("html/atlassian-statuspage-1password-homepage-2021-01-22.html.txt"),
        ),
        (
            "/api/v2/summary.json",
            serde_json::to_vec(&summary).unwrap(),
        ),
        (
            "/api/v2/incidents.json",
            serde_json::to_vec(&incidents).unwrap(),
        ),
        (
            "/api/v2/scheduled-maintenances.json",
            fixture("atlassian-statuspage/claude-scheduled-maintenances-completed-2026-09-15.json"),
        ),
    ];
    for (at, body) in files {
        Mock::given(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn a_url_is_detected_then_read_whole() {
    let server = statuspage_site().await;
    let home = format!("{}/", server.uri());
    let snapshot = stdout_json(&inspect(&[&home], true).await);

    assert_eq!(snapshot["platform"], "statuspage");
    assert_eq!(snapshot["page"]["name"], "Claude");
    assert_eq!(snapshot["page"]["url"], "https://status.claude.com");
    let components = snapshot["components"].as_array().unwrap();
    assert_eq!(components.len(), 6);
    let api = components
        .iter()
        .find(|c| c["name"] == "Claude API (api.anthropic.com)")
        .unwrap();
    assert_eq!(api["status"], "major_outage");
    let incident = &snapshot["incidents"][0];
    assert_eq!(incident["id"], "q2kg8n613kr3");
    assert_eq!(incident["title"], "Elevated errors across all models");
    assert_eq!(incident["impact"], "critical");
    assert_eq!(incident["started_at"], "2026-07-29T19:49:45.378Z");
    let maintenances: Vec<&str> = snapshot["maintenances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(maintenances, ["x017628t2rl5", "16z0qdmy3qv2"]);

    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
}

#[tokio::test]
async fn loopback_urls_are_refused_unless_the_operator_allows_them() {
    let server = statuspage_site().await;
    let line = failure_line(&inspect(&[&server.uri()], false).await);
    assert!(line.contains("loopback"), "{line}");
    assert!(line.contains("VW_ALLOW_PRIVATE_TARGETS=true"), "{line}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn failures_exit_non_zero_with_one_line() {
    let line = failure_line(&inspect(&["/nonexistent/summary.json"], false).await);
    assert!(
        line.contains("cannot read /nonexistent/summary.json"),
        "{line}"
    );

    let html = fixture_path("html/atlassian-statuspage-1password-homepage-2021-01-22.html.txt");
    let line = failure_line(&inspect(&[html.to_str().unwrap()], false).await);
    assert!(line.contains("cannot tell which platform"), "{line}");

    let heroku = fixture_path("heroku/heroku-status-api-incident-2019-10-24.json");
    let line = failure_line(&inspect(&[heroku.to_str().unwrap(), "--format", "gcp"], false).await);
    assert!(line.contains("gcp"), "{line}");

    let server = MockServer::start().await;
    let line = failure_line(&inspect(&[&server.uri()], true).await);
    assert!(
        line.contains("is not a status page vendorwatch can read; tried:"),
        "{line}"
    );
}

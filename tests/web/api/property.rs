//! The API against a property-based tester: schemathesis (from PyPI; `.ci/run` installs it)
//! generates requests from the OpenAPI document, valid and invalid, for every operation, and
//! checks every answer: no 5xx, and status, content type, headers and body as documented.
//! Bounded (`--max-examples`, a fixed `--seed`) so that a run is reproducible and short.

use std::process::Stdio;
use std::time::Duration;

use super::world::World;
use crate::app::App;

/// Examples per operation unless `VW_SCHEMATHESIS_EXAMPLES` says otherwise: with 25
/// operations and three phases, some 1,400 requests.
const EXAMPLES: &str = "25";
const SEED: &str = "20261204";
/// No 5xx; status, content type, headers and body as documented; invalid input refused.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance,\
                      negative_data_rejection";

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_answer_off_the_document() {
    let st = which("st").unwrap_or_else(|| {
        panic!(
            "schemathesis is not installed (`python3 -m pip install schemathesis`; .ci/run \
             installs it): the API's property-based test cannot run"
        )
    });
    let app = App::start_with(None, |config| config.api_requests_per_minute = 1_000_000).await;
    let world = World::build(&app).await;
    let examples = std::env::var("VW_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| EXAMPLES.into());
    let checks = std::env::var("VW_SCHEMATHESIS_CHECKS").unwrap_or_else(|_| CHECKS.into());
    let report = std::env::temp_dir().join(format!("vw-schemathesis-{}", std::process::id()));
    let mut command = tokio::process::Command::new(st);
    command
        .arg("run")
        .arg(format!("{}/api/v1/openapi.json", app.base))
        .args(["--url", &app.base])
        .args([
            "-H",
            &format!("Authorization: Bearer {}", world.acme_token()),
        ])
        .args(["--checks", &checks])
        .args(["--max-examples", &examples, "--seed", SEED])
        // The stateful phase links operations by schemathesis' own inference, which names
        // parameters our operations do not have ("Invalid OpenAPI Links Definition").
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--workers", "2", "--no-color", "--request-timeout", "10"])
        .args(["--generation-database", "none"])
        .arg("--report-dir")
        .arg(&report)
        .env("SCHEMATHESIS_HOOKS", "")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(420), command.output())
        .await
        .expect("schemathesis ran for over 7 minutes")
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    println!("{said}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "schemathesis found problems (seed {SEED}):\n{said}"
    );
    assert!(said.contains("operations"), "{said}");
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}

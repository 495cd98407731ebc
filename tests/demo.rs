//! `vendorwatch demo` as someone runs it: the built binary on a data directory of its own
//! prints an account whose credentials sign in, and its receiver page shows the demo
//! vendor's first incident arriving, signed, within the bound.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::time::{Instant, timeout};

/// The value printed after `label` on one of the demo's lines.
fn printed(lines: &[String], label: &str) -> Option<String> {
    lines.iter().find_map(|line| {
        let rest = line.trim().strip_prefix(label)?;
        rest.split_whitespace().next().map(str::to_owned)
    })
}

#[tokio::test]
async fn the_demo_prints_an_account_that_signs_in_and_its_receiver_gets_the_first_alert() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let data = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut demo = Command::new(env!("CARGO_BIN_EXE_vendorwatch"))
        .args([
            "demo",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--step",
            "3s",
        ])
        .arg("--data-dir")
        .arg(data.path().join("demo"))
        // Whatever these say, the demo keeps to its own directory and cluster.
        .env(
            "DATABASE_URL",
            "postgres://nobody@127.0.0.1:1/not-the-demos",
        )
        .env("VW_DATA_DIR", "/nonexistent/real-installation")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut out = BufReader::new(demo.stdout.take().unwrap()).lines();
    let mut lines = Vec::new();
    let started = Instant::now();
    while !lines
        .iter()
        .any(|l: &String| l.contains("Ctrl-C stops the demo"))
    {
        let line = timeout(Duration::from_secs(120), out.next_line())
            .await
            .expect("the demo printed its account within 120 s")
            .unwrap()
            .expect("the demo ended before printing its account");
        lines.push(line);
    }
    eprintln!(
        "the demo printed, {:?} after its start:\n{}",
        started.elapsed(),
        lines.join("\n")
    );
    let password = printed(&lines, "password").expect("a password");
    let receiver = printed(&lines, "webhooks").expect("the receiver's page");
    assert_eq!(
        printed(&lines, "e-mail").as_deref(),
        Some("demo@example.com")
    );

    let base = format!("http://127.0.0.1:{port}");
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let form = loop {
        if let Ok(answer) = browser.get(format!("{base}/login")).send().await {
            break answer.text().await.unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "the demo's web server never answered"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let csrf = scraper::Html::parse_document(&form)
        .select(&scraper::Selector::parse("input[name=csrf_token]").unwrap())
        .next()
        .and_then(|input| input.value().attr("value").map(str::to_owned))
        .expect("the login form's token");
    let signed_in = browser
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "demo@example.com"),
            ("password", password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        signed_in.url().path(),
        "/dashboard",
        "the printed credentials sign in"
    );
    let dashboard = signed_in.text().await.unwrap();
    assert!(
        dashboard.contains("Atlassian Bitbucket (demo)"),
        "the demo monitor is shown"
    );

    loop {
        let page = reqwest::get(&receiver).await.unwrap().text().await.unwrap();
        if page.contains("incident.opened") {
            assert!(page.contains("signature verified"), "{page}");
            assert!(page.contains("demo incident 1"), "{page}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no alert reached the receiver: {page}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // Stopped as Ctrl-C stops it: the demo's cluster goes down with it.
    let pid = Pid::from_raw(i32::try_from(demo.id().unwrap()).unwrap());
    kill(pid, Signal::SIGINT).unwrap();
    let status = timeout(Duration::from_secs(60), demo.wait())
        .await
        .expect("the demo stopped within 60 s of Ctrl-C")
        .unwrap();
    assert!(status.success(), "{status}");
    assert!(
        !data.path().join("demo/pg/postmaster.pid").exists(),
        "the demo's cluster was stopped"
    );
}

#[tokio::test]
async fn the_demo_refuses_a_directory_holding_anything_but_its_own_data() {
    let real = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    std::fs::write(real.path().join("secret.key"), "a real installation's key").unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_vendorwatch"))
        .args(["demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(real.path())
        .output()
        .await
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("not the demo's"), "{said}");
    assert_eq!(
        std::fs::read_to_string(real.path().join("secret.key")).unwrap(),
        "a real installation's key"
    );
    assert!(!real.path().join("pg").exists(), "no cluster made there");
}

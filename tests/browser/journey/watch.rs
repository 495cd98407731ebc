//! How the journey waits and records: each step within its time bound, failing with the
//! step's name (never a hang); conditions polled rather than slept on; what the peers
//! received; what the database says was fanned out; a screenshot of every step.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::time::Instant;

use crate::driver::Session;
use crate::peers::{Inbox, Received, Receiver, header, parse};

/// Runs step `name` within `bound`.
pub async fn step<T>(
    name: &str,
    bound: Duration,
    work: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    eprintln!("journey: {name}");
    match tokio::time::timeout(bound, work).await {
        Ok(done) => done.with_context(|| format!("step \"{name}\" failed")),
        Err(_) => bail!("step \"{name}\" did not happen within {bound:?}"),
    }
}

/// Polls `check` until it gives a value; the enclosing step bounds the wait, this only says
/// what was awaited when it gives up after `patience`.
pub async fn until<T, F, Fut>(what: &str, patience: Duration, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = Instant::now() + patience;
    loop {
        if let Some(found) = check().await? {
            return Ok(found);
        }
        if Instant::now() > deadline {
            bail!("waited {patience:?} for {what}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub const PATIENCE: Duration = Duration::from_secs(45);

/// The webhooks received so far, as (type, request).
pub fn webhooks(receiver: &Receiver) -> Vec<(String, Received)> {
    receiver
        .requests_to("/hook")
        .into_iter()
        .map(|r| (r.json()["type"].as_str().unwrap_or_default().to_owned(), r))
        .collect()
}

/// Waits for a webhook of type `kind` about `title`.
pub async fn webhook(receiver: &Receiver, kind: &str, title: &str) -> anyhow::Result<Received> {
    until(
        &format!("a {kind} webhook about {title:?}"),
        PATIENCE,
        || async {
            Ok(webhooks(receiver)
                .into_iter()
                .find(|(k, r)| k == kind && r.json()["data"]["incident"]["title"] == title)
                .map(|(_, r)| r))
        },
    )
    .await
}

/// The messages `address` received whose subject names `title`.
pub fn mails_about(inbox: &Inbox, address: &str, title: &str) -> Vec<Vec<u8>> {
    inbox
        .to(address)
        .into_iter()
        .filter(|raw| header(raw, "Subject").contains(title))
        .collect()
}

/// Waits until `address` has `n` messages about `title`.
pub async fn mails(
    inbox: &Inbox,
    address: &str,
    title: &str,
    n: usize,
) -> anyhow::Result<Vec<Vec<u8>>> {
    until(
        &format!("{n} e-mails to {address} about {title:?}"),
        PATIENCE,
        || async {
            let got = mails_about(inbox, address, title);
            Ok((got.len() >= n).then_some(got))
        },
    )
    .await
}

/// The message's text part.
pub fn text(raw: &[u8]) -> String {
    parse(raw).body_text(0).unwrap_or_default().to_string()
}

/// The first link starting with `prefix` in the message's text part.
pub fn link(raw: &[u8], prefix: &str) -> anyhow::Result<String> {
    let text = text(raw);
    let at = text
        .find(prefix)
        .with_context(|| format!("no {prefix}… link in {text}"))?;
    Ok(text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != ')')
        .collect())
}

/// Waits until the poll that saw the vendor's change wrote its `kind` event about the
/// vendor's incident `vendor_id` and fan-out took it; answers how many deliveries it made.
pub async fn fanned_out(pool: &sqlx::PgPool, vendor_id: &str, kind: &str) -> anyhow::Result<i64> {
    until(
        &format!("the {kind} event of {vendor_id} fanned out"),
        PATIENCE,
        || async {
            let dispatched: Option<uuid::Uuid> = sqlx::query_scalar(
                "SELECT e.id FROM events e JOIN incidents i ON i.id = e.incident_id
             WHERE i.vendor_id = $1 AND e.kind = $2 AND e.dispatched_at IS NOT NULL",
            )
            .bind(vendor_id)
            .bind(kind)
            .fetch_optional(pool)
            .await?;
            let Some(event) = dispatched else {
                return Ok(None);
            };
            let deliveries: i64 =
                sqlx::query_scalar("SELECT count(*) FROM deliveries WHERE event_id = $1")
                    .bind(event)
                    .fetch_one(pool)
                    .await?;
            Ok(Some(deliveries))
        },
    )
    .await
}

/// Waits until the elements of `selector` read `expected`, without reloading the page.
pub async fn texts(browser: &Session, selector: &str, expected: &[&str]) -> anyhow::Result<()> {
    let found = until(
        &format!("{selector} to read {expected:?}"),
        PATIENCE,
        || async { Ok((live_texts(browser, selector).await? == expected).then_some(())) },
    )
    .await;
    if found.is_err() {
        let now = live_texts(browser, selector).await?;
        return found.with_context(|| format!("{selector} still reads {now:?}"));
    }
    found
}

/// The texts of `selector`'s elements read in one script, since the page script may replace
/// them at any moment (the dashboard's refresh): element by element, one could be gone.
async fn live_texts(browser: &Session, selector: &str) -> anyhow::Result<Vec<String>> {
    let texts = browser
        .client
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText.trim())",
            vec![serde_json::json!(selector)],
        )
        .await?;
    Ok(serde_json::from_value(texts)?)
}

/// Saves the screenshot of step `name` to `target/e2e-screenshots/` and keeps a copy in
/// `docs/screenshots/journey/`.
pub async fn screenshot(browser: &Session, name: &str) -> anyhow::Result<()> {
    let shot = browser.screenshot(&format!("journey-{name}")).await?;
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .context("target/tmp has a parent")?
        .join("e2e-screenshots");
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots/journey");
    for dir in [target, docs] {
        std::fs::create_dir_all(&dir)?;
        std::fs::copy(&shot, dir.join(format!("{name}.png")))?;
    }
    Ok(())
}

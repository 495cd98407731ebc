//! The product's acceptance test: what a new user does, in a real Chromium, against the built
//! `vendorwatch serve` running as a separate process on a fresh database, polling every 2 s,
//! mailing through a real SMTP server run by the test, alerting a webhook receiver that checks
//! signatures, and watching a fake Statuspage vendor (`vendorwatch::demo::vendor`, made from
//! the real fixtures) whose state the test changes step by step. Issue #14's steps 1–7, each
//! within its time bound; a screenshot of each in `target/e2e-screenshots/` (copied to
//! `docs/screenshots/journey/`).

mod server;
mod watch;

use std::time::Duration;

use anyhow::{Context, ensure};
use chrono::{Datelike, TimeDelta, Utc};
use fantoccini::Locator;
use serde_json::json;
use vendorwatch::demo::vendor::FakeVendor;
use vw_domain::IncidentStatus;

use crate::accounts::sign_up;
use crate::driver::ChromeDriver;
use crate::peers::{Receiver, header, smtp_server};
use crate::support::{TestDb, seed};
use server::Server;
use watch::{
    PATIENCE, fanned_out, link, mails, mails_about, screenshot, step, texts, until, webhook,
    webhooks,
};

const OWNER: &str = "ada@example.com";
const ONCALL: &str = "oncall@example.com";
const BOUND: Duration = Duration::from_secs(90);

#[tokio::test]
async fn a_new_user_signs_up_watches_a_vendor_and_is_alerted_through_its_whole_incident()
-> anyhow::Result<()> {
    let began = std::time::Instant::now();
    // 1. The binary on a fresh database, SMTP to the test's server, a fake vendor on loopback.
    let db = TestDb::fresh().await;
    let (smtp, inbox) = smtp_server();
    let hooks = Receiver::start().await;
    let vendor = FakeVendor::start().await?;
    let server = step(
        "1. start vendorwatch serve",
        BOUND,
        Server::start(&db.url, &smtp),
    )
    .await?;
    let base = server.base.clone();
    eprintln!("journey: the server's log is {}", server.log.display());
    let api = vendor.component("API")?;
    let pipelines = vendor.component("Pipelines")?;
    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&base).await?;

    // 2. Sign up, add the vendor by its URL, narrow it to one component, a webhook and a
    // second recipient in the Default group, the recipient confirmed from its e-mail.
    step("2a. sign up", BOUND, async {
        sign_up(&ada, OWNER, "Acme").await?;
        screenshot(&ada, "01-signed-up").await
    })
    .await?;
    let monitor = step("2b. add the vendor by pasting its URL", BOUND, async {
        ada.fill("#add-by-url input[name=url]", vendor.base())
            .await?;
        ada.click("#add-by-url button[type=submit]").await?;
        until(
            "the request's page to say it was added",
            PATIENCE,
            || async {
                Ok(ada
                    .text("#request-status")
                    .await
                    .ok()
                    .filter(|t| t.contains("is now monitored")))
            },
        )
        .await?;
        screenshot(&ada, "02-monitor-added").await?;
        ada.click_link("Choose its components →").await?;
        until("the monitor's page", PATIENCE, || async {
            let path = ada.client.current_url().await?.path().to_owned();
            Ok(path.starts_with("/monitors/").then_some(path))
        })
        .await
    })
    .await?;
    step("2c. narrow the monitor to API", BOUND, async {
        let api_box = format!("input[name=component][value='{}']", api.id);
        until(
            "the vendor's components after its first read",
            PATIENCE,
            || async {
                ada.goto(&monitor).await?;
                Ok(ada.client.find(Locator::Css(&api_box)).await.ok())
            },
        )
        .await?;
        ada.click(&api_box).await?;
        ada.click("#component-filter button[type=submit]").await?;
        ada.wait_for_path(&monitor).await?;
        let chosen = ada
            .client
            .execute(
                "return [...document.querySelectorAll('input[name=component]:checked')]
                    .map(b => b.value).concat(
                 [document.querySelector('input[name=scope]:checked').value])",
                vec![],
            )
            .await?;
        ensure!(chosen == json!([api.id, "chosen"]), "saved as {chosen}");
        screenshot(&ada, "03-monitor-one-component").await
    })
    .await?;
    let (group, secret) = step("2d. a webhook in the Default group", BOUND, async {
        ada.click_link("Groups").await?;
        ada.wait_for_path("/groups").await?;
        ada.click_link("Default").await?;
        let group = until("the Default group's page", PATIENCE, || async {
            let path = ada.client.current_url().await?.path().to_owned();
            Ok((path.starts_with("/groups/") && path.len() > 8).then_some(path))
        })
        .await?;
        ada.client
            .find(Locator::Css("#add-integration select[name=kind]"))
            .await?
            .select_by_value("webhook")
            .await?;
        ada.fill("#add-integration input[name=url]", &hooks.url("hook"))
            .await?;
        ada.click("#add-integration button[type=submit]").await?;
        ada.wait_for_path(&format!("{group}/integrations")).await?;
        let secret = ada
            .client
            .find(Locator::Css("#webhook-secret input.secret"))
            .await?
            .prop("value")
            .await?
            .context("no secret shown")?;
        screenshot(&ada, "04-webhook-secret-once").await?;
        Ok((group, secret))
    })
    .await?;
    step(
        "2e. a second recipient, confirmed from its e-mail",
        BOUND,
        async {
            ada.goto(&group).await?;
            ada.fill("#add-recipient input[name=email]", ONCALL).await?;
            ada.click("#add-recipient button[type=submit]").await?;
            ada.wait_for_path(&group).await?;
            let confirm = mails(&inbox, ONCALL, "Confirm your e-mail address", 1).await?;
            let verify = link(&confirm[0], &format!("{base}/verify/"))?;
            ada.goto(&verify).await?;
            ensure!(
                ada.status().await? == 200,
                "the confirmation link answered {}",
                ada.status().await?
            );
            screenshot(&ada, "05-recipient-confirmed").await?;
            ada.goto(&group).await?;
            let channels = ada.texts("#channels tr.channel").await?;
            ensure!(channels.len() == 3, "{channels:?}");
            screenshot(&ada, "06-default-group").await
        },
    )
    .await?;

    // 3. An incident on the watched component: the webhook and both e-mails, linking to the
    // incident page. One on another component: nothing.
    let outage = "API requests failing";
    let incident = vendor.open_incident(
        &api,
        outage,
        "We are investigating elevated error rates on the API.",
    );
    let page = step(
        "3a. the incident opened reaches the webhook and both e-mails",
        BOUND,
        async {
            let opened = webhook(&hooks, "incident.opened", outage).await?;
            let verifier = standardwebhooks::Webhook::new(&secret)?;
            verifier.verify(&opened.body, &opened.headers)?;
            let page = opened.json()["data"]["url"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            ensure!(
                page.starts_with(&format!("{base}/providers/")) && page.contains("/incidents/"),
                "{page}"
            );
            for address in [OWNER, ONCALL] {
                let mail = &mails(&inbox, address, outage, 1).await?[0];
                ensure!(
                    watch::text(mail).contains(&page),
                    "the e-mail to {address} links to {page}"
                );
            }
            ada.goto(&page).await?;
            ensure!(ada.text("main h1").await? == outage);
            screenshot(&ada, "07-incident-page-opened").await?;
            Ok(page)
        },
    )
    .await?;
    step(
        "3b. an incident on another component sends nothing",
        BOUND,
        async {
            let elsewhere = vendor.open_incident(
                &pipelines,
                "Pipelines builds delayed",
                "We are looking into delayed builds.",
            );
            ensure!(fanned_out(&db.pool, &elsewhere, "incident_opened").await? == 0);
            vendor.resolve(&elsewhere, "This incident has been resolved.");
            ensure!(fanned_out(&db.pool, &elsewhere, "incident_resolved").await? == 0);
            ensure!(
                webhooks(&hooks).len() == 1,
                "{:?}",
                webhooks(&hooks).iter().map(|w| &w.0).collect::<Vec<_>>()
            );
            Ok(())
        },
    )
    .await?;

    // 4. An update, then the resolution: only "opened" and "resolved" pass the Default
    // group's filters; the page tells the story, the dashboard follows without a reload, the
    // resolution lands in the e-mail thread.
    step("4a. the dashboard shows the outage", BOUND, async {
        ada.goto("/dashboard").await?;
        texts(&ada, ".monitor-row .monitor-head .pill", &["Major Outage"]).await?;
        ada.client
            .execute("window.notReloaded = true", vec![])
            .await?;
        Ok(())
    })
    .await?;
    step(
        "4b. the update sends nothing, the resolution arrives",
        BOUND,
        async {
            vendor.post_update(
                &incident,
                IncidentStatus::Identified,
                "We found a faulty deploy and are rolling it back.",
            );
            ensure!(
                fanned_out(&db.pool, &incident, "incident_updated").await? == 0,
                "updated is off by default"
            );
            vendor.resolve(&incident, "This incident has been resolved.");
            let resolved = webhook(&hooks, "incident.resolved", outage).await?;
            standardwebhooks::Webhook::new(&secret)?.verify(&resolved.body, &resolved.headers)?;
            ensure!(fanned_out(&db.pool, &incident, "incident_resolved").await? == 3);
            let kinds: Vec<String> = webhooks(&hooks).into_iter().map(|w| w.0).collect();
            ensure!(
                kinds == ["incident.opened", "incident.resolved"],
                "{kinds:?}"
            );
            for address in [OWNER, ONCALL] {
                let thread = mails(&inbox, address, outage, 2).await?;
                ensure!(thread.len() == 2, "{address}: {} e-mails", thread.len());
                let root = header(&thread[0], "Message-ID");
                ensure!(
                    header(&thread[1], "In-Reply-To") == root,
                    "{address}: not in the thread of {root}"
                );
                ensure!(watch::text(&thread[1]).to_lowercase().contains("resolved"));
            }
            Ok(())
        },
    )
    .await?;
    step(
        "4c. the dashboard shows the vendor operational again, without a reload",
        BOUND,
        async {
            texts(&ada, ".monitor-row .monitor-head .pill", &["Operational"]).await?;
            let same = ada
                .client
                .execute("return window.notReloaded === true", vec![])
                .await?;
            ensure!(same == json!(true), "the dashboard was reloaded");
            screenshot(&ada, "08-dashboard-operational-again").await
        },
    )
    .await?;
    step(
        "4d. the incident page: timeline, duration, detection",
        BOUND,
        async {
            ada.goto(&page).await?;
            let statuses = ada.texts("#timeline .update-status").await?;
            ensure!(statuses.len() == 3, "{statuses:?}");
            let duration = ada.text("#duration").await?;
            ensure!(
                !duration.is_empty()
                    && ada
                        .client
                        .find(Locator::Css("#duration.ongoing"))
                        .await
                        .is_err(),
                "{duration}"
            );
            ensure!(
                ada.text("#detected")
                    .await?
                    .contains("Detected by vendorwatch")
            );
            ensure!(
                ada.client
                    .find(Locator::Css("#resolved time"))
                    .await
                    .is_ok(),
                "no resolution time"
            );
            screenshot(&ada, "09-incident-page-resolved").await
        },
    )
    .await?;

    // 5. A maintenance on the watched component: on the calendar and in the iCal feed.
    let work = "API database upgrade";
    let month = {
        let today = Utc::now().date_naive();
        let next = (today.with_day(1).context("a first day")? + TimeDelta::days(32))
            .with_day(1)
            .context("a first day")?;
        next + TimeDelta::days(14)
    };
    let starts = month.and_hms_opt(15, 0, 0).context("15:00")?.and_utc();
    vendor.schedule_maintenance(
        &api,
        work,
        "We will upgrade the API's database.",
        (starts, starts + TimeDelta::hours(2)),
    );
    step("5a. the maintenance on /calendar", BOUND, async {
        let path = format!("/calendar?month={}", month.format("%Y-%m"));
        until("the maintenance on the calendar", PATIENCE, || async {
            ada.goto(&path).await?;
            Ok(ada
                .texts("#month .chip-title")
                .await?
                .iter()
                .any(|t| t == work)
                .then_some(()))
        })
        .await?;
        screenshot(&ada, "10-calendar").await
    })
    .await?;
    step("5b. the maintenance in the iCal feed", BOUND, async {
        ada.goto("/settings/calendar").await?;
        ada.click("#create").await?;
        let feed = until("the feed's address", PATIENCE, || async {
            Ok(match ada.client.find(Locator::Css("#feed-https")).await {
                Ok(input) => input.prop("value").await?,
                Err(_) => None,
            })
        })
        .await?;
        screenshot(&ada, "11-calendar-feed").await?;
        let body = reqwest::get(&feed)
            .await?
            .error_for_status()?
            .text()
            .await?;
        let calendar: icalendar::Calendar =
            icalendar::parser::read_calendar(&icalendar::parser::unfold(&body))
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .into();
        use icalendar::Component;
        let summaries: Vec<String> = calendar
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .filter_map(|e| e.get_summary().map(str::to_owned))
            .collect();
        ensure!(summaries.iter().any(|s| s.contains(work)), "{summaries:?}");
        Ok(())
    })
    .await?;

    // 6. Five monitors on the free plan; the sixth is refused with the way up.
    step("6. the sixth monitor is refused", BOUND, async {
        let others = [
            "Globex Mail",
            "Initech DNS",
            "Umbrella CDN",
            "Hooli Search",
            "Soylent Queue",
        ];
        for (n, name) in (2..).zip(others) {
            let url = format!("http://127.0.0.1:{n}/");
            let slug = name.to_lowercase().replace(' ', "-");
            seed::provider_at(
                &db.pool,
                &slug,
                name,
                &url,
                Some(vw_domain::Platform::Statuspage),
            )
            .await;
        }
        for name in &others[..4] {
            ada.goto("/dashboard").await?;
            ada.fill("#provider-search input[name=q]", name).await?;
            texts(&ada, "#search-results .result-name", &[name]).await?;
            ada.click("#search-results button[type=submit]").await?;
            until("the new monitor's page", PATIENCE, || async {
                Ok(ada
                    .client
                    .current_url()
                    .await?
                    .path()
                    .starts_with("/monitors/")
                    .then_some(()))
            })
            .await?;
        }
        ada.goto("/dashboard?q=Soylent+Queue").await?;
        ada.click("#search-results button[type=submit]").await?;
        ada.wait_for_path("/dashboard").await?;
        let flash = ada.text(".flash p").await?;
        ensure!(
            flash.contains("Free plan allows 5 monitors") && flash.contains("Team: 50"),
            "{flash}"
        );
        ensure!(ada.text("#quota").await? == "Free plan · 5 of 5 monitors");
        screenshot(&ada, "12-sixth-monitor-refused").await
    })
    .await?;

    // 7. One click to unsubscribe (a POST without a session): the next alert reaches the
    // remaining recipient only.
    step(
        "7. unsubscribed in one click, the next alert reaches the owner only",
        BOUND,
        async {
            let last = mails_about(&inbox, ONCALL, outage)
                .pop()
                .context("no alert to the recipient")?;
            let target = header(&last, "List-Unsubscribe");
            let target = target.trim_start_matches('<').trim_end_matches('>');
            let answer = reqwest::Client::new()
                .post(target)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .send()
                .await?;
            ensure!(
                answer.status() == 200,
                "one-click unsubscribe answered {}",
                answer.status()
            );
            ada.goto(&group).await?;
            screenshot(&ada, "13-recipient-unsubscribed").await?;
            let again = "API latency elevated";
            let next =
                vendor.open_incident(&api, again, "We are investigating slow API responses.");
            webhook(&hooks, "incident.opened", again).await?;
            mails(&inbox, OWNER, again, 1).await?;
            ensure!(
                fanned_out(&db.pool, &next, "incident_opened").await? == 2,
                "the owner and the webhook"
            );
            ensure!(
                mails_about(&inbox, ONCALL, again).is_empty(),
                "the unsubscribed address was alerted"
            );
            ada.goto(&format!("{group}/log")).await?;
            screenshot(&ada, "14-delivery-log").await
        },
    )
    .await?;
    ada.close().await?;
    drop(server);
    eprintln!(
        "journey: all seven steps in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    Ok(())
}

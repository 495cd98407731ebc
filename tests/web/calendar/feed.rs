//! The iCalendar feed: its secret URL (admins make, rotate and revoke it; the old one is 404
//! at once), its bytes (CRLF, folding at 75 octets between characters, TEXT escaping), one
//! VEVENT per maintenance with a stable UID and a SEQUENCE that grows with every change of
//! time or status, CANCELLED kept 30 days, 304s on conditional GETs, HEAD; read by two real
//! parsers (the `icalendar` crate and Python's `icalendar` package).

use chrono::{TimeDelta, Utc};
use icalendar::Component;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use vw_domain::MaintenanceStatus;

use super::world::{at, maintenance, world};
use crate::app::{App, Browser};
use crate::support::seed;

/// Makes (or rotates) the workspace's feed as an admin does; returns its https URL.
async fn rotate(browser: &Browser) -> String {
    let done = browser
        .submit("/settings/calendar", "/settings/calendar/rotate", &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = browser.get("/settings/calendar").await;
    page.attr("#feed-https", "value").unwrap()
}

async fn fetch(url: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let response = reqwest::get(url).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.text().await.unwrap())
}

/// The feed parsed by the `icalendar` crate: (UID, SUMMARY, SEQUENCE, STATUS) of each event.
fn events(body: &str) -> Vec<(String, String, u32, String)> {
    let unfolded = icalendar::parser::unfold(body);
    let parsed = icalendar::parser::read_calendar(&unfolded).unwrap();
    let calendar: icalendar::Calendar = parsed.into();
    calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .map(|e| {
            (
                e.get_uid().unwrap().to_owned(),
                e.get_summary().unwrap().to_owned(),
                e.get_sequence().unwrap(),
                e.property_value("STATUS").unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn only_admins_make_the_feed_and_a_rotated_or_revoked_url_is_404_at_once() {
    let app = App::start().await;
    let w = world(&app).await;
    let none = w.ada.get("/settings/calendar").await;
    assert_eq!(
        none.texts("#no-feed"),
        ["This workspace has no calendar feed."]
    );
    let first = rotate(&w.ada).await;
    assert!(first.starts_with(&format!("{}/calendar/", app.base)) && first.ends_with(".ics"));
    let token = first
        .trim_start_matches(&format!("{}/calendar/", app.base))
        .trim_end_matches(".ics");
    assert_eq!(token.len(), 43, "256 random bits");
    let page = w.ada.get("/settings/calendar").await;
    let webcal = page.attr("#feed-webcal", "href").unwrap();
    assert_eq!(webcal, first.replacen("http://", "webcal://", 1));
    let google = page.attr("#feed-google", "href").unwrap();
    assert!(google.starts_with("https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F"));
    assert!(page.texts("#refresh-note li")[0].contains("12 to 24 hours"));
    let (status, headers, _) = fetch(&first).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "text/calendar; charset=utf-8");
    assert!(headers.get(reqwest::header::SET_COOKIE).is_none());

    // Rotated: the old URL is gone, the new one works.
    let second = rotate(&w.ada).await;
    assert_ne!(first, second);
    assert_eq!(fetch(&first).await.0, StatusCode::NOT_FOUND);
    assert_eq!(fetch(&second).await.0, StatusCode::OK);

    // A member (not an admin) sees the links but cannot rotate or revoke.
    sqlx::query("UPDATE memberships SET role = 'member' WHERE user_id = (SELECT id FROM users WHERE email = 'ada@example.com')")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let member_page = w.ada.get("/settings/calendar").await;
    assert_eq!(
        member_page.attr("#feed-https", "value"),
        Some(second.clone())
    );
    assert!(member_page.texts("#rotate").is_empty());
    let token = member_page.csrf_token();
    for action in ["/settings/calendar/rotate", "/settings/calendar/revoke"] {
        let refused = w.ada.post_raw(action, &[("csrf_token", &token)]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{action}");
    }
    assert_eq!(fetch(&second).await.0, StatusCode::OK);
    sqlx::query("UPDATE memberships SET role = 'owner' WHERE user_id = (SELECT id FROM users WHERE email = 'ada@example.com')")
        .execute(&app.db.pool)
        .await
        .unwrap();

    // Revoked: 404, and the page offers to make one again.
    let revoked = w
        .ada
        .submit("/settings/calendar", "/settings/calendar/revoke", &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(fetch(&second).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        w.ada.get("/settings/calendar").await.texts("#create").len(),
        1
    );
    // Nor does anything that is not a token find anything.
    for odd in ["x.ics", "list.ics", &format!("{}.txt", "a".repeat(43))] {
        assert_eq!(
            fetch(&format!("{}/calendar/{odd}", app.base)).await.0,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn the_feed_is_one_workspaces_watched_maintenances_in_valid_bytes() {
    let app = App::start().await;
    let w = world(&app).await;
    // A hostile title: every TEXT special, a line break trying to end the event, a bidi
    // override, and multi-byte characters placed so that one straddles the fold.
    let hostile = format!(
        "{}€€€ DB, primary; \\ replica\r\nEND:VEVENT\u{202E}ʇxǝʇ",
        "x".repeat(57)
    );
    let m = maintenance(
        "m,1;@\\",
        &hostile,
        MaintenanceStatus::Scheduled,
        ("2027-04-01T10:00:00Z", Some("2027-04-01T11:00:00Z")),
        &["api"],
    );
    seed::maintenance_read(&app.db.pool, w.github, &m, at("2027-03-02T00:00:00Z")).await;
    let url = rotate(&w.ada).await;
    let (status, _, body) = fetch(&url).await;
    assert_eq!(status, StatusCode::OK);

    // Every line ends in CRLF; no bare CR or LF; no physical line over 75 octets; every
    // physical line is whole UTF-8 (reqwest decoded the body, so check the bytes' split).
    assert!(body.ends_with("END:VCALENDAR\r\n"));
    assert!(!body.replace("\r\n", "").contains(['\r', '\n']));
    for line in body.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let folded_summary: Vec<&str> = body
        .split("\r\n")
        .skip_while(|l| !l.starts_with("SUMMARY:GitHub: xxx"))
        .take(3)
        .collect();
    assert_eq!(
        folded_summary[0].len(),
        73,
        "the 3-octet € would cross 75: cut before it"
    );
    assert!(folded_summary[1].starts_with(' '));
    // Escaped as RFC 5545 says, the injected END:VEVENT inside the value, the override gone.
    let unfolded = body.replace("\r\n ", "");
    let summary = unfolded
        .lines()
        .find(|l| l.starts_with("SUMMARY:GitHub: x"))
        .unwrap();
    assert_eq!(
        summary,
        format!(
            "SUMMARY:GitHub: {}€€€ DB\\, primary\\; \\\\ replica\\nEND:VEVENTʇxǝʇ",
            "x".repeat(57)
        )
    );
    assert_eq!(body.matches("BEGIN:VCALENDAR").count(), 1);
    assert_eq!(
        body.matches("PRODID:-//vendorwatch//maintenance feed//EN")
            .count(),
        1
    );
    assert_eq!(body.matches("\r\nVERSION:2.0\r\n").count(), 1);
    assert!(body.contains("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
    assert!(body.contains("\r\nX-PUBLISHED-TTL:PT1H\r\n"));
    assert!(unfolded.contains("\r\nX-WR-CALNAME:Vendor maintenance · Acme\r\n"));
    assert!(unfolded.contains("\r\nDTSTART:20270401T100000Z\r\nDTEND:20270401T110000Z\r\n"));

    // Parsed by the icalendar crate: Acme's watched ones only, UIDs unique and stable.
    let parsed = events(&body);
    let mut summaries: Vec<&str> = parsed.iter().map(|e| e.1.as_str()).collect();
    summaries.sort();
    assert_eq!(summaries.len(), 3, "{summaries:?}");
    assert_eq!(
        &summaries[..2],
        ["GitHub: API upgrade", "GitHub: Network work"]
    );
    assert!(summaries[2].contains("DB, primary; \\ replica\nEND:VEVENT"));
    let host = app.address.ip().to_string();
    let uids: std::collections::BTreeSet<&str> = parsed.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(uids.len(), 3);
    assert!(uids.contains(format!("maint-github-m-api@{host}").as_str()));
    assert!(uids.contains(format!("maint-github-m%2C1%3B%40%5C@{host}").as_str()));
    assert!(!body.contains("Runner images") && !body.contains("Payments failover"));

    // Bobco's feed: Stripe's, nothing of Acme's.
    let bobs = rotate(&w.bob).await;
    let (_, _, bob_body) = fetch(&bobs).await;
    let bob_events = events(&bob_body);
    assert_eq!(bob_events.len(), 1);
    assert_eq!(bob_events[0].1, "Stripe: Payments failover");

    // Python's icalendar reads the same bytes.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), body.as_bytes()).unwrap();
    let python = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, icalendar\n\
             cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
             for e in cal.walk('VEVENT'):\n\
             \x20   print(e['UID'], e['SEQUENCE'], e['STATUS'], e['DTSTART'].dt.isoformat(), repr(str(e['SUMMARY'])))\n",
        )
        .arg(file.path())
        .output()
        .expect("python3 (with the icalendar package: pip install icalendar)");
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
    let out = String::from_utf8(python.stdout).unwrap();
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        out.contains(&format!(
            "maint-github-m-api@{host} 0 CONFIRMED 2027-03-10T22:00:00+00:00 'GitHub: API upgrade'"
        )),
        "{out}"
    );
    assert!(
        out.contains("DB, primary; \\\\ replica\\nEND:VEVENT"),
        "{out}"
    );
}

#[tokio::test]
async fn sequence_grows_with_each_change_of_time_or_status_and_cancelled_ones_stay_30_days() {
    let app = App::start().await;
    let w = world(&app).await;
    let url = rotate(&w.ada).await;
    let pool = &app.db.pool;
    let uid = format!("maint-github-m-seq@{}", app.address.ip());
    let of = |body: &str| events(body).into_iter().find(|e| e.0 == uid);
    let mut m = maintenance(
        "m-seq",
        "Storage move",
        MaintenanceStatus::Scheduled,
        ("2027-05-01T10:00:00Z", Some("2027-05-01T12:00:00Z")),
        &[],
    );
    let t = at("2027-03-02T00:00:00Z");
    let step = |n: i64| t + TimeDelta::hours(n);
    seed::maintenance_read(pool, w.github, &m, step(0)).await;
    assert_eq!(of(&fetch(&url).await.2).map(|e| e.2), Some(0));
    // Read again unchanged, or with only a new update: no change of time or status.
    m.updates.push(vw_domain::Update {
        id: "u1".into(),
        status: None,
        body: "Reminder".into(),
        posted_at: None,
    });
    seed::maintenance_read(pool, w.github, &m, step(1)).await;
    assert_eq!(of(&fetch(&url).await.2).map(|e| e.2), Some(0));
    // The window moves: 1. Its status moves: 2. Only the title: still 2.
    m.scheduled_until = Some(at("2027-05-01T13:00:00Z"));
    seed::maintenance_read(pool, w.github, &m, step(2)).await;
    assert_eq!(of(&fetch(&url).await.2).map(|e| e.2), Some(1));
    m.status = Some(MaintenanceStatus::InProgress);
    seed::maintenance_read(pool, w.github, &m, step(3)).await;
    m.title = "Storage move (phase 1)".into();
    seed::maintenance_read(pool, w.github, &m, step(4)).await;
    let body = fetch(&url).await.2;
    let event = of(&body).unwrap();
    assert_eq!(
        (event.1.as_str(), event.2, event.3.as_str()),
        ("GitHub: Storage move (phase 1)", 2, "CONFIRMED")
    );
    assert!(
        body.replace("\r\n ", "")
            .contains("LAST-MODIFIED:20270302T040000Z")
    );
    // Cancelled: 3, STATUS:CANCELLED, same UID; seen gone twice, still 3.
    seed::maintenance_gone(pool, w.github, "m-seq", step(5)).await;
    seed::maintenance_gone(pool, w.github, "m-seq", step(6)).await;
    let event = of(&fetch(&url).await.2).unwrap();
    assert_eq!((event.2, event.3.as_str()), (3, "CANCELLED"));
    // Listed again (the vendor changed its mind): 4, confirmed.
    seed::maintenance_read(pool, w.github, &m, step(7)).await;
    assert_eq!(
        of(&fetch(&url).await.2).map(|e| (e.2, e.3)),
        Some((4, "CONFIRMED".to_owned()))
    );
    // The count survives restarts: it is the row's.
    let stored: i32 =
        sqlx::query_scalar("SELECT sequence FROM maintenances WHERE vendor_id = 'm-seq'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(stored, 4);

    // The feed's reach: 90 days back, cancelled ones 30 days after their window.
    let now = Utc::now();
    let window = |days: i64| {
        let start = (now - TimeDelta::days(days)).to_rfc3339();
        let end = (now - TimeDelta::days(days) + TimeDelta::hours(1)).to_rfc3339();
        (start, end)
    };
    let cases = [
        ("old-80", 80, false),
        ("old-100", 100, false),
        ("gone-20", 20, true),
        ("gone-40", 40, true),
    ];
    for (id, days, cancelled) in cases {
        let (start, end) = window(days);
        let past = maintenance(
            id,
            id,
            MaintenanceStatus::Completed,
            (&start, Some(&end)),
            &[],
        );
        seed::maintenance_read(pool, w.github, &past, now - TimeDelta::days(days + 1)).await;
        if cancelled {
            seed::maintenance_gone(pool, w.github, id, now - TimeDelta::days(days + 1)).await;
        }
    }
    let body = fetch(&url).await.2;
    let titles: Vec<String> = events(&body).into_iter().map(|e| e.1).collect();
    assert!(titles.contains(&"GitHub: old-80".to_owned()));
    assert!(titles.contains(&"GitHub: gone-20".to_owned()));
    assert!(!titles.contains(&"GitHub: old-100".to_owned()));
    assert!(!titles.contains(&"GitHub: gone-40".to_owned()));
}

#[tokio::test]
async fn conditional_gets_answer_304_until_the_feed_changes_and_head_sends_no_body() {
    let app = App::start().await;
    let w = world(&app).await;
    let url = rotate(&w.ada).await;
    let client = reqwest::Client::new();
    let first = client.get(&url).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
    let modified = first.headers()[LAST_MODIFIED].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'));
    assert!(modified.ends_with(" GMT"));

    let again = client
        .get(&url)
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[ETAG], etag.as_str());
    assert_eq!(again.text().await.unwrap(), "");
    let since = client
        .get(&url)
        .header(IF_MODIFIED_SINCE, &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
    // A stale tag wins over a fresh date: If-None-Match decides.
    let stale = client
        .get(&url)
        .header(IF_NONE_MATCH, "\"stale\"")
        .header(IF_MODIFIED_SINCE, &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);

    let head = client.head(&url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()[ETAG], etag.as_str());
    assert_eq!(head.headers()[CONTENT_TYPE], "text/calendar; charset=utf-8");
    assert_eq!(head.text().await.unwrap(), "");

    // The vendor moves a window: a new tag, a later date, 200 with the new window.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let moved = maintenance(
        "m-api",
        "API upgrade",
        MaintenanceStatus::Scheduled,
        ("2027-03-10T23:00:00Z", Some("2027-03-12T01:00:00Z")),
        &["api"],
    );
    seed::maintenance_read(&app.db.pool, w.github, &moved, Utc::now()).await;
    let changed = client
        .get(&url)
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let new_etag = changed.headers()[ETAG].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    let new_modified = changed.headers()[LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_modified, modified);
    assert!(
        changed
            .text()
            .await
            .unwrap()
            .contains("DTSTART:20270310T230000Z")
    );
    let since_old = client
        .get(&url)
        .header(IF_MODIFIED_SINCE, &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since_old.status(), StatusCode::OK);
    // A monitor narrowed (no maintenance changed): the feed changes too.
    let again = client
        .get(&url)
        .header(IF_NONE_MATCH, &new_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    super::world::watch(&w.ada, "stripe", &[]).await;
    let wider = client
        .get(&url)
        .header(IF_NONE_MATCH, &new_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(wider.status(), StatusCode::OK);
    assert!(wider.text().await.unwrap().contains("Payments failover"));
}

//! No input makes a parser panic: arbitrary bytes, fixtures cut short or with bytes changed,
//! and feeds whose entries hold arbitrary Statuspage-like markup. Each returns `Ok` or `Err`.
//!
//! Cases per property: `PROPTEST_CASES` when set, else a count small enough for every test
//! run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config;
use vw_domain::{Snapshot, Update};
use vw_sources::{ParseError, azure, feed, incidentio, instatus, statuspage};

type Parser = fn(&[u8]) -> Result<Snapshot, ParseError>;

const PARSERS: [Parser; 5] = [
    statuspage::parse,
    incidentio::parse,
    instatus::parse,
    feed::parse,
    azure::parse,
];

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");

/// Each fixture with the parser it belongs to.
const FILES: [(&str, Parser); 14] = [
    (
        "atlassian-statuspage/github-summary-major-2026-07-24.json",
        statuspage::parse,
    ),
    (
        "atlassian-statuspage/twilio-summary-incident-groups-2020-06-16.json",
        statuspage::parse,
    ),
    (
        "atlassian-statuspage/claude-scheduled-maintenances-completed-2026-09-15.json",
        statuspage::parse,
    ),
    (
        "atlassian-statuspage/githubstatus-incident-kv978bsgr4kb-impact-none-2019-05-29.json",
        statuspage::parse,
    ),
    (
        "atlassian-statuspage/codecov-history-2016-07-01.atom",
        statuspage::parse,
    ),
    (
        "atlassian-statuspage/saucelabs-us-west-history-2020-11-15.atom",
        statuspage::parse,
    ),
    (
        "atlassian-statuspage/streamyard-history-2024-06-10.rss",
        feed::parse,
    ),
    (
        "atlassian-statuspage/digitalocean-history-2020-01-21.rss",
        statuspage::parse,
    ),
    (
        "incidentio/openai-api-v2-summary-minor-2026-07-22.json",
        incidentio::parse,
    ),
    (
        "incidentio/cohere-api-v2-summary-major-2026-07-23.json",
        incidentio::parse,
    ),
    (
        "instatus/perplexity-summary-major-2026-07-23.json",
        instatus::parse,
    ),
    (
        "azure/azure-status-feed-westus-major-2026-07-23.xml",
        azure::parse,
    ),
    (
        "azure/azure-status-feed-westus-2026-07-23-1649.xml",
        azure::parse,
    ),
    ("azure/azure-status-feed-empty-2026-08-01.xml", azure::parse),
];

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn fixture(index: usize) -> (Vec<u8>, Parser) {
    let (path, parser) = FILES[index % FILES.len()];
    (std::fs::read(format!("{FIXTURES}{path}")).unwrap(), parser)
}

/// Arbitrary bytes, often behind a `{` or `<` so that they reach the JSON and XML readers.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let bytes = prop::collection::vec(any::<u8>(), 0..1024);
    (
        prop_oneof![
            Just(""),
            Just("{"),
            Just("<"),
            Just("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item>")
        ],
        bytes,
    )
        .prop_map(|(prefix, bytes)| [prefix.as_bytes(), &bytes].concat())
}

/// Bytes that matter to the formats, to change a fixture in the places that count.
fn replacement() -> impl Strategy<Value = u8> {
    prop_oneof![
        any::<u8>(),
        prop::sample::select(b"<>&;\"'{}[]:,- 0123456789/".to_vec()),
    ]
}

/// One Statuspage feed update, with each part sometimes nonsense, and whether its stamp has
/// a year.
fn statuspage_update() -> impl Strategy<Value = (String, bool)> {
    let month = prop::sample::select(vec!["Jan", "Feb", "Dec", "Foo", "", "September"]);
    let day = prop_oneof![1u32..32, Just(0), Just(99)];
    let time = prop_oneof![
        (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h:02}:{m:02}")),
        Just("99:99".to_owned()),
        Just("12:00 PM".to_owned()),
        Just("".to_owned()),
    ];
    let zone = prop::sample::select(vec![
        "UTC", "PST", "PDT", "IST", "+0530", "-14", "+99", "", "ZZZ",
    ]);
    let label = prop::sample::select(vec![
        "Investigating",
        "Identified",
        "Monitoring",
        "Update",
        "Resolved",
        "Postmortem",
        "Scheduled",
        "In progress",
        "Verifying",
        "Completed",
        "Other",
        "",
    ]);
    let body = "[ -~]{0,40}";
    let year = prop::option::of(1900i32..2100);
    (month, day, year, time, zone, label, body).prop_map(
        |(month, day, year, time, zone, label, body)| {
            let written = year.map(|y| format!(" {y},")).unwrap_or_default();
            let update = format!(
                "<p><small>{month} <var data-var='date'>{day}</var>,{written} <var data-var='time'>{time}</var> {zone}</small><br><strong>{label}</strong> - {body}</p>"
            );
            (update, year.is_some())
        },
    )
}

fn ids_and_times<S>(updates: &[Update<S>]) -> (Vec<&str>, Vec<Option<DateTime<Utc>>>) {
    updates.iter().map(|u| (u.id.as_str(), u.posted_at)).unzip()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An Atom feed whose one entry has `content`, published and updated at the given times.
fn atom(content: &str, published: &str, updated: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><id>f</id><title>T</title>\
         <entry><id>e</id><title>t</title><published>{published}</published><updated>{updated}</updated>\
         <content type=\"html\">{}</content></entry></feed>",
        xml_escape(content)
    )
    .into_bytes()
}

fn timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        (1i32..10_000, 1u32..13, 1u32..29, 0u32..24)
            .prop_map(|(y, mo, d, h)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:00:00Z")),
        Just("not a date".to_owned()),
        Just("+262143-12-31T23:59:59Z".to_owned()),
        Just("2026-01-01T00:30:00-14:00".to_owned()),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(body in body()) {
        for parse in PARSERS {
            let _ = parse(&body);
        }
    }

    #[test]
    fn truncated_fixtures_never_panic(index in 0..FILES.len(), cut in 0.0f64..1.0) {
        let (body, parse) = fixture(index);
        let end = (body.len() as f64 * cut) as usize;
        let _ = parse(&body[..end]);
    }

    #[test]
    fn fixtures_with_changed_bytes_never_panic(
        index in 0..FILES.len(),
        changes in prop::collection::vec((0.0f64..1.0, replacement()), 1..16),
    ) {
        let (mut body, parse) = fixture(index);
        for (at, byte) in changes {
            let i = ((body.len() as f64 * at) as usize).min(body.len().saturating_sub(1));
            if let Some(b) = body.get_mut(i) {
                *b = byte;
            }
        }
        let _ = parse(&body);
    }

    #[test]
    fn statuspage_like_entries_never_panic(
        updates in prop::collection::vec(statuspage_update(), 0..8),
        tail in "[ -~]{0,30}",
        published in timestamp(),
        updated in timestamp(),
    ) {
        let content = updates.iter().map(|(u, _)| u.as_str()).collect::<String>() + &tail;
        let body = atom(&content, &published, &updated);
        // Without a year in the stamps, no update is put after the entry's last change (give
        // or take the two days' slack the year is chosen with).
        let bound = [&published, &updated]
            .iter()
            .filter_map(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .max()
            .filter(|_| !updates.iter().any(|(_, has_year)| *has_year))
            .and_then(|t| t.checked_add_signed(TimeDelta::days(2)));
        for parse in [statuspage::parse, feed::parse, incidentio::parse, azure::parse] {
            let parsed = parse(&body);
            prop_assert!(parsed.is_ok(), "{parsed:?}");
            let snapshot = parsed.unwrap();
            let timelines = snapshot.incidents.iter().map(|i| ids_and_times(&i.updates))
                .chain(snapshot.maintenances.iter().map(|m| ids_and_times(&m.updates)));
            for (ids, times) in timelines {
                let mut unique = ids.clone();
                unique.sort();
                unique.dedup();
                prop_assert_eq!(unique.len(), ids.len(), "update ids repeat: {:?}", ids);
                if let Some(bound) = bound {
                    prop_assert!(times.iter().flatten().all(|t| *t <= bound), "{times:?} after {bound}");
                }
            }
        }
    }

    #[test]
    fn arbitrary_html_in_entries_never_panics(html in "(<[a-z/ !]{0,6}>|&[a-z#0-9]{0,6};|[ -~]{0,8}){0,40}") {
        let body = atom(&html, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z");
        for parse in [statuspage::parse, feed::parse, incidentio::parse, azure::parse] {
            let _ = parse(&body);
        }
    }
}

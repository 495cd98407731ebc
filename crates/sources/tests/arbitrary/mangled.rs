//! Properties of every platform's reader: arbitrary bytes, and every fixture cut short, with
//! bytes changed, or with one of its string values replaced.

use proptest::prelude::*;
use proptest::sample::Index;
use vw_domain::Platform;

use crate::support::{FIXTURE_FILES, config};

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

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    Flip(Vec<(Index, u8)>),
    /// Replaces the contents of one JSON string (the n-th `"…"`) with other text.
    ReplaceString(Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        prop::collection::vec((any::<Index>(), any::<u8>()), 1..8).prop_map(Mutation::Flip),
        (
            any::<Index>(),
            prop_oneof![
                "[ -!#-\\[\\]-~]{0,24}",
                "-?[0-9]{1,25}",
                Just(String::new()),
                Just("<div><span>x</span></div><div>".to_owned()),
                Just("9999-12-31T23:59:59Z".to_owned()),
            ]
        )
            .prop_map(|(i, s)| Mutation::ReplaceString(i, s)),
    ]
}

fn apply(mut body: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    match mutation {
        Mutation::Truncate(at) => {
            body.truncate(at.index(body.len() + 1));
            body
        }
        Mutation::Flip(flips) => {
            if !body.is_empty() {
                for (at, byte) in flips {
                    let i = at.index(body.len());
                    body[i] = *byte;
                }
            }
            body
        }
        Mutation::ReplaceString(which, with) => {
            let quotes: Vec<usize> = body
                .iter()
                .enumerate()
                .filter(|&(i, b)| *b == b'"' && (i == 0 || body[i - 1] != b'\\'))
                .map(|(i, _)| i)
                .collect();
            if quotes.len() < 2 {
                return body;
            }
            let start = quotes[which.index(quotes.len() - 1)];
            let Some(&end) = quotes.iter().find(|&&q| q > start) else {
                return body;
            };
            body.splice(start + 1..end, with.bytes());
            body
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_bytes_behind_markup_never_panic(
        platform in prop::sample::select(Platform::ALL.to_vec()),
        body in body(),
    ) {
        let _ = vw_sources::parse(platform, &body);
    }

    #[test]
    fn truncated_fixtures_never_panic(which in any::<Index>(), cut in 0.0f64..1.0) {
        let fixture = which.get(&FIXTURE_FILES);
        let end = (fixture.body.len() as f64 * cut) as usize;
        let _ = vw_sources::parse(fixture.platform, &fixture.body[..end]);
    }

    #[test]
    fn fixtures_with_changed_bytes_never_panic(
        which in any::<Index>(),
        changes in prop::collection::vec((0.0f64..1.0, replacement()), 1..16),
    ) {
        let fixture = which.get(&FIXTURE_FILES);
        let mut body = fixture.body.clone();
        for (at, byte) in changes {
            let i = ((body.len() as f64 * at) as usize).min(body.len().saturating_sub(1));
            if let Some(b) = body.get_mut(i) {
                *b = byte;
            }
        }
        let _ = vw_sources::parse(fixture.platform, &body);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_never_panic(
        platform in prop::sample::select(Platform::ALL.to_vec()),
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let _ = vw_sources::parse(platform, &body);
    }

    #[test]
    fn arbitrary_json_prefixes_never_panic(
        platform in prop::sample::select(Platform::ALL.to_vec()),
        body in "[\\[{][ -~]{0,200}",
    ) {
        let _ = vw_sources::parse(platform, body.as_bytes());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let fixture = which.get(&FIXTURE_FILES);
        let body = mutations.iter().fold(fixture.body.clone(), apply);
        let _ = vw_sources::parse(fixture.platform, &body);
    }
}

#[test]
fn every_fixture_is_mangled_and_reads_unmangled() {
    let count = |platform| {
        FIXTURE_FILES
            .iter()
            .filter(|f| f.platform == platform)
            .count()
    };
    // Per directory of tests/fixtures; AWS has its UTF-16 file twice (as sent, and as UTF-8).
    // The second corpus adds 14 Statuspage files, AWS's and xAI's RSS, one GCP and one Slack.
    let expected = [
        (Platform::Statuspage, 25 + 14),
        (Platform::Incidentio, 2),
        (Platform::Instatus, 1),
        (Platform::Azure, 3),
        (Platform::Betterstack, 1),
        (Platform::Statusio, 4),
        (Platform::Checkly, 2),
        (Platform::Cachet, 2),
        (Platform::Slack, 4 + 1),
        (Platform::Heroku, 2),
        (Platform::Aws, 3),
        (Platform::Gcp, 1 + 1),
        (Platform::Rss, 1 + 2),
        (Platform::Atom, 1),
    ];
    for (platform, n) in expected {
        assert_eq!(count(platform), n, "{platform}");
    }
    assert_eq!(FIXTURE_FILES.len(), 52 + 18);
    for fixture in FIXTURE_FILES.iter() {
        let read = vw_sources::parse(fixture.platform, &fixture.body);
        assert!(read.is_ok(), "{}: {read:?}", fixture.path);
    }
}

/// Vendor text no database or page should get: NUL and other controls (as JSON escapes), and
/// text far past the caps, with multi-byte characters where the cut falls.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\\u0000".to_owned()),
        "(\\\\u00[01][0-9a-f]|\\\\u007f|\\\\u0085|[a-z ]){1,40}",
        (
            1usize..3000,
            prop::sample::select(vec!["é", "x ", "\u{1f383}", "ab"])
        )
            .prop_map(|(n, s)| s.repeat(n)),
    ]
}

/// Whether every string of `snapshot` is one `Snapshot::neutralise` lets through.
fn neutral(snapshot: &vw_domain::Snapshot) -> Result<(), String> {
    use vw_domain::vendor_text::{BODY_LIMIT, ID_LIMIT, NAME_LIMIT, TITLE_LIMIT};
    let check = |what: &str, text: &str, limit: usize| {
        let bad = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        match bad {
            Some(c) => Err(format!("{what} holds {c:?}")),
            None if text.chars().count() > limit => Err(format!("{what} is over {limit}")),
            None => Ok(()),
        }
    };
    for name in snapshot.page.name.iter() {
        check("page name", name, NAME_LIMIT)?;
    }
    for c in &snapshot.components {
        check("component id", &c.id, ID_LIMIT)?;
        check("component name", &c.name, NAME_LIMIT)?;
        for group in c.group.iter() {
            check("group", group, NAME_LIMIT)?;
        }
    }
    let items = snapshot
        .incidents
        .iter()
        .map(|i| {
            (
                &i.id,
                &i.title,
                i.updates.iter().map(|u| &u.body).collect::<Vec<_>>(),
            )
        })
        .chain(snapshot.maintenances.iter().map(|m| {
            (
                &m.id,
                &m.title,
                m.updates.iter().map(|u| &u.body).collect::<Vec<_>>(),
            )
        }));
    for (id, title, bodies) in items {
        check("id", id, ID_LIMIT)?;
        check("title", title, TITLE_LIMIT)?;
        for body in bodies {
            check("body", body, BODY_LIMIT)?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    /// Whatever a vendor writes into any string of any fixture, what is read is neutral.
    #[test]
    fn hostile_text_in_any_fixture_reads_as_neutral_text(
        which in any::<Index>(),
        strings in prop::collection::vec((any::<Index>(), hostile()), 1..4),
    ) {
        let fixture = which.get(&FIXTURE_FILES);
        let body = strings
            .into_iter()
            .map(|(at, text)| Mutation::ReplaceString(at, text))
            .fold(fixture.body.clone(), |body, m| apply(body, &m));
        if let Ok(snapshot) = vw_sources::parse(fixture.platform, &body) {
            let verdict = neutral(&snapshot);
            prop_assert!(verdict.is_ok(), "{}: {verdict:?}", fixture.path);
        }
    }
}

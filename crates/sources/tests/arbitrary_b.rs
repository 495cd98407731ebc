//! The part B parsers never panic: not on arbitrary bytes, not on the real fixtures mangled
//! (truncated, bytes flipped, string values replaced), not on odd AWS timeline labels.
//!
//! Case counts are small by default so that the normal run stays fast; set `PROPTEST_CASES`
//! for a long run.

use std::io::Read;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::Index;
use vw_domain::Platform;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");

const PLATFORMS: [Platform; 8] = [
    Platform::Betterstack,
    Platform::Statusio,
    Platform::Checkly,
    Platform::Cachet,
    Platform::Slack,
    Platform::Heroku,
    Platform::Aws,
    Platform::Gcp,
];

/// Every fixture of part B as (platform, bytes), the GCP one unzipped, plus the UTF-16 AWS
/// one re-encoded as UTF-8 so that mutations reach its JSON rather than its encoding.
static CORPUS: LazyLock<Vec<(Platform, Vec<u8>)>> = LazyLock::new(|| {
    let mut corpus = Vec::new();
    for (platform, dir) in [
        (Platform::Betterstack, "betterstack"),
        (Platform::Statusio, "statusio"),
        (Platform::Checkly, "checkly"),
        (Platform::Cachet, "cachet"),
        (Platform::Slack, "slack"),
        (Platform::Heroku, "heroku"),
        (Platform::Aws, "aws"),
        (Platform::Gcp, "gcp"),
    ] {
        let Ok(entries) = std::fs::read_dir(format!("{FIXTURES}{dir}")) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            if path.extension().is_some_and(|e| e == "gz") {
                let mut unzipped = Vec::new();
                if flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut unzipped)
                    .is_ok()
                {
                    corpus.push((platform, unzipped));
                }
                continue;
            }
            if let [0xFE, 0xFF, rest @ ..] = &bytes[..] {
                let units: Vec<u16> = rest
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                corpus.push((platform, String::from_utf16_lossy(&units).into_bytes()));
            }
            corpus.push((platform, bytes));
        }
    }
    corpus
});

fn config(default_cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    // A failure is reproduced from the printed case; no regression files in the source tree.
    config.failure_persistence = None;
    config
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
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_never_panic(
        platform in prop::sample::select(PLATFORMS.to_vec()),
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let _ = vw_sources::parse(platform, &body);
    }

    #[test]
    fn arbitrary_json_prefixes_never_panic(
        platform in prop::sample::select(PLATFORMS.to_vec()),
        body in "[\\[{][ -~]{0,200}",
    ) {
        let _ = vw_sources::parse(platform, body.as_bytes());
    }
}

/// The first and last seconds chrono can hold: years -262143 and +262142.
const MIN_SECS: i64 = -8_334_601_228_800;
const MAX_SECS: i64 = 8_210_266_876_799;

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_fixtures_never_panic(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let corpus = &*CORPUS;
        prop_assume!(!corpus.is_empty());
        let (platform, original) = &corpus[which.index(corpus.len())];
        let body = mutations.iter().fold(original.clone(), apply);
        let _ = vw_sources::parse(*platform, &body);
    }

    /// The legacy AWS timeline reads page-local times (`Sep 29, 12:30 AM PDT`) against the
    /// event's start: odd labels and extreme starts must neither panic nor overflow.
    #[test]
    fn aws_timeline_labels_never_panic(
        date in prop_oneof![
            any::<i64>(),
            0..2_000_000_000i64,
            // The ends of chrono's range, where converting to a zone can overflow.
            MIN_SECS..MIN_SECS + 60_000,
            MAX_SECS - 60_000..=MAX_SECS,
        ],
        labels in prop::collection::vec(
            concat!(
                "((Jan|Dec|Feb|Xyz) ([1-9]|[12][0-9]|3[01]|0|32|[0-9]{3}),)? {0,2}",
                "([1-9]|1[0-2]|0|13|[0-9]{3}):([0-5][0-9]|60|[0-9]{3}) (AM|PM|XM)( PDT| PST| UTC| ABC|)",
            ),
            0..6,
        ),
    ) {
        let description: String = labels
            .iter()
            .map(|l| format!("<div><span class=\\\"yellowfg\\\">{l}</span>&nbsp;text</div>"))
            .collect();
        let body = format!(
            r#"{{"current":[],"archive":[{{"service_name":"S","summary":"[RESOLVED] x","date":"{date}","status":"1","details":"","description":"{description}","service":"s"}}]}}"#
        );
        let _ = vw_sources::parse(Platform::Aws, body.as_bytes());
    }
}

#[test]
fn the_corpus_holds_every_fixture() {
    // 1 + 4 + 2 + 2 + 4 + 2 + (2 + the UTF-8 copy) + 1
    assert_eq!(CORPUS.len(), 19);
    for (platform, body) in CORPUS.iter() {
        assert!(
            vw_sources::parse(*platform, body).is_ok(),
            "{platform} fixture does not parse"
        );
    }
}

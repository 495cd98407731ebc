//! The fixtures every property reads, and the case count.

use std::io::Read;
use std::sync::LazyLock;

use proptest::test_runner::Config;
use vw_domain::Platform;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");

/// `PROPTEST_CASES` when set, else `default_cases`. A failure is reproduced from the printed
/// case; no regression files in the source tree.
pub fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// One fixture and the platform whose reader it is given to.
pub struct Fixture {
    pub platform: Platform,
    pub path: String,
    pub body: Vec<u8>,
}

/// Fixture directories and the platform that reads what is in them.
const DIRECTORIES: [(&str, Platform); 12] = [
    ("atlassian-statuspage", Platform::Statuspage),
    ("incidentio", Platform::Incidentio),
    ("instatus", Platform::Instatus),
    ("azure", Platform::Azure),
    ("betterstack", Platform::Betterstack),
    ("statusio", Platform::Statusio),
    ("checkly", Platform::Checkly),
    ("cachet", Platform::Cachet),
    ("slack", Platform::Slack),
    ("heroku", Platform::Heroku),
    ("aws", Platform::Aws),
    ("gcp", Platform::Gcp),
];

/// The second corpus' directories (`corpus/`) and the platform that reads each.
const CORPUS_DIRECTORIES: [(&str, Platform); 5] = [
    ("corpus/statuspage", Platform::Statuspage),
    ("corpus/aws", Platform::Rss),
    ("corpus/rss", Platform::Rss),
    ("corpus/gcp", Platform::Gcp),
    ("corpus/slack", Platform::Slack),
];

/// Feeds also read by the generic feed reader, as the platform of their kind.
const AS_GENERIC_FEEDS: [(&str, Platform); 2] = [
    (
        "atlassian-statuspage/streamyard-history-2024-06-10.rss",
        Platform::Rss,
    ),
    (
        "atlassian-statuspage/streamyard-history-2024-06-10.atom",
        Platform::Atom,
    ),
];

/// Every fixture and every file of the second corpus, by directory and name: the GCP one unzipped, the UTF-16 AWS one also
/// re-encoded as UTF-8 so that mutations reach its JSON rather than its encoding.
pub static FIXTURE_FILES: LazyLock<Vec<Fixture>> = LazyLock::new(|| {
    let mut all = Vec::new();
    for (dir, platform) in DIRECTORIES.into_iter().chain(CORPUS_DIRECTORIES) {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{FIXTURES}{dir}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            if path.extension().is_some_and(|e| e == "gz") {
                let mut unzipped = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut unzipped)
                    .unwrap();
                all.push(fixture(platform, name, unzipped));
                continue;
            }
            if let [0xFE, 0xFF, rest @ ..] = &bytes[..] {
                let units: Vec<u16> = rest
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                let utf8 = String::from_utf16_lossy(&units).into_bytes();
                all.push(fixture(platform, format!("{name} (as UTF-8)"), utf8));
            }
            all.push(fixture(platform, name, bytes));
        }
    }
    for (path, platform) in AS_GENERIC_FEEDS {
        let body = std::fs::read(format!("{FIXTURES}{path}")).unwrap();
        all.push(fixture(platform, path.to_owned(), body));
    }
    all
});

fn fixture(platform: Platform, path: String, body: Vec<u8>) -> Fixture {
    Fixture {
        platform,
        path,
        body,
    }
}

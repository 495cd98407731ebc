//! What the fuzz targets (`fuzz/`) found in the readers, kept as tests: every input under
//! `tests/fuzz_findings/<target>/` is read as that target reads it, and what the target
//! checks must hold. See docs/bench/fuzzing.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use vw_domain::{Platform, Snapshot};

/// The fuzz target's checks: stored as JSON without NUL, read back equal, and a second read
/// of the same page diffs to no event.
fn holds(platform: Platform, body: &[u8], name: &str) {
    let Ok(snapshot) = vw_sources::parse(platform, body) else {
        return;
    };
    let stored = serde_json::to_string(&snapshot).unwrap();
    assert!(!stored.contains("\\u0000"), "{name}: a NUL would be stored");
    let back: Snapshot = serde_json::from_str(&stored).unwrap();
    assert_eq!(back, snapshot, "{name}: the stored state reads back");
    let mut state = snapshot.clone();
    state.canonicalize();
    let events = vw_domain::diff(&state, &snapshot);
    assert!(
        events.is_empty(),
        "{name}: the same page read twice: {events:?}"
    );
}

#[test]
fn every_input_the_fuzzers_found_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_findings");
    let mut read = 0;
    for (target, platform) in [
        ("read_gcp", Platform::Gcp),
        ("read_heroku", Platform::Heroku),
    ] {
        for entry in std::fs::read_dir(root.join(target)).unwrap() {
            let path = entry.unwrap().path();
            let body = std::fs::read(&path).unwrap();
            assert!(
                vw_sources::parse(platform, &body).is_ok(),
                "{}: still a page to read",
                path.display()
            );
            holds(platform, &body, &path.display().to_string());
            read += 1;
        }
    }
    assert!(read >= 2, "{read} inputs");
}

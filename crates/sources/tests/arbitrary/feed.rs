//! Feeds whose entries hold arbitrary HTML, given to every reader of feeds.

use proptest::prelude::*;
use vw_sources::{azure, feed, incidentio, statuspage};

use crate::statuspage::atom;
use crate::support::config;

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_html_in_entries_never_panics(html in "(<[a-z/ !]{0,6}>|&[a-z#0-9]{0,6};|[ -~]{0,8}){0,40}") {
        let body = atom(&html, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z");
        for parse in [statuspage::parse, feed::parse, incidentio::parse, azure::parse] {
            let _ = parse(&body);
        }
    }
}

//! The legacy AWS dashboard's timeline labels, odd ones and extreme starts.

use proptest::prelude::*;
use vw_domain::Platform;

use crate::support::config;

/// The first and last seconds chrono can hold: years -262143 and +262142.
const MIN_SECS: i64 = -8_334_601_228_800;
const MAX_SECS: i64 = 8_210_266_876_799;

proptest! {
    #![proptest_config(config(256))]

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

//! Any Atom or RSS feed, read by the generic feed reader.

use vw_domain::Platform;
use vw_sources::feed;

use crate::support::{read, statuspage};

#[test]
fn the_generic_feed_parser_reads_statuspage_markup_too() {
    let atom = feed::parse(&read(
        "atlassian-statuspage/streamyard-history-2024-06-10.atom",
    ))
    .unwrap();
    assert_eq!(atom.platform, Platform::Atom);
    let rss = vw_sources::parse(
        Platform::Rss,
        &read("atlassian-statuspage/streamyard-history-2024-06-10.rss"),
    )
    .unwrap();
    assert_eq!(rss.platform, Platform::Rss);
    assert_eq!(
        atom.incidents[0].updates,
        statuspage("streamyard-history-2024-06-10.atom").incidents[0].updates
    );
}

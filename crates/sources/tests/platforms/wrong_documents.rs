//! Documents that are no platform's: refused as such, by every JSON reader.

use vw_domain::Platform;

#[test]
fn html_is_not_a_json_platform() {
    let html = b"<!DOCTYPE html><html><body>Service Unavailable</body></html>";
    for platform in [
        Platform::Betterstack,
        Platform::Statusio,
        Platform::Checkly,
        Platform::Cachet,
        Platform::Slack,
        Platform::Heroku,
        Platform::Aws,
        Platform::Gcp,
    ] {
        let err = vw_sources::parse(platform, html).err();
        assert!(
            matches!(err, Some(vw_sources::ParseError::NotThisPlatform { .. })),
            "{platform}: {err:?}"
        );
    }
}

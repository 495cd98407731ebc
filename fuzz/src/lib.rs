//! What the fuzz targets share: each calls what vendorwatch calls on untrusted input, and
//! checks what must hold of any answer (a panic or a failed check is a finding).

use vw_domain::{
    EmailAddress, GroupFilters, GroupName, Month, Password, Platform, ProviderSlug,
    ReminderOffsets, Role, Snapshot, StatusPageUrl, TimeZoneName, WorkspaceName,
};
use vw_notify::TargetRules;

/// Reads `body` as `platform`'s document, as a poll does. Whatever is read must survive
/// being stored (JSON with no NUL, which PostgreSQL's text refuses) and read back unchanged,
/// and a second read of the same page must find no change.
pub fn read(platform: Platform, body: &[u8]) {
    let Ok(snapshot) = vw_sources::parse(platform, body) else {
        return;
    };
    let stored = serde_json::to_string(&snapshot).expect("a snapshot serialises");
    assert!(
        !stored.contains("\\u0000"),
        "a NUL would reach the database"
    );
    let back: Snapshot = serde_json::from_str(&stored).expect("the stored state reads back");
    assert_eq!(back, snapshot, "the stored state reads back unchanged");
    let mut state = snapshot.clone();
    state.canonicalize();
    let events = vw_domain::diff(&state, &snapshot);
    assert!(events.is_empty(), "the same page read twice: {events:?}");
}

/// A vendor's update text, as it is rendered when written: no tag that runs anything. Text
/// never holds a raw `<` (it is escaped), so every `<` opens a tag; the vendor's words, even
/// `javascript:`, may stay as text.
pub fn markup(text: &str) {
    for html in [vw_markup::to_safe_html(text), vw_markup::plain(text)] {
        for tag in html.to_ascii_lowercase().split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or(tag);
            let handler = tag.split_whitespace().skip(1).any(|a| a.starts_with("on"));
            assert!(
                !tag.starts_with("script") && !tag.contains("javascript:") && !handler,
                "<{tag}> in {html}"
            );
        }
    }
}

/// A pasted URL, as every kind of target reads it. A URL that parses prints as itself.
pub fn urls(input: &str) {
    if let Ok(page) = StatusPageUrl::parse(input) {
        let again = StatusPageUrl::parse(page.as_str()).expect("a parsed URL parses again");
        assert_eq!(again.as_str(), page.as_str());
    }
    for rules in [TargetRules::STRICT, TargetRules::LOCAL] {
        let _ = vw_notify::slack::SlackWebhook::parse(input, rules);
        let _ = vw_notify::discord::DiscordWebhook::parse(input, rules);
        let _ = vw_notify::teams::TeamsWorkflow::parse(input, rules);
        if let Ok(secret) = vw_notify::webhook::WebhookSecret::parse(input) {
            let _ = vw_notify::webhook::WebhookEndpoint::parse(input, rules, secret);
        }
    }
    let _ = EmailAddress::parse(input);
}

/// A URL-encoded form or query, each field given to the parser its handler uses.
pub fn web_form(body: &[u8]) {
    if let Ok(text) = std::str::from_utf8(body) {
        let _ = vw_web::TrustedProxies::parse(text);
    }
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return;
    };
    let values = |key: &'static str| {
        pairs
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let flag = |key: &str| pairs.iter().any(|(k, _)| k == key);
    let _ = GroupFilters::parse(
        values("severity"),
        values("event"),
        flag("postmortems"),
        flag("page_health"),
    );
    let minutes: Vec<u32> = values("reminder").filter_map(|v| v.parse().ok()).collect();
    let _ = ReminderOffsets::parse(minutes);
    for (key, value) in &pairs {
        match key.as_str() {
            "email" => drop(EmailAddress::parse(value)),
            "password" => drop(Password::parse(value)),
            "workspace" => drop(WorkspaceName::parse(value)),
            "name" => drop(GroupName::parse(value)),
            "role" => drop(Role::parse(value)),
            "time_zone" => drop(TimeZoneName::parse(value)),
            "month" => drop(Month::parse(value)),
            "provider" => drop(ProviderSlug::parse(value)),
            "url" => drop(StatusPageUrl::parse(value)),
            _ => {}
        }
    }
}

//! Alerts the tests render and send: a typical one of each kind, and hostile ones.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use url::Url;
use uuid::Uuid;
use vw_domain::{EmailAddress, Impact, IncidentStatus, MaintenanceStatus, ProviderSlug, Severity};
use vw_notify::email::{EmailRecipient, EmailSettings};
use vw_notify::{
    About, AffectedComponent, Alert, IncidentEvent, IncidentInfo, MaintenanceEvent,
    MaintenanceInfo, Provider, ProviderEvent, TargetRules,
};

pub fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 29, h, m, 0).unwrap()
}

pub fn github() -> Provider {
    Provider {
        slug: ProviderSlug::parse("github").unwrap(),
        name: "GitHub".into(),
        status_page_url: Url::parse("https://www.githubstatus.com/").unwrap(),
    }
}

pub const INCIDENT_ID: Uuid = Uuid::from_u128(0x0198_5a1e_0000_7000_8000_0000_0000_0001);
pub const MAINTENANCE_ID: Uuid = Uuid::from_u128(0x0198_5a1e_0000_7000_8000_0000_0000_0002);
pub const EVENT_ID: Uuid = Uuid::from_u128(0x0198_5a1e_0000_7000_8000_0000_0000_00e1);

pub fn incident(event: IncidentEvent) -> Alert {
    let resolved = matches!(
        event,
        IncidentEvent::Resolved | IncidentEvent::PostmortemPublished
    );
    Alert {
        event_id: EVENT_ID,
        about: About::Incident {
            provider: github(),
            incident: IncidentInfo {
                id: INCIDENT_ID,
                title: "Actions degraded".into(),
                impact: Some(Impact::Major),
                status: Some(match event {
                    IncidentEvent::PostmortemPublished => IncidentStatus::Postmortem,
                    IncidentEvent::Resolved => IncidentStatus::Resolved,
                    IncidentEvent::Updated => IncidentStatus::Identified,
                    _ => IncidentStatus::Investigating,
                }),
                started_at: Some(at(10, 2)),
                resolved_at: resolved.then(|| at(11, 27)),
            },
            event,
        },
        severity: Severity::Major,
        components: vec![
            AffectedComponent {
                name: "Webhooks".into(),
                group: Some("API".into()),
                watched: false,
            },
            AffectedComponent {
                name: "Actions".into(),
                group: None,
                watched: true,
            },
        ],
        latest_update: Some(
            "We are investigating reports of degraded performance for Actions.\n\nSome \
             workflows are queued for longer than usual."
                .into(),
        ),
        page_url: Url::parse(&format!(
            "https://vendorwatch.example/incidents/{INCIDENT_ID}"
        ))
        .unwrap(),
        detected_at: at(10, 4),
        workspace: "Acme".into(),
    }
}

pub fn maintenance(event: MaintenanceEvent) -> Alert {
    Alert {
        about: About::Maintenance {
            provider: github(),
            maintenance: MaintenanceInfo {
                id: MAINTENANCE_ID,
                title: "Database upgrade".into(),
                status: match event {
                    MaintenanceEvent::Started => Some(MaintenanceStatus::InProgress),
                    MaintenanceEvent::Completed => Some(MaintenanceStatus::Completed),
                    MaintenanceEvent::Cancelled => None,
                    _ => Some(MaintenanceStatus::Scheduled),
                },
                starts_at: Some(at(22, 0)),
                ends_at: Some(at(23, 30)),
            },
            event,
        },
        severity: Severity::Maintenance,
        components: Vec::new(),
        latest_update: Some("Git operations may be slow during the window.".into()),
        page_url: Url::parse(&format!(
            "https://vendorwatch.example/maintenances/{MAINTENANCE_ID}"
        ))
        .unwrap(),
        ..incident(IncidentEvent::Opened)
    }
}

pub fn reminder() -> Alert {
    maintenance(MaintenanceEvent::Reminder {
        before: Duration::from_secs(24 * 3600),
        late: false,
    })
}

pub fn unreachable() -> Alert {
    Alert {
        about: About::Provider {
            provider: github(),
            event: ProviderEvent::Unreachable {
                since: at(9, 30),
                error: "www.githubstatus.com timed out".into(),
            },
        },
        severity: Severity::Minor,
        components: Vec::new(),
        latest_update: None,
        page_url: Url::parse("https://vendorwatch.example/providers/github").unwrap(),
        ..incident(IncidentEvent::Opened)
    }
}

pub fn recovered() -> Alert {
    Alert {
        about: About::Provider {
            provider: github(),
            event: ProviderEvent::Recovered { since: at(9, 30) },
        },
        ..unreachable()
    }
}

pub fn test_ping() -> Alert {
    Alert {
        about: About::Test,
        components: Vec::new(),
        latest_update: None,
        page_url: Url::parse("https://vendorwatch.example/settings/groups").unwrap(),
        ..incident(IncidentEvent::Opened)
    }
}

/// Every kind of alert, for tests that must hold for all of them.
pub fn every_kind() -> Vec<Alert> {
    vec![
        incident(IncidentEvent::Opened),
        incident(IncidentEvent::Reopened),
        incident(IncidentEvent::Updated),
        incident(IncidentEvent::Resolved),
        incident(IncidentEvent::PostmortemPublished),
        maintenance(MaintenanceEvent::Scheduled),
        maintenance(MaintenanceEvent::Rescheduled),
        maintenance(MaintenanceEvent::Started),
        maintenance(MaintenanceEvent::Completed),
        maintenance(MaintenanceEvent::Cancelled),
        reminder(),
        maintenance(MaintenanceEvent::Reminder {
            before: Duration::from_secs(3600),
            late: true,
        }),
        unreachable(),
        recovered(),
        test_ping(),
    ]
}

/// The hostile strings of the brief, each of which must come out neutralised.
pub fn hostile_snippets() -> Vec<&'static str> {
    vec![
        "@everyone",
        "@here",
        "<!channel>",
        "<!here>",
        "<@U123>",
        "<@&987654321>",
        "[click](https://evil.example)",
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">j</a>",
        "*bold* _it_ ~strike~ `code` ||spoiler|| > quote # head - list",
        "<https://evil.example|totally legit>",
        "\u{0}NUL\u{1b}[31m\u{7}",
        "\u{202E}evil\u{202C}\u{2066}iso\u{2069}\u{200F}\u{061C}",
        "🚨👨\u{200D}👩\u{200D}👧 Ошибка 障害 é́",
        "&amp; &lt; &gt; & < >",
    ]
}

/// An incident whose every vendor string is as hostile and as long as the brief asks:
/// a 1 MB title and a 100,000-character update made of `snippets`.
pub fn hostile(fill: &str) -> Alert {
    let mut alert = incident(IncidentEvent::Opened);
    let title = fill.repeat(1_000_000 / fill.len().max(1) + 1);
    let update: String = fill.chars().cycle().take(100_000).collect();
    if let About::Incident {
        incident, provider, ..
    } = &mut alert.about
    {
        incident.title = title;
        provider.name = format!("{fill} GitHub {fill}");
    }
    alert.latest_update = Some(update);
    alert.workspace = format!("{fill} Acme {fill}");
    alert.components = (0..300)
        .map(|i| AffectedComponent {
            name: format!("{fill} component {i}"),
            group: Some(fill.to_owned()),
            watched: i % 3 == 0,
        })
        .collect();
    alert
}

pub fn settings() -> EmailSettings {
    EmailSettings::new("vendorwatch <alerts@vendorwatch.example>").unwrap()
}

pub const GROUP_ID: Uuid = Uuid::from_u128(0x0198_5a1e_0000_7000_8000_0000_0000_0009);
pub const UNSUBSCRIBE_TOKEN: &str = "unsubTOKENq8w7e6r5t4y3u2i1";

pub fn recipient() -> EmailRecipient {
    EmailRecipient::new(
        EmailAddress::parse("ops@acme.example").unwrap(),
        GROUP_ID,
        &format!("https://vendorwatch.example/u/{UNSUBSCRIBE_TOKEN}"),
        TargetRules::STRICT,
    )
    .unwrap()
}

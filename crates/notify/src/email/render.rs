//! The e-mail for one alert and one recipient. Subjects stay the same across a thread (Gmail
//! groups by subject too), so the status goes in the body; the text part is complete on its
//! own; the HTML part escapes every vendor string (askama) and loads nothing remote.

use askama::Template;
use lettre::Message;
use vw_domain::Severity;

use super::Parts;
use super::headers::{self, Thread};
use super::recipient::{EmailRecipient, EmailSettings};
use crate::alert::{About, Alert, IncidentEvent, MaintenanceEvent, ProviderEvent};
use crate::error::NotifyError;
use crate::text;
use crate::wording::{self, Fact};

/// How much of an update an e-mail carries; the rest is on the incident page.
const BODY_CHARS: usize = 20_000;
const TOPIC_CHARS: usize = 500;
const COMPONENTS: usize = 100;
const COMPONENT_CHARS: usize = 200;

/// What the templates show, every string cleaned and cut.
pub(crate) struct View {
    prefix: String,
    topic: String,
    color: &'static str,
    facts: Vec<Fact>,
    /// The update as one text (for the text part) …
    body: Option<String>,
    /// … and as paragraphs of lines (for the HTML part).
    paragraphs: Vec<Vec<String>>,
    cut: bool,
    components: Vec<String>,
    components_omitted: usize,
    page_label: &'static str,
    page_url: String,
    vendor_url: Option<String>,
    workspace: String,
    unsubscribe_url: String,
}

#[derive(Template)]
#[template(path = "notifications/alert/body.txt")]
struct TextPart<'a> {
    v: &'a View,
}

#[derive(Template)]
#[template(path = "notifications/alert/body.html")]
struct HtmlPart<'a> {
    v: &'a View,
}

/// The message for `alert` to `recipient`, with every header (threading included).
pub fn render(
    alert: &Alert,
    settings: &EmailSettings,
    recipient: &EmailRecipient,
) -> Result<Message, NotifyError> {
    let content = parts(alert, recipient)?;
    let builder = headers::builder(
        settings,
        recipient.address().as_str(),
        &content.subject,
        &thread(alert),
    )?;
    let builder = headers::list(builder, settings, recipient, &alert.workspace);
    headers::finish(builder, content)
}

/// Subject, text and HTML of `alert`'s e-mail to `recipient`: what [`render`] puts in the
/// message, for previews and snapshot tests.
pub fn parts(alert: &Alert, recipient: &EmailRecipient) -> Result<Parts, NotifyError> {
    let view = view(alert, recipient);
    let text = TextPart { v: &view }
        .render()
        .map_err(|e| NotifyError::Email(e.to_string()))?;
    let html = HtmlPart { v: &view }
        .render()
        .map_err(|e| NotifyError::Email(e.to_string()))?;
    Ok(Parts {
        subject: headers::subject_line(&subject(alert)),
        text,
        html,
    })
}

/// The thread's subject: what the alert is about, never its status.
fn subject(alert: &Alert) -> String {
    match &alert.about {
        About::Incident {
            provider, incident, ..
        } => format!(
            "{}: {}",
            text::line(&provider.name),
            text::line(&incident.title)
        ),
        About::Maintenance {
            provider,
            maintenance,
            ..
        } => format!(
            "{} maintenance: {}",
            text::line(&provider.name),
            text::line(&maintenance.title)
        ),
        About::Provider { provider, event } => match event {
            ProviderEvent::Unreachable { .. } => {
                format!("{} status page unreachable", text::line(&provider.name))
            }
            ProviderEvent::Recovered { .. } => {
                format!("{} status page readable again", text::line(&provider.name))
            }
        },
        About::Test => "vendorwatch test message".to_owned(),
    }
}

/// The first e-mail about an incident or maintenance is the thread's root; later ones reply
/// to it. Ids come from vendorwatch's own ids, so a retry gets the same Message-ID.
fn thread(alert: &Alert) -> Thread {
    let own = format!("event-{}", alert.event_id);
    match &alert.about {
        About::Incident {
            incident, event, ..
        } => {
            let root = format!("incident-{}", incident.id);
            match event {
                IncidentEvent::Opened => Thread::Root(root),
                _ => Thread::Reply { own, root },
            }
        }
        About::Maintenance {
            maintenance, event, ..
        } => {
            let root = format!("maintenance-{}", maintenance.id);
            match event {
                MaintenanceEvent::Scheduled => Thread::Root(root),
                _ => Thread::Reply { own, root },
            }
        }
        About::Provider { .. } | About::Test => Thread::Alone(own),
    }
}

fn view(alert: &Alert, recipient: &EmailRecipient) -> View {
    let fitted = wording::body(alert).map(|body| text::chars(&body, BODY_CHARS));
    let paragraphs = fitted.as_ref().map_or_else(Vec::new, |f| {
        f.text
            .split("\n\n")
            .map(|p| p.lines().map(str::to_owned).collect())
            .collect()
    });
    let components = wording::components(alert);
    let shown: Vec<String> = components
        .iter()
        .take(COMPONENTS)
        .map(|c| text::chars(c, COMPONENT_CHARS).text)
        .collect();
    View {
        prefix: wording::prefix(alert),
        topic: text::chars(&wording::topic(alert), TOPIC_CHARS).text,
        color: match alert.severity {
            Severity::Major => "#cf222e",
            Severity::Minor => "#bc4c00",
            Severity::Maintenance => "#0969da",
        },
        facts: wording::facts(alert),
        cut: fitted.as_ref().is_some_and(|f| f.cut),
        body: fitted.map(|f| f.text),
        paragraphs,
        components_omitted: components.len() - shown.len(),
        components: shown,
        page_label: wording::page_link_label(alert),
        page_url: alert.page_url.to_string(),
        vendor_url: wording::vendor_link(alert).map(|u| u.to_string()),
        workspace: text::chars(&text::line(&alert.workspace), 100).text,
        unsubscribe_url: recipient.unsubscribe_url().to_string(),
    }
}

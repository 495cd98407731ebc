//! Sending e-mail: over SMTP (lettre's async transport, configured from a URL), or, with no
//! SMTP configured, into the log: recipients and subject only, and the message handed back
//! for an operator's "sent mail" page. Never silently dropped.

use std::time::{Duration, Instant};

use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::channel::ChannelKind;
use crate::error::NotifyError;
use crate::http;
use crate::outcome::{Attempt, LoggedMail, Outcome};
use crate::text;

/// How long one SMTP exchange may take (CHANNELS.md: 10–30 s per attempt).
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    /// The whole exchange's limit. lettre's own timeout covers connecting and single reads
    /// in some paths only; a server that stalls after DATA would otherwise hold a worker for
    /// minutes.
    timeout: Duration,
}

#[derive(Clone)]
enum Transport {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// For logs: the SMTP host, never the URL (it holds the password).
        host: String,
    },
    LogOnly,
}

impl Mailer {
    /// SMTP from a URL: `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host:465` (TLS from the start), or `smtp://host:25` (plain, for a
    /// local relay or a test server). Percent-encode special characters in the password.
    pub fn from_url(url: &str) -> Result<Self, NotifyError> {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| NotifyError::Smtp(e.to_string()))?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Mailer {
            transport: Transport::Smtp { transport, host },
            timeout: TIMEOUT,
        })
    }

    /// No SMTP: messages are logged (recipients and subject) and handed back.
    pub fn log_only() -> Self {
        Mailer {
            transport: Transport::LogOnly,
            timeout: TIMEOUT,
        }
    }

    /// Another limit for a whole SMTP exchange than the default 20 s.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn is_log_only(&self) -> bool {
        matches!(self.transport, Transport::LogOnly)
    }

    /// Sends `message`, and says how it went. `message_id` is the message's Message-ID.
    pub async fn send(&self, message: &Message) -> Attempt {
        let message_id = header(message, "Message-ID");
        let started = Instant::now();
        let (outcome, logged_mail, host) = match &self.transport {
            Transport::Smtp { transport, host } => {
                let sent = tokio::time::timeout(self.timeout, transport.send(message.clone()));
                let outcome = match sent.await {
                    Err(_elapsed) => Outcome::Retry {
                        after: None,
                        status: None,
                        detail: "timed out waiting for the SMTP server".to_owned(),
                    },
                    Ok(Ok(response)) => Outcome::Delivered {
                        status: Some(u16::from(response.code())),
                        detail: text::chars(
                            &text::line(&response.message().collect::<Vec<_>>().join(" ")),
                            300,
                        )
                        .text,
                    },
                    Ok(Err(error)) => outcome_of(&error),
                };
                (outcome, None, host.as_str())
            }
            Transport::LogOnly => {
                let to: Vec<String> = message
                    .envelope()
                    .to()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                let subject = header(message, "Subject").unwrap_or_default();
                tracing::info!(
                    to = ?to,
                    subject,
                    "no SMTP configured: e-mail kept for the sent-mail page instead of sent"
                );
                let logged = LoggedMail {
                    to,
                    subject,
                    raw: message.formatted(),
                };
                let outcome = Outcome::Delivered {
                    status: None,
                    detail: "not sent: no SMTP is configured; kept for the sent-mail page"
                        .to_owned(),
                };
                (outcome, Some(logged), "log")
            }
        };
        let duration = started.elapsed();
        http::log(ChannelKind::Email, host, &outcome, duration);
        Attempt {
            outcome,
            duration,
            next_allowed_after: None,
            message_id,
            logged_mail,
        }
    }
}

/// SMTP's own policy: 4xx replies are transient (retry), 5xx permanent; no reply at all
/// (refused, timed out, TLS failed) is worth retrying.
fn outcome_of(error: &SmtpError) -> Outcome {
    let status = error.status().map(u16::from);
    let detail = text::chars(&text::line(&error.to_string()), 300).text;
    if error.is_permanent() {
        Outcome::Permanent { status, detail }
    } else {
        Outcome::Retry {
            after: None,
            status,
            detail,
        }
    }
}

/// A header of `message` as text (lettre keeps it decoded).
fn header(message: &Message, name: &str) -> Option<String> {
    message.headers().get_raw(name).map(str::to_owned)
}

// By hand: the transport's own Debug would show its credentials.
impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.transport {
            Transport::Smtp { host, .. } => write!(f, "Mailer(smtp to {host})"),
            Transport::LogOnly => f.write_str("Mailer(log only)"),
        }
    }
}

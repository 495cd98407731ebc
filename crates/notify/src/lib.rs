//! Rendering and sending one alert on one channel: e-mail, Slack, Discord, Microsoft Teams
//! and signed webhooks, a module each with the same shape: `render(&Alert) -> Message` and
//! `send(&Client, &Target, &Message) -> Attempt` (e-mail: `email::render` and
//! [`email::Mailer::send`]). [`Notifier::deliver`] does both for any [`Target`].
//!
//! The crate owns the channel-independent [`Alert`] model, the channel targets (parsed once,
//! shown masked: their URLs are credentials), webhook secrets and signatures, each channel's
//! limits and escaping (CHANNELS.md), and the one delivery policy that turns every answer into
//! an [`Outcome`], with the pace each channel must be sent at.
//!
//! Depends on `vw-domain` and `vw-outbound` only; every HTTP request goes through the
//! outbound door. Pure of the database and of the job queue: the job layer builds the
//! `Alert`, calls this crate, and records the `Attempt`.

mod alert;
mod answer;
mod channel;
mod deliver;
mod error;
mod http;
mod outcome;
mod target;
mod text;
mod wording;

pub mod discord;
pub mod email;
pub mod slack;
pub mod teams;
pub mod webhook;

pub use alert::{
    About, AffectedComponent, Alert, AlertKind, IncidentEvent, IncidentInfo, MaintenanceEvent,
    MaintenanceInfo, Provider, ProviderEvent,
};
pub use channel::ChannelKind;
pub use deliver::{Notifier, Target};
pub use error::NotifyError;
pub use outcome::{Attempt, LoggedMail, Outcome};
pub use target::TargetRules;

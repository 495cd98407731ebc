//! Reading vendors' status pages: one module per platform turns that platform's documents into
//! a `vw_domain::Snapshot`; `fetch` gets the documents over HTTP and `detect` finds which
//! platform a URL or a document belongs to.
//!
//! Depends on `vw-domain` only. Parsers are pure functions of the bytes they are given.

mod error;
mod lenient;
mod text;

pub mod aws;
pub mod azure;
pub mod betterstack;
pub mod cachet;
pub mod checkly;
pub mod feed;
pub mod gcp;
pub mod heroku;
pub mod incidentio;
pub mod instatus;
pub mod slack;
pub mod statusio;
pub mod statuspage;

pub mod detect;
pub mod fetch;
pub mod reader;

pub use error::ParseError;
pub use fetch::{Document, FetchConfig, FetchError, Fetched, Fetcher, Validators};
pub use reader::{PageValidators, Read, StatusPage};

use vw_domain::{Platform, Snapshot};

/// Parses one document of `platform`. Every platform module exposes a `parse` of this shape;
/// this is the way in that the rest of vendorwatch uses, and the one that makes the vendor's
/// text safe to store and show ([`Snapshot::neutralise`]) whatever the platform.
pub fn parse(platform: Platform, body: &[u8]) -> Result<Snapshot, ParseError> {
    let (parsed, skipped) = lenient::counting_skips(|| match platform {
        Platform::Statuspage => statuspage::parse(body),
        Platform::Incidentio => incidentio::parse(body),
        Platform::Instatus => instatus::parse(body),
        Platform::Betterstack => betterstack::parse(body),
        Platform::Statusio => statusio::parse(body),
        Platform::Checkly => checkly::parse(body),
        Platform::Cachet => cachet::parse(body),
        Platform::Slack => slack::parse(body),
        Platform::Heroku => heroku::parse(body),
        Platform::Aws => aws::parse(body),
        Platform::Azure => azure::parse(body),
        Platform::Gcp => gcp::parse(body),
        Platform::Atom | Platform::Rss => feed::parse(body),
    });
    let mut snapshot = parsed?;
    snapshot.incomplete |= skipped;
    snapshot.neutralise();
    Ok(snapshot)
}

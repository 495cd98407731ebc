//! incident.io status pages: their Statuspage-compatible `/api/v2/summary.json` (and
//! `status.json`), and their Atom/RSS feeds, whose entries describe the current state.

use vw_domain::{Platform, Snapshot};

use crate::feed::{self, Markup};
use crate::statuspage::{self, Dialect};
use crate::{ParseError, text};

/// Parses the compatible JSON (ULID ids, no groups, no `started_at`: the Statuspage reader
/// copes with every field left out) or a feed (a body that starts with `<`).
pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    if text::is_markup(body) {
        return feed::parse_as(body, Platform::Incidentio, Markup::Incidentio);
    }
    let doc = statuspage::document(Platform::Incidentio, body)?;
    statuspage::snapshot(doc, Dialect::IncidentIo)
}

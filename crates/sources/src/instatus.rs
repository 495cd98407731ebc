//! Placeholder until this platform's adapter lands (issue #3).

use vw_domain::Snapshot;

use crate::ParseError;

pub fn parse(_body: &[u8]) -> Result<Snapshot, ParseError> {
    Err(ParseError::Malformed {
        platform: vw_domain::Platform::Instatus,
        location: String::new(),
        message: "not implemented yet".into(),
    })
}

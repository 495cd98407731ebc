use vw_domain::Platform;

/// Why a document could not be read as a snapshot.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The document is well formed but is not what this platform serves (an HTML page where
    /// JSON was expected, another vendor's JSON, …).
    #[error("not a {platform} document: {reason}")]
    NotThisPlatform { platform: Platform, reason: String },
    /// The document is this platform's but broken; `location` says where (a JSON path, a line
    /// and column, a feed entry).
    #[error("malformed {platform} document at {location}: {message}")]
    Malformed {
        platform: Platform,
        location: String,
        message: String,
    },
    /// The bytes are not text in any encoding the platform uses.
    #[error("{platform} document is not valid text: {message}")]
    Encoding { platform: Platform, message: String },
}

//! What a server said identifies the version of each document we hold of a page (ETag,
//! Last-Modified). Kept with the provider's poll state between polls and sent back, so that an
//! unchanged document costs a 304 and no parsing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// The validators of each document of a page, keyed by the document's URL.
pub type PageValidators = BTreeMap<String, Validators>;

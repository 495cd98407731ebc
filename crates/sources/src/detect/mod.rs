//! Finding which platform a status page is on: from a document's content
//! ([`platform_of`]), or from any URL of the page by probing it ([`from_url`]).

mod content;
mod html;
mod probe;

pub use content::platform_of;
pub use probe::from_url;

//! The use cases: what a person (through the web or the API) or a job can do, each one a
//! function that opens its transaction, applies the domain's rules and writes through the
//! store. Handlers and jobs call these; no second copy of a rule lives anywhere else.
//!
//! Depends on `vw-domain` and `vw-store`; nothing here speaks HTTP or runs jobs.

pub mod alerts;
pub mod api_tokens;
pub mod calendar;
pub mod calendar_feed;
pub mod catalog;
pub mod channels;
mod error;
pub mod groups;
pub mod members;
pub mod monitors;
pub mod providers;
pub mod secrets;
pub mod workspaces;

pub use error::AppError;

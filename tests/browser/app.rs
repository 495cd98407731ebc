//! The server a real browser drives is `support::app`'s; this names the password its people
//! sign up with.

pub use crate::support::app::App;

pub const PASSWORD: &str = "correct horse battery";

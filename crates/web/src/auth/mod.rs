//! Who is asking: sessions, the per-request context, CSRF checks, sign-in and sign-up
//! throttling and the extractors handlers use to require a signed-in member.

pub mod context;
mod cookies;
mod csrf;
mod extract;
mod session;
mod throttle;
mod tokens;

pub use cookies::{flash_cookie, session_cookie_cleared};
pub use csrf::CsrfForm;
pub use extract::{Admin, Member, Owner, SignedIn, Visitor};
pub use session::{end as end_session, start as start_session};
pub use throttle::{LoginThrottle, reserve_sign_up};
pub use tokens::{hash as token_hash, new_token};

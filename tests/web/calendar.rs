//! The maintenance calendar: maintenance pages, the month and list views (filtered to the
//! watched components, in the user's time zone, one workspace's only), the user's time zone,
//! and the iCalendar feed (its token, its bytes, its SEQUENCEs, its 304s).

mod feed;
mod views;
mod world;

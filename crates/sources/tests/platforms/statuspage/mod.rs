//! Atlassian Statuspage: its `/api/v2` documents and its history feeds.

mod api;
mod feed;

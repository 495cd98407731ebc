//! Atlassian Statuspage: its `/api/v2` documents and its history feeds.

mod api;
mod corpus_api;
mod corpus_feed;
mod feed;

//! The phone's offline copy: what it holds, who may change what offline, and the sync with the server.

pub mod api;
pub mod client;
pub mod pages;
pub mod rules;
pub mod snapshot;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;

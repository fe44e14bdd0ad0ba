//! Leading the change: Kotter's eight steps, the programme's actions and evidence, adoption and pulse surveys.

pub mod api;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;

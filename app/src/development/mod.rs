//! Development: feedback, check-ins, recognition, development plans and training.

pub mod api;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;

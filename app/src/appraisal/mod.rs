//! Appraisal: self-assessment, ratings, the conversation, calibration and the appraisal record.

pub mod api;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;

//! Reward: the merit matrix, budgets, raises and the consistency award.

pub mod api;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;

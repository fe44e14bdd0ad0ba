//! The organisation: units, people, roles, and HR's import and export of them.

pub mod api;
pub mod pages;
pub mod people_csv;
pub mod people_types;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;

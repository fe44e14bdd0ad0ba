//! Pages.

pub mod import;
pub mod organisation;
pub mod people;
pub mod person;
pub mod units;

//! Database access: queries and transactions only.

pub mod overview;
pub mod people;
pub mod units;

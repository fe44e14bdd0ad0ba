//! Database access: queries and transactions only.

pub mod actuals;
pub mod competencies;
pub mod integrations;
pub mod plans;

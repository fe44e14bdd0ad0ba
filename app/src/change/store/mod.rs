//! Database access: queries and transactions only.

pub mod adoption;
pub mod programmes;

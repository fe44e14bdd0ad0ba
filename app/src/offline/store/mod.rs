//! Database access of the offline copy: queries and transactions only.

pub mod docs;
pub mod inbox;
pub mod sync;

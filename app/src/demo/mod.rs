//! The demo organisation seeded into an empty database.

mod planning;
pub mod seed;

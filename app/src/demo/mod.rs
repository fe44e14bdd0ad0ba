//! The demo organisation seeded into an empty database.

mod activity;
mod history;
mod planning;
pub mod seed;

//! One module per route.

pub mod home;
pub mod import;
pub mod organisation;
pub mod people;
pub mod person;
pub mod profile;
pub mod sign_in;
pub mod team;
pub mod units;

//! Pages.

pub mod header;
pub mod home;
pub mod profile;
pub mod team;

//! Pages.

pub mod home;
pub mod profile;
pub mod team;

//! Pages.

pub mod header;
pub mod home;
pub mod inbox;
pub mod profile;
pub mod team;

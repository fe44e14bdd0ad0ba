//! Pages.

pub mod merit;
pub mod rewards;

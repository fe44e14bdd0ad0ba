//! Pages.

pub mod status;
pub mod sync;

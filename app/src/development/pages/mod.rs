//! Pages.

pub mod check_ins;
pub mod development;
pub mod feedback;
pub mod recognition;
pub mod training;

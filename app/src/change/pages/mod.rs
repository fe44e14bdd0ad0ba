//! Pages.

pub mod charts;
pub mod adoption;
pub mod change;
pub mod programme;
pub mod pulse;

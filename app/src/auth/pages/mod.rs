//! Pages.

pub mod sign_in;

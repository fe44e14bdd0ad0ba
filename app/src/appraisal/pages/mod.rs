//! Pages.

pub mod actions;
pub mod appraisals;
pub mod calibration;
pub mod conversation;
pub mod preparation;
pub mod report;
pub mod self_assessment;

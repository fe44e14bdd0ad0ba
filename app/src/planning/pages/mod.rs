//! Pages.

pub mod charts;
pub mod competencies;
pub mod cycles;
pub mod goals;
pub mod integrations;
pub mod kpi_form;
pub mod library;
pub mod plan;
pub mod results;
pub mod scorecard;
pub mod scorecard_list;
pub mod scorecards;

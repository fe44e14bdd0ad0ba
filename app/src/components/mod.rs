pub mod actions;
pub mod charts;
pub mod csv;
pub mod form;
pub mod kpi_form;
pub mod layout;
pub mod offline;
pub mod scorecards;

//! Planning and monitoring: cycles, goals, the KPI library, plans of KRAs and KPIs, competencies,
//! actuals, scoring and scorecards, and the integration API that feeds actuals.

pub mod actuals_csv;
pub mod api;
pub mod competency_rules;
pub mod pages;
pub mod rules;
pub mod scorecard;
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;
#[cfg(feature = "ssr")]
pub mod v1;

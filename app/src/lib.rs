#![recursion_limit = "256"]
//! Line of Sight: the Leptos application, shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`).

pub mod actuals_csv;
pub mod appraisal;
pub mod change;
pub mod csv_export;
pub mod development;
pub mod disclosure;
pub mod api;
pub mod app;
pub mod auth;
mod components;
pub mod error;
pub mod limits;
pub mod model;
pub mod offline;
pub mod org_rules;
pub mod people_csv;
pub mod planning;
pub mod reward;
mod routes;
pub mod scorecard;
pub mod scoring;
pub mod sync;
pub mod sync_rules;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}

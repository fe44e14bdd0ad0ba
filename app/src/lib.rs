#![recursion_limit = "256"]
//! Line of Sight: the Leptos application, shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`).

// The kernel: the shell, errors and limits, authorization, the database, UI components, the sync
// protocol, and the organisation every domain builds on.
pub mod app;
#[cfg(test)]
mod architecture;
pub mod auth;
pub mod csv_export;
#[cfg(feature = "ssr")]
pub mod db;
pub mod disclosure;
pub mod error;
pub mod limits;
pub mod org;
#[cfg(feature = "ssr")]
pub mod state;
pub mod sync;
mod ui;
pub mod words;

// The domains, each one folder: types, rules, store, api, pages.
pub mod appraisal;
pub mod change;
pub mod development;
pub mod planning;
pub mod reward;

// Above the domains: the offline copy, the home, email, the demo organisation.
#[cfg(feature = "ssr")]
pub mod demo;
pub mod home;
pub mod mail;
pub mod offline;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes: hydration waits for the chunk of the page the server rendered.
    leptos::mount::hydrate_lazy(app::App);
}

//! What each person sees first: the home with their tasks, the navigation, a manager's team and
//! one's own profile.

pub mod api;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;

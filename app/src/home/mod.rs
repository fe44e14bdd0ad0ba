//! What each person sees first: the home, the navigation, a manager's team and one's own profile.

pub mod api;
pub mod pages;
pub mod types;

//! What each person sees first: the home, a manager's team and one's own profile.

pub mod pages;

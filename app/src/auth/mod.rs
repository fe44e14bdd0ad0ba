//! Sign-in, sessions and authorization.

pub mod api;
pub mod pages;
pub mod policy;
pub mod types;

#[cfg(feature = "ssr")]
pub mod limiter;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session_store;
#[cfg(feature = "ssr")]
mod guard;
#[cfg(feature = "ssr")]
pub use guard::*;

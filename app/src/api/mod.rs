//! Server functions: thin, each asks `auth::authorize` first, then calls a function that takes the
//! database handle. Endpoints are named so the authorization table test can list them.

pub mod appraisal;
pub mod change;
pub mod develop;
pub mod org;
pub mod planning;
pub mod reward;
pub mod session;
pub mod sync;
#[cfg(feature = "ssr")]
pub mod v1;

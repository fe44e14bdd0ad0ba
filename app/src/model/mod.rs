//! Plain serde types shared by the browser and the server.

mod appraisal;
mod change;
mod development;
mod offline;
mod org;
mod people;
mod planning;
mod reward;
mod session;

pub use appraisal::*;
pub use change::*;
pub use development::*;
pub use offline::*;
pub use org::*;
pub use people::*;
pub use planning::*;
pub use reward::*;
pub use session::*;

use serde::{Deserialize, Serialize};

/// A message about one input field of a form, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), message: message.into() }
    }
}

use serde::{Deserialize, Serialize};

/// What the navigation needs beyond a person's roles: which places exist for them now, so no
/// menu item leads to "not found".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Places {
    /// A plan in the current cycle: one's scorecard exists.
    pub has_plan: bool,
    /// A cycle in appraisal: merit proposals exist.
    pub merit_open: bool,
}

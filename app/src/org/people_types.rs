use serde::{Deserialize, Serialize};

use crate::auth::types::Role;

/// A person in the organisation, as HR and their managers see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub name: String,
    pub job_title: String,
    pub unit_id: String,
    pub unit_name: String,
    pub manager_id: Option<String>,
    pub manager_name: Option<String>,
    /// Granted roles only (HR administrator, change committee).
    pub roles: Vec<Role>,
    pub active: bool,
    /// Whether the person can sign in yet (HR issues a temporary password to those who cannot).
    pub can_sign_in: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonInput {
    /// `None` creates a new person.
    pub id: Option<String>,
    pub email: String,
    pub name: String,
    pub job_title: String,
    pub unit_id: String,
    pub manager_id: Option<String>,
    pub roles: Vec<Role>,
    pub active: bool,
}

impl Default for PersonInput {
    fn default() -> Self {
        Self {
            id: None,
            email: String::new(),
            name: String::new(),
            job_title: String::new(),
            unit_id: String::new(),
            manager_id: None,
            roles: Vec::new(),
            active: true,
        }
    }
}

impl From<&Person> for PersonInput {
    fn from(p: &Person) -> Self {
        Self {
            id: Some(p.id.clone()),
            email: p.email.clone(),
            name: p.name.clone(),
            job_title: p.job_title.clone(),
            unit_id: p.unit_id.clone(),
            manager_id: p.manager_id.clone(),
            roles: p.roles.clone(),
            active: p.active,
        }
    }
}

/// One problem in an uploaded CSV file: the 1-based line of the file and the column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvRowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

/// A person in a manager's reporting line, with how far below the manager they sit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub person: Person,
    /// 1 for a direct report, 2 for a report's report, and so on.
    pub depth: u32,
}

/// Someone one may give feedback to or ask for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Colleague {
    pub id: String,
    pub name: String,
    pub job_title: String,
    #[serde(default)]
    pub unit_name: Option<String>,
}

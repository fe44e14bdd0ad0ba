use serde::{Deserialize, Serialize};

/// What a person may do in Line of Sight. Everyone active is an employee; "manager" follows the
/// reporting line; HR administrator and change-committee member are granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Employee,
    Manager,
    HrAdmin,
    ChangeCommittee,
}

impl Role {
    /// The roles HR grants explicitly; the other two follow from being a person and having reports.
    pub const GRANTED: [Role; 2] = [Role::HrAdmin, Role::ChangeCommittee];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Manager => "manager",
            Role::HrAdmin => "hr_admin",
            Role::ChangeCommittee => "change_committee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Employee => "Employee",
            Role::Manager => "Manager",
            Role::HrAdmin => "HR administrator",
            Role::ChangeCommittee => "Change committee",
        }
    }

    /// Parses a role granted by HR (in a form or a CSV file). Employee and manager are not granted.
    pub fn parse_granted(text: &str) -> Result<Role, String> {
        match text.trim() {
            "hr_admin" => Ok(Role::HrAdmin),
            "change_committee" => Ok(Role::ChangeCommittee),
            "manager" => Err("'manager' follows the reporting line: set this person as the manager of their reports instead".into()),
            "employee" => Err("every active person is an employee: leave 'employee' out".into()),
            other => Err(format!("'{other}' is not a role; use hr_admin or change_committee")),
        }
    }
}

/// The signed-in person, as the browser sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub job_title: String,
    /// Effective roles, employee first.
    pub roles: Vec<Role>,
}

impl SessionUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

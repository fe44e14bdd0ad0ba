//! Rules of the organisation that hold wherever people are edited (form or CSV file).

use std::collections::HashMap;

use crate::model::{FieldError, PersonInput, Role};

/// Trimmed, lower-case email, or what is wrong with it.
pub fn normalise_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid { Ok(email) } else { Err(format!("'{email}' is not an email address, e.g. name@company.com.")) }
}

/// A person as the organisation's rules see them.
#[derive(Clone, Debug)]
pub struct Member {
    pub key: String,
    pub email: String,
    pub manager_key: Option<String>,
    pub active: bool,
    pub hr_admin: bool,
}

impl Member {
    fn is_active_hr_admin(&self) -> bool {
        self.active && self.hr_admin
    }
}

/// The organisation, indexed for the rules (so a file of thousands of people checks quickly).
pub struct Org {
    members: HashMap<String, Member>,
    key_by_email: HashMap<String, String>,
    active_reports: HashMap<String, usize>,
    active_hr_admins: usize,
}

impl Org {
    pub fn new(members: impl IntoIterator<Item = Member>) -> Self {
        let members: HashMap<String, Member> = members.into_iter().map(|m| (m.key.clone(), m)).collect();
        let mut active_reports = HashMap::new();
        for m in members.values().filter(|m| m.active) {
            if let Some(manager) = &m.manager_key {
                *active_reports.entry(manager.clone()).or_insert(0) += 1;
            }
        }
        Org {
            key_by_email: members.values().map(|m| (m.email.clone(), m.key.clone())).collect(),
            active_hr_admins: members.values().filter(|m| m.is_active_hr_admin()).count(),
            active_reports,
            members,
        }
    }

    pub fn has_active_hr_admin(&self) -> bool {
        self.active_hr_admins > 0
    }

    /// Whether making `manager` the manager of `person` closes a reporting loop.
    fn would_loop(&self, person: &str, manager: &str) -> bool {
        let mut cursor = Some(manager);
        for _ in 0..=self.members.len() {
            match cursor {
                None => return false,
                Some(current) if current == person => return true,
                Some(current) => cursor = self.members.get(current).and_then(|m| m.manager_key.as_deref()),
            }
        }
        true // a loop elsewhere already: refuse rather than spin
    }
}

/// The message when a change would leave nobody to administer the organisation.
pub const LAST_HR_ADMIN: &str =
    "Someone must stay an active HR administrator: grant the role to another person first.";

/// Checks `person` (record key `key`) against `org`, the organisation as it stands, and the
/// units. The messages are keyed by `PersonInput` field and say what to fix.
pub fn check_person(key: &str, person: &PersonInput, org: &Org, unit_ids: &[&str]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match normalise_email(&person.email) {
        Ok(email) if org.key_by_email.get(&email).is_some_and(|k| k != key) => {
            errors.push(FieldError::new("email", format!("{email} already belongs to someone else.")))
        }
        Ok(_) => {}
        Err(message) => errors.push(FieldError::new("email", message)),
    }
    if person.name.trim().is_empty() {
        errors.push(FieldError::new("name", "Give the person's name."));
    }
    if person.job_title.trim().is_empty() {
        errors.push(FieldError::new("job_title", "Give the person's job title."));
    }
    if !unit_ids.contains(&person.unit_id.as_str()) {
        errors.push(FieldError::new("unit_id", "Pick the unit this person works in."));
    }
    if let Some(manager) = &person.manager_id {
        match org.members.get(manager) {
            _ if manager == key => errors.push(FieldError::new("manager_id", "A person cannot be their own manager.")),
            None => errors.push(FieldError::new("manager_id", "Pick a manager who is in the organisation.")),
            Some(m) if !m.active => errors.push(FieldError::new("manager_id", "This manager is inactive; pick an active one.")),
            Some(_) if org.would_loop(key, manager) => errors.push(FieldError::new(
                "manager_id",
                "This would make a reporting loop: the chosen manager reports, directly or not, to this person.",
            )),
            Some(_) => {}
        }
    }
    let reports = org.active_reports.get(key).copied().unwrap_or(0);
    if !person.active && reports > 0 {
        errors.push(FieldError::new("active", "This person still manages active people; give them another manager first."));
    }
    let was_hr_admin = org.members.get(key).is_some_and(Member::is_active_hr_admin);
    let stays_hr_admin = person.active && person.roles.contains(&Role::HrAdmin);
    if was_hr_admin && !stays_hr_admin && org.active_hr_admins == 1 {
        errors.push(FieldError::new("roles", LAST_HR_ADMIN));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_explained() {
        assert_eq!(normalise_email(" Ada@Example.COM ").unwrap(), "ada@example.com");
        for bad in ["", "ada", "ada@", "@example.com", "ada@example", "a da@example.com", "a@b@c.com"] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }

    fn member(key: &str, manager: Option<&str>, active: bool) -> Member {
        Member { key: key.into(), email: format!("{key}@acme.com"), manager_key: manager.map(Into::into), active, hr_admin: false }
    }

    fn input(email: &str, manager: Option<&str>, active: bool) -> PersonInput {
        PersonInput {
            id: None,
            email: email.into(),
            name: "Pat".into(),
            job_title: "Analyst".into(),
            unit_id: "u1".into(),
            manager_id: manager.map(Into::into),
            roles: vec![],
            active,
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_person_is_checked_against_the_organisation() {
        let org = Org::new([member("ceo", None, true), member("vp", Some("ceo"), true), member("old", None, false)]);
        let units = ["u1"];
        assert!(check_person("new", &input("new@acme.com", Some("vp"), true), &org, &units).is_empty());
        assert_eq!(fields(check_person("new", &input("vp@acme.com", None, true), &org, &units)), ["email"]);
        assert_eq!(fields(check_person("vp", &input("vp@acme.com", None, true), &org, &units)), Vec::<String>::new());
        assert_eq!(fields(check_person("new", &input("new@acme.com", Some("old"), true), &org, &units)), ["manager_id"]);
        assert_eq!(fields(check_person("new", &input("new@acme.com", Some("ghost"), true), &org, &units)), ["manager_id"]);
        assert_eq!(fields(check_person("ceo", &input("ceo@acme.com", Some("vp"), true), &org, &units)), ["manager_id"]);
        assert_eq!(fields(check_person("ceo", &input("ceo@acme.com", None, false), &org, &units)), ["active"]);
        let mut nameless = input("", None, true);
        nameless.name = " ".into();
        nameless.unit_id = "mars".into();
        assert_eq!(fields(check_person("new", &nameless, &org, &units)), ["email", "name", "unit_id"]);
    }

    #[test]
    fn the_last_hr_administrator_stays() {
        let hr = Member { hr_admin: true, ..member("hr", None, true) };
        let org = Org::new([hr.clone(), member("ceo", None, true)]);
        let mut demoted = input("hr@acme.com", None, true);
        assert_eq!(fields(check_person("hr", &demoted, &org, &["u1"])), ["roles"]);
        demoted.roles = vec![Role::HrAdmin];
        demoted.active = false;
        assert_eq!(fields(check_person("hr", &demoted, &org, &["u1"])), ["roles"]);
        let second = Org::new([hr, Member { hr_admin: true, ..member("hr2", None, true) }]);
        assert!(check_person("hr", &input("hr@acme.com", None, true), &second, &["u1"]).is_empty());
    }

    #[test]
    fn reporting_loops_are_found() {
        let org = Org::new([member("ceo", None, true), member("vp", Some("ceo"), true), member("lead", Some("vp"), true)]);
        assert!(org.would_loop("ceo", "lead"));
        assert!(org.would_loop("vp", "vp"));
        assert!(!org.would_loop("lead", "ceo"));
        assert!(!org.would_loop("new", "lead"));
    }
}

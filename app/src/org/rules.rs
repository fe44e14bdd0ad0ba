//! Rules of the organisation that hold wherever people are edited (form or CSV file).

use std::collections::HashMap;

use crate::limits::{NAME, check_text};
use crate::error::FieldError;
use crate::org::people_types::PersonInput;
use crate::org::types::{Unit, UnitInput, subtree};
use crate::auth::types::Role;

/// Trimmed, lower-case email, or what is wrong with it. As strict as the database's own check:
/// a dot-separated local part of the usual characters, and a domain of letter/digit/hyphen labels
/// ending in a name.
pub fn normalise_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    let local_ok = |local: &str| {
        local.len() <= 64
            && local.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
            })
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            let labels: Vec<&str> = domain.split('.').collect();
            local_ok(local)
                && labels.len() >= 2
                && labels.iter().all(|l| label_ok(l))
                && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
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
    /// The member `person` becomes once saved under `key`.
    pub fn of(key: &str, person: &PersonInput) -> Member {
        Member {
            key: key.to_owned(),
            email: person.email.trim().to_lowercase(),
            manager_key: person.manager_id.clone(),
            active: person.active,
            hr_admin: person.roles.contains(&Role::HrAdmin),
        }
    }

    fn is_active_hr_admin(&self) -> bool {
        self.active && self.hr_admin
    }
}

/// Whether a change takes away the organisation's last active HR administrator.
pub fn removes_last_hr_admin(before: &Org, after: &Org) -> bool {
    before.active_hr_admins > 0 && after.active_hr_admins == 0
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
    errors.extend(check_text("name", "the name", &person.name, NAME).err());
    if person.job_title.trim().is_empty() {
        errors.push(FieldError::new("job_title", "Give the person's job title."));
    }
    errors.extend(check_text("job_title", "the job title", &person.job_title, NAME).err());
    if !unit_ids.contains(&person.unit_id.as_str()) {
        errors.push(FieldError::new("unit_id", "Pick the unit this person works in."));
    }
    if let Some(manager) = &person.manager_id {
        match org.members.get(manager) {
            _ if manager == key => errors.push(FieldError::new("manager_id", "A person cannot be their own manager.")),
            None => errors.push(FieldError::new("manager_id", "Pick a manager who is in the organisation.")),
            Some(m) if !m.active && person.active => errors.push(FieldError::new("manager_id", "This manager is inactive; pick an active one.")),
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
    errors
}

/// Checks saving `person` under `key` among `members`, the organisation as it stands: the person
/// as `check_person` sees them, and someone left as an active HR administrator. The normalised
/// email when all is well.
pub fn check_person_change(key: &str, person: &PersonInput, members: Vec<Member>, unit_ids: &[&str]) -> Result<String, Vec<FieldError>> {
    let before = Org::new(members.clone());
    let mut errors = check_person(key, person, &before, unit_ids);
    let after = Org::new(members.into_iter().filter(|m| m.key != key).chain([Member::of(key, person)]));
    if removes_last_hr_admin(&before, &after) {
        errors.push(FieldError::new("roles", LAST_HR_ADMIN));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    normalise_email(&person.email).map_err(|message| vec![FieldError::new("email", message)])
}

/// Normalises a unit code: trimmed and upper case; letters, digits and dashes.
pub fn normalise_code(code: &str) -> Result<String, FieldError> {
    let code = code.trim().to_uppercase();
    if code.is_empty() || code.len() > 32 {
        return Err(FieldError::new("code", "Give a code of 1 to 32 characters, e.g. SALES-N."));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(FieldError::new("code", "Use only letters, digits, '-' and '_' in the code."));
    }
    Ok(code)
}

/// Checks `input`, saved under `key`, against `units`, the tree as it stands: a code no other unit
/// uses, a name, and a parent that is in the tree and not the unit itself or below it. The unit
/// as it is saved when all is well.
pub fn check_unit(key: &str, input: &UnitInput, units: &[Unit]) -> Result<Unit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let code = normalise_code(&input.code).map_err(|e| errors.push(e)).ok();
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Give the unit a name."));
    }
    errors.extend(check_text("name", "the unit's name", &name, NAME).err());
    if let Some(code) = &code {
        if units.iter().any(|u| &u.code == code && u.id != key) {
            errors.push(FieldError::new("code", format!("Another unit already uses the code {code}.")));
        }
    }
    if let Some(parent) = &input.parent_id {
        if !units.iter().any(|u| &u.id == parent) {
            errors.push(FieldError::new("parent_id", "Pick a parent unit from the list."));
        } else if subtree(units, key).contains(parent) {
            errors.push(FieldError::new("parent_id", "A unit cannot sit under itself or one of its own sub-units."));
        }
    }
    match code {
        Some(code) if errors.is_empty() => Ok(Unit { id: key.to_owned(), code, name, parent_id: input.parent_id.clone() }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_explained() {
        assert_eq!(normalise_email(" Ada@Example.COM ").unwrap(), "ada@example.com");
        assert!(normalise_email("o'neil+hr@mail.example.co.uk").is_ok());
        for bad in [
            "", "ada", "ada@", "@example.com", "ada@example", "a da@example.com", "a@b@c.com", "ann..lee@x.com",
            "ann.@x.com", "a(b)@x.com", "ann@exa_mple.com", "ann@x.123", "ann@-x.com",
        ] {
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
        let long = PersonInput { name: "a".repeat(10_000), job_title: "Clerk\u{202E}".into(), ..input("new@acme.com", Some("vp"), true) };
        assert_eq!(fields(check_person("new", &long, &org, &units)), ["name", "job_title"]);
    }

    #[test]
    fn the_last_hr_administrator_stays() {
        let hr = Member { hr_admin: true, ..member("hr", None, true) };
        let before = Org::new([hr.clone(), member("ceo", None, true)]);
        let demoted = Org::new([member("hr", None, true), member("ceo", None, true)]);
        let gone = Org::new([Member { active: false, ..hr.clone() }, member("ceo", None, true)]);
        let handed_over = Org::new([member("hr", None, true), Member { hr_admin: true, ..member("ceo", None, true) }]);
        assert!(removes_last_hr_admin(&before, &demoted));
        assert!(removes_last_hr_admin(&before, &gone));
        assert!(!removes_last_hr_admin(&before, &handed_over));
        assert!(!removes_last_hr_admin(&demoted, &demoted), "an organisation without one is not blocked");
    }

    #[test]
    fn an_inactive_person_may_keep_an_inactive_manager() {
        let org = Org::new([member("old-boss", None, false)]);
        assert!(check_person("left", &input("left@acme.com", Some("old-boss"), false), &org, &["u1"]).is_empty());
    }

    #[test]
    fn reporting_loops_are_found() {
        let org = Org::new([member("ceo", None, true), member("vp", Some("ceo"), true), member("lead", Some("vp"), true)]);
        assert!(org.would_loop("ceo", "lead"));
        assert!(org.would_loop("vp", "vp"));
        assert!(!org.would_loop("lead", "ceo"));
        assert!(!org.would_loop("new", "lead"));
    }

    #[test]
    fn a_change_keeps_an_hr_administrator_and_normalises_the_email() {
        let hr = Member { hr_admin: true, ..member("hr", None, true) };
        let members = vec![hr, member("ceo", None, true)];
        let ok = input(" Pat@ACME.com ", Some("ceo"), true);
        assert_eq!(check_person_change("new", &ok, members.clone(), &["u1"]), Ok("pat@acme.com".to_owned()));
        let stepping_down = PersonInput { id: Some("hr".into()), ..input("hr@acme.com", None, true) };
        assert_eq!(check_person_change("hr", &stepping_down, members, &["u1"]), Err(vec![FieldError::new("roles", LAST_HR_ADMIN)]));
        let two = vec![Member { hr_admin: true, ..member("hr", None, true) }, Member { hr_admin: true, ..member("ceo", None, true) }];
        assert!(check_person_change("hr", &stepping_down, two, &["u1"]).is_ok(), "another administrator stays");
        let nowhere = input("pat@acme.com", None, true);
        assert_eq!(
            check_person_change("new", &nowhere, vec![], &["u2"]),
            Err(vec![FieldError::new("unit_id", "Pick the unit this person works in.")])
        );
    }

    #[test]
    fn unit_codes_are_normalised_or_explained() {
        assert_eq!(normalise_code("  sales-n_2 "), Ok("SALES-N_2".to_owned()));
        let length = FieldError::new("code", "Give a code of 1 to 32 characters, e.g. SALES-N.");
        assert_eq!(normalise_code("  "), Err(length.clone()));
        assert_eq!(normalise_code(&"A".repeat(33)), Err(length));
        assert_eq!(normalise_code("SALES N"), Err(FieldError::new("code", "Use only letters, digits, '-' and '_' in the code.")));
    }

    fn unit(id: &str, code: &str, parent: Option<&str>) -> Unit {
        Unit { id: id.into(), code: code.into(), name: code.to_lowercase(), parent_id: parent.map(Into::into) }
    }

    fn unit_input(id: Option<&str>, code: &str, name: &str, parent: Option<&str>) -> UnitInput {
        UnitInput { id: id.map(Into::into), code: code.into(), name: name.into(), parent_id: parent.map(Into::into) }
    }

    #[test]
    fn units_form_a_tree_with_unique_codes() {
        let tree = [unit("hq", "HQ", None), unit("sales", "SALES", Some("hq")), unit("north", "SALES-N", Some("sales"))];
        let new = unit_input(None, " ops ", " Operations ", Some("hq"));
        assert_eq!(check_unit("ops", &new, &tree), Ok(Unit { id: "ops".into(), code: "OPS".into(), name: "Operations".into(), parent_id: Some("hq".into()) }));
        let renamed = unit_input(Some("sales"), "SALES", "Sales and marketing", Some("hq"));
        assert!(check_unit("sales", &renamed, &tree).is_ok(), "a unit keeps its own code");

        let taken = unit_input(None, "sales", "Sales again", None);
        assert_eq!(check_unit("new", &taken, &tree), Err(vec![FieldError::new("code", "Another unit already uses the code SALES.")]));
        let blank = unit_input(None, "", " ", Some("mars"));
        assert_eq!(
            check_unit("new", &blank, &tree),
            Err(vec![
                FieldError::new("code", "Give a code of 1 to 32 characters, e.g. SALES-N."),
                FieldError::new("name", "Give the unit a name."),
                FieldError::new("parent_id", "Pick a parent unit from the list."),
            ])
        );
        let long = unit_input(None, "LONG", &"a".repeat(10_000), None);
        assert_eq!(check_unit("new", &long, &tree).unwrap_err().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["name"]);

        let looped = FieldError::new("parent_id", "A unit cannot sit under itself or one of its own sub-units.");
        let under_itself = unit_input(Some("sales"), "SALES", "Sales", Some("sales"));
        assert_eq!(check_unit("sales", &under_itself, &tree), Err(vec![looped.clone()]));
        let under_its_own = unit_input(Some("hq"), "HQ", "Head office", Some("north"));
        assert_eq!(check_unit("hq", &under_its_own, &tree), Err(vec![looped]));
    }
}

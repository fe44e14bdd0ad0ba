//! People to and from CSV. An import is validated as a whole: either every row is valid and the
//! plan is returned, or every problem is listed by row and column and nothing is written.

use std::collections::HashMap;

use crate::model::{CsvRowError, Person, Role, Unit};
use crate::org_rules::{normalise_email, would_loop};

pub const COLUMNS: [&str; 7] = ["email", "name", "job_title", "unit_code", "manager_email", "roles", "active"];

/// A person already in the database, as the import sees them.
#[derive(Clone, Debug)]
pub struct Existing {
    pub key: String,
    pub email: String,
    pub manager_key: Option<String>,
    pub active: bool,
}

/// One person to create or update.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRow {
    pub key: String,
    pub is_new: bool,
    pub email: String,
    pub name: String,
    pub job_title: String,
    pub unit_key: String,
    pub manager_key: Option<String>,
    pub roles: Vec<Role>,
    pub active: bool,
}

struct Parsed {
    line: usize,
    row: ImportRow,
    manager_email: Option<String>,
}

pub fn plan_import(
    text: &str,
    units: &[Unit],
    existing: &[Existing],
    mut new_key: impl FnMut() -> String,
) -> Result<Vec<ImportRow>, Vec<CsvRowError>> {
    let mut errors = Vec::new();
    let err = |line: usize, column: &str, message: String| CsvRowError { row: line, column: column.into(), message };

    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect::<Vec<_>>(),
        Err(e) => return Err(vec![err(1, "", format!("The header line cannot be read: {e}"))]),
    };
    for column in COLUMNS {
        if !headers.iter().any(|h| h == column) {
            errors.push(err(1, column, format!("The column '{column}' is missing. The header must name: {}.", COLUMNS.join(", "))));
        }
    }
    for header in &headers {
        if !COLUMNS.contains(&header.as_str()) {
            errors.push(err(1, header, format!("'{header}' is not a column this import knows. Use: {}.", COLUMNS.join(", "))));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let at = |name: &str| headers.iter().position(|h| h == name).expect("checked above");

    let by_email: HashMap<&str, &Existing> = existing.iter().map(|p| (p.email.as_str(), p)).collect();
    let unit_by_code: HashMap<String, &Unit> = units.iter().map(|u| (u.code.to_uppercase(), u)).collect();
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut first_line_of: HashMap<String, usize> = HashMap::new();

    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(err(line, "", format!("This line cannot be read: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |name: &str| record.get(at(name)).unwrap_or("").to_owned();

        let email = match normalise_email(&field("email")) {
            Ok(email) => {
                if let Some(first) = first_line_of.get(&email) {
                    errors.push(err(line, "email", format!("{email} appears twice in the file (also on row {first}).")));
                } else {
                    first_line_of.insert(email.clone(), line);
                }
                email
            }
            Err(message) => {
                errors.push(err(line, "email", message));
                String::new()
            }
        };
        let name = field("name");
        if name.is_empty() {
            errors.push(err(line, "name", "Give the person's name.".into()));
        }
        let job_title = field("job_title");
        if job_title.is_empty() {
            errors.push(err(line, "job_title", "Give the person's job title.".into()));
        }
        let unit_code = field("unit_code").to_uppercase();
        let unit_key = match unit_by_code.get(&unit_code) {
            Some(unit) => unit.id.clone(),
            None => {
                let mut codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
                codes.sort_unstable();
                errors.push(err(line, "unit_code", format!("No unit has the code '{unit_code}'. Known codes: {}.", codes.join(", "))));
                String::new()
            }
        };
        let manager_email = match field("manager_email").as_str() {
            "" => None,
            m => match normalise_email(m) {
                Ok(m) if m == email => {
                    errors.push(err(line, "manager_email", "A person cannot be their own manager.".into()));
                    None
                }
                Ok(m) => Some(m),
                Err(message) => {
                    errors.push(err(line, "manager_email", message));
                    None
                }
            },
        };
        let mut roles = Vec::new();
        for part in field("roles").split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match Role::parse_granted(part) {
                Ok(role) if !roles.contains(&role) => roles.push(role),
                Ok(_) => {}
                Err(message) => errors.push(err(line, "roles", format!("{message}. Separate several roles with ';'."))),
            }
        }
        let active = match field("active").to_lowercase().as_str() {
            "" | "yes" | "true" | "1" => true,
            "no" | "false" | "0" => false,
            other => {
                errors.push(err(line, "active", format!("'{other}' is not yes or no.")));
                true
            }
        };
        let (key, is_new) = match by_email.get(email.as_str()) {
            Some(p) => (p.key.clone(), false),
            None => (new_key(), true),
        };
        parsed.push(Parsed {
            line,
            row: ImportRow { key, is_new, email, name, job_title, unit_key, manager_key: None, roles, active },
            manager_email,
        });
    }
    if parsed.is_empty() && errors.is_empty() {
        errors.push(err(1, "", "The file has a header but no people. Add one line per person.".into()));
    }

    // Managers may be in the file or already in the organisation.
    let key_of_email: HashMap<String, String> = existing
        .iter()
        .map(|p| (p.email.clone(), p.key.clone()))
        .chain(parsed.iter().map(|p| (p.row.email.clone(), p.row.key.clone())))
        .collect();
    for p in &mut parsed {
        if let Some(m) = &p.manager_email {
            match key_of_email.get(m) {
                Some(key) => p.row.manager_key = Some(key.clone()),
                None => errors.push(err(p.line, "manager_email", format!("No one with the email {m} is in the file or the organisation."))),
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(errors);
    }

    // The organisation as it would be after the import: no reporting loops, no active person
    // under an inactive manager.
    let mut managers: HashMap<String, Option<String>> =
        existing.iter().map(|p| (p.key.clone(), p.manager_key.clone())).collect();
    let mut active: HashMap<String, bool> = existing.iter().map(|p| (p.key.clone(), p.active)).collect();
    for p in &parsed {
        managers.insert(p.row.key.clone(), p.row.manager_key.clone());
        active.insert(p.row.key.clone(), p.row.active);
    }
    let line_of: HashMap<&str, usize> = parsed.iter().map(|p| (p.row.key.as_str(), p.line)).collect();
    for p in &parsed {
        if let Some(manager) = &p.row.manager_key {
            let mut others = managers.clone();
            others.insert(p.row.key.clone(), None);
            if would_loop(&others, &p.row.key, manager) {
                errors.push(err(p.line, "manager_email", "This manager would make a reporting loop (they report, directly or not, to this person).".into()));
            }
        }
    }
    for (person, manager) in &managers {
        let Some(manager) = manager else { continue };
        if active.get(person) == Some(&true) && active.get(manager) == Some(&false) {
            match (line_of.get(person.as_str()), line_of.get(manager.as_str())) {
                (Some(&line), _) => errors.push(err(line, "manager_email", "This manager is inactive; pick an active manager.".into())),
                (None, Some(&line)) => errors.push(err(line, "active", "This person still manages active people; give them another manager first.".into())),
                (None, None) => {}
            }
        }
    }
    if errors.is_empty() {
        Ok(parsed.into_iter().map(|p| p.row).collect())
    } else {
        errors.sort_by_key(|e| e.row);
        errors.dedup();
        Err(errors)
    }
}

/// People as CSV with the import's columns, so an export can be edited and imported again.
pub fn export(people: &[Person], units: &[Unit]) -> String {
    let code_of: HashMap<&str, &str> = units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();
    let email_of: HashMap<&str, &str> = people.iter().map(|p| (p.id.as_str(), p.email.as_str())).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).expect("writing to memory");
    for p in people {
        let roles: Vec<&str> = p.roles.iter().map(|r| r.as_str()).collect();
        writer
            .write_record([
                p.email.as_str(),
                p.name.as_str(),
                p.job_title.as_str(),
                code_of.get(p.unit_id.as_str()).copied().unwrap_or(""),
                p.manager_id.as_deref().and_then(|m| email_of.get(m).copied()).unwrap_or(""),
                &roles.join(";"),
                if p.active { "yes" } else { "no" },
            ])
            .expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Vec<Unit> {
        vec![
            Unit { id: "u1".into(), code: "HQ".into(), name: "Head office".into(), parent_id: None },
            Unit { id: "u2".into(), code: "SALES".into(), name: "Sales".into(), parent_id: Some("u1".into()) },
        ]
    }

    fn existing() -> Vec<Existing> {
        vec![Existing { key: "boss".into(), email: "boss@acme.com".into(), manager_key: None, active: true }]
    }

    fn keys() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("new{n}")
        }
    }

    const HEADER: &str = "email,name,job_title,unit_code,manager_email,roles,active\n";

    #[test]
    fn a_valid_file_becomes_a_plan_with_managers_resolved_in_any_order() {
        let text = format!(
            "{HEADER}ann@acme.com,Ann,Rep,sales,lead@acme.com,,yes\nLEAD@acme.com,Lee,Lead,SALES,boss@acme.com,hr_admin;change_committee,\nboss@acme.com,Bo,CEO,HQ,,,yes\n"
        );
        let plan = plan_import(&text, &units(), &existing(), keys()).unwrap();
        assert_eq!(plan.len(), 3);
        assert_eq!(plan[0].manager_key.as_deref(), Some("new2"));
        assert_eq!(plan[1].email, "lead@acme.com");
        assert_eq!(plan[1].roles, vec![Role::HrAdmin, Role::ChangeCommittee]);
        assert!(plan[1].is_new && !plan[2].is_new);
        assert_eq!(plan[2].key, "boss");
    }

    #[test]
    fn every_bad_row_is_named_with_its_column() {
        let text = format!(
            "{HEADER}ann@acme.com,Ann,Rep,SALES,,,yes\nnot-an-email,Bob,Rep,SALES,,,yes\ncat@acme.com,,Rep,MARS,ghost@acme.com,manager,maybe\nann@acme.com,Ann 2,Rep,SALES,,,\n"
        );
        let errors = plan_import(&text, &units(), &existing(), keys()).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        for expected in [(3, "email"), (4, "name"), (4, "unit_code"), (4, "roles"), (4, "active"), (5, "email")] {
            assert!(found.contains(&expected), "{expected:?} missing from {found:?}");
        }
    }

    #[test]
    fn unknown_managers_and_loops_are_refused() {
        let ghost = format!("{HEADER}ann@acme.com,Ann,Rep,SALES,ghost@acme.com,,\n");
        let errors = plan_import(&ghost, &units(), &existing(), keys()).unwrap_err();
        assert_eq!((errors[0].row, errors[0].column.as_str()), (2, "manager_email"));

        let looped = format!("{HEADER}ann@acme.com,Ann,Rep,SALES,boss@acme.com,,\nboss@acme.com,Bo,CEO,HQ,ann@acme.com,,\n");
        let errors = plan_import(&looped, &units(), &existing(), keys()).unwrap_err();
        assert!(errors.iter().any(|e| e.message.contains("loop")), "{errors:?}");
    }

    #[test]
    fn a_deactivated_manager_must_hand_over_their_reports_first() {
        let people = vec![
            Existing { key: "boss".into(), email: "boss@acme.com".into(), manager_key: None, active: true },
            Existing { key: "ann".into(), email: "ann@acme.com".into(), manager_key: Some("boss".into()), active: true },
        ];
        let text = format!("{HEADER}boss@acme.com,Bo,CEO,HQ,,,no\n");
        let errors = plan_import(&text, &units(), &people, keys()).unwrap_err();
        assert_eq!((errors[0].row, errors[0].column.as_str()), (2, "active"));
    }

    #[test]
    fn missing_and_unknown_columns_are_named() {
        let errors = plan_import("email,name,shoe_size\n", &units(), &[], keys()).unwrap_err();
        assert!(errors.iter().any(|e| e.column == "job_title"));
        assert!(errors.iter().any(|e| e.column == "shoe_size"));
        let empty = plan_import(HEADER, &units(), &[], keys()).unwrap_err();
        assert!(empty[0].message.contains("no people"));
    }

    #[test]
    fn an_export_imports_again_unchanged() {
        let people = vec![
            Person {
                id: "boss".into(), email: "boss@acme.com".into(), name: "Bo, the boss".into(), job_title: "CEO".into(),
                unit_id: "u1".into(), unit_name: "Head office".into(), manager_id: None, manager_name: None,
                roles: vec![Role::HrAdmin], active: true, can_sign_in: true,
            },
            Person {
                id: "ann".into(), email: "ann@acme.com".into(), name: "Ann".into(), job_title: "Rep".into(),
                unit_id: "u2".into(), unit_name: "Sales".into(), manager_id: Some("boss".into()), manager_name: None,
                roles: vec![], active: true, can_sign_in: false,
            },
        ];
        let text = export(&people, &units());
        let existing: Vec<Existing> = people
            .iter()
            .map(|p| Existing { key: p.id.clone(), email: p.email.clone(), manager_key: p.manager_id.clone(), active: p.active })
            .collect();
        let plan = plan_import(&text, &units(), &existing, keys()).unwrap();
        assert_eq!(plan[0].name, "Bo, the boss");
        assert_eq!(plan[1].manager_key.as_deref(), Some("boss"));
        assert!(plan.iter().all(|r| !r.is_new));
    }
}

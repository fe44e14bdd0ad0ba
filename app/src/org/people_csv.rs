//! People to and from CSV. An import is validated as a whole: either every row is valid and the
//! plan is returned, or every problem is listed by row and column and nothing is written.

use std::collections::HashMap;

use crate::csv_export::{CsvExport, restore_text, text};
use crate::org::people_types::{CsvRowError, Person, PersonInput};
use crate::auth::types::Role;
use crate::org::types::Unit;
use crate::org::rules::{LAST_HR_ADMIN, Member, Org, check_person, normalise_email, removes_last_hr_admin};

pub const COLUMNS: [&str; 7] = ["email", "name", "job_title", "unit_code", "manager_email", "roles", "active"];

/// One person to create or update; `person.id` is the record key, new or existing.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRow {
    pub is_new: bool,
    pub person: PersonInput,
}

impl ImportRow {
    pub fn key(&self) -> &str {
        self.person.id.as_deref().expect("import rows carry their key")
    }
}

struct Parsed {
    line: usize,
    row: ImportRow,
    manager_email: Option<String>,
    /// Columns that could not be read; the organisation's rules are not checked on them.
    unreadable: Vec<&'static str>,
}

/// The CSV column for a `PersonInput` field.
fn column_of(field: &str) -> &str {
    match field {
        "unit_id" => "unit_code",
        "manager_id" => "manager_email",
        other => other,
    }
}

/// A CSV reader as every import reads: fields trimmed, every row as long as the header.
pub fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(text.as_bytes())
}

/// The header names, lower-cased, once every `required` column is there and no column is unknown.
pub fn headers(reader: &mut csv::Reader<&[u8]>, required: &[&str], optional: &[&str]) -> Result<Vec<String>, Vec<CsvRowError>> {
    let err = |column: &str, message: String| CsvRowError { row: 1, column: column.into(), message };
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect::<Vec<_>>(),
        Err(e) => return Err(vec![err("", format!("The header line cannot be read: {e}"))]),
    };
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    let mut errors = Vec::new();
    for column in required {
        if !headers.iter().any(|h| h == column) {
            errors.push(err(column, format!("The column '{column}' is missing. The header must name: {}.", required.join(", "))));
        }
    }
    for header in &headers {
        if !known.contains(&header.as_str()) {
            errors.push(err(header, format!("'{header}' is not a column this import knows. Use: {}.", known.join(", "))));
        }
    }
    if errors.is_empty() {
        Ok(headers)
    } else {
        Err(errors)
    }
}

pub fn plan_import(
    text: &str,
    units: &[Unit],
    existing: &[Member],
    mut new_key: impl FnMut() -> String,
) -> Result<Vec<ImportRow>, Vec<CsvRowError>> {
    let mut errors = Vec::new();
    let err = |line: usize, column: &str, message: String| CsvRowError { row: line, column: column.into(), message };

    let mut reader = reader(text);
    let headers = headers(&mut reader, &COLUMNS, &[])?;
    let at = |name: &str| headers.iter().position(|h| h == name).expect("checked above");

    let by_email: HashMap<&str, &Member> = existing.iter().map(|p| (p.email.as_str(), p)).collect();
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
        // An export marks text that could start a formula; the same text comes back (csv_export).
        let field = |name: &str| restore_text(record.get(at(name)).unwrap_or("")).to_owned();
        let mut unreadable = Vec::new();
        let mut unreadable_because = |column: &'static str, message: String, errors: &mut Vec<CsvRowError>| {
            errors.push(err(line, column, message));
            unreadable.push(column);
        };

        let email = match normalise_email(&field("email")) {
            Ok(email) => {
                if let Some(first) = first_line_of.get(&email) {
                    unreadable_because("email", format!("{email} appears twice in the file (also on row {first})."), &mut errors);
                } else {
                    first_line_of.insert(email.clone(), line);
                }
                email
            }
            Err(message) => {
                unreadable_because("email", message, &mut errors);
                field("email")
            }
        };
        let unit_code = field("unit_code").to_uppercase();
        let unit_id = match unit_by_code.get(&unit_code) {
            Some(unit) => unit.id.clone(),
            None => {
                let mut codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
                codes.sort_unstable();
                let message = format!("No unit has the code '{unit_code}'. Known codes: {}.", codes.join(", "));
                unreadable_because("unit_code", message, &mut errors);
                String::new()
            }
        };
        let manager_email = match field("manager_email").as_str() {
            "" => None,
            m => match normalise_email(m) {
                Ok(m) => Some(m),
                Err(message) => {
                    unreadable_because("manager_email", message, &mut errors);
                    None
                }
            },
        };
        let mut roles = Vec::new();
        for part in field("roles").split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match Role::parse_granted(part) {
                Ok(role) if !roles.contains(&role) => roles.push(role),
                Ok(_) => {}
                Err(message) => unreadable_because("roles", format!("{message}. Separate several roles with ';'."), &mut errors),
            }
        }
        let active = match field("active").to_lowercase().as_str() {
            "" | "yes" | "true" | "1" => true,
            "no" | "false" | "0" => false,
            other => {
                unreadable_because("active", format!("'{other}' is not yes or no."), &mut errors);
                true
            }
        };
        let (key, is_new) = match by_email.get(email.as_str()) {
            Some(p) => (p.key.clone(), false),
            None => (new_key(), true),
        };
        let person = PersonInput {
            id: Some(key),
            email,
            name: field("name"),
            job_title: field("job_title"),
            unit_id,
            manager_id: None,
            roles,
            active,
        };
        parsed.push(Parsed { line, row: ImportRow { is_new, person }, manager_email, unreadable });
    }
    if parsed.is_empty() && errors.is_empty() {
        errors.push(err(1, "", "The file has a header but no people. Add one line per person.".into()));
    }

    // Managers may be in the file or already in the organisation.
    let key_of_email: HashMap<String, String> = existing
        .iter()
        .map(|p| (p.email.clone(), p.key.clone()))
        .chain(parsed.iter().map(|p| (p.row.person.email.clone(), p.row.key().to_owned())))
        .collect();
    for p in &mut parsed {
        if let Some(m) = &p.manager_email {
            match key_of_email.get(m) {
                Some(key) => p.row.person.manager_id = Some(key.clone()),
                None => {
                    errors.push(err(p.line, "manager_email", format!("No one with the email {m} is in the file or the organisation.")));
                    p.unreadable.push("manager_email");
                }
            }
        }
    }

    // Every row against the organisation as it would be after the import.
    let mut org: HashMap<String, Member> = existing.iter().map(|m| (m.key.clone(), m.clone())).collect();
    for p in parsed.iter().filter(|p| !p.unreadable.contains(&"email")) {
        let person = &p.row.person;
        org.insert(p.row.key().to_owned(), Member::of(p.row.key(), person));
    }
    let after = Org::new(org.into_values());
    let unit_ids: Vec<&str> = units.iter().map(|u| u.id.as_str()).collect();
    for p in &parsed {
        for problem in check_person(p.row.key(), &p.row.person, &after, &unit_ids) {
            let column = column_of(&problem.field);
            if !p.unreadable.contains(&column) {
                errors.push(err(p.line, column, problem.message));
            }
        }
    }
    // HR administrators may change hands within a file, but someone must be left.
    if removes_last_hr_admin(&Org::new(existing.iter().cloned()), &after) {
        for p in parsed.iter().filter(|p| existing.iter().any(|m| m.key == p.row.key() && m.active && m.hr_admin)) {
            errors.push(err(p.line, "roles", LAST_HR_ADMIN.into()));
        }
    }
    if errors.is_empty() {
        Ok(parsed.into_iter().map(|p| p.row).collect())
    } else {
        errors.sort_by_key(|e| e.row);
        Err(errors)
    }
}

/// People as CSV with the import's columns, so an export can be edited and imported again (text
/// that could start a spreadsheet formula is marked, and the import takes the mark off again).
pub fn export(people: &[Person], units: &[Unit]) -> String {
    let code_of: HashMap<&str, &str> = units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();
    let email_of: HashMap<&str, &str> = people.iter().map(|p| (p.id.as_str(), p.email.as_str())).collect();
    let mut csv = CsvExport::new(COLUMNS);
    for p in people {
        let roles: Vec<&str> = p.roles.iter().map(|r| r.as_str()).collect();
        csv.row([
            text(&p.email),
            text(&p.name),
            text(&p.job_title),
            text(code_of.get(p.unit_id.as_str()).copied().unwrap_or("")),
            text(p.manager_id.as_deref().and_then(|m| email_of.get(m).copied()).unwrap_or("")),
            text(roles.join(";")),
            text(if p.active { "yes" } else { "no" }),
        ]);
    }
    csv.finish()
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

    fn existing() -> Vec<Member> {
        vec![Member { key: "boss".into(), email: "boss@acme.com".into(), manager_key: None, active: true, hr_admin: false }]
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
        assert_eq!(plan[0].person.manager_id.as_deref(), Some("new2"));
        assert_eq!(plan[1].person.email, "lead@acme.com");
        assert_eq!(plan[1].person.roles, vec![Role::HrAdmin, Role::ChangeCommittee]);
        assert!(plan[1].is_new && !plan[2].is_new);
        assert_eq!(plan[2].key(), "boss");
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
            Member { key: "boss".into(), email: "boss@acme.com".into(), manager_key: None, active: true, hr_admin: false },
            Member { key: "ann".into(), email: "ann@acme.com".into(), manager_key: Some("boss".into()), active: true, hr_admin: false },
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

    fn members(people: &[Person]) -> Vec<Member> {
        people
            .iter()
            .map(|p| Member {
                key: p.id.clone(),
                email: p.email.clone(),
                manager_key: p.manager_id.clone(),
                active: p.active,
                hr_admin: p.roles.contains(&Role::HrAdmin),
            })
            .collect()
    }

    #[test]
    fn formulas_in_names_are_neutralised_in_the_export_and_come_back_as_typed() {
        let person = |id: &str, name: &str, job_title: &str| Person {
            id: id.into(), email: format!("{id}@acme.com"), name: name.into(), job_title: job_title.into(),
            unit_id: "u1".into(), unit_name: "Head office".into(), manager_id: None, manager_name: None,
            roles: vec![Role::HrAdmin], active: true, can_sign_in: true,
        };
        let people = vec![
            person("ann", "=HYPERLINK(\"http://x\",\"y\")", "+1"),
            person("bob", "-2+3", "@SUM(A1)"),
            person("cat", "'quoted", "O'Brien's deputy"),
        ];
        let text = export(&people, &units());
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows[0], "ann@acme.com,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,HQ,,hr_admin,yes");
        assert_eq!(rows[1], "bob@acme.com,'-2+3,'@SUM(A1),HQ,,hr_admin,yes");
        assert_eq!(rows[2], "cat@acme.com,''quoted,O'Brien's deputy,HQ,,hr_admin,yes");
        let plan = plan_import(&text, &units(), &members(&people), keys()).unwrap();
        let names: Vec<(&str, &str)> = plan.iter().map(|r| (r.person.name.as_str(), r.person.job_title.as_str())).collect();
        assert_eq!(names, [("=HYPERLINK(\"http://x\",\"y\")", "+1"), ("-2+3", "@SUM(A1)"), ("'quoted", "O'Brien's deputy")]);
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
        let plan = plan_import(&text, &units(), &members(&people), keys()).unwrap();
        assert_eq!(plan[0].person.name, "Bo, the boss");
        assert_eq!(plan[1].person.manager_id.as_deref(), Some("boss"));
        assert!(plan.iter().all(|r| !r.is_new));
    }
}

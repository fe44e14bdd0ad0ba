//! Rules of the competency framework (competencies and role profiles) and of the integrations that
//! send actuals, pure so they are checked the same without the database.

use crate::error::FieldError;
use crate::limits::{COMPETENCY_NAME, check_text};
use crate::planning::types::{Competency, RoleProfile};

/// What a competency must have: a name no other competency of `framework` has (whatever the case),
/// and 4 or 5 levels numbered from 1, each named and anchored by at least one observable behaviour.
pub fn check_competency(competency: &Competency, framework: &[Competency]) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if competency.name.trim().is_empty() {
        errors.push(FieldError::new("name", "Name the competency."));
    }
    errors.extend(check_text("name", "the name", &competency.name, COMPETENCY_NAME).err());
    if !(4..=5).contains(&competency.levels.len()) {
        errors.push(FieldError::new("levels", "Describe 4 or 5 proficiency levels."));
    }
    for (i, level) in competency.levels.iter().enumerate() {
        if usize::from(level.level) != i + 1 {
            errors.push(FieldError::new("levels", format!("Number the levels 1, 2, 3… (level {} is out of order).", i + 1)));
        }
        if level.name.trim().is_empty() || level.indicators.iter().all(|b| b.trim().is_empty()) {
            errors.push(FieldError::new(&format!("level-{}", i + 1), "Name the level and describe at least one behaviour that shows it."));
        }
    }
    let name = competency.name.trim().to_lowercase();
    if framework.iter().any(|c| c.id != competency.id && c.name.to_lowercase() == name) {
        errors.push(FieldError::new("name", format!("Another competency is called {}: give this one its own name.", competency.name.trim())));
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// A role profile names its job title and expects only levels that `competencies` have. The job
/// title, trimmed, when all is well.
pub fn check_role_profile(profile: &RoleProfile, competencies: &[Competency]) -> Result<String, FieldError> {
    let job_title = profile.job_title.trim();
    if job_title.is_empty() {
        return Err(FieldError::new("job_title", "Say which job title the profile is for."));
    }
    if let Some((id, level)) = profile.expected.iter().find(|(id, level)| {
        !competencies.iter().any(|c| &c.id == id && usize::from(*level) <= c.levels.len() && *level >= 1)
    }) {
        return Err(FieldError::new("expected", format!("Level {level} of competency '{id}' does not exist.")));
    }
    Ok(job_title.to_owned())
}

/// An integration is named after the system that sends actuals, in up to 80 characters. The name,
/// trimmed.
pub fn check_integration_name(name: &str) -> Result<&str, FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(FieldError::new("name", "Name the system that will send actuals (up to 80 characters)."));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::types::ProficiencyLevel;

    fn level(n: u8, name: &str, indicators: &[&str]) -> ProficiencyLevel {
        ProficiencyLevel { level: n, name: name.into(), indicators: indicators.iter().map(|b| (*b).into()).collect() }
    }

    fn competency(id: &str, name: &str, levels: usize) -> Competency {
        Competency {
            id: id.into(),
            name: name.into(),
            description: String::new(),
            levels: (1..=levels as u8).map(|n| level(n, &format!("Level {n}"), &["Does it"])).collect(),
        }
    }

    #[test]
    fn a_competency_has_a_name_of_its_own_and_anchored_levels() {
        let framework = [competency("c1", "Teamwork", 5)];
        assert_eq!(check_competency(&competency("", "Customer focus", 4), &framework), Ok(()));
        assert_eq!(check_competency(&competency("c1", "Teamwork", 5), &framework), Ok(()), "a competency keeps its own name");

        assert_eq!(
            check_competency(&competency("", " teamWORK ", 5), &framework),
            Err(vec![FieldError::new("name", "Another competency is called teamWORK: give this one its own name.")])
        );
        assert_eq!(
            check_competency(&competency("", " ", 3), &[]),
            Err(vec![FieldError::new("name", "Name the competency."), FieldError::new("levels", "Describe 4 or 5 proficiency levels.")])
        );
        let long = check_competency(&competency("", &"a".repeat(81), 4), &[]).unwrap_err();
        assert_eq!(long.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["name"]);

        let mut muddled = competency("", "Ownership", 4);
        muddled.levels[1].level = 3;
        muddled.levels[3] = level(4, "Expert", &[" "]);
        assert_eq!(
            check_competency(&muddled, &[]),
            Err(vec![
                FieldError::new("levels", "Number the levels 1, 2, 3… (level 2 is out of order)."),
                FieldError::new("level-4", "Name the level and describe at least one behaviour that shows it."),
            ])
        );
    }

    #[test]
    fn a_role_profile_expects_levels_that_exist() {
        let framework = [competency("c1", "Teamwork", 4)];
        let profile = |title: &str, expected: &[(&str, u8)]| RoleProfile {
            job_title: title.into(),
            expected: expected.iter().map(|(id, n)| ((*id).into(), *n)).collect(),
        };
        assert_eq!(check_role_profile(&profile(" Analyst ", &[("c1", 4)]), &framework), Ok("Analyst".to_owned()));
        assert_eq!(
            check_role_profile(&profile("  ", &[("c1", 9)]), &framework),
            Err(FieldError::new("job_title", "Say which job title the profile is for."))
        );
        for (id, n) in [("c1", 5), ("c1", 0), ("c9", 1)] {
            assert_eq!(
                check_role_profile(&profile("Analyst", &[("c1", 1), (id, n)]), &framework),
                Err(FieldError::new("expected", format!("Level {n} of competency '{id}' does not exist.")))
            );
        }
    }

    #[test]
    fn an_integration_names_its_system() {
        assert_eq!(check_integration_name("  Sales CRM "), Ok("Sales CRM"));
        assert_eq!(check_integration_name(&"é".repeat(80)).map(str::len), Ok(160), "characters, not bytes");
        let refused = Err(FieldError::new("name", "Name the system that will send actuals (up to 80 characters)."));
        assert_eq!(check_integration_name(" "), refused);
        assert_eq!(check_integration_name(&"a".repeat(81)), refused);
    }
}

//! Rules of the organisation that hold wherever people are edited (form or CSV file).

use std::collections::HashMap;

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

/// Whether making `manager` the manager of `person` would close a reporting loop, given each
/// person's current manager.
pub fn would_loop(managers: &HashMap<String, Option<String>>, person: &str, manager: &str) -> bool {
    let mut cursor = Some(manager.to_owned());
    let mut steps = 0;
    while let Some(current) = cursor {
        if current == person {
            return true;
        }
        steps += 1;
        if steps > managers.len() + 1 {
            return true; // an existing loop elsewhere: refuse rather than spin
        }
        cursor = managers.get(&current).cloned().flatten();
    }
    false
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

    #[test]
    fn reporting_loops_are_found() {
        let managers: HashMap<String, Option<String>> = [
            ("ceo".to_string(), None),
            ("vp".to_string(), Some("ceo".to_string())),
            ("lead".to_string(), Some("vp".to_string())),
        ]
        .into();
        assert!(would_loop(&managers, "ceo", "lead"));
        assert!(would_loop(&managers, "vp", "vp"));
        assert!(!would_loop(&managers, "lead", "ceo"));
        assert!(!would_loop(&managers, "new", "lead"));
    }
}

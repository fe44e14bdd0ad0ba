//! Limits on what people type, in one place: how long each kind of text may be, and the characters
//! no text may hold. The forms check a field against its limit; every server function's arguments
//! pass `check_arguments` on the way in, so nothing over the limits is ever stored.

use crate::model::FieldError;

/// A person's, a unit's or a job title's name.
pub const NAME: usize = 120;
/// A competency's name (the database holds it to the same).
pub const COMPETENCY_NAME: usize = 80;
/// A written text: a note, evidence, a coaching note, a comment, a reason. Also the most any
/// single argument of a server function may hold, but for the files below.
pub const TEXT: usize = 4000;
/// Arguments that carry a whole file (CSV imports): the request's size limit bounds them, and each
/// row's texts are checked with the row's number.
pub const FILE_ARGUMENTS: &[&str] = &["csv"];

/// A character no text may hold: control characters (but tab and line breaks), and the bidi
/// embeddings, overrides and isolates that make text read other than it is stored.
pub fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What is wrong with `value` as the text of `field` (trimmed length at most `max` characters), if
/// anything; `label` names it for people ("the name").
pub fn check_text(field: &str, label: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if let Some(c) = value.chars().find(|&c| forbidden(c)) {
        return Err(FieldError::new(field, format!("Remove the hidden character U+{:04X} from {label}.", u32::from(c))));
    }
    let length = value.trim().chars().count();
    if length > max {
        return Err(FieldError::new(field, format!("Keep {label} to {max} characters (it has {length}).")));
    }
    Ok(())
}

/// Checks every text in a server function's JSON arguments (keys too) but whole files: no
/// forbidden character, none longer than `TEXT`. The error names the innermost field.
pub fn check_arguments(arguments: &serde_json::Value) -> Result<(), FieldError> {
    fn walk(value: &serde_json::Value, field: &str) -> Result<(), FieldError> {
        match value {
            serde_json::Value::String(_) if FILE_ARGUMENTS.contains(&field) => Ok(()),
            serde_json::Value::String(text) => check_text(field, &format!("the {}", field.replace('_', " ")), text, TEXT),
            serde_json::Value::Array(items) => items.iter().try_for_each(|item| walk(item, field)),
            serde_json::Value::Object(fields) => fields.iter().try_for_each(|(key, item)| {
                check_text(field, "a field name", key, NAME)?;
                walk(item, key)
            }),
            _ => Ok(()),
        }
    }
    walk(arguments, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn texts_within_their_limits_pass() {
        assert!(check_text("name", "the name", "Chloé Dubois", NAME).is_ok());
        assert!(check_text("note", "the note", "Line one\r\n\tLine two — عربى", TEXT).is_ok());
        assert!(check_text("name", "the name", &format!("  {}  ", "a".repeat(NAME)), NAME).is_ok(), "spaces around are trimmed");
    }

    #[test]
    fn long_texts_and_hidden_characters_are_refused_by_field() {
        let e = check_text("name", "the name", &"a".repeat(10_000), NAME).unwrap_err();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("name", "Keep the name to 120 characters (it has 10000)."));
        let e = check_text("name", "the name", "Sam\0", NAME).unwrap_err();
        assert_eq!(e.message, "Remove the hidden character U+0000 from the name.");
        let e = check_text("title", "the title", "evil\u{202E}gnp.exe", NAME).unwrap_err();
        assert_eq!(e.message, "Remove the hidden character U+202E from the title.");
        assert!(check_text("t", "t", "\u{2066}x\u{2069}", NAME).is_err());
        assert!(check_text("t", "t", "\u{85}", NAME).is_err(), "C1 controls too");
    }

    #[test]
    fn arguments_are_checked_everywhere_but_files_may_be_long() {
        let ok = json!({ "input": { "name": "Sales", "kras": [{ "title": "Grow" }] }, "csv": "a".repeat(100_000) });
        assert!(check_arguments(&ok).is_ok());
        let nested = json!({ "input": { "kras": [{ "title": "x".repeat(TEXT + 1) }] } });
        let e = check_arguments(&nested).unwrap_err();
        assert_eq!(e.field, "title");
        assert!(e.message.starts_with("Keep the title to 4000 characters"), "{}", e.message);
        let e = check_arguments(&json!({ "input": { "unit_name": "Ops\u{0}" } })).unwrap_err();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("unit_name", "Remove the hidden character U+0000 from the unit name."));
        assert!(check_arguments(&json!({ "bad\u{202E}key": 1 })).is_err());
    }
}

//! The limits at the app's edges, in one place: how long each kind of text may be and the
//! characters no text may hold, how large a request may be, what one offline push may carry and
//! how often, and how fast sign-in guesses may come. Every server function's arguments pass
//! `check_arguments` on the way in and the forms check each field against its limit; the other
//! limits are checked where their rule lives (`sync::protocol`, `offline::rules`, `auth::limiter`, the server's
//! body guard, the JSON API). The numbers are here.

use std::time::Duration;

use crate::error::FieldError;

/// The largest request body the server reads (server functions and the JSON API alike). A CSV
/// import of tens of thousands of rows fits; a 10,000-item API batch of ~800 bytes per item too.
pub const BODY_BYTES: usize = 8 * 1024 * 1024;

/// The most actuals one `/api/v1/actuals` batch may carry (documented in `api/openapi.json`).
pub const API_ACTUALS_PER_BATCH: usize = 10_000;

/// The most operations one offline push may carry; a phone with more sends them in turns.
pub const SYNC_OPS_PER_PUSH: usize = 500;
/// What a phone puts in one push at most, in bytes of JSON (well under `BODY_BYTES`); an operation
/// larger than this goes alone.
pub const SYNC_PUSH_BYTES: usize = 1024 * 1024;
/// The most fields one operation may set (the app's own forms set at most about 20).
pub const SYNC_FIELDS_PER_OP: usize = 100;
/// The longest field name, in bytes (`competency:` and an id).
pub const SYNC_FIELD_NAME_BYTES: usize = 100;
/// The largest field value, in bytes of JSON: a 4,000-character text, escaped, or 20 agreed
/// actions fit.
pub const SYNC_VALUE_BYTES: usize = 64 * 1024;

/// Any operation within the limits above fits in a request body by itself, so a phone's queue can
/// never hold a change it is unable to send.
const _: () = assert!(SYNC_FIELDS_PER_OP * (SYNC_FIELD_NAME_BYTES + SYNC_VALUE_BYTES + 8) + 4096 < BODY_BYTES);

/// A person's pushes, from all their devices together, within `SYNC_QUOTA_WINDOW`.
pub const SYNC_PUSHES_PER_WINDOW: usize = 120;
/// A person's operations pushed within `SYNC_QUOTA_WINDOW`.
pub const SYNC_OPS_PER_WINDOW: usize = 10 * SYNC_OPS_PER_PUSH;
pub const SYNC_QUOTA_WINDOW: Duration = Duration::from_secs(60);
/// A push within its own limit always fits an empty quota, so every wait for the quota ends.
const _: () = assert!(SYNC_OPS_PER_PUSH <= SYNC_OPS_PER_WINDOW);
/// How long a phone waits between two pushes, so two devices of one person stay within the quota.
pub const SYNC_PUSH_INTERVAL: Duration = Duration::from_secs(1);

/// Failed sign-ins (or wrong current passwords) an account may have from one address before each
/// further attempt waits; a few typos cost nothing.
pub const SIGN_IN_FREE_FAILURES: u32 = 3;
/// The wait after the first failure beyond the free ones; it doubles with each further failure…
pub const SIGN_IN_FIRST_DELAY: Duration = Duration::from_secs(1);
/// …up to this.
pub const SIGN_IN_MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// An account and address pair is forgotten this long after its last failure.
pub const SIGN_IN_PAIR_MEMORY: Duration = Duration::from_secs(60 * 60);
/// Failures an account may have from all addresses together within `SIGN_IN_ACCOUNT_WINDOW`: far
/// above what one person mistypes, so only a guessing campaign from many addresses reaches it.
pub const SIGN_IN_FAILURES_PER_ACCOUNT: usize = 300;
pub const SIGN_IN_ACCOUNT_WINDOW: Duration = Duration::from_secs(60 * 60);
/// Failures one address may have across all accounts within `SIGN_IN_ADDRESS_WINDOW` (spraying one
/// password over many accounts).
pub const SIGN_IN_FAILURES_PER_ADDRESS: usize = 30;
pub const SIGN_IN_ADDRESS_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A person's, a unit's or a job title's name.
pub const NAME: usize = 120;
/// A competency's name (the database holds it to the same).
pub const COMPETENCY_NAME: usize = 80;
/// A written text: a note, evidence, a coaching note, a comment, a reason. Also the most any
/// single argument of a server function may hold, but for the files below.
pub const TEXT: usize = 4000;
/// Arguments checked by their own rules: whole files (CSV imports: the request's size limit bounds
/// them, and each row's texts are checked with the row's number), and offline changes (the sync
/// rules check each one, so one bad change never refuses the good ones pushed with it).
pub const SELF_CHECKED_ARGUMENTS: &[&str] = &["csv", "ops"];

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

/// Checks every text in a server function's JSON arguments (keys too) but the self-checked ones: no
/// forbidden character, none longer than `TEXT`. The error names the innermost field.
pub fn check_arguments(arguments: &serde_json::Value) -> Result<(), FieldError> {
    fn walk(value: &serde_json::Value, field: &str) -> Result<(), FieldError> {
        match value {
            serde_json::Value::String(text) => check_text(field, &format!("the {}", field.replace('_', " ")), text, TEXT),
            serde_json::Value::Array(items) => items.iter().try_for_each(|item| walk(item, field)),
            serde_json::Value::Object(fields) => fields.iter().filter(|(key, _)| !SELF_CHECKED_ARGUMENTS.contains(&key.as_str())).try_for_each(|(key, item)| {
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
    use crate::words::{bytes_in_words, wait_in_words};
    use serde_json::json;

    #[test]
    fn waits_and_sizes_read_as_words() {
        assert_eq!(wait_in_words(0), "1 second");
        assert_eq!(wait_in_words(8), "8 seconds");
        assert_eq!(wait_in_words(60), "1 minute");
        assert_eq!(wait_in_words(61), "2 minutes");
        assert_eq!(wait_in_words(900), "15 minutes");
        assert_eq!(bytes_in_words(BODY_BYTES), "8 MB");
        assert_eq!(bytes_in_words(SYNC_VALUE_BYTES), "64 KB");
        assert_eq!(bytes_in_words(70_000), "69 KB");
        assert_eq!(bytes_in_words(SYNC_VALUE_BYTES + 2), "65 KB");
        assert_eq!(bytes_in_words((3 << 20) + 2), "3.1 MB");
    }
    
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
        let ok = json!({ "input": { "name": "Sales", "kras": [{ "title": "Grow" }] }, "csv": "a".repeat(100_000), "ops": [{ "set": { "note": "n".repeat(70_000) } }] });
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

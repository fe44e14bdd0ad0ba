//! Who may call what. Pure: the server resolves the caller and their relation to the record, and
//! this table decides. Every server function goes through `auth::authorize`, which asks here.

use crate::auth::types::Role;

/// The rule a server function declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule<'a> {
    /// Signing in and out, and asking who is signed in.
    Anyone,
    SignedIn,
    HrAdmin,
    /// Organisation aggregates (head counts), never an individual's record.
    HrOrCommittee,
    /// Steering the change programme: its steps, actions, barriers, targets, surveys, and the
    /// adoption aggregates.
    Committee,
    /// What only the chair of a change programme does (signing a step off): `ChairOf(chair)`
    /// names the programme's chair, which the server function looks up (empty: none).
    ChairOf(&'a str),
    /// Work on one's reporting line as a whole (merit proposals): managers, and HR for everyone;
    /// the server narrows a manager's view to their own line.
    ManagerOrHr,
    /// Opening a unit's calibration: HR, and managers with someone of their reporting line in the
    /// unit (they see only those people).
    CalibratorOf(&'a str),
    /// Settling a person's rating or raise (calibration, merit): a manager for their reporting
    /// line, HR for anyone; never one's own, whoever asks.
    SettleOf(&'a str),
    /// Rating a person's appraisal: their direct manager, or HR; never one's own.
    RaterOf(&'a str),
    /// A person's own record, their managers' up the reporting line, and HR's.
    PersonRecord(&'a str),
    /// What a manager does for someone in their reporting line (draft and approve a plan); HR may
    /// stand in. Never for oneself, unless HR.
    ManagerOf(&'a str),
    /// What only the person themselves does (acknowledge their plan).
    OwnRecordOnly(&'a str),
}

impl Rule<'_> {
    /// The person the rule is about, if any.
    pub fn person(&self) -> Option<&str> {
        match self {
            Rule::PersonRecord(p) | Rule::ManagerOf(p) | Rule::OwnRecordOnly(p) | Rule::SettleOf(p) | Rule::RaterOf(p) => Some(p),
            _ => None,
        }
    }
}

/// How the caller stands to the person a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Own,
    /// The record is of someone who reports to the caller directly.
    DirectReport,
    /// The record is of someone further down the caller's reporting line.
    Report,
    Other,
}

/// Decides a rule for a caller with `roles` (`None`: not signed in).
pub fn allows(roles: Option<&[Role]>, rule: Rule<'_>, relation: Relation) -> bool {
    let Some(roles) = roles else {
        return rule == Rule::Anyone;
    };
    let has = |role| roles.contains(&role);
    let in_line = matches!(relation, Relation::DirectReport | Relation::Report);
    match rule {
        Rule::Anyone | Rule::SignedIn => true,
        Rule::HrAdmin => has(Role::HrAdmin),
        Rule::HrOrCommittee => has(Role::HrAdmin) || has(Role::ChangeCommittee),
        Rule::ManagerOrHr => has(Role::Manager) || has(Role::HrAdmin),
        Rule::Committee => has(Role::ChangeCommittee),
        // The guard resolves `Own` when the caller chairs the programme.
        Rule::ChairOf(_) => relation == Relation::Own && has(Role::ChangeCommittee),
        // The guard resolves `Own` when the caller's reporting line reaches into the unit.
        Rule::CalibratorOf(_) => (relation == Relation::Own && has(Role::Manager)) || has(Role::HrAdmin),
        Rule::SettleOf(_) => relation != Relation::Own && ((in_line && has(Role::Manager)) || has(Role::HrAdmin)),
        Rule::RaterOf(_) => relation != Relation::Own && (relation == Relation::DirectReport || has(Role::HrAdmin)),
        Rule::PersonRecord(_) => relation == Relation::Own || in_line || has(Role::HrAdmin),
        Rule::ManagerOf(_) => in_line || has(Role::HrAdmin),
        Rule::OwnRecordOnly(_) => relation == Relation::Own,
    }
}

/// Where signing in leads: the page asked for when it is a page of this site, else home. Only a
/// path is followed ("/…", not "//host" or "/\\host", no control characters, which browsers drop
/// and so could turn "/\t/host" into another site), so the link cannot send anyone elsewhere.
pub fn page_after_sign_in(asked: Option<&str>) -> String {
    match asked {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(|c| c.is_control() || c.is_whitespace())
                && !path.starts_with("/sign-in") =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The sign-in address that leads back to `path` (its query included) afterwards.
pub fn sign_in_leading_to(path: &str) -> String {
    if path == "/" || path.starts_with("/sign-in") {
        return "/sign-in".to_owned();
    }
    let encoded: String = path
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/sign-in?next={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Relation::*;
    use Role::*;

    #[test]
    fn the_policy_table() {
        let employee: &[Role] = &[Employee];
        let manager: &[Role] = &[Employee, Manager];
        let hr: &[Role] = &[Employee, HrAdmin];
        let committee: &[Role] = &[Employee, ChangeCommittee];
        let p = Rule::PersonRecord("x");
        let m = Rule::ManagerOf("x");
        let o = Rule::OwnRecordOnly("x");
        let chair = Rule::ChairOf("x");
        let settle = Rule::SettleOf("x");
        let rater = Rule::RaterOf("x");
        // (roles, rule, relation, allowed)
        let table: &[(Option<&[Role]>, Rule, Relation, bool)] = &[
            (None, Rule::Anyone, Other, true),
            (None, Rule::SignedIn, Other, false),
            (None, p, Own, false),
            (Some(employee), Rule::SignedIn, Other, true),
            (Some(employee), Rule::HrAdmin, Other, false),
            (Some(employee), Rule::HrOrCommittee, Other, false),
            (Some(employee), p, Own, true),
            (Some(employee), p, Other, false),
            (Some(manager), p, Report, true),
            (Some(manager), p, Other, false),
            (Some(manager), Rule::HrAdmin, Other, false),
            (Some(hr), p, Other, true),
            (Some(hr), Rule::HrAdmin, Other, true),
            (Some(hr), Rule::HrOrCommittee, Other, true),
            (Some(committee), Rule::HrOrCommittee, Other, true),
            (Some(committee), p, Other, false),
            (Some(committee), Rule::HrAdmin, Other, false),
            (None, m, Report, false),
            (Some(employee), m, Own, false),
            (Some(manager), m, Own, false),
            (Some(manager), m, Report, true),
            (Some(manager), m, Other, false),
            (Some(hr), m, Other, true),
            (Some(employee), o, Own, true),
            (Some(manager), o, Report, false),
            (Some(hr), o, Other, false),
            (Some(committee), Rule::Committee, Other, true),
            (Some(hr), Rule::Committee, Other, false),
            (Some(manager), Rule::Committee, Other, false),
            (Some(committee), chair, Own, true),
            (Some(committee), chair, Other, false),
            (Some(hr), chair, Own, false),
            (Some(manager), Rule::CalibratorOf("u"), Own, true),
            (Some(manager), Rule::CalibratorOf("u"), Other, false),
            (Some(employee), Rule::CalibratorOf("u"), Own, false),
            (Some(hr), Rule::CalibratorOf("u"), Other, true),
            (Some(manager), m, DirectReport, true),
            (Some(manager), p, DirectReport, true),
            (Some(manager), settle, DirectReport, true),
            (Some(manager), settle, Report, true),
            (Some(manager), settle, Own, false),
            (Some(manager), settle, Other, false),
            (Some(employee), settle, Own, false),
            (Some(hr), settle, Other, true),
            (Some(hr), settle, Own, false),
            (Some(manager), rater, DirectReport, true),
            (Some(manager), rater, Report, false),
            (Some(manager), rater, Own, false),
            (Some(hr), rater, Other, true),
            (Some(hr), rater, Own, false),
            (Some(employee), Rule::ManagerOrHr, Other, false),
            (Some(committee), Rule::ManagerOrHr, Other, false),
            (Some(manager), Rule::ManagerOrHr, Other, true),
            (Some(hr), Rule::ManagerOrHr, Other, true),
        ];
        for &(roles, rule, relation, allowed) in table {
            assert_eq!(allows(roles, rule, relation), allowed, "{roles:?} {rule:?} {relation:?}");
        }
    }

    #[test]
    fn signing_in_leads_back_only_to_pages_of_this_site() {
        assert_eq!(page_after_sign_in(Some("/appraisals/me/conversation")), "/appraisals/me/conversation");
        assert_eq!(page_after_sign_in(Some("/goals?cycle=fy27")), "/goals?cycle=fy27");
        assert_eq!(page_after_sign_in(None), "/");
        for elsewhere in ["https://evil.example", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "evil", "", "/sign-in?next=/x"] {
            assert_eq!(page_after_sign_in(Some(elsewhere)), "/", "{elsewhere:?}");
        }
    }

    #[test]
    fn the_way_back_survives_the_query_string() {
        assert_eq!(sign_in_leading_to("/plans/me"), "/sign-in?next=/plans/me");
        assert_eq!(sign_in_leading_to("/goals?cycle=a&b=c"), "/sign-in?next=/goals%3Fcycle%3Da%26b%3Dc");
        assert_eq!(sign_in_leading_to("/"), "/sign-in");
        // and what it encodes comes back unchanged
        assert_eq!(page_after_sign_in(Some("/goals?cycle=a&b=c")), "/goals?cycle=a&b=c");
    }
}

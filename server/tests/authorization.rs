//! Every server function × role × relation, through the real router. A server function without a
//! row here fails the test, so none can ship without its authorization being decided and checked.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::Harness;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Anonymous,
    Employee,
    Manager,
    HrAdmin,
    Committee,
}

const CALLERS: [Caller; 5] = [Caller::Anonymous, Caller::Employee, Caller::Manager, Caller::HrAdmin, Caller::Committee];

impl Caller {
    /// The demo person acting in this role.
    fn person(self) -> Option<&'static str> {
        match self {
            Caller::Anonymous => None,
            Caller::Employee => Some("sam.taylor"),
            Caller::Manager => Some("james.osei"),
            Caller::HrAdmin => Some("amina.okafor"),
            Caller::Committee => Some("zara.ahmed"),
        }
    }

    /// Someone in this caller's reporting line, if they have one.
    fn report(self) -> Option<&'static str> {
        match self {
            Caller::Manager => Some("sam.taylor"),
            Caller::HrAdmin => Some("lucas.berg"),
            _ => None,
        }
    }
}

/// How the record a call is about stands to the caller.
#[derive(Clone, Copy, Debug)]
enum Relation {
    None,
    Own,
    Report,
    Other,
}

/// Expected outcome per caller, in CALLERS order: A allowed, U must sign in (401), F forbidden
/// (403), - not applicable.
struct Row {
    endpoint: &'static str,
    relation: Relation,
    expect: &'static str,
    /// The JSON arguments, given the id of the person the call is about. Calls that would change
    /// data get arguments that fail validation, so allowed callers see 4xx and nothing is written.
    args: fn(&str) -> String,
}

fn no_args(_: &str) -> String {
    "{}".into()
}

fn person_args(id: &str) -> String {
    format!(r#"{{"id":"{id}"}}"#)
}

fn feedback_args(id: &str) -> String {
    format!(r#"{{"person_id":"{id}"}}"#)
}

fn ratings_args(id: &str) -> String {
    format!(r#"{{"person_id":"{id}","input":{{"ratings":[],"kpi_override":null,"potential":9,"submit":true}}}}"#)
}

fn item_args(id: &str) -> String {
    format!(r#"{{"person_id":"{id}","input":{{"title":"","kind":"training","target":"","due_on":""}}}}"#)
}

fn item_update_args(id: &str) -> String {
    format!(r#"{{"person_id":"{id}","item_id":"none","status":"done","evidence":""}}"#)
}

fn merit_args(id: &str) -> String {
    format!(r#"{{"person_id":"{id}","raise":-1,"reason":""}}"#)
}

fn plan_args(id: &str) -> String {
    format!(r#"{{"person_id":"{id}","cycle_id":null}}"#)
}

fn save_plan_args(id: &str) -> String {
    format!(r#"{{"input":{{"person_id":"{id}","cycle_id":"no-such-cycle","kras":[]}}}}"#)
}

fn step_args(id: &str, step: &str) -> String {
    format!(r#"{{"person_id":"{id}","cycle_id":"no-such-cycle","step":"{step}","comment":""}}"#)
}

fn actual_args(id: &str) -> String {
    format!(r#"{{"input":{{"person_id":"{id}","cycle_id":"","kpi_id":"none","period_key":"Q1","value":"lots","note":"","link":""}}}}"#)
}

const TABLE: &[Row] = &[
    Row { endpoint: "current_user", relation: Relation::None, expect: "AAAAA", args: no_args },
    Row { endpoint: "my_places", relation: Relation::None, expect: "AAAAA", args: no_args },
    Row { endpoint: "sign_out", relation: Relation::None, expect: "AAAAA", args: no_args },
    Row {
        endpoint: "change_password",
        relation: Relation::None,
        expect: "UAAAA",
        args: |_| r#"{"current_password":"not it","new_password":"short"}"#.into(),
    },
    Row { endpoint: "list_units", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row {
        endpoint: "save_unit",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"input":{"id":null,"code":"","name":"","parent_id":null}}"#.into(),
    },
    Row { endpoint: "list_people", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"include_inactive":true}"#.into() },
    Row { endpoint: "get_person", relation: Relation::Own, expect: "UAAAA", args: person_args },
    Row { endpoint: "get_person", relation: Relation::Report, expect: "--AA-", args: person_args },
    Row { endpoint: "get_person", relation: Relation::Other, expect: "UFFAF", args: person_args },
    Row {
        endpoint: "save_person",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"input":{"id":null,"email":"","name":"","job_title":"","unit_id":"","manager_id":null,"roles":[],"active":true}}"#.into(),
    },
    Row { endpoint: "issue_temporary_password", relation: Relation::Own, expect: "UFFAF", args: |_| r#"{"id":"no-such-person"}"#.into() },
    Row { endpoint: "import_people", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"csv":""}"#.into() },
    Row { endpoint: "export_people", relation: Relation::None, expect: "UFFAF", args: no_args },
    Row { endpoint: "home", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "my_tasks", relation: Relation::None, expect: "UAAAA", args: no_args },
    // One's own email choices; an unsubscribe link works without signing in (its token is signed).
    Row { endpoint: "my_mail_settings", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "save_mail_settings", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"settings":{"events":true,"reminders":true,"digest":true}}"#.into() },
    Row { endpoint: "read_unsubscribe", relation: Relation::None, expect: "AAAAA", args: |_| r#"{"token":"forged.digest.00"}"#.into() },
    Row { endpoint: "unsubscribe", relation: Relation::None, expect: "AAAAA", args: |_| r#"{"token":"forged.digest.00"}"#.into() },
    Row { endpoint: "my_team", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "organisation_overview", relation: Relation::None, expect: "UFFAA", args: no_args },
    Row { endpoint: "list_cycles", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "current_cycle_id", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row {
        endpoint: "create_cycle",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"input":{"name":"","starts_on":"","ends_on":"","period_kind":"quarter"}}"#.into(),
    },
    Row { endpoint: "advance_cycle", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"id":"no-such-cycle"}"#.into() },
    Row {
        endpoint: "set_cycle_deadlines",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"id":"no-such-cycle","deadlines":{"plans_agreed_by":null,"actuals_within_days":null,"self_assessment_by":null,"conversations_by":null,"calibration_by":null}}"#.into(),
    },
    Row { endpoint: "load_goals", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"cycle_id":null}"#.into() },
    Row {
        endpoint: "save_goal",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"id":null,"input":{"cycle_id":"no-such-cycle","title":"","description":"","unit_id":null,"parent_id":null}}"#.into(),
    },
    Row { endpoint: "goal_line_of_sight", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"id":"no-such-goal"}"#.into() },
    Row { endpoint: "list_kpi_templates", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row {
        endpoint: "save_kpi_template",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"template":{"id":"","job_title":"","spec":{"name":"","measure":"","frequency":"monthly","data_source":"","targets":{"direction":"higher_is_better","baseline":0,"threshold":0,"target":0,"stretch":0,"tolerance":0}}}}"#.into(),
    },
    Row { endpoint: "delete_kpi_template", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"id":"no-such-template"}"#.into() },
    Row { endpoint: "load_plan", relation: Relation::Own, expect: "UAAAA", args: plan_args },
    Row { endpoint: "load_plan", relation: Relation::Report, expect: "--AA-", args: plan_args },
    Row { endpoint: "load_plan", relation: Relation::Other, expect: "UFFAF", args: plan_args },
    // Drafting is the manager's (or HR's), never one's own.
    Row { endpoint: "save_plan", relation: Relation::Own, expect: "UFFAF", args: save_plan_args },
    Row { endpoint: "save_plan", relation: Relation::Report, expect: "--AA-", args: save_plan_args },
    Row { endpoint: "save_plan", relation: Relation::Other, expect: "UFFAF", args: save_plan_args },
    // Acknowledging is the employee's alone; sending and approving the manager's.
    Row { endpoint: "take_plan_step", relation: Relation::Own, expect: "UAAAA", args: |id| step_args(id, "acknowledge") },
    Row { endpoint: "take_plan_step", relation: Relation::Report, expect: "--FF-", args: |id| step_args(id, "acknowledge") },
    Row { endpoint: "take_plan_step", relation: Relation::Other, expect: "UFFFF", args: |id| step_args(id, "acknowledge") },
    Row { endpoint: "take_plan_step", relation: Relation::Own, expect: "UFFAF", args: |id| step_args(id, "approve") },
    Row { endpoint: "take_plan_step", relation: Relation::Report, expect: "--AA-", args: |id| step_args(id, "approve") },
    Row { endpoint: "take_plan_step", relation: Relation::Other, expect: "UFFAF", args: |id| step_args(id, "send") },
    Row { endpoint: "person_scorecard", relation: Relation::Own, expect: "UAAAA", args: plan_args },
    Row { endpoint: "person_scorecard", relation: Relation::Report, expect: "--AA-", args: plan_args },
    Row { endpoint: "person_scorecard", relation: Relation::Other, expect: "UFFAF", args: plan_args },
    Row { endpoint: "record_actual", relation: Relation::Own, expect: "UAAAA", args: actual_args },
    Row { endpoint: "record_actual", relation: Relation::Report, expect: "--AA-", args: actual_args },
    Row { endpoint: "record_actual", relation: Relation::Other, expect: "UFFAF", args: actual_args },
    Row { endpoint: "import_actuals", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"cycle_id":"no-such-cycle","csv":""}"#.into() },
    Row { endpoint: "team_scorecard", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"cycle_id":null}"#.into() },
    // Individual scores: the committee sees aggregates only.
    Row { endpoint: "unit_scorecard", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"unit_id":null,"cycle_id":null}"#.into() },
    Row { endpoint: "rating_scale", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "save_rating_scale", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"bands":[]}"#.into() },
    Row { endpoint: "load_competency_framework", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row {
        endpoint: "save_competency",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"competency":{"id":"","name":"","description":"","levels":[]}}"#.into(),
    },
    Row { endpoint: "save_role_profile", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"profile":{"job_title":"","expected":[]}}"#.into() },
    Row { endpoint: "list_integrations", relation: Relation::None, expect: "UFFAF", args: no_args },
    Row { endpoint: "issue_integration_token", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"name":""}"#.into() },
    Row { endpoint: "revoke_integration", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"id":"no-such-integration"}"#.into() },
    // Each queued operation is checked again inside the push (server/tests/sync.rs).
    Row { endpoint: "sync_push", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"ops":[]}"#.into() },
    Row { endpoint: "sync_pull", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"cursor":0}"#.into() },
    Row { endpoint: "list_colleagues", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "load_offline_snapshot", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "self_assessment_of", relation: Relation::Own, expect: "UAAAA", args: feedback_args },
    Row { endpoint: "self_assessment_of", relation: Relation::Report, expect: "--AA-", args: feedback_args },
    Row { endpoint: "self_assessment_of", relation: Relation::Other, expect: "UFFAF", args: feedback_args },
    Row { endpoint: "feedback_about", relation: Relation::Own, expect: "UAAAA", args: feedback_args },
    Row { endpoint: "feedback_about", relation: Relation::Report, expect: "--AA-", args: feedback_args },
    Row { endpoint: "feedback_about", relation: Relation::Other, expect: "UFFAF", args: feedback_args },
    // The change programme is the committee's (HR's demo caller also sits on it); the person
    // records above stay closed to the committee: it sees aggregates only.
    Row { endpoint: "list_programmes", relation: Relation::None, expect: "UFFAA", args: no_args },
    Row {
        endpoint: "create_programme",
        relation: Relation::None,
        expect: "UFFAA",
        args: |_| r#"{"input":{"name":"","scope_unit_ids":[],"sponsor_id":"","chair_id":"","member_ids":[],"starts_on":"","ends_on":""}}"#.into(),
    },
    Row { endpoint: "load_programme", relation: Relation::None, expect: "UFFAA", args: |_| r#"{"id":"no-such-programme"}"#.into() },
    Row { endpoint: "save_change_step", relation: Relation::None, expect: "UFFAA", args: |_| r#"{"programme_id":"none","step":1,"checklist":[],"criteria_met":[]}"#.into() },
    Row {
        endpoint: "save_change_action",
        relation: Relation::None,
        expect: "UFFAA",
        args: |_| r#"{"programme_id":"none","input":{"id":null,"step":1,"title":"","owner_id":"","due_on":"","status":"open"}}"#.into(),
    },
    Row { endpoint: "add_change_evidence", relation: Relation::None, expect: "UFFAA", args: |_| r#"{"programme_id":"none","step":1,"note":"","link":""}"#.into() },
    // Only the chair signs off (server/tests/change.rs has the chair's own call).
    Row { endpoint: "sign_off_step", relation: Relation::None, expect: "UFFFF", args: |_| r#"{"programme_id":"none","step":1,"confirm":true}"#.into() },
    Row { endpoint: "reopen_step", relation: Relation::None, expect: "UFFFF", args: |_| r#"{"programme_id":"none","step":1}"#.into() },
    Row {
        endpoint: "save_barrier",
        relation: Relation::None,
        expect: "UFFAA",
        args: |_| r#"{"programme_id":"none","input":{"id":null,"title":"","detail":"","owner_id":"","status":"open","step":5}}"#.into(),
    },
    Row { endpoint: "save_adoption_targets", relation: Relation::None, expect: "UFFAA", args: |_| r#"{"programme_id":"none","targets":[]}"#.into() },
    Row {
        endpoint: "decide_win",
        relation: Relation::None,
        expect: "UFFAA",
        args: |_| r#"{"programme_id":"none","unit_id":"none","metric":"agreed_plans","decision":"accepted"}"#.into(),
    },
    Row { endpoint: "load_adoption", relation: Relation::None, expect: "UFFAA", args: |_| r#"{"programme_id":"none"}"#.into() },
    Row { endpoint: "export_adoption", relation: Relation::None, expect: "UFFAA", args: |_| r#"{"programme_id":"none"}"#.into() },
    Row { endpoint: "create_pulse", relation: Relation::None, expect: "UFFAA", args: |_| r#"{"programme_id":"none","title":"","questions":""}"#.into() },
    Row { endpoint: "close_pulse", relation: Relation::None, expect: "UFFAA", args: |_| r#"{"programme_id":"none","pulse_id":"none"}"#.into() },
    Row { endpoint: "my_pulses", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "answer_pulse", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"pulse_id":"none","scores":[]}"#.into() },
    // Appraisals (no cycle is in appraisal in the demo, so allowed calls answer 404).
    Row { endpoint: "list_appraisals", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "load_appraisal", relation: Relation::Own, expect: "UAAAA", args: feedback_args },
    Row { endpoint: "load_appraisal", relation: Relation::Report, expect: "--AA-", args: feedback_args },
    Row { endpoint: "load_appraisal", relation: Relation::Other, expect: "UFFAF", args: feedback_args },
    // Nobody rates or settles their own appraisal or raise, HR included.
    Row { endpoint: "prepare_appraisal", relation: Relation::Own, expect: "UFFFF", args: feedback_args },
    Row { endpoint: "prepare_appraisal", relation: Relation::Report, expect: "--AA-", args: feedback_args },
    Row { endpoint: "prepare_appraisal", relation: Relation::Other, expect: "UFFAF", args: feedback_args },
    // Nobody rates or settles their own appraisal or raise, HR included.
    Row { endpoint: "save_ratings", relation: Relation::Own, expect: "UFFFF", args: ratings_args },
    Row { endpoint: "save_ratings", relation: Relation::Report, expect: "--AA-", args: ratings_args },
    Row { endpoint: "save_ratings", relation: Relation::Other, expect: "UFFAF", args: ratings_args },
    // A unit nobody manages anyone in: only HR gets past (and finds nothing); a manager calibrating
    // their own unit is in server/tests/appraisal.rs.
    Row { endpoint: "load_calibration", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"unit_id":"no-such-unit"}"#.into() },
    Row {
        endpoint: "calibrate_rating",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"unit_id":"no-such-unit","person_id":"none","rating":9,"reason":""}"#.into(),
    },
    Row { endpoint: "lock_calibration", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"unit_id":"no-such-unit"}"#.into() },
    Row { endpoint: "load_appraisal_report", relation: Relation::None, expect: "UFFAF", args: no_args },
    Row { endpoint: "export_appraisals", relation: Relation::None, expect: "UFFAF", args: no_args },
    Row { endpoint: "set_appraisal_weights", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"weights":{"kpi":70,"competency":40}}"#.into() },
    // Developing: plans are the person's record; the catalogue and recognition for everyone signed in.
    Row { endpoint: "load_development_plan", relation: Relation::Own, expect: "UAAAA", args: feedback_args },
    Row { endpoint: "load_development_plan", relation: Relation::Report, expect: "--AA-", args: feedback_args },
    Row { endpoint: "load_development_plan", relation: Relation::Other, expect: "UFFAF", args: feedback_args },
    Row { endpoint: "add_development_item", relation: Relation::Own, expect: "UAAAA", args: item_args },
    Row { endpoint: "add_development_item", relation: Relation::Report, expect: "--AA-", args: item_args },
    Row { endpoint: "add_development_item", relation: Relation::Other, expect: "UFFAF", args: item_args },
    Row { endpoint: "update_development_item", relation: Relation::Own, expect: "UAAAA", args: item_update_args },
    Row { endpoint: "update_development_item", relation: Relation::Report, expect: "--AA-", args: item_update_args },
    Row { endpoint: "update_development_item", relation: Relation::Other, expect: "UFFAF", args: item_update_args },
    Row { endpoint: "load_training_catalogue", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "save_training", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"training":{"id":"","title":"","provider":"","description":"","target":""}}"#.into() },
    Row { endpoint: "load_training", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"training_id":"none"}"#.into() },
    Row { endpoint: "add_training_session", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"training_id":"none","held_on":"soon","place":""}"#.into() },
    Row { endpoint: "record_attendance", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"session_id":"none","attendees":[]}"#.into() },
    Row { endpoint: "give_kudos", relation: Relation::None, expect: "UAAAA", args: |_| r#"{"receiver_id":"nobody","competency_id":"none","message":""}"#.into() },
    Row { endpoint: "load_recognition", relation: Relation::None, expect: "UAAAA", args: no_args },
    Row { endpoint: "load_person_recognition", relation: Relation::Own, expect: "UAAAA", args: feedback_args },
    Row { endpoint: "load_person_recognition", relation: Relation::Report, expect: "--AA-", args: feedback_args },
    Row { endpoint: "load_person_recognition", relation: Relation::Other, expect: "UFFAF", args: feedback_args },
    // Rewarding: the policy and approval are HR's; proposals are managers' and HR's.
    Row { endpoint: "load_reward_policy", relation: Relation::None, expect: "UFFAF", args: no_args },
    Row {
        endpoint: "save_reward_policy",
        relation: Relation::None,
        expect: "UFFAF",
        args: |_| r#"{"input":{"bands":[],"matrix":null,"pools":[],"consistency_periods":0}}"#.into(),
    },
    Row { endpoint: "import_salaries", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"csv":""}"#.into() },
    Row { endpoint: "load_merit", relation: Relation::None, expect: "UFAAF", args: no_args },
    // Nobody rates or settles their own appraisal or raise, HR included.
    Row { endpoint: "adjust_merit", relation: Relation::Own, expect: "UFFFF", args: merit_args },
    Row { endpoint: "adjust_merit", relation: Relation::Report, expect: "--AA-", args: merit_args },
    Row { endpoint: "adjust_merit", relation: Relation::Other, expect: "UFFAF", args: merit_args },
    Row { endpoint: "scale_merit", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"unit_id":"none"}"#.into() },
    Row { endpoint: "approve_merit", relation: Relation::None, expect: "UFFAF", args: |_| r#"{"unit_id":"none"}"#.into() },
    Row { endpoint: "export_payroll", relation: Relation::None, expect: "UFFAF", args: no_args },
];

/// sign_in takes a form, not JSON; it is open to everyone and checked separately below.
const FORM_ENDPOINTS: &[&str] = &["sign_in"];

#[tokio::test]
async fn every_server_function_has_a_row() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let covered: BTreeSet<String> =
        TABLE.iter().map(|r| r.endpoint.to_owned()).chain(FORM_ENDPOINTS.iter().map(|e| e.to_string())).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(missing.is_empty(), "server functions without a row in the authorization table: {missing:?}");
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(stale.is_empty(), "rows for server functions that do not exist: {stale:?}");
}

#[tokio::test]
async fn every_server_function_role_and_relation() {
    let h = Harness::new(&[]).await;
    // An HR administrator issuing a password for someone real is allowed; for a record that does
    // not exist, the answer is 404, which still shows the call got past authorization.
    let mut failures = Vec::new();
    for row in TABLE {
        for (caller, expected) in CALLERS.iter().zip(row.expect.chars()) {
            if expected == '-' {
                continue;
            }
            let subject = match row.relation {
                Relation::None => String::new(),
                Relation::Own => h.id(caller.person().unwrap_or("sam.taylor")),
                Relation::Report => h.id(caller.report().expect("a caller with reports")),
                Relation::Other => h.id("isabel.costa"),
            };
            // A fresh session for each call, so sign_out in one row cannot affect another.
            let cookie = match caller.person() {
                Some(name) => Some(h.sign_in(name).await),
                None => None,
            };
            let answer = h.call(row.endpoint, &(row.args)(&subject), cookie.as_deref()).await;
            let ok = match expected {
                'A' => !matches!(answer.status.as_u16(), 401 | 403) && answer.status.as_u16() < 500,
                'U' => answer.status == StatusCode::UNAUTHORIZED && answer.body.contains("Unauthenticated"),
                'F' => answer.status == StatusCode::FORBIDDEN && answer.body.contains("Forbidden"),
                other => panic!("unknown expectation {other}"),
            };
            if !ok {
                failures.push(format!(
                    "{} as {caller:?} on {:?}: expected {expected}, got {} {}",
                    row.endpoint, row.relation, answer.status, answer.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "authorization table mismatches:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn sign_in_is_open_to_everyone_but_checks_the_password() {
    let h = Harness::new(&[]).await;
    let ok = h.sign_in_answer("sam.taylor@example.com", "demo-password", None).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("Sam Taylor"));
}

//! What allowed calls return, not only that the gate opened: every server function that returns
//! people's data is called as each demo caller, about their own record, their manager's, a report,
//! a peer and someone outside their line, and about the root unit, a parent unit and others; the
//! people named in each answer must be exactly those the caller may see. A server function
//! without a row here, or in the list of those that return no one's data, fails the test.
//!
//! The expected people are worked out here from the demo organisation alone (who reports to whom,
//! who is HR), never by the app's own policy. The rules (DOMAIN.md, issue 15):
//! - A person sees their own record; a manager everyone in their reporting line, direct and
//!   indirect; HR everyone. The change committee sees aggregates only: of individuals, only what
//!   any employee sees.
//! - Nobody sees their own potential (9-box), nor the calibration of their own appraisal (who
//!   changed the rating and why) before HR locks the calibration.
//! - A private feedback note is for its author alone; a draft self-assessment for its writer.
//! - A rating is given by the person's direct manager or by HR; it is prepared by those above the
//!   person or HR. Never by oneself.
//! - Ratings and raises are settled (calibration, merit) by a manager for their reporting line, by
//!   HR for anyone; never by oneself, so never by a report for their manager either. A
//!   calibration lists the people the caller settles, within the unit asked for.
//! - Devices keep what their person works on: their own records, feedback they gave or received
//!   (a private note only its author), check-ins with their manager and their direct reports.
//! - The directory of colleagues (name, title, unit) is open to everyone signed in.
//! - A refused call answers 403 and names no one.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use app::db::key_of;
use app::development::types::competency_target;
use app::offline::types::self_assessment_id;
use app::auth::types::Role;
use axum::http::StatusCode;
use common::Harness;
use serde_json::{json, Value};

type Ids = BTreeSet<String>;

/// The demo callers, and the people each asks about by how they stand to the caller.
const CALLERS: &[(&str, &[(Relation, &str)])] = &[
    ("sam.taylor", &[(Relation::Own, "sam.taylor"), (Relation::Manager, "james.osei"), (Relation::Peer, "emma.wilson"), (Relation::Outside, "isabel.costa")]),
    (
        "james.osei",
        &[(Relation::Own, "james.osei"), (Relation::Manager, "maria.santos"), (Relation::DirectReport, "sam.taylor"), (Relation::Peer, "kofi.mensah"), (Relation::Outside, "isabel.costa")],
    ),
    (
        "maria.santos",
        &[
            (Relation::Own, "maria.santos"),
            (Relation::Manager, "grace.mwangi"),
            (Relation::DirectReport, "james.osei"),
            (Relation::IndirectReport, "sam.taylor"),
            (Relation::Peer, "oliver.grant"),
            (Relation::Outside, "isabel.costa"),
        ],
    ),
    (
        "amina.okafor",
        &[(Relation::Own, "amina.okafor"), (Relation::Manager, "grace.mwangi"), (Relation::DirectReport, "lucas.berg"), (Relation::Peer, "maria.santos"), (Relation::Outside, "sam.taylor")],
    ),
    ("lucas.berg", &[(Relation::Own, "lucas.berg"), (Relation::Manager, "amina.okafor"), (Relation::Peer, "elena.popescu"), (Relation::Outside, "sam.taylor")]),
    ("zara.ahmed", &[(Relation::Own, "zara.ahmed"), (Relation::Manager, "grace.mwangi"), (Relation::Peer, "david.kim"), (Relation::Outside, "sam.taylor")]),
    (
        "fatima.zahra",
        &[(Relation::Own, "fatima.zahra"), (Relation::Manager, "wei.chen"), (Relation::DirectReport, "ben.carter"), (Relation::Peer, "peter.kamau"), (Relation::Outside, "sam.taylor")],
    ),
];

/// The units asked about: the root, a parent unit of Sales North, and units of their own.
const UNITS: &[(&str, &str)] = &[("root", "HQ"), ("parent", "SALES"), ("team", "SALES-N"), ("HR", "PC"), ("elsewhere", "OPS-CS"), ("elsewhere", "TECH")];

/// Goals asked about: organisational, one cascaded to a unit, and one everyone serves.
const GOALS: &[(&str, &str)] = &[
    ("organisation's", "Grow revenue 15% profitably"),
    ("Sales'", "Grow sales revenue 15% across both regions"),
    ("everyone's", "Build capability: everyone learns and grows"),
];

const TRAINING: &str = "Consultative selling";
const ATTENDEES: &[&str] = &["sam.taylor", "emma.wilson", "lina.yusuf", "isabel.costa", "ben.carter", "lucas.berg"];
/// The unit whose merit proposals HR approves (its people reach the payroll file).
const APPROVED_UNIT: &str = "FIN";
/// Left without a plan (as the demo leaves them), so without an appraisal.
const WITHOUT_PLAN: &[&str] = &["chloe.dubois", "tariq.aziz"];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Relation {
    Own,
    Manager,
    DirectReport,
    IndirectReport,
    Peer,
    Outside,
}

/// What a call is about.
#[derive(Clone, Debug)]
enum Arg {
    None,
    Person(Relation, String),
    Unit(&'static str, String),
    Goal(&'static str, String),
    Training(String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum ArgKind {
    None,
    Person,
    Unit,
    Goal,
    Training,
}

impl Arg {
    fn person(&self) -> &str {
        match self {
            Arg::Person(_, id) => id,
            other => panic!("a person argument, not {other:?}"),
        }
    }

    fn unit(&self) -> &str {
        match self {
            Arg::Unit(_, id) => id,
            other => panic!("a unit argument, not {other:?}"),
        }
    }

    fn goal(&self) -> &str {
        match self {
            Arg::Goal(_, id) => id,
            other => panic!("a goal argument, not {other:?}"),
        }
    }
}

/// How an allowed or refused call answers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome {
    Allowed,
    /// 403, naming no one.
    Refused,
    /// Allowed, but there is nothing there (404): the arguments name nothing real.
    Missing,
    /// Allowed, but the change is refused for what it is (422).
    Invalid,
}

/// A set of people (or records) in an answer, and the set the caller may see there.
struct Part {
    what: &'static str,
    found: fn(&World, &Value) -> Ids,
    expected: fn(&World, &str, &Arg) -> Ids,
}

/// Changes around a call, so rows that write leave the next ones as they found them.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Hook {
    None,
    /// The person's rating is set to 3 first, so a calibration to 4 is a change.
    RatingAtThree,
    /// Calibration locks are lifted afterwards.
    Unlock,
}

struct Spec {
    endpoint: &'static str,
    arg: ArgKind,
    args: fn(&World, &Arg) -> String,
    outcome: fn(&World, &str, &Arg) -> Outcome,
    parts: &'static [Part],
    /// Fields the caller must not see in an allowed answer: the problems found.
    private: fn(&World, &str, &Arg, &Value) -> Vec<String>,
    hook: Hook,
}

const fn spec(endpoint: &'static str, arg: ArgKind, args: fn(&World, &Arg) -> String, outcome: fn(&World, &str, &Arg) -> Outcome, parts: &'static [Part]) -> Spec {
    Spec { endpoint, arg, args, outcome, parts, private: nothing_private, hook: Hook::None }
}

fn nothing_private(_: &World, _: &str, _: &Arg, _: &Value) -> Vec<String> {
    Vec::new()
}

/// The demo organisation as this test reads it from the database after setting it up.
struct World {
    people: Vec<Someone>,
    /// (id, code, parent)
    units: Vec<(String, String, Option<String>)>,
    cycle: String,
    /// People with an appraisal in the cycle, and those whose ratings are submitted.
    appraised: Ids,
    rated: Ids,
    /// Person → the goals their plan's KRAs serve.
    plans: BTreeMap<String, Vec<String>>,
    /// Goal → (title, parent)
    goals: BTreeMap<String, (String, Option<String>)>,
    synced: Vec<Synced>,
    training: String,
    session: String,
    /// Everyone who attended a session of the training (the demo's session and this test's).
    attendees: Ids,
    competencies: Vec<String>,
}

struct Someone {
    id: String,
    name: String,
    email: String,
    unit: String,
    manager: Option<String>,
    hr: bool,
    committee: bool,
    active: bool,
}

/// A record synced to devices, with the people it concerns.
enum Synced {
    Feedback { id: String, giver: String, receiver: String, private: bool },
    SelfAssessment { id: String, person: String, submitted: bool },
    Request { id: String, asker: String, asked: String },
    CheckIn { id: String, person: String, manager: String },
    /// The record of an appraisal conversation (the demo's of last year).
    Discussion { id: String, person: String, manager: String },
    /// Made by the server for the person (a plan step, feedback, kudos, a calibration...).
    Notification { id: String, person: String },
}

impl World {
    /// The notifications the server has made so far (calls of the sweep make more), each the
    /// person's own.
    async fn note_notifications(&mut self, h: &Harness) {
        let mut response = h.db.query("SELECT id, person FROM notification").await.unwrap();
        let made = response.take::<Vec<Value>>(0).unwrap();
        self.synced.retain(|s| !matches!(s, Synced::Notification { .. }));
        for n in made {
            self.synced.push(Synced::Notification { id: key_of(n["id"].as_str().unwrap()), person: key_of(n["person"].as_str().unwrap()) });
        }
    }

    fn someone(&self, id: &str) -> &Someone {
        self.people.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no one has the id {id}"))
    }

    fn id_of(&self, name: &str) -> String {
        let email = app::demo::seed::demo_email(name);
        self.people.iter().find(|p| p.email == email).unwrap_or_else(|| panic!("no demo person {name}")).id.clone()
    }

    fn unit_id(&self, code: &str) -> String {
        self.units.iter().find(|u| u.1 == code).unwrap_or_else(|| panic!("no unit {code}")).0.clone()
    }

    fn unit_code(&self, id: &str) -> &str {
        self.units.iter().find(|u| u.0 == id).map_or("?", |u| u.1.as_str())
    }

    fn active(&self) -> Ids {
        self.people.iter().filter(|p| p.active).map(|p| p.id.clone()).collect()
    }

    fn everyone(&self) -> Ids {
        self.people.iter().map(|p| p.id.clone()).collect()
    }

    fn manager(&self, id: &str) -> Option<String> {
        self.someone(id).manager.clone()
    }

    fn direct(&self, id: &str) -> Ids {
        self.people.iter().filter(|p| p.active && p.manager.as_deref() == Some(id)).map(|p| p.id.clone()).collect()
    }

    /// Everyone active below `id`, directly or not.
    fn line(&self, id: &str) -> Ids {
        let mut line = Ids::new();
        let mut level = self.direct(id);
        while !level.is_empty() {
            let next = level.iter().flat_map(|p| self.direct(p)).filter(|p| !line.contains(p) && !level.contains(p)).collect();
            line.extend(level);
            level = next;
        }
        line
    }

    fn is_hr(&self, id: &str) -> bool {
        self.someone(id).hr
    }

    fn is_committee(&self, id: &str) -> bool {
        self.someone(id).committee
    }

    fn is_manager(&self, id: &str) -> bool {
        !self.direct(id).is_empty()
    }

    fn sees_record(&self, caller: &str, person: &str) -> bool {
        caller == person || self.line(caller).contains(person) || self.is_hr(caller)
    }

    /// The caller may see all of these people's records.
    fn records(&self, caller: &str) -> Ids {
        if self.is_hr(caller) {
            return self.everyone();
        }
        let mut seen = self.line(caller);
        seen.insert(caller.to_owned());
        seen
    }

    /// Preparing an appraisal is rating it: the direct manager or HR, never oneself.
    fn prepares(&self, caller: &str, person: &str) -> bool {
        self.rates(caller, person)
    }

    fn rates(&self, caller: &str, person: &str) -> bool {
        caller != person && (self.direct(caller).contains(person) || self.is_hr(caller))
    }

    fn settles(&self, caller: &str, person: &str) -> bool {
        caller != person && (self.line(caller).contains(person) || self.is_hr(caller))
    }

    fn subtree(&self, unit: &str) -> Ids {
        let mut within = Ids::from([unit.to_owned()]);
        loop {
            let more: Ids = self.units.iter().filter(|u| u.2.as_ref().is_some_and(|p| within.contains(p))).map(|u| u.0.clone()).collect();
            if more.is_subset(&within) {
                return within;
            }
            within.extend(more);
        }
    }

    /// Active people in a unit or below it.
    fn in_unit(&self, unit: &str) -> Ids {
        let within = self.subtree(unit);
        self.people.iter().filter(|p| p.active && within.contains(&p.unit)).map(|p| p.id.clone()).collect()
    }

    /// People whose plan serves the goal (through a goal below it, or itself).
    fn serving(&self, goal: &str) -> Ids {
        let serves = |start: &String| {
            let mut cursor = self.goals.get_key_value(start).map(|(id, _)| id.as_str());
            while let Some(g) = cursor {
                if g == goal {
                    return true;
                }
                cursor = self.goals.get(g).and_then(|(_, parent)| parent.as_deref());
            }
            false
        };
        self.plans.iter().filter(|(_, goals)| goals.iter().any(|g| serves(g))).map(|(p, _)| p.clone()).collect()
    }

    /// The people a calibration of `unit` shows the caller.
    fn calibration(&self, caller: &str, unit: &str) -> Ids {
        let within = self.in_unit(unit);
        self.appraised.iter().filter(|p| within.contains(*p) && self.settles(caller, p)).cloned().collect()
    }

    /// Whether a manager's reporting line reaches into the unit (or the caller is HR).
    fn opens_calibration(&self, caller: &str, unit: &str) -> bool {
        self.is_hr(caller) || !self.line(caller).is_disjoint(&self.in_unit(unit))
    }

    /// Merit lines: people with a settled rating the caller works on.
    fn merit(&self, caller: &str) -> Ids {
        let scope = if self.is_hr(caller) { self.everyone() } else { self.line(caller) };
        self.rated.intersection(&scope).cloned().collect()
    }

    fn approved(&self, person: &str) -> bool {
        self.unit_code(&self.someone(person).unit) == APPROVED_UNIT
    }

    /// Feedback about a person the caller reads there: shared feedback, and private notes of
    /// their own.
    fn feedback_about(&self, caller: &str, person: &str) -> Ids {
        self.synced
            .iter()
            .filter_map(|s| match s {
                Synced::Feedback { id, giver, receiver, private } if receiver == person && (!private || giver == caller) => Some(id.clone()),
                _ => None,
            })
            .collect()
    }

    /// Who asked the caller for feedback.
    fn askers_of(&self, caller: &str) -> Ids {
        self.synced
            .iter()
            .filter_map(|s| match s {
                Synced::Request { asker, asked, .. } if asked == caller => Some(asker.clone()),
                _ => None,
            })
            .collect()
    }

    /// What the caller's devices hold.
    fn on_devices(&self, caller: &str) -> Ids {
        self.synced
            .iter()
            .filter_map(|s| {
                let (id, theirs) = match s {
                    Synced::Feedback { id, giver, receiver, private } => (id, giver == caller || (receiver == caller && !private)),
                    Synced::SelfAssessment { id, person, .. } => (id, person == caller),
                    Synced::Request { id, asker, asked } => (id, asker == caller || asked == caller),
                    Synced::CheckIn { id, person, manager } | Synced::Discussion { id, person, manager } => (id, person == caller || manager == caller),
                    Synced::Notification { id, person } => (id, person == caller),
                };
                theirs.then(|| id.clone())
            })
            .collect()
    }

    fn self_assessment_seen(&self, caller: &str, person: &str) -> Ids {
        let shown = self.synced.iter().any(|s| matches!(s, Synced::SelfAssessment { person: p, submitted, .. } if p == person && (*submitted || caller == person)));
        if shown { one(person) } else { Ids::new() }
    }

    /// Ids of people named (by name) at the paths.
    fn named(&self, v: &Value, paths: &[&str]) -> Ids {
        strings(v, paths).iter().map(|n| self.by_name(n)).collect()
    }

    fn by_name(&self, name: &str) -> String {
        self.people.iter().find(|p| p.name == name).map_or_else(|| format!("(unknown name {name})"), |p| p.id.clone())
    }

    fn by_email(&self, email: &str) -> String {
        self.people.iter().find(|p| p.email == email).map_or_else(|| format!("(unknown email {email})"), |p| p.id.clone())
    }

    /// The people a text names, by id, email or name.
    fn mentioned_in(&self, text: &str) -> Vec<&str> {
        self.people.iter().filter(|p| text.contains(&p.id) || text.contains(&p.email) || text.contains(&p.name)).map(|p| p.name.as_str()).collect()
    }

    fn describe(&self, ids: &Ids) -> String {
        let names: Vec<String> = ids.iter().map(|id| self.people.iter().find(|p| p.id == *id).map_or_else(|| id.clone(), |p| p.name.clone())).collect();
        format!("[{}]", names.join(", "))
    }

    fn label(&self, arg: &Arg) -> String {
        match arg {
            Arg::None => "no argument".into(),
            Arg::Person(relation, id) => format!("{relation:?} ({})", self.someone(id).name),
            Arg::Unit(label, id) => format!("{label} unit {}", self.unit_code(id)),
            Arg::Goal(label, _) => format!("the {label} goal"),
            Arg::Training(_) => format!("the training '{TRAINING}'"),
        }
    }

    fn args_for(&self, kind: ArgKind, caller: &str) -> Vec<Arg> {
        match kind {
            ArgKind::None => vec![Arg::None],
            ArgKind::Person => {
                let (_, about) = CALLERS.iter().find(|(name, _)| self.id_of(name) == caller).expect("a demo caller");
                about.iter().map(|(relation, name)| Arg::Person(*relation, self.id_of(name))).collect()
            }
            ArgKind::Unit => UNITS.iter().map(|(label, code)| Arg::Unit(label, self.unit_id(code))).collect(),
            ArgKind::Goal => GOALS
                .iter()
                .map(|(label, title)| Arg::Goal(label, self.goals.iter().find(|(_, (t, _))| t == title).expect("a demo goal").0.clone()))
                .collect(),
            ArgKind::Training => vec![Arg::Training(self.training.clone())],
        }
    }
}

fn one(id: &str) -> Ids {
    Ids::from([id.to_owned()])
}

/// The values at a path: `a.b` for fields, `*` for every item of an array, `0` for an index.
fn select<'v>(v: &'v Value, path: &str) -> Vec<&'v Value> {
    let mut current = vec![v];
    for step in path.split('.') {
        current = current
            .into_iter()
            .flat_map(|v| match (v, step) {
                (Value::Array(items), "*") => items.iter().collect::<Vec<_>>(),
                (Value::Array(items), index) => index.parse::<usize>().ok().and_then(|i| items.get(i)).into_iter().collect(),
                (Value::Object(map), field) => map.get(field).into_iter().collect(),
                _ => Vec::new(),
            })
            .collect();
    }
    current
}

/// The strings at the paths.
fn strings(v: &Value, paths: &[&str]) -> Ids {
    paths.iter().flat_map(|p| select(v, p)).filter_map(Value::as_str).map(str::to_owned).collect()
}

/// The rows of a CSV file returned as a JSON string, by column name.
fn csv_rows(v: &Value) -> Vec<BTreeMap<String, String>> {
    let text = v.as_str().unwrap_or_default();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    reader.records().map(|r| headers.iter().map(str::to_owned).zip(r.expect("a CSV row").iter().map(str::to_owned)).collect()).collect()
}

fn csv_column(v: &Value, column: &str) -> Vec<String> {
    csv_rows(v).into_iter().map(|r| r.get(column).cloned().unwrap_or_else(|| panic!("no column {column}"))).collect()
}

// Arguments.

fn no_args(_: &World, _: &Arg) -> String {
    "{}".into()
}

fn id_args(_: &World, a: &Arg) -> String {
    json!({ "id": a.person() }).to_string()
}

fn person_args(_: &World, a: &Arg) -> String {
    json!({ "person_id": a.person() }).to_string()
}

fn plan_args(_: &World, a: &Arg) -> String {
    json!({ "person_id": a.person(), "cycle_id": null }).to_string()
}

fn unit_args(_: &World, a: &Arg) -> String {
    json!({ "unit_id": a.unit() }).to_string()
}

/// Grounded ratings at level 3 on every competency, with a potential, submitted.
fn ratings_input(competencies: &[String]) -> Value {
    let ratings: Vec<Value> = competencies
        .iter()
        .map(|c| json!({ "competency_id": c, "level": 3, "justification": "",
                         "evidence": { "kind": "incident", "on": "2026-10-01", "reference": "", "note": "Led the quarterly review with the client" } }))
        .collect();
    json!({ "ratings": ratings, "kpi_override": null, "potential": 2, "submit": true })
}

fn ratings_args(w: &World, a: &Arg) -> String {
    json!({ "person_id": a.person(), "input": ratings_input(&w.competencies) }).to_string()
}

fn calibrate_args(w: &World, a: &Arg) -> String {
    json!({ "unit_id": w.unit_id("HQ"), "person_id": a.person(), "rating": 4, "reason": "Against the unit's peers the year was stronger than rated" }).to_string()
}

fn merit_args(_: &World, a: &Arg) -> String {
    json!({ "person_id": a.person(), "raise": 2.0, "reason": "Carried the region through a hard year, well beyond the plan" }).to_string()
}

fn training_args(_: &World, a: &Arg) -> String {
    let Arg::Training(id) = a else { panic!("a training") };
    json!({ "training_id": id }).to_string()
}

fn attendance_args(w: &World, _: &Arg) -> String {
    let attendees: Vec<String> = ATTENDEES.iter().map(|n| w.id_of(n)).collect();
    json!({ "session_id": w.session, "attendees": attendees }).to_string()
}

// Outcomes.

fn allowed(_: &World, _: &str, _: &Arg) -> Outcome {
    Outcome::Allowed
}

fn when(allowed: bool) -> Outcome {
    if allowed { Outcome::Allowed } else { Outcome::Refused }
}

fn hr_only(w: &World, c: &str, _: &Arg) -> Outcome {
    when(w.is_hr(c))
}

/// HR only, with arguments naming nothing real.
fn hr_only_missing(w: &World, c: &str, _: &Arg) -> Outcome {
    if w.is_hr(c) { Outcome::Missing } else { Outcome::Refused }
}

fn record(w: &World, c: &str, a: &Arg) -> Outcome {
    when(w.sees_record(c, a.person()))
}

/// A person's record, with arguments naming nothing real.
fn record_missing(w: &World, c: &str, a: &Arg) -> Outcome {
    if w.sees_record(c, a.person()) { Outcome::Missing } else { Outcome::Refused }
}

/// What a manager does for their line (drafting and approving plans); HR may stand in.
fn manages_missing(w: &World, c: &str, a: &Arg) -> Outcome {
    let p = a.person();
    if (c != p && w.line(c).contains(p)) || w.is_hr(c) { Outcome::Missing } else { Outcome::Refused }
}

fn appraisal(w: &World, c: &str, a: &Arg) -> Outcome {
    match record(w, c, a) {
        Outcome::Allowed if !w.appraised.contains(a.person()) => Outcome::Missing,
        other => other,
    }
}

// Parts every answer about one person has.

const ABOUT_PERSON: &[Part] = &[Part { what: "the person", found: |_, v| strings(v, &["person.id", "plan.person_id"]), expected: |_, _, a| one(a.person()) }];

const CALIBRATION: &[Part] = &[Part {
    what: "people calibrated, and people named in the calibration log",
    found: |w, v| {
        let mut ids = strings(v, &["lines.*.person_id"]);
        ids.extend(w.named(v, &["log.*.person_name"]));
        ids
    },
    expected: |w, c, a| match a {
        Arg::Unit(_, unit) => w.calibration(c, unit),
        // calibrate_rating answers with the calibration of the root unit.
        _ => w.calibration(c, &w.unit_id("HQ")),
    },
}];

/// The distribution of a calibration counts the people it lists, no one else.
fn calibration_counts(_: &World, _: &str, _: &Arg, v: &Value) -> Vec<String> {
    let listed = select(v, "lines.*.settled_rating").into_iter().filter(|r| !r.is_null()).count() as u64;
    let counted: u64 = select(v, "distribution.*.2").into_iter().filter_map(Value::as_u64).sum();
    if listed == counted { Vec::new() } else { vec![format!("the distribution counts {counted} ratings, the lines show {listed}")] }
}

const MERIT: &[Part] = &[
    Part {
        what: "merit proposals, and people waiting for one",
        found: |w, v| {
            let mut ids = strings(v, &["units.*.lines.*.person_id"]);
            ids.extend(w.named(v, &["missing.*.name"]));
            ids
        },
        expected: |w, c, _| w.merit(c),
    },
    Part {
        what: "proposals the caller may adjust",
        found: |_, v| select(v, "units.*.lines.*").into_iter().filter(|l| l["may_adjust"] == json!(true)).filter_map(|l| l["person_id"].as_str()).map(str::to_owned).collect(),
        expected: |w, c, _| w.merit(c).into_iter().filter(|p| w.settles(c, p) && !w.approved(p)).collect(),
    },
];

const TRAINING_VIEW: &[Part] = &[
    Part {
        what: "attendees",
        found: |_, v| strings(v, &["sessions.*.attendees.*.0"]),
        expected: |w, c, _| {
            w.attendees.intersection(&w.records(c)).cloned().collect()
        },
    },
    Part { what: "the directory", found: |_, v| strings(v, &["people.*.id"]), expected: |w, _, _| w.active() },
];

/// An appraisal of the caller themselves never shows their potential. (A calibrated rating is
/// shared with the person with its reason, as the appraisal record promises.)
fn own_appraisal_problems(view: &Value, caller: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if view["person"]["id"].as_str() != Some(caller) {
        return problems;
    }
    if !view["potential"].is_null() {
        problems.push(format!("shows the caller their own potential ({})", view["potential"]));
    }
    problems
}

const TABLE: &[Spec] = &[
    // The organisation.
    spec("current_user", ArgKind::None, no_args, allowed, &[Part { what: "the user", found: |_, v| strings(v, &["id"]), expected: |_, c, _| one(c) }]),
    spec(
        "list_people",
        ArgKind::None,
        |_, _| r#"{"include_inactive":true}"#.into(),
        hr_only,
        &[Part { what: "people", found: |_, v| strings(v, &["*.id"]), expected: |w, _, _| w.everyone() }],
    ),
    spec("get_person", ArgKind::Person, id_args, record, &[Part { what: "the person", found: |_, v| strings(v, &["id"]), expected: |_, _, a| one(a.person()) }]),
    spec(
        "export_people",
        ArgKind::None,
        no_args,
        hr_only,
        &[Part { what: "people in the file", found: |w, v| csv_column(v, "email").iter().map(|e| w.by_email(e)).collect(), expected: |w, _, _| w.everyone() }],
    ),
    spec("my_team", ArgKind::None, no_args, allowed, &[Part { what: "the team", found: |_, v| strings(v, &["*.person.id"]), expected: |w, c, _| w.line(c) }]),
    spec(
        "home",
        ArgKind::None,
        no_args,
        allowed,
        &[
            Part { what: "the person", found: |_, v| strings(v, &["user.id", "me.id"]), expected: |_, c, _| one(c) },
            Part { what: "the team", found: |_, v| strings(v, &["team.*.person.id"]), expected: |w, c, _| w.line(c) },
        ],
    ),
    // One's tasks name one's direct reports (plans and appraisals to move on) and whoever asked
    // one for feedback; nobody else.
    Spec {
        private: |w, c, _, v| {
            let may_name: Ids = w.direct(c).union(&w.askers_of(c)).cloned().collect();
            let named: Ids = w.mentioned_in(&v.to_string()).into_iter().map(|n| w.by_name(n)).collect();
            let others: Ids = named.difference(&may_name).cloned().collect();
            if others.is_empty() { Vec::new() } else { vec![format!("names {}", w.describe(&others))] }
        },
        ..spec("my_tasks", ArgKind::None, no_args, allowed, &[])
    },
    spec(
        "organisation_overview",
        ArgKind::None,
        no_args,
        |w, c, _| when(w.is_hr(c) || w.is_committee(c)),
        &[Part { what: "anyone named in head counts", found: |w, v| w.mentioned_in(&v.to_string()).into_iter().map(|n| w.by_name(n)).collect(), expected: |_, _, _| Ids::new() }],
    ),
    // Planning and monitoring.
    spec("load_plan", ArgKind::Person, plan_args, record, ABOUT_PERSON),
    spec(
        "save_plan",
        ArgKind::Person,
        |_, a| json!({ "input": { "person_id": a.person(), "cycle_id": "no-such-cycle", "kras": [] } }).to_string(),
        manages_missing,
        &[],
    ),
    spec(
        "take_plan_step",
        ArgKind::Person,
        |_, a| json!({ "person_id": a.person(), "cycle_id": "no-such-cycle", "step": "approve", "comment": "" }).to_string(),
        manages_missing,
        &[],
    ),
    spec("person_scorecard", ArgKind::Person, plan_args, record, ABOUT_PERSON),
    spec(
        "team_scorecard",
        ArgKind::None,
        |_, _| r#"{"cycle_id":null}"#.into(),
        allowed,
        &[Part { what: "the team", found: |_, v| strings(v, &["lines.*.person_id"]), expected: |w, c, _| w.line(c) }],
    ),
    spec(
        "unit_scorecard",
        ArgKind::Unit,
        |_, a| json!({ "unit_id": a.unit(), "cycle_id": null }).to_string(),
        hr_only,
        &[Part { what: "people of the unit", found: |_, v| strings(v, &["lines.*.person_id"]), expected: |w, _, a| w.in_unit(a.unit()) }],
    ),
    spec(
        "goal_line_of_sight",
        ArgKind::Goal,
        |_, a| json!({ "id": a.goal() }).to_string(),
        allowed,
        &[Part {
            what: "people serving the goal",
            found: |_, v| strings(v, &["serving.*.person_id"]),
            expected: |w, c, a| w.serving(a.goal()).intersection(&w.records(c)).cloned().collect(),
        }],
    ),
    // Appraising.
    Spec {
        private: |_, _, _, v| if v["own"]["potential"].is_null() { Vec::new() } else { vec![format!("shows the caller their own potential ({})", v["own"]["potential"])] },
        ..spec(
            "list_appraisals",
            ArgKind::None,
            no_args,
            allowed,
            &[
                Part { what: "one's own appraisal", found: |_, v| strings(v, &["own.person_id"]), expected: |w, c, _| w.appraised.intersection(&one(c)).cloned().collect() },
                Part { what: "the reports rated", found: |_, v| strings(v, &["reports.*.person_id"]), expected: |w, c, _| w.appraised.intersection(&w.direct(c)).cloned().collect() },
            ],
        )
    },
    Spec {
        private: |_, c, _, v| own_appraisal_problems(v, c),
        ..spec(
            "load_appraisal",
            ArgKind::Person,
            person_args,
            appraisal,
            &[
                Part { what: "the person", found: |_, v| strings(v, &["person.id"]), expected: |_, _, a| one(a.person()) },
                Part { what: "feedback shown", found: |_, v| strings(v, &["feedback.*.feedback.id"]), expected: |w, _, a| w.feedback_about("", a.person()) },
                Part { what: "the self-assessment", found: |_, v| strings(v, &["self_assessment.person_id"]), expected: |w, c, a| w.self_assessment_seen(c, a.person()) },
            ],
        )
    },
    spec(
        "prepare_appraisal",
        ArgKind::Person,
        person_args,
        |w, c, a| when(w.prepares(c, a.person())),
        &[
            Part { what: "the person", found: |_, v| strings(v, &["appraisal.person.id"]), expected: |_, _, a| one(a.person()) },
            Part { what: "feedback shown", found: |_, v| strings(v, &["appraisal.feedback.*.feedback.id"]), expected: |w, _, a| w.feedback_about("", a.person()) },
        ],
    ),
    spec(
        "save_ratings",
        ArgKind::Person,
        ratings_args,
        |w, c, a| when(w.rates(c, a.person())),
        &[Part { what: "the person", found: |_, v| strings(v, &["appraisal.person.id"]), expected: |_, _, a| one(a.person()) }],
    ),
    Spec {
        private: calibration_counts,
        ..spec("load_calibration", ArgKind::Unit, unit_args, |w, c, a| when(w.opens_calibration(c, a.unit())), CALIBRATION)
    },
    Spec {
        private: calibration_counts,
        hook: Hook::RatingAtThree,
        ..spec("calibrate_rating", ArgKind::Person, calibrate_args, |w, c, a| when(w.settles(c, a.person())), CALIBRATION)
    },
    Spec { private: calibration_counts, hook: Hook::Unlock, ..spec("lock_calibration", ArgKind::Unit, unit_args, hr_only, CALIBRATION) },
    spec(
        "load_appraisal_report",
        ArgKind::None,
        no_args,
        hr_only,
        &[Part {
            what: "managers reported on",
            found: |w, v| w.named(v, &["managers.*.name"]).into_iter().filter(|n| !n.contains("(no manager)")).collect(),
            expected: |w, _, _| w.appraised.iter().filter_map(|p| w.manager(p)).collect(),
        }],
    ),
    Spec {
        private: |w, c, _, v| {
            let name = &w.someone(c).name;
            csv_rows(v)
                .into_iter()
                .filter(|r| r.get("person") == Some(name) && r.get("potential").is_some_and(|p| !p.is_empty()))
                .map(|r| format!("the file shows the caller their own potential ({})", r["potential"]))
                .collect()
        },
        ..spec(
            "export_appraisals",
            ArgKind::None,
            no_args,
            hr_only,
            &[Part { what: "people in the file", found: |w, v| csv_column(v, "person").iter().map(|n| w.by_name(n)).collect(), expected: |w, _, _| w.appraised.clone() }],
        )
    },
    // Developing.
    spec("load_development_plan", ArgKind::Person, person_args, record, ABOUT_PERSON),
    spec(
        "add_development_item",
        ArgKind::Person,
        |w, a| {
            let target = competency_target(&w.competencies[0]);
            json!({ "person_id": a.person(), "input": { "title": "Negotiation course", "kind": "training", "target": target, "due_on": "2027-03-31" } }).to_string()
        },
        record,
        ABOUT_PERSON,
    ),
    spec(
        "update_development_item",
        ArgKind::Person,
        |_, a| json!({ "person_id": a.person(), "item_id": "no-such-item", "status": "done", "evidence": "The certificate of the course" }).to_string(),
        record_missing,
        &[],
    ),
    spec("load_training", ArgKind::Training, training_args, allowed, TRAINING_VIEW),
    spec(
        "add_training_session",
        ArgKind::Training,
        |w, a| {
            let mut args: Value = serde_json::from_str(&training_args(w, a)).unwrap();
            args["held_on"] = json!("2026-09-20");
            args["place"] = json!("Online");
            args.to_string()
        },
        hr_only,
        TRAINING_VIEW,
    ),
    spec("record_attendance", ArgKind::Training, attendance_args, hr_only, TRAINING_VIEW),
    spec(
        "load_recognition",
        ArgKind::None,
        no_args,
        allowed,
        &[
            Part {
                what: "people recognised",
                found: |_, v| strings(v, &["people.*.person_id"]),
                expected: |w, c, _| {
                    let mut ids = w.line(c);
                    ids.insert(c.to_owned());
                    ids
                },
            },
            Part { what: "the directory", found: |_, v| strings(v, &["colleagues.*.id"]), expected: |w, c, _| w.active().into_iter().filter(|p| p != c).collect() },
        ],
    ),
    spec(
        "load_person_recognition",
        ArgKind::Person,
        person_args,
        record,
        &[Part { what: "the person", found: |_, v| strings(v, &["person_id"]), expected: |_, _, a| one(a.person()) }],
    ),
    // Rewarding.
    spec("load_merit", ArgKind::None, no_args, |w, c, _| when(w.is_manager(c) || w.is_hr(c)), MERIT),
    spec(
        "adjust_merit",
        ArgKind::Person,
        merit_args,
        |w, c, a| match w.settles(c, a.person()) {
            true if w.approved(a.person()) => Outcome::Invalid,
            settles => when(settles),
        },
        MERIT,
    ),
    spec("scale_merit", ArgKind::None, |_, _| r#"{"unit_id":"no-such-unit"}"#.into(), hr_only_missing, &[]),
    spec("approve_merit", ArgKind::None, |_, _| r#"{"unit_id":"no-such-unit"}"#.into(), hr_only_missing, &[]),
    spec(
        "export_payroll",
        ArgKind::None,
        no_args,
        hr_only,
        &[Part {
            what: "people in the file",
            found: |w, v| csv_column(v, "email").iter().map(|e| w.by_email(e)).collect(),
            expected: |w, _, _| w.rated.iter().filter(|p| w.approved(p)).cloned().collect(),
        }],
    ),
    // What devices keep, feedback, the directory.
    spec(
        "sync_pull",
        ArgKind::None,
        |_, _| r#"{"cursor":0}"#.into(),
        allowed,
        &[Part { what: "synced records", found: |_, v| strings(v, &["docs.*.record.id"]), expected: |w, c, _| w.on_devices(c) }],
    ),
    Spec {
        private: |_, c, _, v| select(v, "appraisals.*").into_iter().flat_map(|a| own_appraisal_problems(a, c)).collect(),
        ..spec(
            "load_offline_snapshot",
            ArgKind::None,
            no_args,
            allowed,
            &[
                Part { what: "the person", found: |_, v| strings(v, &["person_id", "scorecard.person.id"]), expected: |_, c, _| one(c) },
                Part { what: "the manager", found: |_, v| strings(v, &["manager_id"]), expected: |w, c, _| w.manager(c).into_iter().collect() },
                Part { what: "the direct reports", found: |_, v| strings(v, &["reports.*"]), expected: |w, c, _| w.direct(c) },
                Part {
                    what: "the KPIs of the direct reports' plans",
                    found: |_, v| strings(v, &["report_kpis.*.0"]),
                    expected: |w, c, _| w.direct(c).into_iter().filter(|p| w.plans.contains_key(p)).collect(),
                },
                Part {
                    what: "appraisals for the conversation",
                    found: |_, v| strings(v, &["appraisals.*.person.id"]),
                    expected: |w, c, _| {
                        let mut theirs = w.direct(c);
                        theirs.insert(c.to_owned());
                        w.rated.intersection(&theirs).cloned().collect()
                    },
                },
                Part { what: "the directory", found: |_, v| strings(v, &["colleagues.*.id"]), expected: |w, c, _| w.active().into_iter().filter(|p| p != c).collect() },
            ],
        )
    },
    spec(
        "list_colleagues",
        ArgKind::None,
        no_args,
        allowed,
        &[Part { what: "the directory", found: |_, v| strings(v, &["*.id"]), expected: |w, c, _| w.active().into_iter().filter(|p| p != c).collect() }],
    ),
    spec(
        "feedback_about",
        ArgKind::Person,
        person_args,
        record,
        &[Part { what: "feedback", found: |_, v| strings(v, &["*.feedback.id"]), expected: |w, c, a| w.feedback_about(c, a.person()) }],
    ),
    spec(
        "self_assessment_of",
        ArgKind::Person,
        person_args,
        record,
        &[Part { what: "the self-assessment", found: |_, v| strings(v, &["person_id"]), expected: |w, c, a| w.self_assessment_seen(c, a.person()) }],
    ),
    // The change programme's pickers.
    spec(
        "list_programmes",
        ArgKind::None,
        no_args,
        |w, c, _| when(w.is_committee(c)),
        &[Part { what: "the directory", found: |_, v| strings(v, &["people.*.id"]), expected: |w, _, _| w.active() }],
    ),
];

/// Server functions that return no one's data, and why; the authorization table test
/// (authorization.rs) checks who may call them.
const NO_ONES_DATA: &[(&str, &str)] = &[
    ("my_places", "two facts about the caller: whether they have a plan, whether merit is open"),
    ("my_mail_settings", "the caller's own email choices and address"),
    ("save_mail_settings", "the caller's own email choices and address"),
    ("read_unsubscribe", "what a signed link stops, the address half hidden (tests/mail.rs)"),
    ("unsubscribe", "what a signed link stopped, the address half hidden (tests/mail.rs)"),
    ("sign_in", "the caller's own session"),
    ("sign_out", "nothing"),
    ("change_password", "nothing"),
    ("list_units", "the unit tree"),
    ("save_unit", "a unit"),
    ("save_person", "HR's change, echoed back to HR"),
    ("issue_temporary_password", "HR's change: a password to hand over"),
    ("import_people", "counts"),
    ("list_cycles", "cycles"),
    ("current_cycle_id", "a cycle"),
    ("create_cycle", "a cycle"),
    ("advance_cycle", "a cycle"),
    ("set_cycle_deadlines", "a cycle"),
    ("load_goals", "goals with head counts"),
    ("save_goal", "a goal"),
    ("list_kpi_templates", "the KPI library"),
    ("save_kpi_template", "a KPI template"),
    ("delete_kpi_template", "nothing"),
    ("record_actual", "counts"),
    ("import_actuals", "counts"),
    ("rating_scale", "the rating scale"),
    ("save_rating_scale", "the rating scale"),
    ("load_competency_framework", "competencies and role profiles"),
    ("save_competency", "a competency"),
    ("save_role_profile", "a role profile"),
    ("list_integrations", "integrations"),
    ("issue_integration_token", "a token"),
    ("revoke_integration", "nothing"),
    ("set_appraisal_weights", "the weights"),
    ("load_training_catalogue", "trainings with head counts"),
    ("save_training", "the catalogue with head counts"),
    ("give_kudos", "the kudos the caller gave"),
    ("load_reward_policy", "bands, the matrix, pools and head counts"),
    ("save_reward_policy", "the policy"),
    ("import_salaries", "the policy with head counts"),
    ("sync_push", "the outcome of the caller's own operations"),
    ("my_pulses", "surveys open to the caller"),
    ("answer_pulse", "nothing"),
    // The committee's programme: its steering record and aggregates (their anonymity is tested
    // in server/tests/change.rs); the demo has no programme to ask about.
    ("create_programme", "the programme"),
    ("load_programme", "the programme's record and aggregates"),
    ("save_change_step", "a step"),
    ("save_change_action", "an id"),
    ("add_change_evidence", "nothing"),
    ("sign_off_step", "a sign-off"),
    ("reopen_step", "nothing"),
    ("save_barrier", "an id"),
    ("save_adoption_targets", "targets"),
    ("decide_win", "nothing"),
    ("load_adoption", "aggregates"),
    ("export_adoption", "aggregates"),
    ("create_pulse", "nothing"),
    ("close_pulse", "nothing"),
];

#[tokio::test]
async fn every_server_function_is_in_the_table_or_returns_no_ones_data() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.trim_start_matches("/api/").to_owned()).collect();
    let tabled: BTreeSet<String> = TABLE.iter().map(|s| s.endpoint.to_owned()).collect();
    let exempt: BTreeSet<String> = NO_ONES_DATA.iter().map(|(e, _)| e.to_string()).collect();
    assert!(tabled.is_disjoint(&exempt), "both in the table and exempt: {:?}", tabled.intersection(&exempt).collect::<Vec<_>>());
    let known: BTreeSet<String> = tabled.union(&exempt).cloned().collect();
    let missing: Vec<_> = registered.difference(&known).collect();
    assert!(missing.is_empty(), "server functions neither in the visibility table nor listed as returning no one's data: {missing:?}");
    let stale: Vec<_> = known.difference(&registered).collect();
    assert!(stale.is_empty(), "entries for server functions that do not exist: {stale:?}");
}

#[tokio::test]
async fn allowed_calls_return_exactly_the_people_the_caller_may_see() {
    let h = Harness::new(&[]).await;
    let mut w = set_up(&h).await;
    for (caller, about) in CALLERS {
        let c = w.id_of(caller);
        for (relation, name) in *about {
            let p = w.id_of(name);
            let stands = match relation {
                Relation::Own => c == p,
                Relation::Manager => w.manager(&c) == Some(p.clone()),
                Relation::DirectReport => w.direct(&c).contains(&p),
                Relation::IndirectReport => w.line(&c).contains(&p) && !w.direct(&c).contains(&p),
                Relation::Peer => c != p && w.manager(&c) == w.manager(&p),
                Relation::Outside => !w.line(&c).contains(&p) && !w.line(&p).contains(&c),
            };
            assert!(stands, "{name} is not {caller}'s {relation:?}");
            assert!(w.appraised.contains(&p), "{name} has an appraisal to ask about");
        }
    }

    let mut cookies = BTreeMap::new();
    for (caller, _) in CALLERS {
        cookies.insert(w.id_of(caller), h.sign_in(caller).await);
    }
    let mut failures = Vec::new();
    let mut calls = 0;
    for spec in TABLE {
        for (caller, _) in CALLERS {
            let c = w.id_of(caller);
            for arg in w.args_for(spec.arg, &c) {
                calls += 1;
                let row = format!("{} as {caller} on {}", spec.endpoint, w.label(&arg));
                if spec.endpoint == "sync_pull" {
                    w.note_notifications(&h).await;
                }
                if spec.hook == Hook::RatingAtThree {
                    rating_at_three(&h, &w, arg.person()).await;
                }
                let answer = h.call(spec.endpoint, &(spec.args)(&w, &arg), Some(&cookies[&c])).await;
                if spec.hook == Hook::Unlock {
                    h.db.query("DELETE calibration_lock").await.unwrap().check().unwrap();
                }
                let expected = (spec.outcome)(&w, &c, &arg);
                let status = answer.status;
                match expected {
                    Outcome::Refused => {
                        if status != StatusCode::FORBIDDEN || !answer.body.contains("Forbidden") {
                            failures.push(format!("{row}: expected 403, got {status} naming {} people", w.mentioned_in(&answer.body).len()));
                        } else if !w.mentioned_in(&answer.body).is_empty() {
                            failures.push(format!("{row}: the refusal names {:?}", w.mentioned_in(&answer.body)));
                        }
                    }
                    Outcome::Missing | Outcome::Invalid => {
                        let wanted = if expected == Outcome::Missing { StatusCode::NOT_FOUND } else { StatusCode::UNPROCESSABLE_ENTITY };
                        if status != wanted {
                            failures.push(format!("{row}: expected {wanted}, got {status} {}", short(&answer.body)));
                        }
                    }
                    Outcome::Allowed => {
                        if status != StatusCode::OK {
                            failures.push(format!("{row}: expected 200, got {status} {}", short(&answer.body)));
                            continue;
                        }
                        let body = answer.json();
                        for part in spec.parts {
                            let found = (part.found)(&w, &body);
                            let wanted = (part.expected)(&w, &c, &arg);
                            if found != wanted {
                                let extra: Ids = found.difference(&wanted).cloned().collect();
                                let lacking: Ids = wanted.difference(&found).cloned().collect();
                                failures.push(format!("{row}: {}: also {} (may not see), lacking {}", part.what, w.describe(&extra), w.describe(&lacking)));
                            }
                        }
                        for problem in (spec.private)(&w, &c, &arg, &body) {
                            failures.push(format!("{row}: {problem}"));
                        }
                    }
                }
            }
        }
    }
    assert!(calls > 500, "the table made {calls} calls");
    assert!(failures.is_empty(), "{} of {calls} calls returned what they should not:\n{}", failures.len(), failures.join("\n"));
}

fn short(body: &str) -> &str {
    &body[..body.len().min(300)]
}

/// Sets a person's rating to 3 (as if calibrated), so moving it to 4 is a change.
async fn rating_at_three(h: &Harness, w: &World, person: &str) {
    h.db.query("UPDATE appraisal SET calibrated = 3 WHERE person = type::record('person', $p) AND cycle = type::record('cycle', $c) RETURN NONE")
        .bind(("p", person.to_owned()))
        .bind(("c", w.cycle.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
}

async fn ok(h: &Harness, endpoint: &str, args: Value, cookie: &str) -> Value {
    let answer = h.call(endpoint, &args.to_string(), Some(cookie)).await;
    assert_eq!(answer.status, StatusCode::OK, "{endpoint} {args}: {}", answer.body);
    answer.json()
}

/// The demo organisation in appraisal, through the app's own server functions: a plan for
/// everyone but the two the demo leaves to plan, the cycle moved to appraisal, every appraisal
/// rated (potential included) and some calibrated, feedback given and private notes kept,
/// self-assessments submitted and drafted, check-ins, training attended, and one unit's merit
/// approved for payroll.
async fn set_up(h: &Harness) -> World {
    let everyone = app::org::store::people::list(&h.db, true).await.unwrap();
    let name_of = |id: &str| everyone.iter().find(|p| p.id == id).unwrap().email.split('@').next().unwrap().to_owned();
    let mut cookies: BTreeMap<String, String> = BTreeMap::new();
    let mut cookie = async |name: &str| -> String {
        if !cookies.contains_key(name) {
            cookies.insert(name.to_owned(), h.sign_in(name).await);
        }
        cookies[name].clone()
    };
    let hr = cookie("amina.okafor").await;
    let cycle = ok(h, "current_cycle_id", json!({}), &hr).await[0].as_str().unwrap().to_owned();

    // A plan like the accountant's for everyone without one, drafted by their manager (by HR for
    // the chief executive).
    let model = ok(h, "load_plan", json!({ "person_id": h.id("priya.nair"), "cycle_id": null }), &hr).await;
    let mut kras = model["plan"]["kras"].clone();
    for kra in kras.as_array_mut().unwrap() {
        kra["id"] = json!("");
        for kpi in kra["kpis"].as_array_mut().unwrap() {
            kpi["id"] = json!("");
        }
    }
    let planned: BTreeSet<String> = app::planning::store::plans::plans_of_cycle(&h.db, &cycle).await.unwrap().into_iter().map(|p| p.person_id).collect();
    for p in everyone.iter().filter(|p| p.active && !planned.contains(&p.id) && !WITHOUT_PLAN.contains(&name_of(&p.id).as_str())) {
        let by = cookie(&p.manager_id.as_deref().map_or("amina.okafor".into(), name_of)).await;
        ok(h, "save_plan", json!({ "input": { "person_id": p.id, "cycle_id": cycle, "kras": kras } }), &by).await;
    }
    ok(h, "advance_cycle", json!({ "id": cycle }), &hr).await;

    let framework = ok(h, "load_competency_framework", json!({}), &hr).await;
    let competencies: Vec<String> = strings(&framework, &["competencies.*.id"]).into_iter().collect();
    let mut appraised = h.db.query("SELECT VALUE person FROM appraisal WHERE cycle.state = 'appraisal'").await.unwrap();
    let appraised: Ids = appraised.take::<Vec<Value>>(0).unwrap().iter().filter_map(Value::as_str).map(key_of).collect();

    // Every appraisal rated by the person's manager (HR for the chief executive).
    for p in &appraised {
        let manager = everyone.iter().find(|x| x.id == *p).unwrap().manager_id.clone();
        let by = cookie(&manager.as_deref().map_or("amina.okafor".into(), name_of)).await;
        ok(h, "save_ratings", json!({ "person_id": p, "input": ratings_input(&competencies) }), &by).await;
    }

    // Calibrated by HR: so Sam, James and Amina have a calibration log of their own appraisal.
    let units = app::org::store::units::list(&h.db).await.unwrap();
    let hq = units.iter().find(|u| u.code == "HQ").unwrap().id.clone();
    for (person, by) in [("sam.taylor", "amina.okafor"), ("james.osei", "amina.okafor"), ("amina.okafor", "lucas.berg")] {
        h.db.query("UPDATE appraisal SET calibrated = 3 WHERE person = type::record('person', $p) RETURN NONE").bind(("p", h.id(person))).await.unwrap().check().unwrap();
        let by = cookie(by).await;
        let args = json!({ "unit_id": hq, "person_id": h.id(person), "rating": 2, "reason": "Against the unit's peers the year was weaker than rated" });
        ok(h, "calibrate_rating", args, &by).await;
    }

    // Feedback, private notes, self-assessments, a request and check-ins, from people's devices,
    // with what each was meant to be (the model never takes its flags from the server's answer).
    let mut synced = Vec::new();
    let feedback = [
        ("fb-chloe-sam", "chloe.dubois", "sam.taylor", false),
        ("fb-james-sam-note", "james.osei", "sam.taylor", true),
        ("fb-kofi-sam-note", "kofi.mensah", "sam.taylor", true),
        ("fb-sam-james", "sam.taylor", "james.osei", false),
        ("fb-isabel-maria", "isabel.costa", "maria.santos", false),
        ("fb-grace-amina-note", "grace.mwangi", "amina.okafor", true),
        ("fb-amina-lucas-note", "amina.okafor", "lucas.berg", true),
        ("fb-lucas-amina", "lucas.berg", "amina.okafor", false),
        ("fb-ben-fatima", "ben.carter", "fatima.zahra", false),
    ];
    for (id, giver, receiver, private) in feedback {
        let values = json!({ "giver": h.id(giver), "receiver": h.id(receiver), "situation": "At the client review in October",
                             "behaviour": "Walked the client through the numbers", "impact": "The client renewed for two years",
                             "private": private, "request": "", "given_on": "2026-10-02" });
        push(h, &cookie(giver).await, "feedback", id, values).await;
        synced.push(Synced::Feedback { id: id.into(), giver: h.id(giver), receiver: h.id(receiver), private });
    }
    for (person, submitted) in [("sam.taylor", true), ("emma.wilson", false), ("james.osei", false), ("amina.okafor", true)] {
        let id = self_assessment_id(&h.id(person), &cycle);
        let mut values = json!({ "person": h.id(person), "cycle": cycle, "strengths": "Client relationships", "development": "Negotiation", "submitted": submitted });
        for c in &competencies {
            values[format!("competency:{c}")] = json!({ "level": 3, "evidence": "The renewal of the largest client" });
        }
        push(h, &cookie(person).await, "self_assessment", &id, values).await;
        synced.push(Synced::SelfAssessment { id, person: h.id(person), submitted });
    }
    let request = json!({ "asker": h.id("sam.taylor"), "asked": h.id("james.osei"), "message": "How did the October review go?", "state": "open", "asked_on": "2026-10-03" });
    push(h, &cookie("sam.taylor").await, "feedback_request", "rq-sam-james", request).await;
    synced.push(Synced::Request { id: "rq-sam-james".into(), asker: h.id("sam.taylor"), asked: h.id("james.osei") });
    for (id, person, manager) in [("check-in-sam", "sam.taylor", "james.osei"), ("check-in-james", "james.osei", "maria.santos"), ("check-in-ben", "ben.carter", "fatima.zahra")] {
        let values = json!({ "person": h.id(person), "manager": h.id(manager), "cycle": cycle, "held_on": "2026-10-05", "goal": "Close three renewals",
                             "reality": "", "options": "", "will": "", "actions": [], "completed_on": "" });
        push(h, &cookie(manager).await, "check_in", id, values).await;
        synced.push(Synced::CheckIn { id: id.into(), person: h.id(person), manager: h.id(manager) });
    }

    // A session of a training, and who attended it.
    let catalogue = ok(h, "load_training_catalogue", json!({}), &hr).await;
    let training = select(&catalogue, "trainings.*.training").into_iter().find(|t| t["title"] == TRAINING).unwrap()["id"].as_str().unwrap().to_owned();
    let view = ok(h, "add_training_session", json!({ "training_id": training, "held_on": "2026-09-15", "place": "Head Office" }), &hr).await;
    let session = view["sessions"][0]["id"].as_str().unwrap().to_owned();
    let attendees: Vec<String> = ATTENDEES.iter().map(|n| h.id(n)).collect();
    ok(h, "record_attendance", json!({ "session_id": session, "attendees": attendees }), &hr).await;
    // With the demo's earlier session of the same training and who attended it.
    let mut attended = h
        .db
        .query("SELECT VALUE attendees FROM training_session WHERE training = type::record('training', $t) AND id != type::record('training_session', $s)")
        .bind(("t", training.clone()))
        .bind(("s", session.clone()))
        .await
        .unwrap();
    let demo_attendees = attended.take::<Vec<Vec<Value>>>(0).unwrap().concat();
    let attendees: Ids = ATTENDEES.iter().map(|n| h.id(n)).chain(demo_attendees.iter().filter_map(Value::as_str).map(key_of)).collect();

    // One unit's merit approved (scaled to its pool first if over it), for the payroll file.
    let fin = units.iter().find(|u| u.code == APPROVED_UNIT).unwrap().id.clone();
    h.call("scale_merit", &json!({ "unit_id": fin }).to_string(), Some(&hr)).await;
    ok(h, "approve_merit", json!({ "unit_id": fin }), &hr).await;

    // The world as the database now holds it.
    let mut response = h
        .db
        .query("SELECT VALUE person FROM appraisal WHERE submitted_at != NONE AND cycle.state = 'appraisal'; SELECT id, parent, title FROM goal WHERE cycle = type::record('cycle', $cycle);")
        .bind(("cycle", cycle.clone()))
        .await
        .unwrap();
    let rated: Ids = response.take::<Vec<Value>>(0).unwrap().iter().filter_map(Value::as_str).map(key_of).collect();
    let goals = response
        .take::<Vec<Value>>(1)
        .unwrap()
        .iter()
        .map(|g| (key_of(g["id"].as_str().unwrap()), (g["title"].as_str().unwrap().to_owned(), g["parent"].as_str().map(key_of))))
        .collect();
    let plans = app::planning::store::plans::plans_of_cycle(&h.db, &cycle).await.unwrap().into_iter().map(|p| (p.person_id, p.kras.into_iter().map(|k| k.goal_id).collect())).collect();
    World {
        people: everyone
            .into_iter()
            .map(|p| Someone {
                hr: p.roles.contains(&Role::HrAdmin),
                committee: p.roles.contains(&Role::ChangeCommittee),
                id: p.id,
                name: p.name,
                email: p.email,
                unit: p.unit_id,
                manager: p.manager_id,
                active: p.active,
            })
            .collect(),
        units: units.into_iter().map(|u| (u.id, u.code, u.parent_id)).collect(),
        cycle,
        appraised,
        rated,
        plans,
        goals,
        synced: with_demo_records(h, synced).await,
        attendees,
        training,
        session,
        competencies,
    }
}

/// The test's own synced records, as it meant them, and the demo's, which the database holds
/// (their flags as seeded), with the people each concerns.
async fn with_demo_records(h: &Harness, mut synced: Vec<Synced>) -> Vec<Synced> {
    let ours: BTreeSet<String> = synced.iter().filter_map(Synced::id).collect();
    let mut r = h
        .db
        .query(
            "SELECT id, giver, receiver, private FROM feedback;
             SELECT id, person, submitted FROM self_assessment;
             SELECT id, asker, asked FROM feedback_request;
             SELECT id, person, manager FROM check_in;
             SELECT id, person, manager FROM appraisal_discussion;",
        )
        .await
        .unwrap();
    let text = |row: &Value, field: &str| key_of(row[field].as_str().unwrap());
    let mut stored = Vec::new();
    for row in r.take::<Vec<Value>>(0).unwrap() {
        stored.push(Synced::Feedback { id: text(&row, "id"), giver: text(&row, "giver"), receiver: text(&row, "receiver"), private: row["private"] == true });
    }
    for row in r.take::<Vec<Value>>(1).unwrap() {
        stored.push(Synced::SelfAssessment { id: text(&row, "id"), person: text(&row, "person"), submitted: row["submitted"] == true });
    }
    for row in r.take::<Vec<Value>>(2).unwrap() {
        stored.push(Synced::Request { id: text(&row, "id"), asker: text(&row, "asker"), asked: text(&row, "asked") });
    }
    for row in r.take::<Vec<Value>>(3).unwrap() {
        stored.push(Synced::CheckIn { id: text(&row, "id"), person: text(&row, "person"), manager: text(&row, "manager") });
    }
    for row in r.take::<Vec<Value>>(4).unwrap() {
        stored.push(Synced::Discussion { id: text(&row, "id"), person: text(&row, "person"), manager: text(&row, "manager") });
    }
    synced.extend(stored.into_iter().filter(|s| s.id().is_some_and(|id| !ours.contains(&id))));
    synced
}

impl Synced {
    fn id(&self) -> Option<String> {
        match self {
            Synced::Feedback { id, .. } | Synced::SelfAssessment { id, .. } | Synced::Request { id, .. } | Synced::CheckIn { id, .. } | Synced::Discussion { id, .. } => Some(id.clone()),
            Synced::Notification { .. } => None,
        }
    }
}

/// Pushes a new record from its person's phone through the sync, as the app does.
async fn push(h: &Harness, cookie: &str, kind: &str, id: &str, values: Value) {
    let base: BTreeMap<&String, u64> = values.as_object().unwrap().keys().map(|k| (k, 0)).collect();
    let op = json!({ "id": format!("op-{id}"), "device": format!("device-{id}"), "record": { "kind": kind, "id": id }, "base": base, "set": values, "delete": false });
    let reply = ok(h, "sync_push", json!({ "ops": [op] }), cookie).await;
    assert_eq!(reply["outcomes"][0][1]["outcome"], "applied", "{kind} {id}: {reply}");
}

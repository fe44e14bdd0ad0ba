//! Output encoding through the real router. Markup, quote and formula payloads are written into
//! every text field a page or an export shows back (as the people who own those fields would:
//! HR, a manager, an employee, the change committee, and a people CSV import); then every page is
//! rendered on the server and every export is generated, and:
//! - no payload comes back as markup: no script without the response's nonce, no injected
//!   `<img>`, no raw payload; each field is on some page, escaped, so nothing is missed silently;
//! - every page response carries the Content-Security-Policy, with a fresh nonce that every
//!   `<script>` of the page carries;
//! - no CSV cell can start a formula, and the people export imports back unchanged.
//!
//! Pages drawn by the browser alone from the offline copy (check-ins, the conversation, the
//! self-assessment form, feedback given) have no user text in their server HTML; the end-to-end
//! test `end2end/tests/xss.spec.ts` opens them in Chromium.

mod common;

use std::cell::RefCell;
use std::collections::BTreeSet;

use app::appraisal::types::AgreedAction;
use app::development::types::CheckIn;
use app::offline::types::{CompetencyAnswer, Feedback, KpiComment, SelfAssessment};
use app::sync::protocol::{Kind, Op, Outcome, RecordRef};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{Answer, Harness};
use serde_json::{json, Value};

/// What attackers type, each with the test that writes it into every field (followed by
/// `#field` to tell fields apart).
macro_rules! payloads {
    ($($test:ident: $payload:expr,)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                sweep($payload).await;
            }
        )*
    };
}

payloads! {
    script_element: "<script>alert(1)</script>",
    out_of_an_attribute: "\"><img src=x onerror=alert(1)>",
    an_event_attribute: "x\" onfocus=\"alert(1)\" autofocus=\"",
    out_of_the_title: "Grow</title><script>alert(1)</script>",
    quotes_and_ampersand: "O'Brien\" & 'quoted' &amp;",
    hyperlink_formula: "=HYPERLINK(\"http://x\",\"y\")",
    plus: "+1",
    minus: "-2+3",
    at_sign: "@SUM(A1)",
    leading_tab: "\t=1+1",
    leading_carriage_return: "\r=1+1",
}

/// Fields the server's HTML does not hold: they are shown only as the value of a form control or
/// on a page drawn from the offline copy, both set by the browser as text (and opened by
/// xss.spec.ts). Exports still show some of them.
const BROWSER_ONLY: [&str; 5] = ["check-in goal", "check-in will", "self-assessment KPI comment", "rating evidence", "merit reason"];

/// The characters that start a spreadsheet formula (OWASP).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text as the server renders it into a text node.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The page without its script elements: what is shown rather than data for hydration.
fn without_scripts(html: &str) -> String {
    let mut shown = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        shown.push_str(&rest[..start]);
        rest = rest[start..].find("</script>").map_or("", |end| &rest[start + end + "</script>".len()..]);
    }
    shown.push_str(rest);
    shown
}

/// Where one sweep stands: the server, the payload, and the fields written so far.
struct Sweep {
    h: Harness,
    payload: &'static str,
    /// (field, the text stored)
    written: RefCell<Vec<(&'static str, String)>>,
}

impl Sweep {
    /// The text to write into `field`.
    fn text(&self, field: &'static str) -> String {
        self.text_within(field, usize::MAX)
    }

    /// The text for a field of at most `max` characters: as much of the payload as fits.
    fn text_within(&self, field: &'static str, max: usize) -> String {
        let room = max.saturating_sub(field.chars().count() + 1);
        let text = format!("{}#{field}", self.payload.chars().take(room).collect::<String>());
        // Most fields are stored trimmed.
        self.written.borrow_mut().push((field, text.trim().to_owned()));
        text
    }

    async fn call(&self, endpoint: &str, args: Value, cookie: &str) -> Value {
        let answer = self.h.call(endpoint, &args.to_string(), Some(cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{endpoint} with {:?}: {}", self.payload, answer.body);
        answer.json()
    }

    async fn push(&self, name: &str, record: RecordRef, set: app::sync::protocol::Values) {
        let op = Op { id: format!("op-output-{:04}", self.written.borrow().len()), device: format!("device-{name}").replace('.', "-"), record, base: Default::default(), set, delete: false };
        let reply = app::offline::store::sync::push(&self.h.db, &self.h.user(name).await, vec![op]).await.unwrap();
        assert!(matches!(reply.outcomes[0].1, Outcome::Applied { .. }), "{name}'s push with {:?}: {:?}", self.payload, reply.outcomes[0].1);
    }

    async fn page(&self, cookie: Option<&str>, path: &str) -> Answer {
        self.h.page(cookie, path).await
    }
}

/// The nonce of a response's Content-Security-Policy, once the policy is checked.
fn policy_nonce(answer: &Answer, path: &str) -> String {
    let policy = answer.headers.get(header::CONTENT_SECURITY_POLICY).unwrap_or_else(|| panic!("{path}: no Content-Security-Policy")).to_str().unwrap().to_owned();
    let directive = |name: &str| {
        policy.split(';').map(str::trim).find(|d| d.split_whitespace().next() == Some(name)).unwrap_or_else(|| panic!("{path}: no {name} in {policy}")).to_owned()
    };
    let scripts = directive("script-src");
    assert!(!scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'") && scripts.contains("'wasm-unsafe-eval'"), "{path}: {scripts}");
    for (name, value) in [("object-src", "'none'"), ("base-uri", "'self'"), ("frame-ancestors", "'none'"), ("form-action", "'self'"), ("default-src", "'self'")] {
        assert_eq!(directive(name), format!("{name} {value}"), "{path}");
    }
    assert!(!directive("style-src").contains("'unsafe-inline'"), "{path}: inline style elements stay refused");
    let nonce = scripts.split_whitespace().find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\'')).unwrap_or_else(|| panic!("{path}: no nonce in {scripts}"));
    assert!(nonce.len() >= 22, "{path}: a nonce of 128 bits or more: {nonce}");
    nonce.to_owned()
}

/// A page as it must be whatever the data: the policy's nonce on every script, no markup but the
/// app's own. Returns the nonce.
fn check_page(answer: &Answer, path: &str, payload: &str) -> String {
    let nonce = policy_nonce(answer, path);
    let html = &answer.body;
    let scripts: Vec<&str> = html.match_indices("<script").map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()]).collect();
    assert!(!scripts.is_empty(), "{path}: a page hydrates with scripts");
    for script in scripts {
        assert!(script.contains(&format!("nonce=\"{nonce}\"")), "{path} with {payload:?}: a script without the response's nonce: {script}");
    }
    let images = html.matches("<img").count();
    assert_eq!(images, html.matches("<img src=\"/favicon.svg\"").count(), "{path} with {payload:?}: an image the app did not put there");
    if payload.contains(['<', '>']) {
        assert!(!html.contains(payload), "{path}: {payload:?} came back unescaped");
    }
    let handlers: Vec<String> = attribute_names(&without_scripts(html)).into_iter().filter(|a| a.starts_with("on")).collect();
    assert!(handlers.is_empty(), "{path} with {payload:?}: event handler attributes {handlers:?}");
    nonce
}

/// The names of every attribute of every tag, read as a browser would: a quote ends a value,
/// so a value whose quotes were not escaped shows up as more attributes.
fn attribute_names(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '<' || !chars.peek().is_some_and(char::is_ascii_alphabetic) {
            continue;
        }
        while chars.next_if(|c| !c.is_whitespace() && *c != '>' && *c != '/').is_some() {} // the tag's name
        loop {
            while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
            let mut name = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !"=>/".contains(*c)) {
                name.push(c.to_ascii_lowercase());
            }
            if !name.is_empty() {
                names.push(name);
            }
            match chars.next() {
                Some('=') => match chars.next() {
                    Some(quote @ ('"' | '\'')) => while chars.next().is_some_and(|c| c != quote) {},
                    _ => while chars.next_if(|c| !c.is_whitespace() && *c != '>').is_some() {},
                },
                Some('>') | None => break,
                Some(_) => {}
            }
        }
    }
    names
}

/// No cell of a CSV export can start a formula; numbers the app computed may be negative.
fn check_csv(name: &str, csv: &str, payload: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
    let mut cells = Vec::new();
    for record in reader.records() {
        for cell in record.unwrap_or_else(|e| panic!("{name}: {e}")).iter() {
            let plain_number = cell.trim_end_matches('%').parse::<f64>().is_ok_and(f64::is_finite) && !cell.contains(['e', 'E', 'n', 'N', 'i']);
            assert!(!cell.starts_with(FORMULA_START) || (cell.starts_with('-') && plain_number), "{name} with {payload:?}: the cell {cell:?} starts a formula");
            cells.push(cell.to_owned());
        }
    }
    cells
}

/// Submits grounded level-3 ratings for a report, with the payload in the evidence.
async fn rate(s: &Sweep, manager: &str, person: &str) {
    let args = json!({ "person_id": s.h.id(person) });
    let prep = s.call("prepare_appraisal", args, manager).await;
    let kpi = prep["appraisal"]["kras"][0]["kpis"][0]["kpi"]["id"].clone();
    let note = s.text("rating evidence");
    let ratings: Vec<Value> = prep["appraisal"]["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({ "competency_id": c["id"], "level": 3, "justification": "", "evidence": { "kind": "kpi", "on": "", "reference": kpi, "note": note } }))
        .collect();
    let input = json!({ "person_id": s.h.id(person), "input": { "ratings": ratings, "kpi_override": null, "potential": 2, "submit": true } });
    s.call("save_ratings", input, manager).await;
}

/// Every page of the app, by who opens it, after the sweep has written its data.
async fn sweep(payload: &'static str) {
    let s = Sweep { h: Harness::new(&[]).await, payload, written: RefCell::new(Vec::new()) };
    let hr = s.h.sign_in("amina.okafor").await;
    let james = s.h.sign_in("james.osei").await;
    let sam = s.h.sign_in("sam.taylor").await;
    let zara = s.h.sign_in("zara.ahmed").await;
    let chloe = s.h.sign_in("chloe.dubois").await;
    let sam_id = s.h.id("sam.taylor");
    let cycle = s.call("current_cycle_id", json!({}), &hr).await[0].as_str().unwrap().to_owned();

    // HR: the organisation.
    let units = s.call("list_units", json!({}), &hr).await;
    let unit = units.as_array().unwrap().iter().find(|u| u["code"] == "SALES-N").unwrap().clone();
    let unit_id = unit["id"].as_str().unwrap().to_owned();
    let hq = units.as_array().unwrap().iter().find(|u| u["code"] == "HQ").unwrap()["id"].clone();
    s.call("save_unit", json!({ "input": { "id": unit_id, "code": "SALES-N", "name": s.text("unit name"), "parent_id": unit["parent_id"] } }), &hr).await;
    let mut person = s.call("get_person", json!({ "id": sam_id }), &hr).await;
    person["name"] = json!(s.text("person name"));
    let input = json!({ "input": { "id": sam_id, "email": person["email"], "name": person["name"], "job_title": person["job_title"],
        "unit_id": person["unit_id"], "manager_id": person["manager_id"], "roles": person["roles"], "active": true } });
    s.call("save_person", input, &hr).await;

    // HR: a CSV import renames Oliver and gives him a new job title, as typed in a spreadsheet.
    let export: String = serde_json::from_value(s.call("export_people", json!({}), &hr).await).unwrap();
    let mut rows = csv::Reader::from_reader(export.as_bytes());
    let header = rows.headers().unwrap().clone();
    let oliver = rows.records().map(Result::unwrap).find(|r| &r[0] == "oliver.grant@example.com").unwrap();
    let mut file = csv::Writer::from_writer(Vec::new());
    file.write_record(&header).unwrap();
    let (name, job_title) = (s.text("imported name"), s.text("imported job title"));
    file.write_record(oliver.iter().enumerate().map(|(i, cell)| match i {
        1 => name.as_str(),
        2 => job_title.as_str(),
        _ => cell,
    }))
    .unwrap();
    let csv_text = String::from_utf8(file.into_inner().unwrap()).unwrap();
    assert_eq!(s.call("import_people", json!({ "csv": csv_text }), &hr).await, json!({ "created": 0, "updated": 1 }));

    // HR: planning.
    let goals = s.call("load_goals", json!({ "cycle_id": null }), &hr).await;
    let goal = goals["goals"][0]["goal"].clone();
    let goal_id = goal["id"].as_str().unwrap().to_owned();
    let input = json!({ "cycle_id": cycle, "title": s.text("goal title"), "description": s.text("goal description"), "unit_id": goal["unit_id"], "parent_id": goal["parent_id"] });
    s.call("save_goal", json!({ "id": goal_id, "input": input }), &hr).await;
    let mut template = s.call("list_kpi_templates", json!({}), &hr).await[0].clone();
    template["spec"]["name"] = json!(s.text("library KPI name"));
    template["spec"]["data_source"] = json!(s.text("library KPI data source"));
    s.call("save_kpi_template", json!({ "template": template }), &hr).await;
    let framework = s.call("load_competency_framework", json!({}), &hr).await;
    let mut competency = framework["competencies"][0].clone();
    let competency_id = competency["id"].as_str().unwrap().to_owned();
    competency["name"] = json!(s.text("competency name"));
    competency["description"] = json!(s.text("competency description"));
    competency["levels"][0]["indicators"][0] = json!(s.text("competency behaviour"));
    s.call("save_competency", json!({ "competency": competency }), &hr).await;
    s.call("create_cycle", json!({ "input": { "name": s.text("cycle"), "starts_on": "2040-01-01", "ends_on": "2040-12-31", "period_kind": "quarter" } }), &hr).await;
    s.call("issue_integration_token", json!({ "name": s.text("integration name") }), &hr).await;

    // The manager: Sam's plan, sent back with the employee's comment; an actual with its note.
    let view = s.call("load_plan", json!({ "person_id": sam_id, "cycle_id": null }), &james).await;
    let mut kras = view["plan"]["kras"].clone();
    kras[0]["title"] = json!(s.text("KRA title"));
    kras[0]["kpis"][0]["spec"]["name"] = json!(s.text("KPI name"));
    kras[0]["kpis"][0]["spec"]["measure"] = json!(s.text_within("KPI measure", 20));
    let kpi_id = kras[0]["kpis"][0]["id"].clone();
    s.call("save_plan", json!({ "input": { "person_id": sam_id, "cycle_id": cycle, "kras": kras } }), &james).await;
    let step = |step: &str, comment: String| json!({ "person_id": sam_id, "cycle_id": cycle, "step": step, "comment": comment });
    s.call("take_plan_step", step("send", String::new()), &james).await;
    let comment = s.text("plan comment");
    s.call("take_plan_step", step("request_changes", comment), &sam).await;
    let actual = json!({ "input": { "person_id": sam_id, "cycle_id": cycle, "kpi_id": kpi_id, "period_key": "Q1", "value": "-2", "note": s.text("actual note"), "link": "" } });
    s.call("record_actual", actual, &james).await;

    // Developing: a check-in's next step, an item by hand, a training, kudos.
    let target = format!("competency:{competency_id}");
    let mut check_in = CheckIn { person_id: sam_id.clone(), manager_id: s.h.id("james.osei"), cycle_id: cycle.clone(), held_on: "2026-11-24".into(), completed_on: "2026-11-24".into(), ..CheckIn::default() };
    check_in.goal = s.text("check-in goal");
    check_in.will = s.text("check-in will");
    check_in.actions = vec![AgreedAction { title: s.text("check-in next step"), kind: "mentoring".into(), target: target.clone(), due_on: "2027-01-15".into() }];
    s.push("james.osei", RecordRef::new(Kind::CheckIn, "check-in-0001"), check_in.to_values()).await;
    let item = json!({ "title": s.text("development item"), "kind": "training", "target": target, "due_on": "2027-02-01" });
    s.call("add_development_item", json!({ "person_id": sam_id, "input": item }), &sam).await;
    let training = json!({ "id": "", "title": s.text("training title"), "provider": s.text("training provider"), "description": s.text("training description"), "target": target, "target_label": "" });
    let catalogue = s.call("save_training", json!({ "training": training }), &hr).await;
    let training_id = catalogue["trainings"].as_array().unwrap().iter().find(|t| t["training"]["title"].as_str().unwrap().contains("#training title")).unwrap()["training"]["id"].as_str().unwrap().to_owned();
    s.call("add_training_session", json!({ "training_id": training_id, "held_on": "2026-12-01", "place": s.text("training place") }), &hr).await;
    s.call("give_kudos", json!({ "receiver_id": sam_id, "competency_id": competency_id, "message": s.text("kudos message") }), &chloe).await;

    // Sam's self-assessment and feedback about him, through the sync as the phone sends them.
    let mut assessment = SelfAssessment { person_id: sam_id.clone(), cycle_id: cycle.clone(), submitted: true, ..SelfAssessment::default() };
    assessment.strengths = s.text("self-assessment strengths");
    assessment.development = s.text("self-assessment wishes");
    let evidence = s.text("self-assessment evidence");
    assessment.competencies = framework["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| CompetencyAnswer { competency_id: c["id"].as_str().unwrap().to_owned(), level: 3, evidence: evidence.clone() })
        .collect();
    assessment.kpi_comments = vec![KpiComment { kpi_id: kpi_id.as_str().unwrap().to_owned(), comment: s.text("self-assessment KPI comment") }];
    s.push("sam.taylor", RecordRef::new(Kind::SelfAssessment, app::offline::types::self_assessment_id(&sam_id, &cycle)), assessment.to_values()).await;
    let feedback = Feedback {
        id: "feedback-0001".into(), giver_id: s.h.id("chloe.dubois"), receiver_id: sam_id.clone(), situation: s.text("feedback situation"),
        behaviour: s.text("feedback behaviour"), impact: s.text("feedback impact"), private: false, request_id: None, given_on: "2026-11-24".into(),
    };
    s.push("chloe.dubois", RecordRef::new(Kind::Feedback, "feedback-0001"), feedback.to_values()).await;

    // The change committee.
    let programme = json!({ "input": { "name": s.text("programme name"), "scope_unit_ids": [hq], "sponsor_id": s.h.id("grace.mwangi"),
        "chair_id": s.h.id("zara.ahmed"), "member_ids": [s.h.id("david.kim")], "starts_on": "2026-11-01", "ends_on": "2027-12-31" } });
    let programme = s.call("create_programme", programme, &zara).await["id"].as_str().unwrap().to_owned();
    let action = json!({ "id": null, "step": 1, "title": s.text("change action"), "owner_id": s.h.id("david.kim"), "due_on": "2026-12-15", "status": "open" });
    s.call("save_change_action", json!({ "programme_id": programme, "input": action }), &zara).await;
    s.call("add_change_evidence", json!({ "programme_id": programme, "step": 1, "note": s.text("change evidence"), "link": "" }), &zara).await;
    let barrier = json!({ "id": null, "title": s.text("barrier title"), "detail": s.text("barrier detail"), "owner_id": s.h.id("david.kim"), "status": "open", "step": 5 });
    s.call("save_barrier", json!({ "programme_id": programme, "input": barrier }), &zara).await;
    let questions = format!("{}\n{}", s.text("pulse question"), s.text("pulse second question"));
    s.call("create_pulse", json!({ "programme_id": programme, "title": s.text("pulse title"), "questions": questions }), &zara).await;

    // Appraisal: ratings with evidence, calibration and merit with reasons, HR's approval.
    s.call("advance_cycle", json!({ "id": cycle }), &hr).await;
    for report in ["sam.taylor", "ravi.patel", "emma.wilson"] {
        rate(&s, &james, report).await;
    }
    let maria = s.h.sign_in("maria.santos").await;
    rate(&s, &maria, "james.osei").await;
    let calibration = s.call("load_calibration", json!({ "unit_id": unit_id }), &hr).await;
    let before = calibration["lines"].as_array().unwrap().iter().find(|l| l["person_id"] == sam_id.as_str()).unwrap()["settled_rating"].as_u64().unwrap();
    let reason = s.text("calibration reason");
    s.call("calibrate_rating", json!({ "unit_id": unit_id, "person_id": sam_id, "rating": if before > 1 { before - 1 } else { 2 }, "reason": reason }), &hr).await;
    let merit = s.call("load_merit", json!({}), &james).await;
    let line = merit["units"][0]["lines"].as_array().unwrap().iter().find(|l| l["person_id"] == sam_id.as_str()).unwrap().clone();
    let high = line["generated"]["range"]["high"].as_f64().unwrap();
    s.call("adjust_merit", json!({ "person_id": sam_id, "raise": high + 1.0, "reason": s.text("merit reason") }), &james).await;
    s.call("approve_merit", json!({ "unit_id": unit_id }), &hr).await;

    // Every page, as someone who may open it (the unsubscribe page by its link, signed out).
    let training_path = format!("/training/{training_id}");
    let key = app::mail::store::signing_key(&s.h.db).await.unwrap();
    let unsubscribe = format!("/unsubscribe/{}", app::mail::rules::unsubscribe_token(&key, &sam_id, app::mail::types::MailKind::Digest));
    let pages: Vec<(Option<&str>, String)> = [
        (None, "/sign-in".to_owned()),
        (Some(&hr), "/".into()),
        (Some(&hr), "/profile".into()),
        (Some(&hr), "/people".into()),
        (Some(&hr), "/people/import".into()),
        (Some(&hr), "/people/new".into()),
        (Some(&hr), format!("/people/{sam_id}")),
        (Some(&hr), format!("/people/{}", s.h.id("oliver.grant"))),
        (Some(&hr), "/units".into()),
        (Some(&hr), "/organisation".into()),
        (Some(&hr), format!("/plans/{sam_id}")),
        (Some(&james), format!("/plans/{sam_id}")),
        (Some(&sam), "/plans/me".into()),
        (Some(&hr), "/scorecards".into()),
        (Some(&hr), format!("/scorecards?unit={unit_id}")),
        (Some(&hr), "/scorecards/import".into()),
        (Some(&james), format!("/scorecards/{sam_id}")),
        (Some(&sam), "/scorecards/me".into()),
        (Some(&zara), "/change".into()),
        (Some(&zara), format!("/change/{programme}")),
        (Some(&zara), format!("/change/{programme}?step=5")),
        (Some(&zara), format!("/change/{programme}/adoption")),
        (Some(&sam), "/pulse".into()),
        (Some(&zara), "/pulse".into()),
        (Some(&james), "/appraisals".into()),
        (Some(&sam), "/appraisals".into()),
        (Some(&hr), "/appraisals/report".into()),
        (Some(&james), format!("/appraisals/{sam_id}/prepare")),
        (Some(&james), format!("/appraisals/{sam_id}/conversation")),
        (Some(&hr), format!("/calibration/{unit_id}")),
        (Some(&james), "/check-ins".into()),
        (Some(&sam), "/development/me".into()),
        (Some(&james), format!("/development/{sam_id}")),
        (Some(&sam), "/training".into()),
        (Some(&hr), training_path.clone()),
        (Some(&sam), "/recognition".into()),
        (Some(&chloe), "/recognition".into()),
        (Some(&chloe), "/inbox".into()),
        (Some(&sam), "/settings/email".into()),
        (None, unsubscribe.clone()),
        (Some(&james), "/merit".into()),
        (Some(&hr), "/merit".into()),
        (Some(&hr), "/rewards".into()),
        (Some(&sam), "/goals".into()),
        (Some(&sam), format!("/goals/{goal_id}")),
        (Some(&hr), "/cycles".into()),
        (Some(&hr), "/library".into()),
        (Some(&sam), "/competencies".into()),
        (Some(&hr), "/integrations".into()),
        (Some(&sam), "/self-assessment".into()),
        (Some(&sam), "/results".into()),
        (Some(&sam), "/feedback".into()),
        (Some(&james), format!("/feedback/{sam_id}")),
        (Some(&sam), "/sync".into()),
        (Some(&james), "/team".into()),
        (Some(&sam), "/profile".into()),
        (Some(&sam), "/".into()),
    ]
    .into_iter()
    .map(|(cookie, path)| (cookie.map(String::as_str), path))
    .collect();

    let mut shown = String::new();
    let mut nonces = BTreeSet::new();
    for (cookie, path) in &pages {
        let answer = s.page(*cookie, path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path} with {payload:?}: {}", answer.body);
        nonces.insert(check_page(&answer, path, payload));
        shown.push_str(&without_scripts(&answer.body));
    }
    assert_eq!(nonces.len(), pages.len(), "a fresh nonce for every response");
    every_route_is_swept(&pages);

    // Every field written is on some page, escaped (a page that stopped showing one, or showed it
    // only inside a script, would hide it from this test).
    let written = s.written.borrow().clone();
    let missing: Vec<&str> =
        written.iter().filter(|(field, text)| !BROWSER_ONLY.contains(field) && !shown.contains(&escaped(text))).map(|(field, _)| *field).collect();
    assert!(missing.is_empty(), "with {payload:?} these fields are on no page: {missing:?}");

    // Every export, and the scorecards the browser exports from what the server sends.
    let scorecard: app::planning::types::Scorecard = serde_json::from_value(s.call("person_scorecard", json!({ "person_id": sam_id, "cycle_id": null }), &james).await).unwrap();
    let group: app::planning::types::GroupScorecard = serde_json::from_value(s.call("unit_scorecard", json!({ "unit_id": unit_id, "cycle_id": null }), &hr).await).unwrap();
    let people: String = serde_json::from_value(s.call("export_people", json!({}), &hr).await).unwrap();
    let exports = [
        ("people", people.clone(), vec!["person name", "imported name", "imported job title"]),
        ("appraisals", serde_json::from_value(s.call("export_appraisals", json!({}), &hr).await).unwrap(), vec!["person name", "unit name"]),
        ("adoption", serde_json::from_value(s.call("export_adoption", json!({ "programme_id": programme }), &zara).await).unwrap(), vec!["unit name"]),
        ("payroll", serde_json::from_value(s.call("export_payroll", json!({}), &hr).await).unwrap(), vec!["person name", "unit name", "merit reason"]),
        ("person scorecard", app::planning::actuals_csv::person(&scorecard), vec!["KRA title", "KPI name", "KPI measure"]),
        ("unit scorecard", app::planning::actuals_csv::group(&group), vec!["person name", "unit name"]),
    ];
    for (name, csv, fields) in exports {
        let cells = check_csv(name, &csv, payload);
        for field in fields {
            let stored = &written.iter().find(|(f, _)| *f == field).unwrap().1;
            assert!(cells.iter().any(|c| app::csv_export::restore_text(c).trim() == stored), "{name} with {payload:?}: {field} {stored:?} is not in {cells:?}");
        }
    }

    // The people export imports back unchanged: the marks it added come off again.
    assert_eq!(s.call("import_people", json!({ "csv": people }), &hr).await, json!({ "created": 0, "updated": 40 }));
    let after = s.call("get_person", json!({ "id": sam_id }), &hr).await;
    assert_eq!(after["name"].as_str().map(str::trim), written.iter().find(|(f, _)| *f == "person name").map(|(_, t)| t.as_str()));
}

/// Every route of the app (app/src/app.rs) was opened by the sweep.
fn every_route_is_swept(pages: &[(Option<&str>, String)]) {
    let app = include_str!("../../app/src/app.rs");
    let routes: Vec<&str> = app.split("path!(\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
    assert!(routes.len() > 30, "the routes of app.rs: {routes:?}");
    for route in routes {
        let pattern: Vec<&str> = route.split('/').collect();
        let opened = pages.iter().any(|(_, path)| {
            let path: Vec<&str> = path.split('?').next().unwrap().split('/').collect();
            path.len() == pattern.len() && path.iter().zip(&pattern).all(|(p, r)| r.starts_with(':') || p == r)
        });
        assert!(opened, "the sweep does not open {route}: add it");
    }
}

#[tokio::test]
async fn pages_outside_the_app_s_routes_carry_the_policy_too() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    for (cookie, path, status) in [(None, "/no/such/page", StatusCode::NOT_FOUND), (Some(hr.as_str()), "/people/no-such-person", StatusCode::NOT_FOUND), (Some(hr.as_str()), "/people", StatusCode::OK)] {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let answer = h.request(request.body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, status, "{path}");
        check_page(&answer, path, "");
    }
    // Answers that are not pages have it too (a JSON answer opened as a document runs nothing).
    let answer = h.call("current_user", "{}", Some(&hr)).await;
    policy_nonce(&answer, "/api/current_user");
}

#[test]
fn attributes_are_read_as_a_browser_reads_them() {
    let html = r#"<p class="a &quot;b" data-x='1 > 2'>x" onclick="no"</p><input value="x" onfocus="alert(1)" autofocus=""><img src=x onerror=alert(1)>"#;
    assert_eq!(attribute_names(html), ["class", "data-x", "value", "onfocus", "autofocus", "src", "onerror"]);
}

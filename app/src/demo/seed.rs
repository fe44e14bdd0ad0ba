//! The demo organisation: a distribution company of 40 people in nine units with a year behind it
//! and a year in motion, seeded on first start when asked, so a newcomer can sign in as each role
//! at once and find something real on every page. Deterministic: the same day gives the same data.

use crate::planning::store::{competencies, plans};
use crate::demo::planning::{self, LearningSession};
use crate::org::store::{people, units};
use crate::db::Db;
use crate::auth::password;
use crate::error::{AppError, AppResult};
use crate::development::types::{Training, competency_target, kpi_target};
use crate::org::people_types::{Person, PersonInput};
use crate::reward::types::PolicyInput;
use crate::auth::types::Role;
use crate::org::types::UnitInput;
use crate::reward::types::{MeritMatrix, SalaryBand};

pub const DEMO_PASSWORD: &str = "demo-password";
pub const DEMO_DOMAIN: &str = "example.com";

/// (code, name, parent code)
const UNITS: &[(&str, &str, Option<&str>)] = &[
    ("HQ", "Head Office", None),
    ("FIN", "Finance", Some("HQ")),
    ("PC", "People & Culture", Some("HQ")),
    ("SALES", "Sales", Some("HQ")),
    ("SALES-N", "Sales North", Some("SALES")),
    ("SALES-S", "Sales South", Some("SALES")),
    ("OPS", "Operations", Some("HQ")),
    ("OPS-CS", "Customer Service", Some("OPS")),
    ("OPS-LOG", "Logistics", Some("OPS")),
    ("TECH", "Technology", Some("HQ")),
];

/// (email name, full name, job title, unit code, manager's email name, granted roles)
const PEOPLE: &[(&str, &str, &str, &str, Option<&str>, &[Role])] = &[
    ("grace.mwangi", "Grace Mwangi", "Chief Executive Officer", "HQ", None, &[Role::ChangeCommittee]),
    ("amina.okafor", "Amina Okafor", "HR Director", "PC", Some("grace.mwangi"), &[Role::HrAdmin, Role::ChangeCommittee]),
    ("lucas.berg", "Lucas Berg", "HR Business Partner", "PC", Some("amina.okafor"), &[Role::HrAdmin]),
    ("nadia.haddad", "Nadia Haddad", "Learning & Development Specialist", "PC", Some("amina.okafor"), &[]),
    ("oliver.grant", "Oliver Grant", "Finance Manager", "FIN", Some("grace.mwangi"), &[]),
    ("priya.nair", "Priya Nair", "Accountant", "FIN", Some("oliver.grant"), &[]),
    ("tomasz.nowak", "Tomasz Nowak", "Accounts Payable Clerk", "FIN", Some("oliver.grant"), &[]),
    ("hannah.schmidt", "Hannah Schmidt", "Financial Analyst", "FIN", Some("oliver.grant"), &[]),
    ("maria.santos", "Maria Santos", "Sales Director", "SALES", Some("grace.mwangi"), &[]),
    ("james.osei", "James Osei", "Regional Sales Manager", "SALES-N", Some("maria.santos"), &[]),
    ("sam.taylor", "Sam Taylor", "Account Executive", "SALES-N", Some("james.osei"), &[]),
    ("chloe.dubois", "Chloé Dubois", "Account Executive", "SALES-N", Some("james.osei"), &[]),
    ("ravi.patel", "Ravi Patel", "Sales Representative", "SALES-N", Some("james.osei"), &[]),
    ("emma.wilson", "Emma Wilson", "Sales Representative", "SALES-N", Some("james.osei"), &[]),
    ("kofi.mensah", "Kofi Mensah", "Regional Sales Manager", "SALES-S", Some("maria.santos"), &[]),
    ("lina.yusuf", "Lina Yusuf", "Account Executive", "SALES-S", Some("kofi.mensah"), &[]),
    ("diego.ramirez", "Diego Ramírez", "Sales Representative", "SALES-S", Some("kofi.mensah"), &[]),
    ("sofia.rossi", "Sofia Rossi", "Sales Representative", "SALES-S", Some("kofi.mensah"), &[]),
    ("noah.johnson", "Noah Johnson", "Sales Representative", "SALES-S", Some("kofi.mensah"), &[]),
    ("wei.chen", "Wei Chen", "Operations Director", "OPS", Some("grace.mwangi"), &[]),
    ("fatima.zahra", "Fatima Zahra", "Customer Service Manager", "OPS-CS", Some("wei.chen"), &[]),
    ("ben.carter", "Ben Carter", "Customer Service Agent", "OPS-CS", Some("fatima.zahra"), &[]),
    ("aisha.bello", "Aisha Bello", "Customer Service Agent", "OPS-CS", Some("fatima.zahra"), &[]),
    ("jonas.lind", "Jonas Lind", "Customer Service Agent", "OPS-CS", Some("fatima.zahra"), &[]),
    ("mei.tanaka", "Mei Tanaka", "Customer Service Agent", "OPS-CS", Some("fatima.zahra"), &[]),
    ("carlos.mendes", "Carlos Mendes", "Customer Service Team Lead", "OPS-CS", Some("fatima.zahra"), &[]),
    ("peter.kamau", "Peter Kamau", "Logistics Manager", "OPS-LOG", Some("wei.chen"), &[]),
    ("olga.ivanova", "Olga Ivanova", "Warehouse Supervisor", "OPS-LOG", Some("peter.kamau"), &[]),
    ("samuel.adeyemi", "Samuel Adeyemi", "Dispatcher", "OPS-LOG", Some("peter.kamau"), &[]),
    ("laura.martin", "Laura Martin", "Fleet Coordinator", "OPS-LOG", Some("peter.kamau"), &[]),
    ("yusuf.demir", "Yusuf Demir", "Warehouse Operative", "OPS-LOG", Some("olga.ivanova"), &[]),
    ("anna.kowalska", "Anna Kowalska", "Warehouse Operative", "OPS-LOG", Some("olga.ivanova"), &[]),
    ("david.kim", "David Kim", "Chief Technology Officer", "TECH", Some("grace.mwangi"), &[Role::ChangeCommittee]),
    ("isabel.costa", "Isabel Costa", "Software Engineer", "TECH", Some("david.kim"), &[]),
    ("ahmed.hassan", "Ahmed Hassan", "Software Engineer", "TECH", Some("david.kim"), &[]),
    ("julia.fischer", "Julia Fischer", "Data Analyst", "TECH", Some("david.kim"), &[]),
    ("marcus.lee", "Marcus Lee", "IT Support Specialist", "TECH", Some("david.kim"), &[]),
    ("zara.ahmed", "Zara Ahmed", "Executive Assistant", "HQ", Some("grace.mwangi"), &[Role::ChangeCommittee]),
    ("tariq.aziz", "Tariq Aziz", "Sales Representative", "SALES-N", Some("james.osei"), &[]),
    ("elena.popescu", "Elena Popescu", "Payroll Officer", "PC", Some("amina.okafor"), &[]),
];

/// The demo sign-ins printed at start: one per role.
pub const DEMO_SIGN_INS: &[(&str, &str)] = &[
    ("Employee", "sam.taylor"),
    ("Manager", "james.osei"),
    ("HR administrator", "amina.okafor"),
    ("Change committee", "zara.ahmed"),
];

pub fn demo_email(name: &str) -> String {
    format!("{name}@{DEMO_DOMAIN}")
}

/// Seeds the demo organisation into an empty database (no units, no people); returns whether it
/// did. A database with an organisation of its own is never touched.
pub async fn seed_demo(db: &Db) -> AppResult<bool> {
    let mut response = db.query("SELECT VALUE id FROM unit LIMIT 1; SELECT VALUE id FROM person LIMIT 1").await?;
    let units: Vec<serde_json::Value> = response.take(0)?;
    let people: Vec<serde_json::Value> = response.take(1)?;
    if !units.is_empty() || !people.is_empty() {
        return Ok(false);
    }
    let mut unit_ids = std::collections::HashMap::new();
    for (code, name, parent) in UNITS {
        let parent_id = parent.map(|p| unit_ids.get(p).cloned().expect("parents come first"));
        let unit = units::save(db, UnitInput { id: None, code: code.to_string(), name: name.to_string(), parent_id }).await?;
        unit_ids.insert(*code, unit.id);
    }
    // Everyone shares the published demo password, so one hash serves them all.
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut person_ids = std::collections::HashMap::new();
    for (email, name, job_title, unit, manager, roles) in PEOPLE {
        let person = people::save(
            db,
            PersonInput {
                id: None,
                email: demo_email(email),
                name: name.to_string(),
                job_title: job_title.to_string(),
                unit_id: unit_ids[unit].clone(),
                manager_id: manager.map(|m| person_ids.get(m).cloned().expect("managers come first")),
                roles: roles.to_vec(),
                active: true,
            },
        )
        .await?;
        people::set_password_hash(db, &person.id, hash.clone()).await?;
        person_ids.insert(*email, person.id);
    }
    let today = crate::planning::store::plans::today();
    // The fiscal year (July to June) that holds today, and the one before it.
    let start_year = if u8::from(today.month()) >= 7 { today.year() } else { today.year() - 1 };
    planning::seed_library(db).await?;
    // Last year's learning-planning session, in January, whose attendees' training hours rose.
    let held_on = format!("{}-01-15", start_year);
    let learning = LearningSession { training: LEARNING_TRAINING, held_on: &held_on, place: "Head Office, training room", attendees: LEARNING_ATTENDEES };

    let last_year = plans::create_cycle(db, planning::fiscal_year(start_year - 1)).await?;
    let last_year = plans::advance_cycle(db, &last_year.id).await?;
    planning::seed_year(db, &last_year, true, &learning).await?;
    seed_rewards(db).await?;
    save_policy(db).await?;
    crate::demo::history::settle(db, &last_year).await?;
    crate::offline::store::inbox::forget_all(db).await?;

    let cycle = plans::create_cycle(db, planning::fiscal_year(start_year)).await?;
    let cycle = plans::advance_cycle(db, &cycle.id).await?;
    planning::seed_year(db, &cycle, false, &learning).await?;
    save_policy(db).await?;
    crate::demo::activity::seed(db, today, &learning).await?;
    Ok(true)
}

/// Who went to last year's learning-planning session: ten people across the units.
const LEARNING_ATTENDEES: &[&str] = &[
    "sam.taylor", "ravi.patel", "lina.yusuf", "ben.carter", "mei.tanaka", "olga.ivanova", "priya.nair", "isabel.costa", "diego.ramirez", "yusuf.demir",
];

const LEARNING_TRAINING: &str = "Planning your learning year";

/// A band's midpoint by how senior the title reads.
fn demo_midpoint(title: &str) -> f64 {
    let has = |words: &[&str]| words.iter().any(|w| title.contains(w));
    if has(&["Chief"]) {
        180_000.0
    } else if has(&["Director"]) {
        120_000.0
    } else if has(&["Manager"]) {
        85_000.0
    } else if has(&["Lead", "Supervisor", "Partner", "Engineer", "Analyst", "Accountant", "Specialist"]) {
        62_000.0
    } else {
        45_000.0
    }
}

/// Each person's salary, spread around their band's midpoint.
fn demo_salaries(everyone: &[Person]) -> Vec<(&Person, f64)> {
    let spread = [0.86, 0.95, 1.0, 1.04, 1.12, 0.92];
    everyone.iter().enumerate().map(|(i, p)| (p, (demo_midpoint(&p.job_title) * spread[i % spread.len()]).round())).collect()
}

/// Salaries, and three trainings aimed at KPIs and a competency.
async fn seed_rewards(db: &Db) -> AppResult<()> {
    let everyone = people::list(db, false).await?;
    let mut csv = String::from("email,salary\n");
    for (p, salary) in demo_salaries(&everyone) {
        csv.push_str(&format!("{},{salary}\n", p.email));
    }
    crate::reward::store::import_salaries(db, &csv).await?;
    let leading = competencies::framework(db).await?.competencies.into_iter().find(|c| c.name == "Leading people").ok_or(AppError::Internal)?;
    let trainings = [
        ("Consultative selling", "Sales Academy", "Two days on discovery questions and value proposals.", kpi_target("Win rate")),
        ("Coaching conversations for managers", "Internal L&D", "GROW in practice: running check-ins that move a KPI.", competency_target(&leading.id)),
        (LEARNING_TRAINING, "Internal L&D", "Half a day on choosing the courses that serve your KPIs, and booking them.", kpi_target("Training hours completed")),
    ];
    for (title, provider, description, target) in trainings {
        crate::development::store::save_training(db, true, Training { id: String::new(), title: title.into(), provider: provider.into(), description: description.into(), target, target_label: String::new() }).await?;
    }
    Ok(())
}

/// Salary bands, the merit matrix, and a merit pool of 3 % of each unit's payroll for the cycle
/// whose merit is settled next.
async fn save_policy(db: &Db) -> AppResult<()> {
    let everyone = people::list(db, false).await?;
    let mut titles: Vec<&str> = everyone.iter().map(|p| p.job_title.as_str()).collect();
    titles.sort_unstable();
    titles.dedup();
    let bands = titles.iter().map(|t| { let mid = demo_midpoint(t); SalaryBand { job_title: t.to_string(), min: mid * 0.8, mid, max: mid * 1.2 } }).collect();
    let mut payroll: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    for (p, salary) in demo_salaries(&everyone) {
        *payroll.entry(p.unit_id.clone()).or_default() += salary;
    }
    let pools = payroll.into_iter().map(|(unit, total)| (unit, (total * 0.03).round())).collect();
    crate::reward::store::save_policy(db, PolicyInput { bands, matrix: Some(MeritMatrix::example()), pools, consistency_periods: crate::development::rules::DEFAULT_CONSISTENCY_PERIODS, currency: "EUR".into() }).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_organisation_has_every_role_and_seeds_once() {
        let db = crate::db::in_memory().await;
        let started = std::time::Instant::now();
        assert!(seed_demo(&db).await.unwrap());
        eprintln!("seeded in {:?}", started.elapsed());
        assert!(!seed_demo(&db).await.unwrap(), "a second start leaves the data alone");
        let everyone = people::list(&db, true).await.unwrap();
        assert_eq!(everyone.len(), PEOPLE.len());
        for (role, name) in DEMO_SIGN_INS {
            let person = everyone.iter().find(|p| p.email == demo_email(name)).unwrap();
            let (user, _) = people::session_user(&db, &person.id).await.unwrap().unwrap();
            let expected = match *role {
                "Employee" => Role::Employee,
                "Manager" => Role::Manager,
                "HR administrator" => Role::HrAdmin,
                _ => Role::ChangeCommittee,
            };
            assert!(user.has(expected), "{name} is a {role}");
        }
        let james = everyone.iter().find(|p| p.email == demo_email("james.osei")).unwrap();
        let sam = everyone.iter().find(|p| p.email == demo_email("sam.taylor")).unwrap();
        let maria = everyone.iter().find(|p| p.email == demo_email("maria.santos")).unwrap();
        assert_eq!(people::levels_above(&db, &maria.id, &sam.id).await.unwrap(), Some(2), "indirect reports count");
        assert_eq!(people::levels_above(&db, &james.id, &sam.id).await.unwrap(), Some(1));
        assert_eq!(people::levels_above(&db, &sam.id, &james.id).await.unwrap(), None);
        assert_eq!(people::reporting_line(&db, &james.id).await.unwrap().len(), 5);
        // The performance year: an active cycle, agreed plans with actuals, Chloé left to plan.
        let cycle = crate::planning::store::plans::current_cycle(&db).await.unwrap();
        assert_eq!(cycle.state, crate::planning::types::CycleState::Active);
        let sam_plan = crate::planning::store::plans::get_plan(&db, &sam.id, &cycle.id).await.unwrap();
        assert_eq!(sam_plan.state, crate::planning::types::PlanState::Approved);
        let card = crate::planning::store::actuals::scorecard(&db, &sam.id, None).await.unwrap();
        assert!(card.rollup.is_some(), "Sam's plan has a generated score");
        let chloe = everyone.iter().find(|p| p.email == demo_email("chloe.dubois")).unwrap();
        assert!(crate::planning::store::plans::find_plan(&db, &chloe.id, &cycle.id).await.unwrap().is_none());
        let org = crate::planning::store::actuals::group_scorecard(&db, crate::planning::store::actuals::Group::Organisation, None).await.unwrap();
        assert!(org.distribution.iter().map(|d| d.2).sum::<usize>() >= 15, "{:?}", org.distribution);
        let framework = crate::planning::store::competencies::framework(&db).await.unwrap();
        assert_eq!(framework.competencies.len(), 6);
        assert!(framework.profiles.iter().any(|p| p.job_title == "Account Executive"));
        year_in_motion(&db).await;
    }

    /// How many rows a query selects.
    async fn count(db: &Db, query: &str) -> usize {
        let n: Option<usize> = db.query(format!("RETURN array::len(({query}))")).await.unwrap().take(0).unwrap_or_else(|e| panic!("{query}: {e}"));
        n.unwrap_or(0)
    }

    /// Every kind of record the demo promises a newcomer, and the figures that need enough of them.
    async fn year_in_motion(db: &Db) {
        use crate::planning::types::{CycleState, PlanState};
        let cycles = plans::list_cycles(db).await.unwrap();
        assert_eq!(cycles.iter().map(|c| c.state).collect::<Vec<_>>(), [CycleState::Active, CycleState::Closed], "this year running, last year closed");
        let last = &cycles[1];

        // Last year, settled: every appraisal signed by both, two calibrated, locked, merit approved.
        let appraisals = count(db, &format!("SELECT VALUE id FROM appraisal WHERE cycle = type::record('cycle', '{}')", last.id)).await;
        let signed = count(db, &format!("SELECT VALUE id FROM appraisal_discussion WHERE cycle = type::record('cycle', '{}') AND employee_signed_on != ''", last.id)).await;
        assert!(appraisals >= 20 && signed == appraisals, "{signed} of {appraisals} conversations signed");
        assert_eq!(count(db, "SELECT VALUE id FROM appraisal_log WHERE action = 'calibrated'").await, 2);
        assert_eq!(count(db, "SELECT VALUE id FROM calibration_lock").await, 1);
        let approvals = count(db, "SELECT VALUE id FROM merit_approval").await;
        assert!(approvals >= 6, "{approvals} units' merit approved");
        let mut ratings = [0usize; 6];
        // The ratings as merit was approved on them, calibration included.
        let rated: Vec<u8> = db.query("SELECT VALUE lines.rating FROM merit_approval").await.unwrap().take::<Vec<Vec<u8>>>(0).unwrap().concat();
        assert_eq!(rated.len(), appraisals, "everyone's merit approved");
        rated.iter().for_each(|r| ratings[*r as usize] += 1);
        // Around "meets expectations", as the README says: the usual scores, then the calibrations.
        assert_eq!(ratings[1..], [1, 7, 9, 4, 2]);

        // This year: plans in every state, actuals, feedback given and asked, check-ins, kudos,
        // development items, training sessions.
        let cycle = &cycles[0];
        let states: Vec<PlanState> = plans::plans_of_cycle(db, &cycle.id).await.unwrap().into_iter().map(|p| p.state).collect();
        for state in [PlanState::Draft, PlanState::WithEmployee, PlanState::Acknowledged, PlanState::Approved] {
            assert!(states.contains(&state), "a plan in {state:?}");
        }
        assert_eq!(count(db, "SELECT VALUE id FROM plan_change WHERE action = 'asked for changes'").await, 1, "one employee asked for changes");
        assert!(count(db, &format!("SELECT VALUE id FROM actual WHERE plan.cycle = type::record('cycle', '{}')", cycle.id)).await >= 40);
        assert!(count(db, "SELECT VALUE id FROM feedback").await >= 15);
        assert_eq!(count(db, "SELECT VALUE id FROM feedback_request WHERE state = 'open'").await, 2);
        assert_eq!(count(db, "SELECT VALUE id FROM feedback_request WHERE state = 'answered'").await, 1);
        assert!(count(db, "SELECT VALUE id FROM check_in WHERE completed_on != ''").await >= 5);
        assert!(count(db, "SELECT VALUE id FROM kudos").await >= 8);
        assert!(count(db, "SELECT VALUE id FROM development_item WHERE source = 'plan'").await >= 4);
        assert!(count(db, "SELECT VALUE id FROM development_item WHERE status = 'done'").await >= 5);
        assert_eq!(count(db, "SELECT VALUE id FROM training_session").await, 3);
        assert!(count(db, "SELECT VALUE id FROM notification").await >= 20, "what happened reached people's inboxes");

        // The consistency award: earned over last year's and this year's quarters.
        let everyone: Vec<(String, String)> = people::list(db, false).await.unwrap().into_iter().map(|p| (p.id, p.name)).collect();
        let recognition = crate::development::store::recognition(db, &everyone).await.unwrap();
        let earned = recognition.iter().filter(|r| r.consistency.is_some()).count();
        assert!(earned >= 3, "{earned} people earned the consistency award");

        // The training effect: at least five on both sides, and a figure.
        let hr = people::list(db, false).await.unwrap().into_iter().find(|p| p.email == demo_email("amina.okafor")).unwrap();
        let (hr, _) = people::session_user(db, &hr.id).await.unwrap().unwrap();
        let readers = crate::auth::Audience::of(db, &hr, |p| crate::auth::policy::Rule::PersonRecord(p)).await.unwrap();
        let catalogue = crate::development::store::catalogue(db, true).await.unwrap();
        let learning = catalogue.trainings.iter().find(|t| t.training.title == LEARNING_TRAINING).unwrap();
        let view = crate::development::store::training_view(db, true, &readers, &learning.training.id).await.unwrap();
        let (_, effect) = &view.effect.unwrap().sessions[0];
        assert_eq!((effect.attendees.people(), effect.others.people()), (10, 13));
        assert!(effect.effect.is_some_and(|e| e > 0.05), "{effect:?}");

        // The rollout: step 4 under way, a closed pulse whose results show, a trend over days.
        let programme = crate::change::store::programmes::list(db).await.unwrap().programmes.pop().unwrap();
        let viewed = crate::change::store::programmes::view(db, &programme.id, &hr).await.unwrap();
        let signed: Vec<bool> = viewed.steps.iter().map(|s| s.sign_off.is_some()).collect();
        assert_eq!(signed, [true, true, true, false, false, false, false, false], "steps 1 to 3 signed off; step 4 under way");
        assert!(count(db, "SELECT VALUE id FROM change_action").await >= 6);
        assert!(count(db, "SELECT VALUE id FROM change_evidence").await >= 4);
        assert!(count(db, "SELECT VALUE id FROM pulse_answer").await >= 20);
        let report = crate::change::store::adoption::report(db, &programme.id).await.unwrap();
        assert!(report.history.len() >= 5, "a point per stage of the story");
        assert_eq!(report.targets.len(), 4);
    }
}

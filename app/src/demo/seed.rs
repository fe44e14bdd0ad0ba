//! The demo organisation: a distribution company of 40 people in nine units, seeded on first start
//! when asked, so a newcomer can sign in as each role at once.

use crate::planning::store::competencies;
use crate::org::store::{people, units};
use crate::db::Db;
use crate::auth::password;
use crate::error::{AppError, AppResult};
use crate::development::types::{Training, competency_target, kpi_target};
use crate::org::people_types::PersonInput;
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
    crate::demo::planning::seed(db).await?;
    seed_rewards(db).await?;
    Ok(true)
}

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

/// Salary bands, salaries spread around each midpoint, a 3 % merit pool per unit, and two
/// trainings aimed at a KPI and a competency.
async fn seed_rewards(db: &Db) -> AppResult<()> {
    let everyone = people::list(db, false).await?;
    let mut titles: Vec<&str> = everyone.iter().map(|p| p.job_title.as_str()).collect();
    titles.sort_unstable();
    titles.dedup();
    let bands = titles.iter().map(|t| { let mid = demo_midpoint(t); SalaryBand { job_title: t.to_string(), min: mid * 0.8, mid, max: mid * 1.2 } }).collect();
    let spread = [0.86, 0.95, 1.0, 1.04, 1.12, 0.92];
    let salary = |i: usize, p: &crate::org::people_types::Person| (demo_midpoint(&p.job_title) * spread[i % spread.len()]).round();
    let mut payroll: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    let mut csv = String::from("email,salary\n");
    for (i, p) in everyone.iter().enumerate() {
        csv.push_str(&format!("{},{}\n", p.email, salary(i, p)));
        *payroll.entry(p.unit_id.clone()).or_default() += salary(i, p);
    }
    crate::reward::store::import_salaries(db, &csv).await?;
    let pools = payroll.into_iter().map(|(unit, total)| (unit, (total * 0.03).round())).collect();
    crate::reward::store::save_policy(db, PolicyInput { bands, matrix: Some(MeritMatrix::example()), pools, consistency_periods: crate::development::rules::DEFAULT_CONSISTENCY_PERIODS, currency: "EUR".into() }).await?;

    let leading = competencies::framework(db).await?.competencies.into_iter().find(|c| c.name == "Leading people").ok_or(AppError::Internal)?;
    let trainings = [
        ("Consultative selling", "Sales Academy", "Two days on discovery questions and value proposals.", kpi_target("Win rate")),
        ("Coaching conversations for managers", "Internal L&D", "GROW in practice: running check-ins that move a KPI.", competency_target(&leading.id)),
    ];
    for (title, provider, description, target) in trainings {
        crate::development::store::save_training(db, true, Training { id: String::new(), title: title.into(), provider: provider.into(), description: description.into(), target, target_label: String::new() }).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_organisation_has_every_role_and_seeds_once() {
        let db = crate::db::in_memory().await;
        assert!(seed_demo(&db).await.unwrap());
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
    }
}

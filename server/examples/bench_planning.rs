//! Benchmarks of issue 3 on a generated organisation of 10,000 people × 10 KPIs × 4 quarters:
//! the pure scoring engine (goal ≤ 50 ms for all of it) and the organisation dashboard on the
//! embedded database (goal ≤ 300 ms at p95). Run: `scripts/bench-planning`.

use std::time::{Duration, Instant};

use app::planning::store::actuals::{Group, group_scorecard};
use app::db::{DbSettings, migrate};
use app::planning::types::{Actual, ActualSource, Frequency, Kpi, KpiSpec, Kra, PeriodKind, Plan, PlanState};
use app::planning::rules::periods;
use app::planning::scorecard::summary;
use app::planning::scoring::{Direction, Targets};
use serde_json::json;

const PEOPLE: usize = 10_000;
const UNITS: usize = 20;

fn kpi(i: usize) -> Kpi {
    let direction = if i % 3 == 0 { Direction::LowerIsBetter } else { Direction::HigherIsBetter };
    let targets = match direction {
        Direction::LowerIsBetter => Targets { direction, baseline: 30.0, threshold: 20.0, target: 10.0, stretch: 5.0, tolerance: 0.0 },
        _ => Targets { direction, baseline: 0.0, threshold: 80.0, target: 100.0, stretch: 130.0, tolerance: 0.0 },
    };
    let spec = KpiSpec { name: format!("KPI {i}"), measure: "x".into(), targets, frequency: Frequency::Quarterly, data_source: "bench".into() };
    Kpi { id: format!("k{i}"), spec, weight: 20.0 }
}

fn plan(n: usize) -> Plan {
    let kra = |k: usize| Kra { id: format!("r{k}"), title: format!("KRA {k}"), weight: 50.0, goal_id: "g".into(), kpis: (k * 5..k * 5 + 5).map(kpi).collect() };
    Plan { id: format!("p{n}"), person_id: format!("e{n}"), person_name: format!("Person {n}"), cycle_id: "fy".into(), state: PlanState::Approved, kras: vec![kra(0), kra(1)], comment: None }
}

fn actuals(n: usize, plan: &Plan) -> Vec<Actual> {
    let mut out = Vec::new();
    for (k, kpi) in plan.kras.iter().flat_map(|r| &r.kpis).enumerate() {
        for q in 1..=4 {
            let wobble = ((n * 31 + k * 7 + q * 13) % 60) as f64 / 100.0 + 0.7;
            out.push(Actual {
                kpi_id: kpi.id.clone(),
                period_key: format!("Q{q}"),
                value: kpi.spec.targets.target * wobble,
                note: String::new(),
                link: None,
                source: ActualSource::Api,
                recorded_by: "bench".into(),
                recorded_at: String::new(),
            });
        }
    }
    out
}

fn percentile(mut times: Vec<Duration>, p: f64) -> Duration {
    times.sort();
    times[((times.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let periods = periods("2026-07-01", "2027-06-30", PeriodKind::Quarter).unwrap();
    let plans: Vec<Plan> = (0..PEOPLE).map(plan).collect();
    let all_actuals: Vec<Vec<Actual>> = plans.iter().enumerate().map(|(n, p)| actuals(n, p)).collect();

    let mut engine = Vec::new();
    let mut summaries = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        summaries = plans.iter().zip(&all_actuals).map(|(p, a)| summary(p, &periods, a)).collect();
        engine.push(start.elapsed());
    }
    println!(
        "scoring engine: {PEOPLE} people × 10 KPIs × 4 periods ({} actuals): median {:?}, max {:?} (goal ≤ 50 ms)",
        PEOPLE * 40,
        percentile(engine.clone(), 0.5),
        percentile(engine, 1.0)
    );

    let dir = std::env::temp_dir().join(format!("los-bench-{}", std::process::id()));
    let settings = DbSettings {
        url: format!("surrealkv://{}", dir.display()),
        namespace: "bench".into(),
        database: "bench".into(),
        user: None,
        password: None,
    };
    let db = app::db::connect(&settings).await.unwrap();
    migrate(&db).await.unwrap();
    let units: Vec<_> = (0..UNITS).map(|u| json!({ "key": format!("u{u}"), "code": format!("U{u}"), "name": format!("Unit {u}") })).collect();
    db.query("FOR $u IN $units { CREATE type::record('unit', $u.key) SET code = $u.code, name = $u.name RETURN NONE; }")
        .bind(("units", units))
        .await
        .unwrap()
        .check()
        .unwrap();
    db.query("CREATE cycle:fy SET name = 'FY2027', starts_on = '2026-07-01', ends_on = '2027-06-30', period_kind = 'quarter', state = 'active'")
        .await
        .unwrap()
        .check()
        .unwrap();
    let loading = Instant::now();
    for chunk in (0..PEOPLE).collect::<Vec<_>>().chunks(1000) {
        let people: Vec<_> = chunk
            .iter()
            .map(|n| json!({ "key": format!("e{n}"), "email": format!("person{n}@bench.example"), "name": format!("Person {n}"), "unit": format!("u{}", n % UNITS) }))
            .collect();
        let rows: Vec<_> = chunk
            .iter()
            .map(|n| json!({ "key": format!("p{n}"), "person": format!("e{n}"), "kras": plans[*n].kras, "summary": summaries[*n] }))
            .collect();
        db.query(
            "BEGIN TRANSACTION;
             FOR $p IN $people { CREATE type::record('person', $p.key) SET email = $p.email, name = $p.name, job_title = 'Analyst', unit = type::record('unit', $p.unit), roles = [] RETURN NONE; };
             FOR $r IN $rows {
                 CREATE type::record('plan', $r.key) SET person = type::record('person', $r.person), cycle = cycle:fy, state = 'approved', kras = $r.kras RETURN NONE;
                 CREATE type::record('plan_summary', $r.key) SET person = type::record('person', $r.person), cycle = cycle:fy, state = 'approved', score = $r.summary.score, latest = $r.summary.latest, no_data = $r.summary.no_data RETURN NONE;
             };
             COMMIT TRANSACTION;",
        )
        .bind(("people", people))
        .bind(("rows", rows))
        .await
        .unwrap()
        .check()
        .unwrap();
    }
    println!("loaded {PEOPLE} people and plans into SurrealKV in {:?}", loading.elapsed());

    let mut dashboard = Vec::new();
    for _ in 0..21 {
        let start = Instant::now();
        let card = group_scorecard(&db, Group::Organisation, Some("fy")).await.unwrap();
        dashboard.push(start.elapsed());
        assert_eq!(card.lines.len(), PEOPLE);
    }
    dashboard.remove(0); // the first run warms the caches
    println!(
        "organisation dashboard on embedded SurrealKV: p50 {:?}, p95 {:?} over {} runs (goal ≤ 300 ms at p95)",
        percentile(dashboard.clone(), 0.5),
        percentile(dashboard.clone(), 0.95),
        dashboard.len()
    );
    // Where the dashboard's time goes: each query alone, rows as JSON values.
    for (what, sql) in [
        ("people", "SELECT id, name, unit FROM person WHERE active = true ORDER BY name"),
        ("plan summaries", "SELECT person, state, score, latest, no_data FROM plan_summary WHERE cycle = cycle:fy"),
        ("whole plans", "SELECT person, state FROM plan WHERE cycle = cycle:fy"),
    ] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let rows: Vec<serde_json::Value> = db.query(sql).await.unwrap().take(0).unwrap();
            times.push(start.elapsed());
            assert_eq!(rows.len(), PEOPLE);
        }
        println!("  {what}: median {:?}", percentile(times, 0.5));
    }
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
}

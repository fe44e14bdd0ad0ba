//! Finding 4 of issue 15 through the real server: a pulse answered across a programme whose scope
//! holds a one-person unit, and the adoption dashboard of the same scope. As the committee sees
//! them (JSON and CSV), no group under five is shown or counted, and no shown group subtracted
//! from a shown total, in any combination, leaves a group under five.

mod common;

use app::disclosure::MIN_GROUP;
use app::org::people_types::PersonInput;
use app::org::types::UnitInput;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::Harness;
use serde_json::{json, Value};

async fn unit_id(h: &Harness, code: &str) -> String {
    app::org::store::units::list(&h.db).await.unwrap().into_iter().find(|u| u.code == code).unwrap().id
}

/// Moves Tomasz into a new unit of his own under Finance: the lone person of the finding.
async fn lone_unit(h: &Harness) {
    let finance = unit_id(h, "FIN").await;
    let audit = app::org::store::units::save(&h.db, UnitInput { id: None, code: "AUDIT".into(), name: "Internal Audit".into(), parent_id: Some(finance) })
        .await
        .unwrap();
    let tomasz = app::org::store::people::get(&h.db, &h.id("tomasz.nowak")).await.unwrap();
    app::org::store::people::save(
        &h.db,
        PersonInput {
            id: Some(tomasz.id),
            email: tomasz.email,
            name: tomasz.name,
            job_title: tomasz.job_title,
            unit_id: audit.id,
            manager_id: tomasz.manager_id,
            roles: tomasz.roles,
            active: true,
        },
    )
    .await
    .unwrap();
}

/// One table as the committee got it: each row's depth in the tree and its count if shown.
struct Table {
    rows: Vec<(String, usize, Option<usize>)>,
}

impl Table {
    /// Rows below row `i`: those after it that are deeper, up to the next at its depth or above.
    fn below(&self, i: usize) -> Vec<usize> {
        let depth = self.rows[i].1;
        (i + 1..self.rows.len()).take_while(|j| self.rows[*j].1 > depth).collect()
    }

    fn inside(&self, a: usize, b: usize) -> bool {
        self.below(b).contains(&a)
    }

    /// Every count that can be worked out: a shown row less any shown rows inside it that do not
    /// overlap. The finding was the whole less the units shown.
    fn worked_out(&self) -> Vec<(String, usize)> {
        let mut found = Vec::new();
        for (t, (name, _, total)) in self.rows.iter().enumerate() {
            let Some(total) = total else { continue };
            let parts: Vec<usize> = self.below(t).into_iter().filter(|j| self.rows[*j].2.is_some()).collect();
            assert!(parts.len() <= 16, "{} shown rows below {name}", parts.len());
            for mask in 0u32..(1 << parts.len()) {
                let picked: Vec<usize> = (0..parts.len()).filter(|k| mask & (1 << k) != 0).map(|k| parts[k]).collect();
                if picked.iter().any(|a| picked.iter().any(|b| a != b && self.inside(*a, *b))) {
                    continue;
                }
                let less: usize = picked.iter().map(|j| self.rows[*j].2.unwrap()).sum();
                let names: Vec<&str> = picked.iter().map(|j| self.rows[*j].0.as_str()).collect();
                found.push((format!("{name} less {names:?}"), total - less));
            }
        }
        found
    }

    fn assert_nothing_under_five(&self) {
        for (how, count) in self.worked_out() {
            assert!(count == 0 || count >= MIN_GROUP, "{how} leaves {count}: a group under {MIN_GROUP} worked out");
        }
    }

    fn shown(&self, name: &str) -> Option<usize> {
        self.rows.iter().find(|r| r.0 == name).unwrap_or_else(|| panic!("no row {name}")).2
    }
}

/// A page as the signed-in person's browser gets it, rendered on the server.
async fn page(h: &Harness, path: &str, cookie: &str) -> String {
    let request = Request::get(path).header(header::COOKIE, cookie).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap();
    let answer = h.request(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}");
    answer.body
}

/// A hidden figure carries its reason and nothing else.
fn hidden_reason(figure: &Value) -> Option<&str> {
    let hidden = figure.get("hidden")?;
    assert_eq!(figure.as_object().unwrap().len(), 1, "{figure}");
    Some(hidden.as_str().unwrap_or_else(|| panic!("a reason only: {figure}")))
}

#[tokio::test]
async fn no_one_s_answers_or_status_can_be_worked_out_from_what_the_committee_sees() {
    let h = Harness::new(&[]).await;
    lone_unit(&h).await;
    let zara = h.sign_in("zara.ahmed").await;
    let hq = unit_id(&h, "HQ").await;
    let created = h.call("create_programme", &json!({ "input": { "name": "Rollout", "scope_unit_ids": [hq], "sponsor_id": h.id("grace.mwangi"),
        "chair_id": h.id("zara.ahmed"), "member_ids": [], "starts_on": "2026-11-01", "ends_on": "2027-12-31" } }).to_string(), Some(&zara)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let programme = created.json()["id"].as_str().unwrap().to_owned();
    let call = |endpoint: &'static str, args: Value| {
        let mut all = json!({ "programme_id": programme });
        all.as_object_mut().unwrap().extend(args.as_object().unwrap().clone());
        let zara = zara.clone();
        let h = &h;
        async move { h.call(endpoint, &all.to_string(), Some(&zara)).await }
    };

    // The pulse: Tomasz, alone in Internal Audit, answers 1 and 1; Maria, alone directly in Sales,
    // 2 and 5; whole teams answer 4 and 4.
    let opened = call("create_pulse", json!({ "title": "Readiness", "questions": "I know why we change\nI have the time" })).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let pulse = app::change::store::programmes::open_pulses(&h.db, &h.user("tomasz.nowak").await).await.unwrap()[0].id.clone();
    let teams = [
        "james.osei", "sam.taylor", "chloe.dubois", "ravi.patel", "emma.wilson", "tariq.aziz", // Sales North
        "kofi.mensah", "lina.yusuf", "diego.ramirez", "sofia.rossi", "noah.johnson", // Sales South
        "fatima.zahra", "ben.carter", "aisha.bello", "jonas.lind", "mei.tanaka", "carlos.mendes", // Customer Service
        "david.kim", "isabel.costa", "ahmed.hassan", "julia.fischer", "marcus.lee", // Technology
    ];
    let answers = teams.iter().map(|n| (*n, vec![4u8, 4])).chain([("tomasz.nowak", vec![1, 1]), ("maria.santos", vec![2, 5])]);
    for (name, scores) in answers {
        app::change::store::programmes::answer_pulse(&h.db, &h.user(name).await, &pulse, scores).await.unwrap();
    }

    // Open: how many answered, and nothing else, so that no new answer shows as a change.
    let view = h.call("load_programme", &json!({ "id": programme }).to_string(), Some(&zara)).await;
    let survey = &view.json()["pulses"][0];
    assert_eq!(survey["answers"], json!({ "shown": 24 }));
    assert_eq!(survey["results"], json!({ "hidden": "until_closed" }));
    assert_eq!(survey["by_unit"], json!([]));

    assert_eq!(call("close_pulse", json!({ "pulse_id": pulse })).await.status, StatusCode::OK);
    let view = h.call("load_programme", &json!({ "id": programme }).to_string(), Some(&zara)).await;
    let survey = &view.json()["pulses"][0];
    let whole = survey["results"]["shown"].as_array().unwrap_or_else(|| panic!("{survey}"));
    assert_eq!(whole[0]["distribution"], json!([1, 1, 0, 22, 0]));
    let mut rows = vec![("whole".to_owned(), 0, survey["answers"]["shown"].as_u64().map(|n| n as usize))];
    for group in survey["by_unit"].as_array().unwrap() {
        let name = group["unit"].as_str().unwrap().to_owned();
        let count = match hidden_reason(&group["result"]) {
            Some(_) => None,
            None => {
                let shown = &group["result"]["shown"];
                for question in shown["questions"].as_array().unwrap() {
                    assert_eq!(question["answers"], shown["answers"], "{name}");
                }
                shown["answers"].as_u64().map(|n| n as usize)
            }
        };
        rows.push((name, group["depth"].as_u64().unwrap() as usize + 1, count));
    }
    let table = Table { rows };
    table.assert_nothing_under_five();
    assert_eq!(hidden_reason(&survey["by_unit"].as_array().unwrap().iter().find(|g| g["unit"] == "Internal Audit").unwrap()["result"]), Some("too_few"));
    assert_eq!(table.shown("Sales"), Some(12));
    assert_eq!(table.shown("Sales North"), Some(6));
    assert_eq!(table.shown("Sales South"), None, "Sales less North and South would be Maria");
    assert_eq!(table.shown("Technology"), None, "Head Office less the units shown would be Tomasz");
    for (name, _, count) in &table.rows {
        assert!(count.is_none_or(|c| c >= MIN_GROUP), "{name}: {count:?}");
    }
    // The page says which groups are hidden, and why.
    let wizard = page(&h, &format!("/change/{programme}"), &zara).await;
    for said in ["Internal Audit: fewer than 5 answers — hidden to protect anonymity", "Technology: hidden so that a smaller group cannot be worked out"] {
        assert!(wizard.contains(said), "{said}: {wizard}");
    }
    // Neither lone answer is anywhere in what came back.
    for lone in ["[1,1]", "[2,5]", "\"mean\":1.0", "\"mean\":2.0", "[0,1,0,0,0]", "[1,0,0,0,0]"] {
        assert!(!survey.to_string().replace(' ', "").contains(lone), "{lone} in {survey}");
    }

    // Adoption: Tomasz submits his self-assessment, which alone would make his unit 100 %.
    let cycle = app::planning::store::plans::current_cycle(&h.db).await.unwrap();
    h.db.query("CREATE self_assessment SET person = type::record('person', $p), cycle = type::record('cycle', $c), submitted = true, rev = 1")
        .bind(("p", h.id("tomasz.nowak")))
        .bind(("c", cycle.id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let saved = call("save_adoption_targets", json!({ "targets": [["self_assessments_submitted", "50"]] })).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let report = call("load_adoption", json!({})).await.json();
    let units = report["units"].as_array().unwrap();
    let mut rows = Vec::new();
    for row in units {
        let name = row["unit"]["name"].as_str().unwrap().to_owned();
        let people = match hidden_reason(&row["counts"]) {
            Some(_) => None,
            None => row["counts"]["shown"]["people"].as_u64().map(|n| n as usize),
        };
        rows.push((name, row["depth"].as_u64().unwrap() as usize, people));
    }
    let table = Table { rows };
    table.assert_nothing_under_five();
    assert_eq!(table.shown("Head Office"), Some(40));
    assert_eq!(report["total"]["shown"]["people"], 40);
    for (unit, why) in [("Internal Audit", "too_few"), ("Finance", "too_few"), ("People & Culture", "too_few"), ("Sales South", "complementary"), ("Logistics", "complementary")] {
        let row = units.iter().find(|u| u["unit"]["name"] == unit).unwrap();
        assert_eq!(hidden_reason(&row["counts"]), Some(why), "{unit}");
    }
    assert_eq!(report["wins"], json!([]), "a win for Internal Audit would tell Tomasz's status");
    for (day, values) in report["history"].as_array().unwrap().iter().map(|p| (&p[0], &p[1])) {
        assert!(day.is_string() && values.is_array(), "values per day, no counts: {report}");
    }

    let dashboard = page(&h, &format!("/change/{programme}/adoption"), &zara).await;
    for said in ["Fewer than 5 people — hidden to protect anonymity.", "Hidden so that a smaller group cannot be worked out."] {
        assert!(dashboard.contains(said), "{said}: {dashboard}");
    }

    // The CSV shows exactly what the page shows.
    let csv = call("export_adoption", json!({})).await.json();
    let lines: Vec<&str> = csv.as_str().unwrap().lines().collect();
    assert_eq!(lines.len(), units.len() + 2, "{csv}");
    for ((name, _, people), line) in table.rows.iter().zip(&lines[1..]) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], name);
        match people {
            Some(n) => assert_eq!(cells[1], n.to_string()),
            None => {
                assert!(cells[1].contains("hidden"), "{line}");
                assert!(cells[2..].iter().all(|c| c.is_empty()), "no figure of a hidden unit: {line}");
            }
        }
    }
    assert!(lines.last().unwrap().starts_with("All units in scope,40,"), "{csv}");

    // Another programme's dashboard hides the same units: no two dashboards can be subtracted.
    for (scope, expected) in [(vec!["SALES"], json!({ "shown": 12 })), (vec!["SALES-S"], json!("complementary")), (vec!["FIN", "TECH"], json!("complementary"))] {
        let mut ids = Vec::new();
        for code in &scope {
            ids.push(unit_id(&h, code).await);
        }
        let other = h.call("create_programme", &json!({ "input": { "name": format!("Pilot {}", scope.join(" ")), "scope_unit_ids": ids, "sponsor_id": h.id("grace.mwangi"),
            "chair_id": h.id("zara.ahmed"), "member_ids": [], "starts_on": "2026-11-01", "ends_on": "2027-12-31" } }).to_string(), Some(&zara)).await;
        let id = other.json()["id"].as_str().unwrap().to_owned();
        let other = h.call("load_adoption", &json!({ "programme_id": id }).to_string(), Some(&zara)).await.json();
        let total = match hidden_reason(&other["total"]) {
            Some(why) => json!(why),
            None => json!({ "shown": other["total"]["shown"]["people"] }),
        };
        assert_eq!(total, expected, "{scope:?}");
        for row in other["units"].as_array().unwrap() {
            let same = units.iter().find(|u| u["unit"]["id"] == row["unit"]["id"]).unwrap();
            assert_eq!(row["counts"], same["counts"], "{}", row["unit"]["name"]);
        }
    }
}

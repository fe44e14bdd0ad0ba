//! The server on every core: pages rendered at the same time on several worker threads finish,
//! each as it does alone (Leptos' server rendering once stalled when Suspense boundaries resolved
//! on two threads at once).

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::Harness;

/// Rounds of every page at once.
const ROUNDS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_page_renders_concurrently_on_many_threads_as_it_does_alone() {
    let h = std::sync::Arc::new(Harness::new(&[]).await);
    let [hr, james, sam, zara] = [
        h.sign_in("amina.okafor").await,
        h.sign_in("james.osei").await,
        h.sign_in("sam.taylor").await,
        h.sign_in("zara.ahmed").await,
    ];
    let sam_id = h.id("sam.taylor");
    let unit = app::org::store::units::list(&h.db).await.unwrap().remove(0).id;
    let programmes = app::change::store::programmes::list(&h.db).await.unwrap().programmes;
    let mut pages: Vec<(Option<String>, String)> = vec![(None, "/sign-in".into()), (None, "/people".into())];
    for path in ["/", "/profile", "/people", "/people/import", "/people/new", "/units", "/organisation", "/scorecards", "/scorecards/import", "/appraisals/report", "/cycles", "/library", "/integrations", "/rewards", "/merit"] {
        pages.push((Some(hr.clone()), path.into()));
    }
    for path in [format!("/people/{sam_id}"), format!("/plans/{sam_id}"), format!("/calibration/{unit}"), format!("/scorecards?unit={unit}")] {
        pages.push((Some(hr.clone()), path));
    }
    for path in ["/", "/team", "/appraisals", "/check-ins", "/merit"].map(str::to_owned).into_iter().chain([
        format!("/plans/{sam_id}"),
        format!("/scorecards/{sam_id}"),
        format!("/appraisals/{sam_id}/prepare"),
        format!("/appraisals/{sam_id}/conversation"),
        format!("/development/{sam_id}"),
        format!("/feedback/{sam_id}"),
    ]) {
        pages.push((Some(james.clone()), path));
    }
    for path in ["/", "/plans/me", "/scorecards/me", "/self-assessment", "/results", "/feedback", "/development/me", "/training", "/recognition", "/goals", "/competencies", "/pulse", "/sync", "/appraisals", "/inbox", "/settings/email"] {
        pages.push((Some(sam.clone()), path.into()));
    }
    for path in ["/", "/change", "/pulse", "/organisation"].map(str::to_owned).into_iter().chain(programmes.iter().map(|p| format!("/change/{}", p.id))) {
        pages.push((Some(zara.clone()), path));
    }

    // Alone, one after another: the status each page has.
    let mut alone = BTreeMap::new();
    for (cookie, path) in &pages {
        let answer = h.page(cookie.as_deref(), path).await;
        assert!(!answer.status.is_server_error(), "{path}: {}", answer.status);
        alone.insert((cookie.clone(), path.clone()), answer.status);
    }

    // All at once, several times over, on four threads.
    let mut renders = tokio::task::JoinSet::new();
    for _ in 0..ROUNDS {
        for (cookie, path) in pages.clone() {
            let h = h.clone();
            renders.spawn(async move {
                let answer = h.page(cookie.as_deref(), &path).await;
                (cookie, path, answer)
            });
        }
    }
    // Generous: a stall never ends, a slow machine does.
    let all = tokio::time::timeout(Duration::from_secs(600), renders.join_all()).await.expect("every concurrent render finishes");
    assert_eq!(all.len(), ROUNDS * pages.len());
    for (cookie, path, answer) in all {
        assert_eq!(answer.status, alone[&(cookie, path.clone())], "{path} at once as alone");
        if answer.status.is_success() {
            assert!(answer.body.contains("</html>"), "{path}: the whole page");
        }
    }
}

//! Over `ws://` to a real SurrealDB server (tools/surreal; `scripts/test` builds it and runs these
//! with `LOS_SURREAL_BIN` and `--ignored`), with two app instances on the one database.

mod common;

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::Harness;

/// A SurrealDB server in memory on a free port, stopped when dropped.
struct SurrealServer {
    child: Child,
    url: String,
}

impl SurrealServer {
    fn start() -> SurrealServer {
        let bin = std::env::var("LOS_SURREAL_BIN").expect("LOS_SURREAL_BIN: the SurrealDB server (scripts/test builds tools/surreal)");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address = format!("127.0.0.1:{port}");
        let child = Command::new(&bin)
            .args(["start", "--log", "warn", "--user", "root", "--pass", "root", "--bind", &address, "memory"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{bin}: {e}"));
        let started = Instant::now();
        while TcpStream::connect(&address).is_err() {
            assert!(started.elapsed() < Duration::from_secs(60), "the SurrealDB server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        SurrealServer { child, url: format!("ws://{address}") }
    }

    /// An app instance on this server; the first one seeds the demo.
    async fn instance(&self, seed: bool) -> Harness {
        Harness::with_args(&["--database-url", &self.url, "--db-user", "root", "--db-password", "root"], seed).await
    }
}

impl Drop for SurrealServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a SurrealDB server: scripts/test runs it with LOS_SURREAL_BIN"]
async fn people_sign_in_and_work_over_ws_on_either_of_two_instances() {
    let server = SurrealServer::start();
    let first = server.instance(true).await;
    let second = server.instance(false).await;

    // Signing in answered 500 ("Method not allowed") when each request opened a database session
    // of its own: every request must find the database signed in and in its namespace.
    let sam = first.sign_in("sam.taylor").await;
    for _ in 0..40 {
        let places = first.call("my_places", "{}", Some(&sam)).await;
        assert_eq!(places.status, StatusCode::OK, "{}", places.body);
        assert_eq!(places.json()["has_plan"], true);
    }
    // The session lives in the database: the other instance knows Sam too, and shows his pages.
    let me = second.call("current_user", "{}", Some(&sam)).await;
    assert_eq!(me.json()["name"], "Sam Taylor", "{}", me.body);
    let scorecard = second.page(Some(&sam), "/scorecards/me").await;
    assert_eq!(scorecard.status, StatusCode::OK);
    assert!(scorecard.body.contains("Sam Taylor"));
    // Signing out on one ends the session on both.
    assert_eq!(second.call("sign_out", "{}", Some(&sam)).await.status, StatusCode::OK);
    assert_eq!(first.call("current_user", "{}", Some(&sam)).await.body, "null");

    // Signed in on one instance, a manager reads his team through the other.
    let james = second.sign_in("james.osei").await;
    let team = first.call("my_team", "{}", Some(&james)).await;
    assert_eq!(team.status, StatusCode::OK, "{}", team.body);
    assert!(team.body.contains("Sam Taylor"));
}

//! Benchmark of issue 16: seeding the demo organisation (a closed year and a year in motion, goal
//! under 5 s) into the embedded, durable SurrealKV database `scripts/run` uses, and into memory as
//! the tests do. Run: `scripts/bench-seed` (release; `--dev` for the test profile).

use std::time::{Duration, Instant};

use app::db::DbSettings;

async fn seed_once(url: String) -> Duration {
    let settings = DbSettings { url, namespace: "bench".into(), database: "bench".into(), user: None, password: None };
    let db = app::db::connect(&settings).await.unwrap();
    app::db::migrate(&db).await.unwrap();
    let started = Instant::now();
    assert!(app::demo::seed::seed_demo(&db).await.unwrap(), "an empty database is seeded");
    started.elapsed()
}

#[tokio::main]
async fn main() {
    for (name, url) in [("embedded SurrealKV", "surrealkv"), ("in memory", "mem")] {
        let mut times = Vec::new();
        for run in 0..3 {
            let dir = std::env::temp_dir().join(format!("los-bench-seed-{}-{run}", std::process::id()));
            let url = if url == "mem" { "mem://".to_owned() } else { format!("surrealkv://{}", dir.display()) };
            times.push(seed_once(url).await);
            let _ = std::fs::remove_dir_all(&dir);
        }
        times.sort();
        println!("demo seeded, {name}: median {:.2} s (fastest {:.2} s, slowest {:.2} s, 3 runs)", times[1].as_secs_f64(), times[0].as_secs_f64(), times[2].as_secs_f64());
    }
}

//! Start-up: what the server says when it cannot use its database.

use clap::Parser;
use server::Config;

#[tokio::test]
async fn an_unreachable_database_is_named_in_the_error() {
    let config = Config::parse_from(["line-of-sight", "--database-url", "ws://127.0.0.1:9"]);
    let error = server::open_database(&config).await.err().expect("no database listens on port 9");
    assert!(error.contains("cannot open the database at ws://127.0.0.1:9"), "{error}");
}

#[tokio::test]
async fn the_embedded_database_creates_its_folder_and_is_not_shared_by_two_servers() {
    let dir = std::env::temp_dir().join(format!("los-startup-{}", std::process::id()));
    let url = format!("surrealkv://{}/nested/db", dir.display());
    let config = Config::parse_from(["line-of-sight", "--database-url", &url]);
    let db = server::open_database(&config).await.expect("creates the folder and the database");
    assert!(app::demo::seed::seed_demo(&db).await.unwrap());
    assert!(dir.join("nested/db").exists());

    let second = server::open_database(&config).await.err().expect("the file is in use");
    assert!(second.contains("cannot open the database at surrealkv://") && second.contains("locked"), "{second}");
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
}

use std::process::ExitCode;

use clap::Parser;
use server::Config;
use tracing_subscriber::EnvFilter;

// One thread for requests: Leptos 0.8's server rendering can deadlock when Suspense boundaries and
// resources resolve on two worker threads at once (leptos-rs/leptos#4673, fixed only in 0.9).
// The database and password hashing keep their own thread pools.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = Config::parse();
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("line-of-sight: {message}");
            ExitCode::FAILURE
        }
    }
}

use std::process::ExitCode;

use clap::Parser;
use server::Config;
use tracing_subscriber::EnvFilter;

// Every core serves requests. Leptos' server rendering once stalled when Suspense boundaries
// resolved on two worker threads at once (leptos-rs/leptos#4853, fixed in 0.8.21); the pages read
// one resource each, created outside its boundary (`ui::layout::loaded`), which avoids #4578.
// tests/concurrency.rs renders every page at once on several threads.
#[tokio::main]
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

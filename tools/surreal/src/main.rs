//! `surreal start …`, as the SurrealDB binary: the tests' database server.
// The server's deepest async functions need more than the default (as in surrealdb-server).
#![recursion_limit = "256"]

fn main() -> std::process::ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}

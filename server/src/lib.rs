#![recursion_limit = "256"]
//! The Line of Sight server: configuration, the axum router around the Leptos app, and start-up.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use app::app::{App, OUTPUT_NAME, shell};
use app::auth::limiter::{LimiterPolicy, PushQuota, QuotaPolicy, SignInLimiter};
use app::auth::session_store::SurrealSessionStore;
use app::db;
use app::demo::seed;
use app::db::{Db, DbSettings};
use app::state::AppState;
use app::error::AppError;
use app::limits::BODY_BYTES;
use app::mail::outbox::Mailer;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use clap::Parser;
use leptos::config::LeptosOptions;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// Line of Sight: performance management from organisational goals to each person's targets.
#[derive(Parser, Debug, Clone)]
#[command(version, about)]
pub struct Config {
    /// Where the data lives: surrealkv://PATH (embedded file), mem:// (lost at exit), or
    /// ws://HOST:PORT for a SurrealDB server or cluster (with --db-user and --db-password).
    #[arg(long, env = "LOS_DATABASE_URL", default_value = "surrealkv://data/line-of-sight.db")]
    pub database_url: String,
    #[arg(long, env = "LOS_DB_NAMESPACE", default_value = "line_of_sight")]
    pub db_namespace: String,
    #[arg(long, env = "LOS_DB_DATABASE", default_value = "main")]
    pub db_database: String,
    /// Root user for a remote SurrealDB server.
    #[arg(long, env = "LOS_DB_USER")]
    pub db_user: Option<String>,
    #[arg(long, env = "LOS_DB_PASSWORD", hide_env_values = true)]
    pub db_password: Option<String>,
    /// Address and port to listen on.
    #[arg(long, env = "LOS_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// The built site: pkg/ with the wasm, JS and CSS, and the public assets.
    #[arg(long, env = "LOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Log filter, e.g. info, debug, or line_of_sight=debug,tower_http=info.
    #[arg(long, env = "LOS_LOG", default_value = "info")]
    pub log: String,
    /// Seed the demo organisation when the database has no people yet.
    #[arg(long, env = "LOS_DEMO_DATA")]
    pub demo_data: bool,
    /// Sign people out after this many minutes without a request.
    #[arg(long, env = "LOS_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,
    /// How often a signed-in person's requests write the session's idle timer forward: at most
    /// once in this many seconds, and never less often than half the idle timeout (so people are
    /// signed out between `idle` minus this and `idle` after their last request), instead of a
    /// database write on every request.
    #[arg(long, env = "LOS_SESSION_REFRESH_SECONDS", default_value_t = 60)]
    pub session_refresh_seconds: i64,
    /// Mark the session cookie Secure: set this when people reach the app over HTTPS
    /// (directly or through a TLS-terminating proxy).
    #[arg(long, env = "LOS_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Count failed sign-ins against the address a reverse proxy appends to X-Forwarded-For
    /// instead of the proxy's own. Set it only when people can reach the server through that
    /// proxy alone (otherwise anyone can pick the address they are counted as).
    #[arg(long, env = "LOS_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// The address people open the app at, e.g. https://perf.example.com: a state-changing
    /// request whose browser sends an Origin must come from exactly this scheme, host and port.
    /// Default: http:// and the --bind address.
    #[arg(long, env = "LOS_PUBLIC_ORIGIN", value_parser = PublicOrigin::parse)]
    pub public_origin: Option<PublicOrigin>,
    /// The SMTP server that sends email (tasks that need people, reminders, the weekly digest):
    /// smtp://host:25 (a relay on a trusted network), smtp://user:password@host:587?tls=required
    /// (STARTTLS) or smtps://user:password@host:465 (TLS). No email is sent without it. Links in
    /// the mail lead to --public-origin.
    #[arg(long, env = "LOS_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of the email, e.g. "Line of Sight <perf@example.com>".
    #[arg(long, env = "LOS_MAIL_FROM", requires = "smtp_url")]
    pub mail_from: Option<String>,
    /// How often the mail job looks for mail to send, in seconds.
    #[arg(long, env = "LOS_MAIL_EVERY_SECONDS", default_value_t = 30)]
    pub mail_every_seconds: u64,
}

/// A web origin: scheme, host and port, compared exactly (the port written out when it is the
/// scheme's default, the host in lower case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicOrigin(String);

impl PublicOrigin {
    /// Reads `scheme://host[:port]`, http or https, with no path, query or credentials.
    pub fn parse(text: &str) -> Result<Self, String> {
        let wrong = || format!("'{text}' is not an origin: write it as https://host or https://host:port, nothing after it");
        let uri: Uri = text.trim().parse().map_err(|_| wrong())?;
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else { return Err(wrong()) };
        let port = match (scheme, authority.port_u16()) {
            (_, Some(port)) => port,
            ("https", None) => 443,
            ("http", None) => 80,
            _ => return Err(wrong()),
        };
        let bare = uri.path_and_query().is_none_or(|p| p.as_str() == "/" || p.as_str().is_empty());
        if !matches!(scheme, "http" | "https") || !bare || authority.as_str().contains('@') || authority.host().is_empty() {
            return Err(wrong());
        }
        Ok(Self(format!("{scheme}://{}:{port}", authority.host().to_ascii_lowercase())))
    }

    /// The origin as people write it in a link (without the scheme's default port).
    pub fn url(&self) -> String {
        self.0.strip_suffix(":443").filter(|_| self.0.starts_with("https://")).or_else(|| self.0.strip_suffix(":80").filter(|_| self.0.starts_with("http://"))).unwrap_or(&self.0).to_owned()
    }

    /// Whether a browser's Origin header names this origin.
    pub fn matches(&self, origin: &str) -> bool {
        Self::parse(origin).is_ok_and(|o| o == *self)
    }
}

impl Config {
    pub fn db_settings(&self) -> DbSettings {
        DbSettings {
            url: self.database_url.clone(),
            namespace: self.db_namespace.clone(),
            database: self.db_database.clone(),
            user: self.db_user.clone(),
            password: self.db_password.clone(),
        }
    }

    /// The configured public origin, or http:// and the bound address.
    pub fn public_origin(&self) -> PublicOrigin {
        self.public_origin.clone().unwrap_or_else(|| PublicOrigin(format!("http://{}", self.bind)))
    }

    fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(self.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(self.bind)
            .build()
    }
}

/// Opens the database and brings its schema up to date; the error says what to fix.
pub async fn open_database(config: &Config) -> Result<Db, String> {
    if let Some(path) = config.database_url.strip_prefix("surrealkv://") {
        if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create the data folder {}: {e}", parent.display()))?;
        }
    }
    let db = db::connect(&config.db_settings()).await?;
    let applied = db::migrate(&db).await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "schema migrations applied");
    }
    Ok(db)
}

impl Config {
    /// The refresh interval, at most half the idle timeout: someone working steadily is never
    /// signed out because the timer was last written too long ago.
    pub fn session_refresh_every(&self) -> i64 {
        self.session_refresh_seconds.clamp(0, self.session_idle_minutes.max(0) * 30)
    }
}

pub fn app_state(config: &Config, db: Db) -> AppState {
    AppState {
        leptos_options: config.leptos_options(),
        db,
        limiter: Arc::new(SignInLimiter::new(LimiterPolicy::default())),
        sync_quota: Arc::new(PushQuota::new(QuotaPolicy::default())),
        trust_forwarded_for: config.trust_forwarded_for,
        mail_sending: config.smtp_url.is_some(),
    }
}

impl Config {
    /// The mail job's sender, when an SMTP server is set; the error says what to fix.
    pub fn mailer(&self) -> Result<Option<Mailer>, String> {
        let Some(url) = &self.smtp_url else { return Ok(None) };
        let from = self.mail_from.as_deref().ok_or("--smtp-url needs --mail-from: the address the mail comes from, e.g. perf@example.com")?;
        Mailer::new(url, from, &self.public_origin().url()).map(Some)
    }
}

/// The whole HTTP application: pages, server functions, static files, sessions and guards.
pub fn router(config: &Config, state: AppState) -> Router {
    let routes = generate_route_list(App);
    let sessions = SessionManagerLayer::new(SurrealSessionStore::new(state.db.clone()))
        .with_name("los_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(config.secure_cookies)
        // Saved when changed; `refresh_session` changes it once a refresh interval, so the idle
        // timeout counts from the last request to within that interval.
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::minutes(config.session_idle_minutes)));
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(&state, routes, use_response_nonce, {
            let options = options.clone();
            move || shell(options.clone())
        })
        // Server functions read their whole body: over the limit, a clear 413 before they start;
        // within it, their arguments keep the text limits.
        .layer(middleware::from_fn(check_text_limits))
        .layer(middleware::from_fn(limit_body))
        .layer(DefaultBodyLimit::max(BODY_BYTES))
        .merge(app::planning::v1::routes())
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(use_response_nonce, shell))
        .layer(middleware::from_fn_with_state(Arc::new(config.public_origin()), reject_cross_site))
        .layer(middleware::from_fn(refusals_in_body))
        .layer(middleware::from_fn_with_state(config.session_refresh_every(), refresh_session))
        .layer(sessions)
        .layer(middleware::from_fn(response_headers))
        .layer(middleware::from_fn(content_security_policy))
        .layer(middleware::from_fn_with_state(config.secure_cookies, strict_transport_security))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Refuses state-changing requests that a browser says come from another site (Fetch Metadata),
/// or whose Origin is not the configured public origin (scheme, host and port; the Host header
/// is the client's to choose, so it proves nothing). Requests with neither header are not from a
/// browser.
async fn reject_cross_site(State(public): State<Arc<PublicOrigin>>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let allowed = match (text("sec-fetch-site"), text(header::ORIGIN.as_str())) {
        (Some(site), _) => matches!(site, "same-origin" | "none"),
        (None, Some(origin)) => public.matches(origin),
        (None, None) => true,
    };
    if allowed {
        next.run(request).await
    } else {
        (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
    }
}

/// The session key of when the idle timer was last written forward (unix seconds).
const REFRESHED_KEY: &str = "refreshed_at";

/// Moves a signed-in session's idle expiry on when it was last written more than `every` seconds
/// ago: a read on each request (the session layer reads it anyway), a write once in a while.
async fn refresh_session(State(every): State<i64>, session: Session, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let now = tower_sessions::cookie::time::OffsetDateTime::now_utc().unix_timestamp();
    let refreshed: Option<i64> = session.get(REFRESHED_KEY).await.ok().flatten();
    let due = refreshed.is_none_or(|at| now - at >= every);
    if due && !session.is_empty().await {
        if let Err(error) = session.insert(REFRESHED_KEY, now).await {
            tracing::warn!(%error, "session refresh");
        }
    }
    response
}

/// A refusal (4xx) of a server function called by the app's pages answers 200 with its status in a
/// header, when the page asks (`app::error::Api`): a browser logs every 4xx as a failed load.
async fn refusals_in_body(request: Request, next: Next) -> Response {
    let asked = request.headers().contains_key(app::error::REFUSALS_IN_BODY) && request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let status = response.status();
    if asked && status.is_client_error() {
        *response.status_mut() = StatusCode::OK;
        response.headers_mut().insert(app::error::REFUSAL_STATUS, HeaderValue::from(status.as_u16()));
    }
    response
}

/// Every server function's JSON arguments keep the text limits (`app::limits`) before any of its
/// code runs: a clear 422 naming the field, in the error shape the app's forms read.
async fn check_text_limits(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let server_function = request.method() == Method::POST && path.starts_with("/api/") && !path.starts_with("/api/v1/");
    let json = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("application/json"));
    if !(server_function && json) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_BYTES).await else {
        return (StatusCode::BAD_REQUEST, "The request could not be read.").into_response();
    };
    if let Ok(arguments) = serde_json::from_slice::<serde_json::Value>(&bytes) {
        if let Err(problem) = app::limits::check_arguments(&arguments) {
            let error = AppError::Invalid(vec![problem]);
            let body = serde_json::to_string(&error).unwrap_or_default();
            return (StatusCode::UNPROCESSABLE_ENTITY, [(header::CONTENT_TYPE, "application/json")], body).into_response();
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Reads a server function's body up to `BODY_BYTES`, answering a larger one with 413 and the
/// limit, as the app's own error the pages can show (not a failure to deserialise).
async fn limit_body(request: Request, next: Next) -> Response {
    let too_large = || {
        let error = AppError::TooLarge { limit_bytes: BODY_BYTES };
        let body = serde_json::to_string(&error).unwrap_or_default();
        (StatusCode::PAYLOAD_TOO_LARGE, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > BODY_BYTES as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, BODY_BYTES).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        // Over the limit, or the client stopped sending (then nobody reads the answer).
        Err(_) => too_large(),
    }
}

/// Over HTTPS (secure cookies), browsers are told to use nothing else for this site for a year.
async fn strict_transport_security(State(secure): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if secure {
        response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

/// Pages and answers about people are never stored by browsers or proxies, so the back button
/// after signing out shows nothing private; the built assets are revalidated.
async fn response_headers(request: Request, next: Next) -> Response {
    let is_asset = {
        let path = request.uri().path();
        path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/robots.txt" || path == "/sw.js"
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let cache = if is_asset { "no-cache" } else { "no-store" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// The Content-Security-Policy of a response whose inline scripts carry `nonce`. Scripts run only
/// from this origin or with the nonce (Leptos puts it on the hydration and resource scripts),
/// and WebAssembly may be compiled; nothing else inline runs, even if markup were injected.
/// Inline style *attributes* are allowed (a few views indent by depth), inline style elements
/// are not.
pub fn content_security_policy_for(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Gives every response a fresh nonce and the policy naming it. The nonce travels to the page's
/// rendering in the request (see `use_response_nonce`), so the scripts and the header agree.
async fn content_security_policy(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let policy = HeaderValue::from_str(&content_security_policy_for(&nonce)).expect("a nonce is URL-safe base64");
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// Rendering context: the nonce `content_security_policy` chose for this request, in place of
/// the one leptos_axum would make up (which no header would name).
fn use_response_nonce() {
    if let Some(nonce) = use_context::<Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned()) {
        provide_context(nonce);
    }
}

/// Runs the server until Ctrl-C; returns the message to print when it cannot start.
pub async fn run(config: Config) -> Result<(), String> {
    let mailer = config.mailer()?;
    let db = open_database(&config).await?;
    if config.demo_data && seed::seed_demo(&db).await.map_err(|e| format!("cannot seed the demo organisation: {e}"))? {
        tracing::info!("demo organisation seeded");
    }
    let store = SurrealSessionStore::new(db.clone());
    tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        loop {
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "expired sessions could not be removed; trying again later");
            }
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        }
    });
    let counting = db.clone();
    tokio::spawn(async move {
        // A point per day for the adoption trend, whether or not anyone opens the dashboard.
        loop {
            if let Err(error) = app::change::store::adoption::record_today(&counting).await {
                tracing::warn!(%error, "adoption counts could not be kept; trying again later");
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
    match mailer {
        Some(mailer) => {
            tokio::spawn(app::mail::outbox::run(db.clone(), mailer, std::time::Duration::from_secs(config.mail_every_seconds.max(1))));
        }
        None => tracing::info!("no SMTP server set (--smtp-url): no email is sent"),
    }
    let state = app_state(&config, db);
    let app = router(&config, state);
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e} (is another server running there? choose another with --bind)", config.bind))?;
    println!("Line of Sight is running at http://{}", config.bind);
    if config.demo_data {
        println!("Demo sign-ins (password: {}):", seed::DEMO_PASSWORD);
        for (role, name) in seed::DEMO_SIGN_INS {
            println!("  {role:<18} {}", seed::demo_email(name));
        }
    }
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}

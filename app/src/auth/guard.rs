//! The one place every server function asks before it touches data: `authorize` resolves the
//! caller from the session, decides the rule with `policy::allows`, and only then hands out the
//! database handle.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use leptos::prelude::*;
use tower_sessions::Session;

use crate::auth::limiter::whole_seconds;
use crate::auth::password;
use crate::auth::policy::{Relation, Rule, allows};
use crate::org::store::people;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::auth::types::{Role, SessionUser};
use crate::state::AppState;

const PERSON_KEY: &str = "person_id";
/// The person's session epoch at sign-in; a password change moves it on and ends older sessions.
const EPOCH_KEY: &str = "epoch";

/// What an authorized server function works with.
pub struct Ctx {
    pub db: Db,
    pub user: Option<SessionUser>,
    /// The person the gate's rule was about, and how the caller stands to them.
    about: Option<(String, Relation)>,
    session: Session,
    state: AppState,
}

impl Ctx {
    /// The caller; present for every rule but `Rule::Anyone`.
    pub fn user(&self) -> AppResult<&SessionUser> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// Whether this server sends email (an SMTP server is set).
    pub fn sends_mail(&self) -> bool {
        self.state.mail_sending
    }

    /// Counts a push of `ops` offline changes against the caller's quota (all their devices
    /// together); refused with the wait when it is used up.
    pub fn count_push(&self, ops: usize) -> AppResult<()> {
        let user = self.user()?;
        self.state
            .sync_quota
            .take(&user.id, ops, Instant::now())
            .map_err(|wait| AppError::TooManyChanges { retry_after_secs: whole_seconds(wait) })
    }

    /// What the policy says of a further rule: one about no person, or about the person the gate
    /// was about (a page showing what the caller may also do there).
    pub fn permits(&self, rule: Rule<'_>) -> bool {
        let relation = match (rule.person(), &self.about) {
            (None, _) => Relation::Other,
            (Some(person), Some((about, relation))) if person == about => *relation,
            (Some(_), _) => return false,
        };
        allows(self.user.as_ref().map(|u| u.roles.as_slice()), rule, relation)
    }

    /// Everyone the caller may reach under a rule about a person, decided person by person by the
    /// policy: what a server function filters a list of people with.
    pub async fn audience(&self, rule: for<'r> fn(&'r str) -> Rule<'r>) -> AppResult<Audience> {
        Audience::of(&self.db, self.user()?, rule).await
    }
}

/// The people a caller may reach under one rule (see `Ctx::audience`).
pub struct Audience {
    me: String,
    roles: Vec<Role>,
    /// The caller's reporting line: person → levels below the caller.
    line: HashMap<String, u32>,
    rule: for<'r> fn(&'r str) -> Rule<'r>,
}

impl Audience {
    /// Whom `user` reaches under `rule` (a server function asks `Ctx::audience`).
    pub async fn of(db: &Db, user: &SessionUser, rule: for<'r> fn(&'r str) -> Rule<'r>) -> AppResult<Audience> {
        let line = if user.has(Role::Manager) {
            people::reporting_line(db, &user.id).await?.into_iter().map(|m| (m.person.id, m.depth)).collect()
        } else {
            HashMap::new()
        };
        Ok(Audience { me: user.id.clone(), roles: user.roles.clone(), line, rule })
    }

    pub fn includes(&self, person: &str) -> bool {
        let relation = if person == self.me {
            Relation::Own
        } else {
            match self.line.get(person) {
                Some(1) => Relation::DirectReport,
                Some(_) => Relation::Report,
                None => Relation::Other,
            }
        };
        allows(Some(&self.roles), (self.rule)(person), relation)
    }
}

/// The database, for the facts a server function looks up before it asks `authorize` (a
/// programme's chair).
pub fn database() -> AppResult<Db> {
    use_context::<AppState>().map(|state| state.db.clone()).ok_or_else(|| internal("no app state in context"))
}

pub async fn authorize(rule: Rule<'_>) -> AppResult<Ctx> {
    let state = use_context::<AppState>().ok_or_else(|| internal("no app state in context"))?;
    let session: Session = leptos_axum::extract().await.map_err(internal)?;
    let key: Option<String> = session.get(PERSON_KEY).await.map_err(internal)?;
    let epoch: Option<i64> = session.get(EPOCH_KEY).await.map_err(internal)?;
    let db = state.db.clone();
    let user = match key {
        Some(key) => match people::session_user(&db, &key).await? {
            Some((user, current)) if Some(current) == epoch => Some(user),
            // Deactivated, removed, or the password changed since signing in: end the session.
            _ => {
                session.flush().await.map_err(internal)?;
                None
            }
        },
        None => None,
    };
    let chairs = match (rule, &user) {
        (Rule::ChairOf(chair), Some(u)) => chair == u.id,
        (Rule::CalibratorOf(unit), Some(u)) => u.has(Role::Manager) && people::line_within(&db, &u.id, unit).await?,
        _ => false,
    };
    let relation = match (rule.person(), &user) {
        _ if chairs => Relation::Own,
        (Some(target), Some(u)) if u.id == target => Relation::Own,
        (Some(target), Some(u)) if u.has(Role::Manager) => match people::levels_above(&db, &u.id, target).await? {
            Some(1) => Relation::DirectReport,
            Some(_) => Relation::Report,
            None => Relation::Other,
        },
        _ => Relation::Other,
    };
    if allows(user.as_ref().map(|u| u.roles.as_slice()), rule, relation) {
        let about = rule.person().map(|p| (p.to_owned(), relation));
        Ok(Ctx { db, user, about, session, state })
    } else if user.is_none() {
        Err(AppError::Unauthenticated)
    } else {
        Err(AppError::Forbidden)
    }
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "session or context failure");
    AppError::Internal
}

/// The network address failed sign-ins are counted against: the socket's peer, or behind a
/// trusted reverse proxy the address it appended to X-Forwarded-For. An IPv6 client controls a
/// whole /64, so that is what counts.
async fn client_address(state: &AppState) -> String {
    let forwarded = if state.trust_forwarded_for {
        leptos_axum::extract::<HeaderMap>().await.ok().and_then(|headers| {
            let list = headers.get("x-forwarded-for")?.to_str().ok()?;
            list.rsplit(',').next()?.trim().parse::<IpAddr>().ok()
        })
    } else {
        None
    };
    let peer = match forwarded {
        Some(ip) => Some(ip),
        None => leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok().map(|ConnectInfo(a)| a.ip()),
    };
    match peer {
        Some(IpAddr::V6(ip)) if ip.to_ipv4_mapped().is_none() => {
            let s = ip.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(ip) => ip.to_canonical().to_string(),
        None => "unknown".into(),
    }
}

/// A password check counted by the sign-in limiter: begun here, taken back by `succeeded`.
struct Attempt {
    account: String,
    address: String,
    began: Instant,
}

impl Attempt {
    async fn begin(ctx: &Ctx, account: &str) -> AppResult<Attempt> {
        let attempt = Attempt { account: account.to_owned(), address: client_address(&ctx.state).await, began: Instant::now() };
        ctx.state
            .limiter
            .begin(&attempt.account, &attempt.address, attempt.began)
            .map_err(|wait| AppError::TooManyAttempts { retry_after_secs: whole_seconds(wait) })?;
        Ok(attempt)
    }

    fn succeeded(self, ctx: &Ctx) {
        ctx.state.limiter.succeeded(&self.account, &self.address, self.began);
    }
}

/// Checks the password, then starts a fresh session (a new id, so a planted one is useless).
pub async fn sign_in(ctx: &Ctx, email: &str, password: String) -> AppResult<SessionUser> {
    let email = email.trim().to_lowercase();
    let attempt = Attempt::begin(ctx, &email).await?;
    let credentials = people::credentials(&ctx.db, &email).await?;
    let verified = password::verify(password, credentials.as_ref().and_then(|c| c.password_hash.clone())).await;
    let (key, epoch) = match credentials {
        Some(c) if verified && c.active => (c.key, c.session_epoch),
        _ => return Err(AppError::SignInFailed),
    };
    attempt.succeeded(ctx);
    ctx.session.cycle_id().await.map_err(internal)?;
    ctx.session.insert(PERSON_KEY, &key).await.map_err(internal)?;
    ctx.session.insert(EPOCH_KEY, epoch).await.map_err(internal)?;
    people::session_user(&ctx.db, &key).await?.map(|(user, _)| user).ok_or(AppError::SignInFailed)
}

/// Deletes the session from the store; the cookie it leaves behind opens nothing.
pub async fn sign_out(ctx: &Ctx) -> AppResult<()> {
    ctx.session.flush().await.map_err(internal)
}

/// Changes the caller's password; their other sessions end, this one continues with a new id.
/// Guessing the current password counts against the sign-in limit. The new password is written
/// only if the password checked is still the stored one, so of several changes at once exactly
/// one wins.
pub async fn change_password(ctx: &Ctx, current: String, new: String) -> AppResult<()> {
    let user = ctx.user()?;
    if let Err(message) = password::check_strength(&new) {
        return Err(AppError::invalid("new_password", message));
    }
    let attempt = Attempt::begin(ctx, &user.email).await?;
    let (hash, checked_epoch) = people::password_hash(&ctx.db, &user.id).await?;
    if !password::verify(current, hash).await {
        return Err(AppError::invalid("current_password", "This is not your current password."));
    }
    attempt.succeeded(ctx);
    let epoch = people::replace_password_hash(&ctx.db, &user.id, checked_epoch, password::hash(new).await?)
        .await?
        .ok_or_else(|| AppError::invalid("current_password", "Your password was changed a moment ago, so this is no longer your current password."))?;
    ctx.session.cycle_id().await.map_err(internal)?;
    ctx.session.insert(EPOCH_KEY, epoch).await.map_err(internal)
}


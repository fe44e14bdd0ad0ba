//! Rate limits kept in memory (one server process; behind several instances each keeps its own):
//! failed sign-ins, and the pushes of a person's offline changes. Pure apart from the clock, which
//! callers pass in.
//!
//! Sign-in guessing is slowed without handing anyone a lock-out: an account and address pair gets
//! a few free failures (typos), then waits twice as long after each further one; an address
//! failing across many accounts (spraying) is stopped; an account has a ceiling of failures from
//! all addresses together that is far above what a person mistypes, so five wrong passwords from
//! somewhere else never keep its owner out.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::limits;

#[derive(Clone, Copy, Debug)]
pub struct LimiterPolicy {
    pub free_failures: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
    pub pair_memory: Duration,
    pub per_account: usize,
    pub account_window: Duration,
    pub per_address: usize,
    pub address_window: Duration,
}

impl Default for LimiterPolicy {
    fn default() -> Self {
        Self {
            free_failures: limits::SIGN_IN_FREE_FAILURES,
            first_delay: limits::SIGN_IN_FIRST_DELAY,
            max_delay: limits::SIGN_IN_MAX_DELAY,
            pair_memory: limits::SIGN_IN_PAIR_MEMORY,
            per_account: limits::SIGN_IN_FAILURES_PER_ACCOUNT,
            account_window: limits::SIGN_IN_ACCOUNT_WINDOW,
            per_address: limits::SIGN_IN_FAILURES_PER_ADDRESS,
            address_window: limits::SIGN_IN_ADDRESS_WINDOW,
        }
    }
}

impl LimiterPolicy {
    /// How long a pair waits after its `failures`-th failure.
    fn delay(&self, failures: u32) -> Duration {
        match failures.checked_sub(self.free_failures) {
            None => Duration::ZERO,
            Some(beyond) => self.first_delay.saturating_mul(2u32.saturating_pow(beyond.min(31))).min(self.max_delay),
        }
    }
}

/// The failures of one account from one address.
#[derive(Debug)]
struct Pair {
    failures: u32,
    last: Instant,
}

#[derive(Debug, Default)]
struct Failures {
    pairs: HashMap<(String, String), Pair>,
    accounts: HashMap<String, VecDeque<Instant>>,
    addresses: HashMap<String, VecDeque<Instant>>,
}

/// Keys kept before the stale ones are swept (a spray of made-up accounts).
const SWEEP_ABOVE: usize = 100_000;

#[derive(Debug, Default)]
pub struct SignInLimiter {
    policy: LimiterPolicy,
    failures: Mutex<Failures>,
}

impl SignInLimiter {
    pub fn new(policy: LimiterPolicy) -> Self {
        Self { policy, failures: Mutex::default() }
    }

    /// Starts an attempt: `Err(wait)` while the pair waits out its delay or the account or the
    /// address has used up its failures; else the attempt counts as a failure at once, so parallel
    /// guesses cannot slip past the count while a password is being checked. `succeeded` takes
    /// it back.
    pub fn begin(&self, account: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let policy = self.policy;
        let mut f = self.failures.lock().expect("limiter lock");
        let pair_key = (account_key(account), address.to_owned());
        let mut wait = Duration::ZERO;
        if let Some(pair) = f.pairs.get(&pair_key) {
            if now.duration_since(pair.last) >= policy.pair_memory {
                f.pairs.remove(&pair_key);
            } else {
                wait = (pair.last + policy.delay(pair.failures)).saturating_duration_since(now);
            }
        }
        wait = wait.max(window_wait(f.accounts.get_mut(&pair_key.0), now, policy.account_window, policy.per_account));
        wait = wait.max(window_wait(f.addresses.get_mut(address), now, policy.address_window, policy.per_address));
        if !wait.is_zero() {
            return Err(wait);
        }
        if f.pairs.len() + f.accounts.len() + f.addresses.len() > SWEEP_ABOVE {
            f.pairs.retain(|_, pair| now.duration_since(pair.last) < policy.pair_memory);
            sweep(&mut f.accounts, now, policy.account_window);
            sweep(&mut f.addresses, now, policy.address_window);
        }
        let pair = f.pairs.entry(pair_key.clone()).or_insert(Pair { failures: 0, last: now });
        pair.failures += 1;
        pair.last = now;
        f.accounts.entry(pair_key.0).or_default().push_back(now);
        f.addresses.entry(address.to_owned()).or_default().push_back(now);
        Ok(())
    }

    /// The attempt begun at `began` was right: the pair starts afresh, and the attempt is taken
    /// back from the account's and the address's counts (other addresses' failures stay counted).
    pub fn succeeded(&self, account: &str, address: &str, began: Instant) {
        let mut guard = self.failures.lock().expect("limiter lock");
        let f = &mut *guard;
        let account = account_key(account);
        f.pairs.remove(&(account.clone(), address.to_owned()));
        for times in [f.accounts.get_mut(&account), f.addresses.get_mut(address)].into_iter().flatten() {
            if let Some(i) = times.iter().rposition(|t| *t == began) {
                times.remove(i);
            }
        }
    }
}

fn account_key(account: &str) -> String {
    account.trim().to_lowercase()
}

/// How long until a sliding window of failure times has room for one more.
fn window_wait(times: Option<&mut VecDeque<Instant>>, now: Instant, window: Duration, limit: usize) -> Duration {
    let Some(times) = times else { return Duration::ZERO };
    prune(times, now, window);
    if times.len() < limit {
        return Duration::ZERO;
    }
    let oldest = times[times.len() - limit];
    window.saturating_sub(now.duration_since(oldest))
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times.front().is_some_and(|t| now.duration_since(*t) >= window) {
        times.pop_front();
    }
}

fn sweep(windows: &mut HashMap<String, VecDeque<Instant>>, now: Instant, window: Duration) {
    windows.retain(|_, times| {
        prune(times, now, window);
        !times.is_empty()
    });
}

/// Whole seconds to wait, rounded up (a message never says "try again" too early).
pub fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// How many pushes of offline changes, and how many operations in them, each person may send in
/// a sliding window, from all their devices together.
#[derive(Clone, Copy, Debug)]
pub struct QuotaPolicy {
    pub window: Duration,
    pub pushes: usize,
    pub ops: usize,
}

impl Default for QuotaPolicy {
    fn default() -> Self {
        Self { window: limits::SYNC_QUOTA_WINDOW, pushes: limits::SYNC_PUSHES_PER_WINDOW, ops: limits::SYNC_OPS_PER_WINDOW }
    }
}

#[derive(Debug, Default)]
pub struct PushQuota {
    policy: QuotaPolicy,
    /// Per person: when each push came and how many operations it carried.
    pushes: Mutex<HashMap<String, VecDeque<(Instant, usize)>>>,
}

impl PushQuota {
    pub fn new(policy: QuotaPolicy) -> Self {
        Self { policy, pushes: Mutex::default() }
    }

    /// Counts a push of `ops` operations by `person`, or `Err(wait)` until it fits the quota.
    /// A push never carries more than the quota's operations (`limits::SYNC_OPS_PER_PUSH` is
    /// checked first), so every wait ends.
    pub fn take(&self, person: &str, ops: usize, now: Instant) -> Result<(), Duration> {
        let window = self.policy.window;
        let mut pushes = self.pushes.lock().expect("quota lock");
        if pushes.len() > SWEEP_ABOVE {
            pushes.retain(|_, times| times.back().is_some_and(|(t, _)| now.duration_since(*t) < window));
        }
        let times = pushes.entry(person.to_owned()).or_default();
        while times.front().is_some_and(|(t, _)| now.duration_since(*t) >= window) {
            times.pop_front();
        }
        // The earliest moment both the push count and the operations fit again.
        let mut count = times.len();
        let mut used: usize = times.iter().map(|(_, n)| n).sum();
        let mut frees_at = None;
        for (at, n) in times.iter() {
            if count < self.policy.pushes && used + ops <= self.policy.ops {
                break;
            }
            count -= 1;
            used -= n;
            frees_at = Some(*at + window);
        }
        match frees_at {
            Some(at) => Err(at.saturating_duration_since(now)),
            None if count < self.policy.pushes && used + ops <= self.policy.ops => {
                times.push_back((now, ops));
                Ok(())
            }
            // Larger than the whole quota: refused by the push's own limit before it gets here.
            None => Err(window),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> SignInLimiter {
        SignInLimiter::new(LimiterPolicy {
            free_failures: 3,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            pair_memory: Duration::from_secs(600),
            per_account: 20,
            account_window: Duration::from_secs(3600),
            per_address: 12,
            address_window: Duration::from_secs(300),
        })
    }

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn a_pair_gets_free_failures_then_waits_twice_as_long_each_time() {
        let l = limiter();
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(l.begin("A@x.org", "1.1.1.1", t0).is_ok(), "free attempt {i}");
        }
        // 1 s after the third failure, then 2 s, 4 s … up to the ceiling of 60 s.
        assert_eq!(l.begin("a@x.org", "1.1.1.1", t0), Err(S));
        let mut at = t0;
        for delay in [1, 2, 4, 8, 16, 32, 60, 60] {
            assert_eq!(l.begin("a@x.org", "1.1.1.1", at + S * delay - S / 2), Err(S / 2), "half a second early after {delay} s");
            at += S * delay;
            assert!(l.begin("a@x.org", "1.1.1.1", at).is_ok(), "on time after {delay} s");
        }
        // A pair forgotten after ten quiet minutes starts afresh.
        assert!(l.begin("a@x.org", "1.1.1.1", at + S * 600).is_ok());
        assert!(l.begin("a@x.org", "1.1.1.1", at + S * 600).is_ok());
    }

    #[test]
    fn someone_failing_elsewhere_does_not_keep_the_owner_out() {
        let l = limiter();
        let t0 = Instant::now();
        let attacker = (0..10).filter(|_| l.begin("owner@x.org", "6.6.6.6", t0).is_ok()).count();
        assert_eq!(attacker, 3, "the attacker's address is slowed");
        assert!(l.begin("owner@x.org", "1.1.1.1", t0).is_ok(), "the owner from home is not");
        l.succeeded("owner@x.org", "1.1.1.1", t0);
        assert!(l.begin("owner@x.org", "6.6.6.6", t0).is_err(), "the owner's success does not free the attacker");
    }

    #[test]
    fn an_account_guessed_from_many_addresses_reaches_its_ceiling() {
        let l = limiter();
        let t0 = Instant::now();
        for i in 0..20 {
            assert!(l.begin("a@x.org", &format!("10.0.0.{i}"), t0).is_ok(), "address {i}");
        }
        assert_eq!(l.begin("a@x.org", "10.0.1.1", t0 + S * 100), Err(S * 3500));
        assert!(l.begin("b@x.org", "10.0.1.1", t0 + S * 100).is_ok(), "other accounts are not affected");
        assert!(l.begin("a@x.org", "10.0.1.1", t0 + S * 3600).is_ok(), "the window slides");
    }

    #[test]
    fn an_address_spraying_many_accounts_is_stopped() {
        let l = limiter();
        let t0 = Instant::now();
        for i in 0..12 {
            l.begin(&format!("user{i}@x.org"), "9.9.9.9", t0).unwrap();
        }
        assert_eq!(l.begin("new@x.org", "9.9.9.9", t0 + S * 60), Err(S * 240));
        assert!(l.begin("new@x.org", "8.8.8.8", t0).is_ok());
    }

    #[test]
    fn parallel_attempts_count_before_their_passwords_are_checked() {
        let l = limiter();
        let t0 = Instant::now();
        assert_eq!((0..10).filter(|_| l.begin("a@x.org", "1.1.1.1", t0).is_ok()).count(), 3);
    }

    #[test]
    fn success_starts_the_pair_afresh_and_takes_back_the_attempt() {
        let l = limiter();
        let t0 = Instant::now();
        for _ in 0..2 {
            l.begin("a@x.org", "1.1.1.1", t0).unwrap();
        }
        let t1 = t0 + S;
        l.begin("a@x.org", "1.1.1.1", t1).unwrap();
        l.succeeded("a@x.org", "1.1.1.1", t1);
        for _ in 0..3 {
            assert!(l.begin("a@x.org", "1.1.1.1", t1).is_ok(), "three free failures again");
        }
        // The address kept its two earlier failures and these three, not the successful attempt:
        // seven more of twelve.
        for i in 0..7 {
            assert!(l.begin(&format!("u{i}@x.org"), "1.1.1.1", t1).is_ok(), "{i}");
        }
        assert!(l.begin("w@x.org", "1.1.1.1", t1).is_err());
    }

    #[test]
    fn waits_are_whole_seconds_rounded_up() {
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::from_millis(4001)), 5);
        assert_eq!(whole_seconds(Duration::from_secs(4)), 4);
    }

    #[test]
    fn the_push_quota_counts_pushes_and_operations_per_person() {
        let q = PushQuota::new(QuotaPolicy { window: Duration::from_secs(60), pushes: 3, ops: 100 });
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(q.take("sam", 10, t0 + S * i).is_ok());
        }
        // The fourth push waits until the first leaves the window.
        assert_eq!(q.take("sam", 1, t0 + S * 30), Err(S * 30));
        assert!(q.take("ana", 1, t0 + S * 30).is_ok(), "each person has their own");
        assert!(q.take("sam", 1, t0 + S * 60).is_ok());
        // Operations: 10 + 10 + 1 of 100 used; 90 more wait for the two pushes at 1 s and 2 s.
        assert_eq!(q.take("sam", 90, t0 + S * 60), Err(S * 2));
        assert!(q.take("sam", 79, t0 + S * 60).is_err(), "still three pushes in the window");
        assert!(q.take("sam", 79, t0 + S * 61).is_ok());
    }
}

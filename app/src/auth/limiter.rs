//! Failed sign-ins are limited per account and per network address, in memory: a sliding window of
//! failure times per key. (One server process; behind several instances each keeps its own count.)

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub struct LimiterPolicy {
    pub window: Duration,
    pub per_account: usize,
    pub per_address: usize,
}

impl Default for LimiterPolicy {
    fn default() -> Self {
        Self { window: Duration::from_secs(15 * 60), per_account: 5, per_address: 30 }
    }
}

#[derive(Debug, Default)]
pub struct SignInLimiter {
    policy: LimiterPolicy,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl SignInLimiter {
    pub fn new(policy: LimiterPolicy) -> Self {
        Self { policy, failures: Mutex::default() }
    }

    /// Starts an attempt: `Err(wait)` when the account or the address has used up its failures,
    /// else the attempt counts as a failure at once, so parallel guesses cannot slip past the
    /// count while a password is being checked. `succeeded` takes it back.
    pub fn begin(&self, account: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().expect("limiter lock");
        let limits = [
            (account_key(account), self.policy.per_account),
            (address_key(address), self.policy.per_address),
        ];
        let mut wait = Duration::ZERO;
        for (key, limit) in limits {
            if let Some(times) = failures.get_mut(&key) {
                prune(times, now, self.policy.window);
                if times.len() >= limit {
                    let oldest = times[times.len() - limit];
                    wait = wait.max(self.policy.window.saturating_sub(now - oldest));
                }
            }
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        // Keep memory bounded under a spray of made-up accounts.
        if failures.len() > 100_000 {
            let window = self.policy.window;
            failures.retain(|_, times| {
                prune(times, now, window);
                !times.is_empty()
            });
        }
        for key in [account_key(account), address_key(address)] {
            failures.entry(key).or_default().push_back(now);
        }
        Ok(())
    }

    /// The attempt begun at `began` was right: the account's count is cleared and the address's
    /// attempt taken back.
    pub fn succeeded(&self, account: &str, address: &str, began: Instant) {
        let mut failures = self.failures.lock().expect("limiter lock");
        failures.remove(&account_key(account));
        if let Some(times) = failures.get_mut(&address_key(address)) {
            if let Some(i) = times.iter().rposition(|t| *t == began) {
                times.remove(i);
            }
        }
    }
}

fn account_key(account: &str) -> String {
    format!("account:{}", account.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times.front().is_some_and(|t| now.duration_since(*t) >= window) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> SignInLimiter {
        SignInLimiter::new(LimiterPolicy { window: Duration::from_secs(60), per_account: 3, per_address: 5 })
    }

    #[test]
    fn an_account_is_locked_after_its_failures_and_freed_when_the_window_passes() {
        let l = limiter();
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(l.begin("A@x.org", "1.1.1.1", t0).is_ok(), "attempt {i}");
        }
        assert_eq!(l.begin("a@x.org", "2.2.2.2", t0 + Duration::from_secs(10)), Err(Duration::from_secs(50)));
        assert!(l.begin("b@x.org", "2.2.2.2", t0).is_ok(), "other accounts are not affected");
        assert!(l.begin("a@x.org", "2.2.2.2", t0 + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn parallel_attempts_count_before_their_passwords_are_checked() {
        let l = limiter();
        let t0 = Instant::now();
        let started = (0..10).filter(|_| l.begin("a@x.org", "1.1.1.1", t0).is_ok()).count();
        assert_eq!(started, 3);
    }

    #[test]
    fn an_address_spraying_many_accounts_is_locked() {
        let l = limiter();
        let t0 = Instant::now();
        for i in 0..5 {
            l.begin(&format!("user{i}@x.org"), "9.9.9.9", t0).unwrap();
        }
        assert!(l.begin("new@x.org", "9.9.9.9", t0).is_err());
        assert!(l.begin("new@x.org", "8.8.8.8", t0).is_ok());
    }

    #[test]
    fn success_clears_the_account_and_takes_back_the_attempt() {
        let l = limiter();
        let t0 = Instant::now();
        for _ in 0..2 {
            l.begin("a@x.org", "1.1.1.1", t0).unwrap();
        }
        let t1 = t0 + Duration::from_secs(1);
        l.begin("a@x.org", "1.1.1.1", t1).unwrap();
        l.succeeded("a@x.org", "1.1.1.1", t1);
        assert!(l.begin("a@x.org", "3.3.3.3", t1).is_ok());
        // The address keeps its two failures, not the successful attempt: three more of five.
        for other in ["x@x.org", "y@x.org", "z@x.org"] {
            assert!(l.begin(other, "1.1.1.1", t1).is_ok(), "{other}");
        }
        assert!(l.begin("w@x.org", "1.1.1.1", t1).is_err());
    }
}

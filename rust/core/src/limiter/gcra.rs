use super::{Decision, Policy};
use crate::{CoreError, Result};

/// Rounding slack, relative to the magnitudes involved, within which a request still passes.
/// NOTE: without it, a caller that waits exactly `retry_after` can be denied again by one
/// unit of rounding in `now + retry_after`; 64 ulps is far below any clock's resolution.
const SLACK_ULPS: f64 = 64.0 * f64::EPSILON;

/// One generic-cell-rate-algorithm bucket.
///
/// The whole state is `tat`, the theoretical arrival time: the moment the bucket is full again.
/// Each token pushes `tat` `1 / rate` seconds later, and a request passes while `tat` stays
/// within `burst / rate` seconds of `now`. The same arithmetic runs in Redis for many
/// instances, so the two limiters agree.
#[derive(Debug, Clone)]
pub struct Gcra {
    policy: Policy,
    tat: f64,
}

impl Gcra {
    /// A full bucket.
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            tat: f64::NEG_INFINITY,
        }
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Takes `cost` tokens at time `now` (seconds) if the bucket holds them.
    pub fn try_acquire(&mut self, cost: f64, now: f64) -> Result<Decision> {
        check_request(cost, now)?;
        let debt = self.debt(now);
        if cost > self.policy.burst() {
            return Ok(Decision::denied(f64::INFINITY, self.tokens_left(debt)));
        }

        let needed = debt + self.policy.seconds_for(cost);
        let capacity = self.policy.capacity_seconds();
        let over = needed - capacity;
        if over <= SLACK_ULPS * (1.0 + now.abs() + capacity) {
            self.tat = now + needed;
            return Ok(Decision::allowed(self.tokens_left(needed)));
        }
        Ok(Decision::denied(over, self.tokens_left(debt)))
    }

    /// Charges `delta` tokens at time `now` without asking, or refunds them when negative; for
    /// requests that reserve an estimate and settle the true cost afterwards. Returns the
    /// tokens left, 0 while in debt.
    ///
    /// A charge may take the bucket past empty into debt, so that later requests wait longer;
    /// a refund never fills it past `burst`.
    pub fn adjust(&mut self, delta: f64, now: f64) -> Result<f64> {
        check_adjustment(delta, now)?;
        let debt = (self.debt(now) + self.policy.seconds_for(delta)).max(0.0);
        self.tat = now + debt;
        Ok(self.tokens_left(debt))
    }

    /// True when the bucket has refilled completely, so forgetting it changes nothing.
    pub fn is_full(&self, now: f64) -> bool {
        self.tat <= now
    }

    /// Switches to `policy`, keeping the number of tokens in use. Keeping `tat` instead would
    /// scale the tokens in use by the new rate, so raising a rate could deny a request.
    pub fn retune(&mut self, policy: Policy, now: f64) {
        let used = self.debt(now) * self.policy.rate();
        self.policy = policy;
        if used > 0.0 {
            self.tat = now + policy.seconds_for(used);
        }
    }

    /// Seconds until the bucket is full again.
    fn debt(&self, now: f64) -> f64 {
        (self.tat - now).max(0.0)
    }

    fn tokens_left(&self, debt: f64) -> f64 {
        let burst = self.policy.burst();
        (burst - debt * self.policy.rate()).clamp(0.0, burst)
    }
}

pub(crate) fn check_request(cost: f64, now: f64) -> Result<()> {
    if cost.is_nan() || cost < 0.0 {
        let message = format!("cost must be a number >= 0, got {cost}");
        return Err(CoreError::InvalidArgument(message));
    }
    if !now.is_finite() {
        return Err(CoreError::InvalidArgument(format!(
            "now must be finite, got {now}"
        )));
    }
    Ok(())
}

pub(crate) fn check_adjustment(delta: f64, now: f64) -> Result<()> {
    if !delta.is_finite() {
        let message = format!("delta must be a finite number, got {delta}");
        return Err(CoreError::InvalidArgument(message));
    }
    check_request(0.0, now)
}

use crate::{CoreError, Result};

/// A validated limit: `rate` tokens refill per second into a bucket that holds `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    rate: f64,
    burst: f64,
}

impl Policy {
    pub fn new(rate: f64, burst: f64) -> Result<Self> {
        Ok(Self {
            rate: positive("rate", rate)?,
            burst: positive("burst", burst)?,
        })
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }

    pub fn burst(&self) -> f64 {
        self.burst
    }

    /// Seconds the bucket takes to refill `tokens`.
    pub(crate) fn seconds_for(&self, tokens: f64) -> f64 {
        tokens / self.rate
    }

    /// Seconds a full bucket takes to refill from empty (GCRA's tolerance, tau).
    pub(crate) fn capacity_seconds(&self) -> f64 {
        self.burst / self.rate
    }
}

fn positive(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        return Ok(value);
    }
    Err(CoreError::InvalidArgument(format!(
        "{name} must be a finite number > 0, got {value}"
    )))
}

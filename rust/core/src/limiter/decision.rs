/// The answer to one acquire call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    /// Seconds until the same request would pass: 0 when allowed, infinite when it never can.
    pub retry_after: f64,
    /// Tokens left in the bucket after this decision.
    pub remaining: f64,
}

impl Decision {
    pub(crate) fn allowed(remaining: f64) -> Self {
        Self {
            allowed: true,
            retry_after: 0.0,
            remaining,
        }
    }

    pub(crate) fn denied(retry_after: f64, remaining: f64) -> Self {
        Self {
            allowed: false,
            retry_after,
            remaining,
        }
    }
}

//! GCRA rate limiting over caller-supplied monotonic time in seconds.
//!
//! The caller passes `now` on every call, so the arithmetic is pure and testable, and a
//! process can use one clock for every limiter.

mod decision;
mod gcra;
mod keyed;
mod policy;

pub use decision::Decision;
pub use gcra::Gcra;
pub use keyed::KeyedLimiter;
pub use policy::Policy;

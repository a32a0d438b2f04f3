//! `Gcra` and `KeyedLimiter`: decisions come back as `(allowed, retry_after, remaining)`.

use ferrogate_core::{Decision, Gcra, KeyedLimiter, Policy, Result};
use pyo3::prelude::*;

use crate::args::count;
use crate::errors::OrRaise;

type Outcome = (bool, f64, f64);

#[pyclass(name = "Gcra", module = "ferrogate._native")]
pub(crate) struct PyGcra(Gcra);

#[pymethods]
impl PyGcra {
    #[new]
    fn new(rate: f64, burst: f64) -> PyResult<Self> {
        Policy::new(rate, burst)
            .map(|policy| Self(Gcra::new(policy)))
            .or_raise()
    }

    fn try_acquire(&mut self, cost: f64, now: f64) -> PyResult<Outcome> {
        outcome(self.0.try_acquire(cost, now))
    }

    fn adjust(&mut self, delta: f64, now: f64) -> PyResult<f64> {
        self.0.adjust(delta, now).or_raise()
    }

    #[getter]
    fn rate(&self) -> f64 {
        self.0.policy().rate()
    }

    #[getter]
    fn burst(&self) -> f64 {
        self.0.policy().burst()
    }

    fn __repr__(&self) -> String {
        format!("Gcra(rate={:?}, burst={:?})", self.rate(), self.burst())
    }
}

#[pyclass(name = "KeyedLimiter", module = "ferrogate._native")]
pub(crate) struct PyKeyedLimiter(KeyedLimiter);

#[pymethods]
impl PyKeyedLimiter {
    #[new]
    #[pyo3(signature = (max_keys = 100_000))]
    fn new(max_keys: i64) -> PyResult<Self> {
        count("max_keys", max_keys)
            .and_then(KeyedLimiter::new)
            .map(Self)
            .or_raise()
    }

    fn try_acquire(
        &mut self,
        key: &str,
        rate: f64,
        burst: f64,
        cost: f64,
        now: f64,
    ) -> PyResult<Outcome> {
        outcome(Policy::new(rate, burst).and_then(|p| self.0.try_acquire(key, p, cost, now)))
    }

    fn adjust(&mut self, key: &str, rate: f64, burst: f64, delta: f64, now: f64) -> PyResult<f64> {
        Policy::new(rate, burst)
            .and_then(|p| self.0.adjust(key, p, delta, now))
            .or_raise()
    }

    fn evict_idle(&mut self, now: f64) -> usize {
        self.0.evict_idle(now)
    }

    #[getter]
    fn max_keys(&self) -> usize {
        self.0.max_keys()
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }
}

fn outcome(decision: Result<Decision>) -> PyResult<Outcome> {
    decision
        .map(|d| (d.allowed, d.retry_after, d.remaining))
        .or_raise()
}

use lru::LruCache;

use super::gcra::{check_adjustment, check_request};
use super::{Decision, Gcra, Policy};
use crate::{CoreError, Result};

/// Many GCRA buckets by key, bounded to `max_keys`, with the policy given on every call so a
/// key's limits can change at any time.
///
/// A key with no bucket is the same as a key with a full bucket, so full buckets are never
/// stored and may be dropped at any time.
pub struct KeyedLimiter {
    buckets: LruCache<String, Gcra>,
    max_keys: usize,
    inserts_since_sweep: usize,
}

impl KeyedLimiter {
    pub fn new(max_keys: usize) -> Result<Self> {
        if max_keys == 0 {
            return Err(CoreError::InvalidArgument(
                "max_keys must be at least 1".into(),
            ));
        }
        let buckets = LruCache::unbounded();
        Ok(Self {
            buckets,
            max_keys,
            inserts_since_sweep: 0,
        })
    }

    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    pub fn max_keys(&self) -> usize {
        self.max_keys
    }

    pub fn try_acquire(
        &mut self,
        key: &str,
        policy: Policy,
        cost: f64,
        now: f64,
    ) -> Result<Decision> {
        check_request(cost, now)?;
        if let Some(bucket) = self.buckets.get_mut(key) {
            if bucket.policy() != policy {
                bucket.retune(policy, now);
            }
            return bucket.try_acquire(cost, now);
        }
        self.acquire_new(key, policy, cost, now)
    }

    /// [`Gcra::adjust`] for the bucket of `key`: charges `delta` tokens, or refunds them when
    /// negative, and returns the tokens left.
    pub fn adjust(&mut self, key: &str, policy: Policy, delta: f64, now: f64) -> Result<f64> {
        check_adjustment(delta, now)?;
        if let Some(bucket) = self.buckets.get_mut(key) {
            if bucket.policy() != policy {
                bucket.retune(policy, now);
            }
            return bucket.adjust(delta, now);
        }
        self.adjust_new(key, policy, delta, now)
    }

    /// Drops every bucket that has refilled completely; returns how many went.
    pub fn evict_idle(&mut self, now: f64) -> usize {
        self.inserts_since_sweep = 0;
        let idle: Vec<String> = self
            .buckets
            .iter()
            .filter(|(_, b)| b.is_full(now))
            .map(|(k, _)| k.clone())
            .collect();
        for key in &idle {
            self.buckets.pop(key);
        }
        idle.len()
    }

    fn acquire_new(&mut self, key: &str, policy: Policy, cost: f64, now: f64) -> Result<Decision> {
        let mut bucket = Gcra::new(policy);
        let decision = bucket.try_acquire(cost, now)?;
        self.keep(key, bucket, now);
        Ok(decision)
    }

    /// A key without a bucket has a full one: a refund changes nothing, a charge stores it.
    fn adjust_new(&mut self, key: &str, policy: Policy, delta: f64, now: f64) -> Result<f64> {
        let mut bucket = Gcra::new(policy);
        let remaining = bucket.adjust(delta, now)?;
        self.keep(key, bucket, now);
        Ok(remaining)
    }

    fn keep(&mut self, key: &str, bucket: Gcra, now: f64) {
        if !bucket.is_full(now) {
            self.make_room(now);
            self.inserts_since_sweep += 1;
            self.buckets.push(key.to_owned(), bucket);
        }
    }

    /// Frees one slot: idle buckets first, then the least recently used.
    /// NOTE: the idle sweep scans every key, so it runs at most once per `max_keys / 16` new
    /// keys; a flood of distinct keys then costs O(1) per key instead of a scan each.
    fn make_room(&mut self, now: f64) {
        if self.buckets.len() < self.max_keys {
            return;
        }
        if self.inserts_since_sweep >= (self.max_keys / 16).max(1) {
            self.evict_idle(now);
        }
        while self.buckets.len() >= self.max_keys {
            self.buckets.pop_lru();
        }
    }
}

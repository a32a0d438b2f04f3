use ferrogate_core::{CoreError, KeyedLimiter, Policy};

fn policy(rate: f64, burst: f64) -> Policy {
    Policy::new(rate, burst).unwrap()
}

fn allowed(limiter: &mut KeyedLimiter, key: &str, now: f64) -> bool {
    limiter
        .try_acquire(key, policy(1.0, 1.0), 1.0, now)
        .unwrap()
        .allowed
}

#[test]
fn keys_have_separate_buckets() {
    let mut limiter = KeyedLimiter::new(10).unwrap();
    assert!(allowed(&mut limiter, "a", 0.0));
    assert!(!allowed(&mut limiter, "a", 0.0));
    assert!(allowed(&mut limiter, "b", 0.0));
    assert_eq!(limiter.len(), 2);
}

#[test]
fn full_buckets_are_not_stored() {
    let mut limiter = KeyedLimiter::new(10).unwrap();
    limiter
        .try_acquire("probe", policy(1.0, 1.0), 0.0, 0.0)
        .unwrap();
    limiter
        .try_acquire("huge", policy(1.0, 1.0), 5.0, 0.0)
        .unwrap();
    assert!(limiter.is_empty());
}

#[test]
fn evict_idle_drops_only_refilled_buckets() {
    let mut limiter = KeyedLimiter::new(10).unwrap();
    limiter
        .try_acquire("fast", policy(10.0, 1.0), 1.0, 0.0)
        .unwrap();
    limiter
        .try_acquire("slow", policy(0.1, 1.0), 1.0, 0.0)
        .unwrap();
    assert_eq!(limiter.evict_idle(1.0), 1);
    assert_eq!(limiter.len(), 1);
    assert!(!allowed(&mut limiter, "slow", 1.0));
}

#[test]
fn full_limiter_evicts_idle_keys_before_busy_ones() {
    let mut limiter = KeyedLimiter::new(2).unwrap();
    limiter
        .try_acquire("busy", policy(0.001, 1.0), 1.0, 0.0)
        .unwrap();
    limiter
        .try_acquire("idle", policy(100.0, 1.0), 1.0, 0.0)
        .unwrap();
    limiter
        .try_acquire("new", policy(1.0, 1.0), 1.0, 1.0)
        .unwrap();
    assert_eq!(limiter.len(), 2);
    assert!(!allowed(&mut limiter, "busy", 1.0));
}

#[test]
fn full_limiter_without_idle_keys_drops_least_recently_used() {
    let mut limiter = KeyedLimiter::new(2).unwrap();
    assert!(allowed(&mut limiter, "a", 0.0));
    assert!(allowed(&mut limiter, "b", 0.0));
    assert!(!allowed(&mut limiter, "a", 0.0));
    assert!(allowed(&mut limiter, "c", 0.0));
    assert!(
        !allowed(&mut limiter, "a", 0.0),
        "a was used last, so it stays"
    );
    assert!(
        allowed(&mut limiter, "b", 0.0),
        "b was least recently used, so it went"
    );
}

#[test]
fn policy_change_applies_at_once_and_keeps_usage() {
    let mut limiter = KeyedLimiter::new(10).unwrap();
    limiter
        .try_acquire("k", policy(1.0, 2.0), 2.0, 0.0)
        .unwrap();
    let raised = limiter
        .try_acquire("k", policy(1.0, 5.0), 3.0, 0.0)
        .unwrap();
    assert!(raised.allowed);
    assert_eq!(raised.remaining, 0.0);
}

#[test]
fn zero_max_keys_is_rejected() {
    assert!(matches!(
        KeyedLimiter::new(0),
        Err(CoreError::InvalidArgument(_))
    ));
}

#[test]
fn adjust_charge_on_an_unknown_key_stores_its_debt() {
    let mut limiter = KeyedLimiter::new(10).unwrap();
    let p = policy(1.0, 2.0);
    assert_eq!(limiter.adjust("k", p, 5.0, 0.0).unwrap(), 0.0);
    assert_eq!(limiter.len(), 1);
    assert!(!limiter.try_acquire("k", p, 1.0, 3.0).unwrap().allowed);
    assert!(limiter.try_acquire("k", p, 1.0, 4.0).unwrap().allowed);
}

#[test]
fn adjust_refund_on_an_unknown_key_stores_nothing() {
    let mut limiter = KeyedLimiter::new(10).unwrap();
    assert_eq!(
        limiter.adjust("k", policy(1.0, 2.0), -5.0, 0.0).unwrap(),
        2.0
    );
    assert!(limiter.is_empty());
}

#[test]
fn adjust_refund_gives_back_a_reservation() {
    let mut limiter = KeyedLimiter::new(10).unwrap();
    let p = policy(1.0, 10.0);
    limiter.try_acquire("k", p, 10.0, 0.0).unwrap();
    assert_eq!(limiter.adjust("k", p, -4.0, 0.0).unwrap(), 4.0);
    assert!(limiter.try_acquire("k", p, 4.0, 0.0).unwrap().allowed);
}

#[test]
fn adjust_rejects_a_non_finite_delta() {
    let mut limiter = KeyedLimiter::new(10).unwrap();
    assert!(matches!(
        limiter.adjust("k", policy(1.0, 1.0), f64::NAN, 0.0),
        Err(CoreError::InvalidArgument(_))
    ));
}

use ferrogate_core::{CoreError, Decision, Gcra, Policy};

fn bucket(rate: f64, burst: f64) -> Gcra {
    Gcra::new(Policy::new(rate, burst).unwrap())
}

fn acquire(bucket: &mut Gcra, cost: f64, now: f64) -> Decision {
    bucket.try_acquire(cost, now).unwrap()
}

#[test]
fn burst_passes_at_once_then_denies() {
    let mut limiter = bucket(1.0, 3.0);
    let remaining: Vec<f64> = (0..3)
        .map(|_| acquire(&mut limiter, 1.0, 100.0).remaining)
        .collect();
    assert_eq!(remaining, [2.0, 1.0, 0.0]);

    let denied = acquire(&mut limiter, 1.0, 100.0);
    assert_eq!(
        denied,
        Decision {
            allowed: false,
            retry_after: 1.0,
            remaining: 0.0
        }
    );
}

#[test]
fn tokens_refill_at_rate() {
    let mut limiter = bucket(2.0, 4.0);
    acquire(&mut limiter, 4.0, 10.0);
    assert_eq!(acquire(&mut limiter, 1.0, 10.5).remaining, 0.0);
    assert_eq!(acquire(&mut limiter, 0.0, 11.5).remaining, 2.0);
    assert_eq!(acquire(&mut limiter, 0.0, 99.0).remaining, 4.0);
}

#[test]
fn retry_after_is_exactly_when_the_tokens_are_back() {
    let mut limiter = bucket(3.0, 5.0);
    acquire(&mut limiter, 5.0, 0.1);
    let denied = acquire(&mut limiter, 2.0, 0.7);
    assert!(!denied.allowed);
    assert!((denied.retry_after - (2.0 / 3.0 - 0.6)).abs() < 1e-12);

    let early = acquire(&mut limiter, 2.0, 0.7 + denied.retry_after - 1e-6);
    assert!(!early.allowed);
    assert!(acquire(&mut limiter, 2.0, 0.7 + denied.retry_after).allowed);
}

#[test]
fn retry_after_holds_at_large_clock_values() {
    let mut limiter = bucket(7.0, 3.0);
    let start = 1.0e8 + 0.123;
    acquire(&mut limiter, 3.0, start);
    let denied = acquire(&mut limiter, 1.0, start + 0.01);
    assert!(acquire(&mut limiter, 1.0, start + 0.01 + denied.retry_after).allowed);
}

#[test]
fn cost_above_burst_never_passes() {
    let mut limiter = bucket(10.0, 5.0);
    let decision = acquire(&mut limiter, 5.5, 0.0);
    assert_eq!(
        decision,
        Decision {
            allowed: false,
            retry_after: f64::INFINITY,
            remaining: 5.0
        }
    );
    assert!(acquire(&mut limiter, 5.0, 0.0).allowed);
}

#[test]
fn denied_request_takes_nothing() {
    let mut limiter = bucket(1.0, 2.0);
    acquire(&mut limiter, 2.0, 0.0);
    acquire(&mut limiter, 1.0, 0.5);
    assert_eq!(acquire(&mut limiter, 1.0, 1.0).remaining, 0.0);
}

#[test]
fn clock_going_backwards_neither_refills_nor_panics() {
    let mut limiter = bucket(1.0, 1.0);
    acquire(&mut limiter, 1.0, 50.0);
    let decision = acquire(&mut limiter, 1.0, 49.0);
    assert_eq!(
        decision,
        Decision {
            allowed: false,
            retry_after: 2.0,
            remaining: 0.0
        }
    );
}

#[test]
fn retune_keeps_tokens_in_use() {
    let mut limiter = bucket(1.0, 10.0);
    acquire(&mut limiter, 4.0, 0.0);
    limiter.retune(Policy::new(4.0, 10.0).unwrap(), 0.0);
    assert_eq!(acquire(&mut limiter, 0.0, 0.0).remaining, 6.0);
    assert_eq!(acquire(&mut limiter, 0.0, 0.5).remaining, 8.0);
}

#[test]
fn invalid_limits_are_rejected() {
    for (rate, burst) in [
        (0.0, 1.0),
        (-1.0, 1.0),
        (1.0, 0.0),
        (f64::NAN, 1.0),
        (1.0, f64::INFINITY),
    ] {
        assert!(matches!(
            Policy::new(rate, burst),
            Err(CoreError::InvalidArgument(_))
        ));
    }
}

#[test]
fn invalid_cost_or_clock_is_rejected() {
    let mut limiter = bucket(1.0, 1.0);
    for (cost, now) in [
        (-1.0, 0.0),
        (f64::NAN, 0.0),
        (1.0, f64::NAN),
        (1.0, f64::INFINITY),
    ] {
        assert!(matches!(
            limiter.try_acquire(cost, now),
            Err(CoreError::InvalidArgument(_))
        ));
    }
}

#[test]
fn adjust_charges_past_empty_into_debt() {
    let mut limiter = bucket(1.0, 4.0);
    acquire(&mut limiter, 3.0, 0.0);
    assert_eq!(limiter.adjust(3.0, 0.0).unwrap(), 0.0);

    let denied = acquire(&mut limiter, 1.0, 0.0);
    assert!(!denied.allowed);
    assert_eq!(denied.retry_after, 3.0);
    assert!(acquire(&mut limiter, 1.0, 3.0).allowed);
}

#[test]
fn adjust_refunds_up_to_burst_only() {
    let mut limiter = bucket(1.0, 4.0);
    acquire(&mut limiter, 3.0, 0.0);
    assert_eq!(limiter.adjust(-2.0, 0.0).unwrap(), 3.0);
    assert_eq!(limiter.adjust(-10.0, 0.0).unwrap(), 4.0);
    assert!(acquire(&mut limiter, 4.0, 0.0).allowed);
}

#[test]
fn adjust_by_zero_reports_tokens_left() {
    let mut limiter = bucket(2.0, 4.0);
    acquire(&mut limiter, 4.0, 0.0);
    assert_eq!(limiter.adjust(0.0, 1.0).unwrap(), 2.0);
}

#[test]
fn adjust_rejects_non_finite_delta_or_clock() {
    let mut limiter = bucket(1.0, 1.0);
    for (delta, now) in [(f64::NAN, 0.0), (f64::INFINITY, 0.0), (1.0, f64::NAN)] {
        assert!(matches!(
            limiter.adjust(delta, now),
            Err(CoreError::InvalidArgument(_))
        ));
    }
}

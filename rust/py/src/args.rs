//! Argument checks that the core's types cannot express.

use ferrogate_core::{CoreError, Result};

/// A count from Python, where a negative number is a `ValueError`, not an `OverflowError`.
pub(crate) fn count(name: &str, value: i64) -> Result<usize> {
    usize::try_from(value)
        .map_err(|_| CoreError::InvalidArgument(format!("{name} must be >= 0, got {value}")))
}

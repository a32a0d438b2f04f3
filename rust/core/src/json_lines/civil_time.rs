//! Seconds since the Unix epoch as an ISO 8601 UTC timestamp, without a date library.

/// `"YYYY-MM-DDTHH:MM:SS.ffffffZ"`, to the nearest microsecond; `null` when the time is not
/// finite or outside years 0 to 9999.
pub(super) fn write_utc(buf: &mut Vec<u8>, unix_s: f64) {
    const MAX_S: f64 = 253_402_300_800.0; // 10000-01-01
    const MIN_S: f64 = -62_167_219_200.0; // 0000-01-01
    if !(MIN_S..MAX_S).contains(&unix_s) {
        buf.extend_from_slice(b"null");
        return;
    }
    let micros = (unix_s * 1_000_000.0).round() as i64;
    let (days, of_day) = (
        micros.div_euclid(86_400_000_000),
        micros.rem_euclid(86_400_000_000),
    );
    let (year, month, day) = civil_from_days(days);
    let seconds = of_day / 1_000_000;
    let of_minute = seconds % 60;
    let minutes = seconds / 60;
    // Digits by hand: `write!` with its format machinery cost four times as much.
    buf.push(b'"');
    digits(buf, year, 4);
    buf.push(b'-');
    digits(buf, month, 2);
    buf.push(b'-');
    digits(buf, day, 2);
    buf.push(b'T');
    digits(buf, minutes / 60, 2);
    buf.push(b':');
    digits(buf, minutes % 60, 2);
    buf.push(b':');
    digits(buf, of_minute, 2);
    buf.push(b'.');
    digits(buf, of_day % 1_000_000, 6);
    buf.extend_from_slice(b"Z\"");
}

/// The proleptic Gregorian date of a day counted from 1970-01-01, by Howard Hinnant's
/// `civil_from_days` (eras of 400 years, March-based years so leap days fall last).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `value` (0 ≤ value < 10^width) in exactly `width` decimal digits.
fn digits(buf: &mut Vec<u8>, mut value: i64, width: usize) {
    let start = buf.len();
    buf.resize(start + width, b'0');
    for slot in buf[start..].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

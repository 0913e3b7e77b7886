//! Dates and times, all in UTC, in one place: waiver expiry (`expires`,
//! `--today`), the report's generation time (`--now`,
//! `SOURCE_DATE_EPOCH`). Calendar arithmetic is jiff's: an impossible date
//! such as 2026-02-31 is an error, never rolled over.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A calendar day (no time zone): waiver expiry and "today".
pub type Date = jiff::civil::Date;

/// `YYYY-MM-DD` as a date; `None` for anything else, 2026-02-31 included.
pub fn parse_date(text: &str) -> Option<Date> {
    let date: Date = text.trim().parse().ok()?;
    // jiff also reads other ISO 8601 spellings; only the one we print is
    // accepted, so that what a user writes is what rclint shows.
    (date.to_string() == text.trim()).then_some(date)
}

/// A date from its year, month and day, if it exists.
pub fn date(year: i64, month: i64, day: i64) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// Today in UTC, by the system clock.
pub fn today() -> Date {
    date_at(Timestamp::now().as_second())
}

/// The UTC date at `seconds` since the Unix epoch (the epoch's date when
/// out of range).
pub fn date_at(seconds: i64) -> Date {
    let at = Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH);
    TimeZone::UTC.to_datetime(at).date()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch.
pub fn format_utc(seconds: i64) -> String {
    Timestamp::from_second(seconds)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Whether `at` falls in years 0001 to 9999: what a TOML date-time (and
/// [`format_moment`]) can write. A moment outside is no time rclint reads.
pub fn is_writable(at: Timestamp) -> bool {
    (1..=9999).contains(&TimeZone::UTC.to_datetime(at).year())
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a moment: how rclint writes every moment
/// (import headers, `last_login`, the report's as-of).
pub fn format_moment(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `YYYY-MM-DD`: the UTC day of a moment.
pub fn format_day(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d").to_string()
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SSZ`, or of a date alone
/// (its midnight, UTC).
pub fn parse_utc(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.contains('T') {
        let day = parse_date(text)?;
        let midnight = TimeZone::UTC.to_timestamp(day.to_datetime(jiff::civil::Time::midnight()));
        return Some(midnight.ok()?.as_second());
    }
    if !text.ends_with('Z') {
        return None;
    }
    Some(text.parse::<Timestamp>().ok()?.as_second())
}

/// The newest modification time among `paths`; files that cannot be read
/// are left out. `None` when none can be.
pub fn newest_modification<'a>(
    paths: impl Iterator<Item = &'a std::path::Path>,
) -> Option<jiff::Timestamp> {
    paths
        .filter_map(|p| std::fs::metadata(p).ok()?.modified().ok())
        .filter_map(|t| jiff::Timestamp::try_from(t).ok())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_four_digit_years_are_writable() {
        assert!(is_writable(Timestamp::UNIX_EPOCH));
        let far = Timestamp::from_millisecond(-281_474_976_710_656).expect("in range");
        assert!(!is_writable(far));
        let first = Timestamp::from_second(-62_135_596_800).expect("0001-01-01");
        assert!(is_writable(first));
        assert!(!is_writable(first - jiff::SignedDuration::from_secs(1)));
        assert!(is_writable(Timestamp::MAX), "jiff stops in 9999");
    }

    #[test]
    fn dates_that_do_not_exist_are_rejected() {
        assert_eq!(
            parse_date("2027-03-31").map(|d| d.to_string()).as_deref(),
            Some("2027-03-31")
        );
        assert_eq!(parse_date("2026-02-31"), None);
        assert_eq!(parse_date("2027-13-01"), None);
        assert_eq!(parse_date("20270331"), None);
        assert_eq!(date(2026, 2, 31), None);
        assert_eq!(
            date(2024, 2, 29).map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn utc_round_trip() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        let t = parse_utc("2026-11-27T21:05:09Z").expect("valid");
        assert_eq!(format_utc(t), "2026-11-27T21:05:09Z");
        assert_eq!(parse_utc("2024-02-29"), Some(1_709_164_800));
        assert_eq!(parse_utc("2026-02-31T00:00:00Z"), None);
        assert_eq!(parse_utc("2024-02-29T25:00:00Z"), None);
        assert_eq!(parse_utc("2024-02-29T10:00:00+01:00"), None);
        assert_eq!(parse_utc("yesterday"), None);
        assert_eq!(date_at(20_543 * 86_400).to_string(), "2026-03-31");
    }
}

//! Dates as analysts write them: `2026-05-14` or an RFC 3339 timestamp.

use jiff::civil::Date;
use jiff::{Timestamp, tz::Offset};

/// A parsed date or timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BriefDate {
    /// The calendar date as written (in the timestamp's own offset).
    pub date: Date,
    /// The instant, for timestamps; a bare date counts as midnight UTC.
    pub instant: Timestamp,
    /// The offset written, for timestamps.
    offset: Option<Offset>,
}

impl PartialOrd for BriefDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BriefDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl BriefDate {
    /// Parses `YYYY-MM-DD` or RFC 3339 (`2026-05-14T09:30:00+01:00`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.len() == 10 {
            let date: Date = raw
                .parse()
                .map_err(|_| format!("`{raw}` is not a valid date"))?;
            let instant = date
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map_err(|e| e.to_string())?
                .timestamp();
            return Ok(Self {
                date,
                instant,
                offset: None,
            });
        }
        let zoned: jiff::ZonedDateTime = raw
            .parse::<Timestamp>()
            .and_then(|ts| {
                let offset = offset_of(raw)?;
                Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset)))
            })
            .map_err(|_| format!("`{raw}` is not a date (YYYY-MM-DD) or an RFC 3339 timestamp"))?;
        Ok(Self {
            date: zoned.date(),
            instant: zoned.timestamp(),
            offset: Some(zoned.offset()),
        })
    }

    /// A bare date, as midnight UTC.
    pub fn from_date(date: Date) -> Self {
        let instant = date
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH);
        Self {
            date,
            instant,
            offset: None,
        }
    }

    /// The calendar date, `2026-05-14`.
    pub fn iso(&self) -> String {
        self.date.to_string()
    }

    /// The date as readers see it, `14 May 2026`.
    pub fn display(&self) -> String {
        self.date.strftime("%-d %B %Y").to_string()
    }

    /// RFC 3339, in the offset written (UTC for a bare date).
    pub fn rfc3339(&self) -> String {
        match self.offset {
            Some(offset) => self
                .instant
                .to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            None => format!("{}T00:00:00Z", self.date),
        }
    }
}

/// The UTC offset written at the end of an RFC 3339 timestamp (`Z` or `±HH:MM`).
fn offset_of(raw: &str) -> Result<Offset, jiff::Error> {
    if raw.ends_with(['Z', 'z']) {
        return Ok(Offset::UTC);
    }
    let tail = raw.len().checked_sub(6).and_then(|i| raw.get(i..));
    let parsed = tail.and_then(|t| {
        let sign = match t.as_bytes()[0] {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours: i32 = t.get(1..3)?.parse().ok()?;
        let minutes: i32 = t.get(4..6)?.parse().ok()?;
        Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
    });
    parsed.ok_or_else(|| jiff::Error::from_args(format_args!("no UTC offset in `{raw}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases = [
            (
                "2026-05-14",
                Some(("2026-05-14", "14 May 2026", "2026-05-14T00:00:00Z")),
            ),
            (
                "2026-05-14T09:30:00Z",
                Some(("2026-05-14", "14 May 2026", "2026-05-14T09:30:00+00:00")),
            ),
            (
                "2026-05-14T23:30:00-05:00",
                Some(("2026-05-14", "14 May 2026", "2026-05-14T23:30:00-05:00")),
            ),
            ("2026-02-30", None),
            ("14/05/2026", None),
            ("2026-05-14 09:30", None),
            ("yesterday", None),
        ];
        for (raw, expected) in cases {
            let got = BriefDate::parse(raw)
                .ok()
                .map(|d| (d.iso(), d.display(), d.rfc3339()));
            let expected = expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
            assert_eq!(got, expected, "input: {raw}");
        }
    }

    #[test]
    fn timestamps_order_by_instant() {
        let a = BriefDate::parse("2026-05-14").unwrap();
        let b = BriefDate::parse("2026-05-14T10:00:00Z").unwrap();
        assert!(a < b);
    }
}

//! Zone labels that do not mean what they say. Some pages print "PST" on every update all year
//! round (Parse, 2013: "Oct 28, 14:48 PST" in an item whose `pubDate` is
//! `Mon, 28 Oct 2013 14:48:00 -0700`), while the entry's own date carries the offset actually
//! in force. Where the two disagree, the offset wins.
//!
//! They are caught by the entry itself: its own date names the same moment as one of its
//! stamps, to the minute, on the wall clock, yet that stamp's label says an offset one hour
//! away (a daylight-saving hour: any other gap is another zone, not a wrong label). The label is
//! then read as the entry's offset on every stamp of the entry that bears it. Pages that label
//! their zones rightly (Atlassian's own: PDT in October, PST in November) never trigger this:
//! their stamp and their offset agree.

use chrono::{DateTime, FixedOffset, Utc};

use super::stamp::Stamp;

/// A label the entry shows to mean another offset.
pub(crate) struct Correction {
    zone: String,
    said: FixedOffset,
    meant: FixedOffset,
}

impl Correction {
    /// The correction `stamps` call for, given the entry's own date and its offset.
    pub fn find<'a>(
        stamps: impl IntoIterator<Item = &'a Stamp>,
        published: Option<DateTime<Utc>>,
        own_offset: Option<FixedOffset>,
    ) -> Option<Correction> {
        let meant = own_offset?;
        let own = published?.with_timezone(&meant);
        stamps.into_iter().find_map(|stamp| {
            let said = stamp.offset()?;
            let gap = (said.local_minus_utc() - meant.local_minus_utc()).abs();
            (stamp.reads_as(own) && gap == 3600).then(|| Correction {
                zone: stamp.zone().to_owned(),
                said,
                meant,
            })
        })
    }

    /// `stamp`, read at the meant offset when it bears the wrong label.
    pub fn apply(correction: Option<&Correction>, stamp: Stamp) -> Stamp {
        match correction {
            Some(c) if stamp.zone() == c.zone && stamp.offset() == Some(c.said) => {
                stamp.at_offset(c.meant)
            }
            _ => stamp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn a_pst_label_in_summer_is_read_at_the_entrys_offset() {
        let stamps: Vec<Stamp> = ["Oct 28, 14:48 PST", "Oct 28, 14:43 PST"]
            .iter()
            .filter_map(|s| Stamp::parse(s))
            .collect();
        let published = utc("2013-10-28T21:48:00Z");
        let correction = Correction::find(&stamps, published, FixedOffset::west_opt(7 * 3600));
        let read: Vec<_> = stamps
            .into_iter()
            .map(|s| Correction::apply(correction.as_ref(), s).resolve(published))
            .collect();
        assert_eq!(
            read,
            [utc("2013-10-28T21:48:00Z"), utc("2013-10-28T21:43:00Z")]
        );
    }

    #[test]
    fn right_labels_and_other_zones_are_left_alone() {
        let pdt = Stamp::parse("Nov 1, 18:00 PDT")
            .into_iter()
            .collect::<Vec<_>>();
        let published = utc("2019-11-02T01:00:00Z");
        assert!(Correction::find(&pdt, published, FixedOffset::west_opt(7 * 3600)).is_none());
        // A UTC stamp that happens to read like the local time is seven hours off, not one.
        let utc_stamp = Stamp::parse("Oct 28, 14:48 UTC")
            .into_iter()
            .collect::<Vec<_>>();
        let published = utc("2013-10-28T21:48:00Z");
        assert!(Correction::find(&utc_stamp, published, FixedOffset::west_opt(7 * 3600)).is_none());
    }
}

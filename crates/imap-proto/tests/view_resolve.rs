//! Sequence-set and UID-set resolution against a `MailboxView` (RFC 9051 §9
//! `seq-number`, `seq-range`, `sequence-set`; RFC 5182 `$`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::sequence::SequenceSet;
use mailwire_imap_proto::view::{MailboxView, ViewBuilder, ViewError};

fn view(uids: &[u32], uid_next: u32) -> MailboxView {
    let mut b = ViewBuilder::new(1, uid_next);
    for &u in uids {
        b.push(u, &[], u64::from(u), false).unwrap();
    }
    b.build()
}

fn set(s: &str) -> SequenceSet {
    SequenceSet::parse(format!("{s} ").as_bytes()).unwrap().0
}

fn seqs(v: &MailboxView, s: &str) -> Result<Vec<(u32, u32)>, ViewError> {
    Ok(v.resolve_seq(&set(s))?
        .iter()
        .map(|m| (m.seq, m.uid))
        .collect())
}

fn uids(v: &MailboxView, s: &str) -> Vec<(u32, u32)> {
    v.resolve_uid(&set(s))
        .iter()
        .map(|m| (m.seq, m.uid))
        .collect()
}

#[test]
fn seq_table() {
    // UIDs 10, 20, ..., 150: 15 messages.
    let all: Vec<u32> = (1..=15).map(|i| i * 10).collect();
    let v = view(&all, 151);
    let n = |list: &[u32]| list.iter().map(|&s| (s, s * 10)).collect::<Vec<_>>();
    let table: &[(&str, &[u32])] = &[
        ("1", &[1]),
        ("*", &[15]),
        ("1:*", &(1..=15).collect::<Vec<_>>()),
        ("*:1", &(1..=15).collect::<Vec<_>>()),
        // RFC 9051 §9 example: 2,4:7,9,12:* on 15 messages.
        ("2,4:7,9,12:*", &[2, 4, 5, 6, 7, 9, 12, 13, 14, 15]),
        // RFC 9051 §9 example: *:4,5:7 coalesced (here with 15 messages).
        ("*:4,5:7", &(4..=15).collect::<Vec<_>>()),
        ("4:2", &[2, 3, 4]),
        ("3,3,3", &[3]),
        ("15:15", &[15]),
        ("7,1,3:2", &[1, 2, 3, 7]),
    ];
    for (s, want) in table {
        assert_eq!(seqs(&v, s).unwrap(), n(want), "{s}");
    }
    assert_eq!(v.resolve_seq(&set("1:*")).unwrap().len(), 15);
}

#[test]
fn seq_out_of_range_is_an_error() {
    let v = view(&[1, 2, 3], 4);
    assert_eq!(
        seqs(&v, "4").unwrap_err(),
        ViewError::SeqOutOfRange {
            number: 4,
            exists: 3
        }
    );
    assert_eq!(
        seqs(&v, "2:4").unwrap_err(),
        ViewError::SeqOutOfRange {
            number: 4,
            exists: 3
        }
    );
    assert_eq!(
        seqs(&v, "1,4294967295").unwrap_err(),
        ViewError::SeqOutOfRange {
            number: 4294967295,
            exists: 3
        }
    );
    assert!(seqs(&v, "4").unwrap_err().is_client_error());
    assert_eq!(
        seqs(&v, "4").unwrap_err().to_string(),
        "message sequence number 4 is greater than the number of messages (3)"
    );
    assert!(seqs(&v, "3").is_ok());
    assert!(seqs(&v, "3:*").is_ok());
}

#[test]
fn star_in_an_empty_mailbox() {
    let v = view(&[], 57);
    // RFC 9051 §9: BAD for "*" as a message number in an empty mailbox.
    assert_eq!(seqs(&v, "*").unwrap_err(), ViewError::EmptyMailbox);
    assert_eq!(seqs(&v, "1:*").unwrap_err(), ViewError::EmptyMailbox);
    assert_eq!(
        seqs(&v, "1").unwrap_err(),
        ViewError::SeqOutOfRange {
            number: 1,
            exists: 0
        }
    );
    // UID *: UIDNEXT in an empty mailbox, and nothing matches.
    assert!(v.resolve_uid(&set("1:*")).is_empty());
    assert!(v.resolve_uid(&set("*")).is_empty());
    assert_eq!(v.resolve_uid(&set("*")).len(), 0);
}

#[test]
fn uid_table() {
    let v = view(&[3, 5, 8, 13, 21, 34], 40);
    let table: &[(&str, &[(u32, u32)])] = &[
        ("1:*", &[(1, 3), (2, 5), (3, 8), (4, 13), (5, 21), (6, 34)]),
        ("*", &[(6, 34)]),
        // RFC 9051 §9: "3291:*" includes the last message even if its UID is
        // lower.
        ("3291:*", &[(6, 34)]),
        ("4:12", &[(2, 5), (3, 8)]),
        ("12:4", &[(2, 5), (3, 8)]),
        ("1,2,4,6,7", &[]),
        ("35:39", &[]),
        ("4294967295", &[]),
        ("13,3,13,21:22", &[(1, 3), (4, 13), (5, 21)]),
        (
            "1:4294967295",
            &[(1, 3), (2, 5), (3, 8), (4, 13), (5, 21), (6, 34)],
        ),
    ];
    for (s, want) in table {
        assert_eq!(uids(&v, s), want.to_vec(), "{s}");
    }
    let r = v.resolve_uid(&set("4:40"));
    assert_eq!(r.seq_set().unwrap().to_string(), "2:6");
    assert_eq!(r.uid_set().unwrap().to_string(), "5,8,13,21,34");
    assert!(v.resolve_uid(&set("35")).uid_set().is_none());
    let r = v.resolve_uid(&set("1:6,20:40"));
    assert_eq!(r.seq_ranges().collect::<Vec<_>>(), vec![(1, 2), (5, 6)]);
    assert_eq!(r.iter().size_hint(), (4, Some(4)));
}

#[test]
fn resolution_with_pending_expunges_keeps_old_numbers() {
    let mut v = view(&[1, 2, 3, 4, 5], 6);
    v.expunge(&[2, 4]);
    // The client was not told: numbers 1..5 still hold, 2 and 4 marked.
    let r = v.resolve_seq(&set("1:*")).unwrap();
    let got: Vec<(u32, u32, bool)> = r.iter().map(|m| (m.seq, m.uid, m.expunged)).collect();
    assert_eq!(
        got,
        vec![
            (1, 1, false),
            (2, 2, true),
            (3, 3, false),
            (4, 4, true),
            (5, 5, false)
        ]
    );
    assert!(seqs(&v, "5").is_ok());
    assert!(uids(&v, "4") == vec![(4, 4)]);
    // New message: no number until EXISTS.
    v.append(9, &[], 9, false).unwrap();
    assert_eq!(
        seqs(&v, "6").unwrap_err(),
        ViewError::SeqOutOfRange {
            number: 6,
            exists: 5
        }
    );
    assert!(uids(&v, "9").is_empty());
    assert_eq!(uids(&v, "*"), vec![(5, 5)]);
    // EXISTS only (expunges not allowed): 6 numbers now.
    let up = v.take_updates(false);
    assert_eq!(up, vec![mailwire_imap_proto::response::Data::Exists(6)]);
    assert_eq!(seqs(&v, "6").unwrap(), vec![(6, 9)]);
    // Expunges sent: renumbered.
    let _ = v.take_updates(true);
    assert_eq!(
        seqs(&v, "1:*").unwrap(),
        vec![(1, 1), (2, 3), (3, 5), (4, 9)]
    );
    assert!(seqs(&v, "5").is_err());
}

#[test]
fn saved_result_dollar() {
    let mut v = view(&[10, 20, 30, 40], 41);
    // Initially empty (RFC 5182 §2.1).
    assert!(v.resolve_seq(&SequenceSet::Saved).unwrap().is_empty());
    v.save_result_seqs([4, 2, 9]);
    assert_eq!(v.saved_uids(), &[20, 40]);
    assert_eq!(seqs(&v, "$").unwrap(), vec![(2, 20), (4, 40)]);
    assert_eq!(uids(&v, "$"), vec![(2, 20), (4, 40)]);
    // An expunged message leaves the result once the client is told.
    v.expunge(&[20]);
    assert_eq!(seqs(&v, "$").unwrap(), vec![(2, 20), (4, 40)]);
    let _ = v.take_updates(true);
    assert_eq!(seqs(&v, "$").unwrap(), vec![(3, 40)]);
    assert_eq!(v.saved_uids(), &[40]);
    v.save_result_uids([30, 10, 99]);
    assert_eq!(seqs(&v, "$").unwrap(), vec![(1, 10), (2, 30)]);
    v.clear_saved_result();
    assert!(v.resolve_uid(&SequenceSet::Saved).is_empty());
}

#[test]
fn lookups() {
    let v = view(&[7, 9], 10);
    assert_eq!(v.uid(1), Some(7));
    assert_eq!(v.uid(0), None);
    assert_eq!(v.uid(3), None);
    assert_eq!(v.seq(9), Some(2));
    assert_eq!(v.seq(8), None);
    assert_eq!(v.message(2).unwrap().modseq, 9);
    let (date, _) =
        mailwire_imap_proto::datetime::DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
    let meta = v.message(2).unwrap().meta(date);
    assert_eq!(
        (meta.seq, meta.uid, meta.modseq, meta.recent),
        (2, 9, 9, false)
    );
    assert!(v.resolve(&set("2"), false).is_ok());
    assert!(v.resolve(&set("2"), true).unwrap().is_empty());
}

#[test]
fn uids_must_ascend() {
    let mut b = ViewBuilder::new(1, 1);
    b.push(5, &[Flag::Seen], 1, false).unwrap();
    assert_eq!(
        b.push(5, &[], 1, false).unwrap_err(),
        ViewError::UidNotAscending { uid: 5, highest: 5 }
    );
    assert!(!b.push(0, &[], 1, false).unwrap_err().is_client_error());
    let mut v = b.build();
    assert_eq!(v.uid_next(), 6);
    assert!(v.append(4, &[], 1, false).is_err());
    assert!(v.append(6, &[], 1, false).is_ok());
}

#[test]
fn large_view_resolves_as_ranges() {
    let mut b = ViewBuilder::new(1, 1).with_capacity(200_000);
    for u in 1..=200_000u32 {
        b.push(u * 2, &[], 1, false).unwrap();
    }
    let v = b.build();
    let r = v.resolve_seq(&set("1:*")).unwrap();
    assert_eq!(r.len(), 200_000);
    assert_eq!(r.seq_ranges().count(), 1);
    let r = v.resolve_uid(&set("1:*"));
    assert_eq!(r.len(), 200_000);
    assert_eq!(r.iter().last().unwrap().uid, 400_000);
    let r = v.resolve_uid(&set("1000:2000,5"));
    assert_eq!(r.len(), 501);
}

//! `MailboxView::take_updates`: what a session announces, when, and in which
//! numbering; a property test drives a simulated client with the responses
//! and checks its sequence → UID map against the view at every step.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;

use mailwire_imap_proto::flag::{Flag, FlagFetch};
use mailwire_imap_proto::primitive::{Atom, Encoder};
use mailwire_imap_proto::response::{Data, FetchItem, Response};
use mailwire_imap_proto::sequence::{SeqItem, SequenceSet};
use mailwire_imap_proto::view::{MailboxView, ViewBuilder};
use proptest::prelude::*;

fn text(data: &[Data<'static>]) -> String {
    let mut out = String::new();
    for d in data {
        let mut e = Encoder::default();
        Response::Data(d.clone()).write(&mut e);
        out.push_str(std::str::from_utf8(e.as_bytes()).unwrap());
    }
    out
}

fn build(uids: &[u32], rev1: bool, qresync: bool) -> MailboxView {
    let mut b = ViewBuilder::new(7, 1).imap4rev1(rev1).qresync(qresync);
    for &u in uids {
        b.push(u, &[], 100 + u64::from(u), false).unwrap();
    }
    b.build()
}

#[test]
fn expunges_go_out_highest_first() {
    // RFC 9051 §7.5.1: a "higher to lower" server sends 9, 8, 7, 6, 5 when
    // the last five of nine messages are expunged.
    let mut v = build(&[1, 2, 3, 4, 5, 6, 7, 8, 9], false, false);
    v.expunge(&[5, 6, 7, 8, 9]);
    assert!(!v.has_updates(false));
    assert!(v.take_updates(false).is_empty());
    assert_eq!(v.exists(), 9);
    assert!(v.has_updates(true));
    assert_eq!(
        text(&v.take_updates(true)),
        "* 9 EXPUNGE\r\n* 8 EXPUNGE\r\n* 7 EXPUNGE\r\n* 6 EXPUNGE\r\n* 5 EXPUNGE\r\n"
    );
    assert_eq!(v.exists(), 4);
    assert!(v.take_updates(true).is_empty());
}

#[test]
fn rfc7162_vanished_example() {
    // RFC 7162 §3.2.10.2: UIDs x 504 505 507 508 x 510 x x x 625.
    let uids = [1, 504, 505, 507, 508, 509, 510, 600, 601, 602, 625];
    let mut q = build(&uids, false, true);
    q.expunge(&[505, 507, 510, 625]);
    assert_eq!(
        text(&q.take_updates(true)),
        "* VANISHED 505,507,510,625\r\n"
    );
    q.expunge(&[504, 508]);
    assert_eq!(text(&q.take_updates(true)), "* VANISHED 504,508\r\n");
    // Without QRESYNC: "* 3 EXPUNGE * 3 EXPUNGE * 5 EXPUNGE * 8 EXPUNGE" is
    // the RFC's lower-to-higher order; we send the same removals highest
    // first.
    let mut p = build(&uids, false, false);
    p.expunge(&[505, 507, 510, 625]);
    assert_eq!(
        text(&p.take_updates(true)),
        "* 11 EXPUNGE\r\n* 7 EXPUNGE\r\n* 4 EXPUNGE\r\n* 3 EXPUNGE\r\n"
    );
    assert_eq!(
        p.uids().collect::<Vec<_>>(),
        [1, 504, 508, 509, 600, 601, 602]
    );
}

#[test]
fn exists_while_expunges_wait() {
    let mut v = build(&[1, 2, 3], true, false);
    v.expunge(&[2]);
    v.append(4, &[], 200, true).unwrap();
    v.append(5, &[], 201, false).unwrap();
    // The pending expunge still counts: the client holds 3 numbers + 2 new.
    assert_eq!(text(&v.take_updates(false)), "* 5 EXISTS\r\n* 1 RECENT\r\n");
    assert_eq!(v.uid(2), Some(2));
    assert_eq!(v.uid(5), Some(5));
    assert_eq!(text(&v.take_updates(true)), "* 2 EXPUNGE\r\n");
    assert_eq!(v.uids().collect::<Vec<_>>(), [1, 3, 4, 5]);
}

#[test]
fn unannounced_messages_are_never_reported_expunged() {
    // RFC 7162 §3.2.10.2: no VANISHED for messages not announced via EXISTS.
    let mut v = build(&[1, 2], false, true);
    v.append(3, &[], 300, false).unwrap();
    v.append(4, &[], 301, false).unwrap();
    assert_eq!(v.expunge(&[3, 2, 99]), 2);
    assert_eq!(
        text(&v.take_updates(true)),
        "* VANISHED 2\r\n* 2 EXISTS\r\n"
    );
    assert_eq!(v.uids().collect::<Vec<_>>(), [1, 4]);
    assert!(v.invariants_hold());
}

#[test]
fn flag_changes_become_fetches() {
    let mut v = build(&[10, 20, 30], true, false);
    assert!(v.set_flags(20, &[Flag::Seen], 500));
    assert!(!v.set_flags(99, &[Flag::Seen], 501));
    // The same flags and no newer mod-sequence: nothing to announce.
    assert!(v.set_flags(10, &[], 101));
    assert!(v.set_flags(20, &[Flag::Seen], 500));
    assert_eq!(
        text(&v.take_updates(false)),
        "* 2 FETCH (FLAGS (\\Seen))\r\n"
    );
    assert!(v.take_updates(false).is_empty());
    // With CONDSTORE: UID and MODSEQ too (RFC 7162 §3.1, §3.2.4).
    assert!(v.enable_condstore());
    assert!(!v.enable_condstore());
    v.set_flags(30, &[Flag::Flagged], 502);
    v.expunge(&[10]);
    // Expunge first, then the FETCH in the new numbering.
    assert_eq!(
        text(&v.take_updates(true)),
        "* 1 EXPUNGE\r\n* 2 FETCH (UID 30 FLAGS (\\Flagged) MODSEQ (502))\r\n"
    );
    // During FETCH (no expunges): the FETCH keeps the old numbering.
    v.set_flags(30, &[], 503);
    v.expunge(&[20]);
    assert_eq!(
        text(&v.take_updates(false)),
        "* 2 FETCH (UID 30 FLAGS () MODSEQ (503))\r\n"
    );
    // A change to a message whose expunge is pending is not announced.
    v.set_flags(20, &[Flag::Deleted], 504);
    assert!(v.take_updates(false).is_empty());
    assert_eq!(v.highest_modseq(), 504);
    // The expunge of 20 is still pending: no HIGHESTMODSEQ the client could
    // record yet (RFC 7162 §3.2.7).
    v.note_modseq(505);
    assert_eq!(v.safe_highest_modseq(), None);
    let _ = v.take_updates(true);
    assert_eq!(v.safe_highest_modseq(), Some(505));
}

#[test]
fn recent_in_flags_for_rev1() {
    let mut b = ViewBuilder::new(1, 1).imap4rev1(true);
    b.push(1, &[], 1, true).unwrap();
    let mut v = b.build();
    v.set_flags(1, &[Flag::Seen], 2);
    assert_eq!(
        text(&v.take_updates(true)),
        "* 1 FETCH (FLAGS (\\Seen \\Recent))\r\n"
    );
    assert_eq!(v.recent_count(), 1);
    assert!(v.clear_recent(1));
    assert_eq!(v.recent_count(), 0);
    assert_eq!(
        v.fetch_flags_of(1).unwrap(),
        vec![FlagFetch::Flag(Flag::Seen)]
    );
    // IMAP4rev2: no RECENT response.
    let mut v = build(&[1], false, false);
    v.append(2, &[], 3, true).unwrap();
    assert_eq!(text(&v.take_updates(true)), "* 2 EXISTS\r\n");
}

#[test]
fn own_store_reported_drops_the_pending_fetch() {
    let mut v = build(&[1, 2], false, false);
    v.set_flags(1, &[Flag::Seen], 210);
    assert!(v.store_own(1, &[Flag::Seen, Flag::Flagged], 211, true));
    assert!(v.take_updates(true).is_empty());
    v.set_flags(2, &[Flag::Seen], 212);
    assert!(v.store_own(2, &[Flag::Seen, Flag::Draft], 213, false));
    assert_eq!(
        text(&v.take_updates(true)),
        "* 2 FETCH (FLAGS (\\Seen \\Draft))\r\n"
    );
    assert_eq!(v.message(2).unwrap().modseq, 213);
}

#[test]
fn no_mod_seq_mailbox_uses_expunge_even_with_qresync() {
    let mut b = ViewBuilder::new(1, 1).qresync(true).no_mod_seq();
    b.push(1, &[], 5, false).unwrap();
    b.push(2, &[], 6, false).unwrap();
    let mut v = b.build();
    assert!(!v.uses_vanished());
    assert_eq!(v.highest_modseq(), 0);
    v.set_flags(1, &[Flag::Seen], 9);
    v.expunge(&[2]);
    assert_eq!(
        text(&v.take_updates(true)),
        "* 2 EXPUNGE\r\n* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n"
    );
}

// ---------------------------------------------------------------------------
// Property test: a simulated client follows the responses.

#[derive(Debug, Clone)]
enum Op {
    Append {
        recent: bool,
        flags: usize,
    },
    SetFlags {
        pick: usize,
        flags: usize,
    },
    OwnStore {
        pick: usize,
        flags: usize,
        reported: bool,
    },
    Expunge {
        picks: Vec<usize>,
    },
    Take {
        expunge_allowed: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<bool>(), 0..4usize).prop_map(|(recent, flags)| Op::Append { recent, flags }),
        3 => (any::<usize>(), 0..4usize).prop_map(|(pick, flags)| Op::SetFlags { pick, flags }),
        1 => (any::<usize>(), 0..4usize, any::<bool>())
            .prop_map(|(pick, flags, reported)| Op::OwnStore { pick, flags, reported }),
        2 => prop::collection::vec(any::<usize>(), 0..4).prop_map(|picks| Op::Expunge { picks }),
        3 => any::<bool>().prop_map(|expunge_allowed| Op::Take { expunge_allowed }),
    ]
}

fn flag_set(i: usize) -> Vec<Flag<'static>> {
    match i {
        0 => vec![],
        1 => vec![Flag::Seen],
        2 => vec![Flag::Seen, Flag::Deleted],
        _ => vec![Flag::Keyword(Atom::new("$Junk").unwrap())],
    }
}

/// What the client believes.
struct Client {
    seqs: Vec<u32>,
    flags: HashMap<u32, Vec<FlagFetch<'static>>>,
}

fn set_uids(set: &SequenceSet) -> Vec<u32> {
    let SequenceSet::Items(items) = set else {
        panic!("$ in VANISHED")
    };
    let mut v = Vec::new();
    for it in items.iter() {
        match *it {
            SeqItem::Single(a) => v.push(a.resolve(0)),
            SeqItem::Range(a, b) => v.extend(a.resolve(0)..=b.resolve(0)),
        }
    }
    v
}

impl Client {
    fn apply(&mut self, view: &MailboxView, d: &Data<'static>, condstore: bool) {
        match d {
            Data::Expunge(n) => {
                assert!(*n >= 1 && (*n as usize) <= self.seqs.len(), "EXPUNGE {n}");
                let uid = self.seqs.remove(*n as usize - 1);
                self.flags.remove(&uid);
            }
            Data::Vanished { earlier, uids } => {
                assert!(!earlier);
                for u in set_uids(uids) {
                    let i = self
                        .seqs
                        .iter()
                        .position(|&x| x == u)
                        .expect("VANISHED of unknown uid");
                    self.seqs.remove(i);
                    self.flags.remove(&u);
                }
            }
            Data::Exists(n) => {
                assert!(*n as usize >= self.seqs.len(), "EXISTS went down");
                for seq in self.seqs.len() as u32 + 1..=*n {
                    // The client fetches UID and FLAGS of new messages.
                    let m = view.message(seq).unwrap();
                    self.seqs.push(m.uid);
                    self.flags.insert(m.uid, view.fetch_flags_of(seq).unwrap());
                }
            }
            Data::Recent(n) => assert_eq!(*n, view.recent_count()),
            Data::Fetch { seq, items } => {
                let uid = self.seqs[*seq as usize - 1];
                let mut saw_flags = false;
                for it in items {
                    match it {
                        FetchItem::Uid(u) => assert_eq!(*u, uid),
                        FetchItem::Flags(f) => {
                            self.flags.insert(uid, f.clone());
                            saw_flags = true;
                        }
                        FetchItem::ModSeq(m) => {
                            assert!(condstore);
                            assert_eq!(*m, view.message(*seq).unwrap().modseq);
                        }
                        other => panic!("unexpected {other:?}"),
                    }
                }
                assert!(saw_flags);
                assert_eq!(
                    items.iter().any(|i| matches!(i, FetchItem::Uid(_))),
                    condstore
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn fetch_flags(flags: &[Flag<'static>], recent: bool, rev1: bool) -> Vec<FlagFetch<'static>> {
    let mut v: Vec<FlagFetch<'static>> = flags.iter().cloned().map(FlagFetch::Flag).collect();
    if recent && rev1 {
        v.push(FlagFetch::Recent);
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn client_numbering_follows_the_view(
        initial in 0..12usize,
        rev1 in any::<bool>(),
        qresync in any::<bool>(),
        condstore in any::<bool>(),
        ops in prop::collection::vec(op(), 0..60),
    ) {
        // The store: the truth, as (uid, flags index, modseq, recent).
        let mut store: Vec<(u32, usize, u64, bool)> = (1..=initial as u32).map(|u| (u, 0, u64::from(u), false)).collect();
        let mut next_uid = initial as u32 + 1;
        let mut modseq = 1000u64;
        let mut b = ViewBuilder::new(1, next_uid).imap4rev1(rev1).qresync(qresync).condstore(condstore);
        for &(u, f, m, r) in &store {
            b.push(u, &flag_set(f), m, r).unwrap();
        }
        let mut view = b.build();
        let cs = condstore || qresync;
        let mut client = Client {
            seqs: store.iter().map(|s| s.0).collect(),
            flags: store.iter().map(|s| (s.0, fetch_flags(&flag_set(s.1), s.3, rev1))).collect(),
        };
        for op in ops {
            match op {
                Op::Append { recent, flags } => {
                    modseq += 1;
                    view.append(next_uid, &flag_set(flags), modseq, recent).unwrap();
                    store.push((next_uid, flags, modseq, recent));
                    next_uid += 1;
                }
                Op::SetFlags { pick, flags } if !store.is_empty() => {
                    modseq += 1;
                    let i = pick % store.len();
                    store[i].1 = flags;
                    store[i].2 = modseq;
                    prop_assert!(view.set_flags(store[i].0, &flag_set(flags), modseq));
                }
                Op::OwnStore { pick, flags, reported } if !store.is_empty() => {
                    modseq += 1;
                    let i = pick % store.len();
                    store[i].1 = flags;
                    store[i].2 = modseq;
                    let uid = store[i].0;
                    prop_assert!(view.store_own(uid, &flag_set(flags), modseq, reported));
                    // The client learns its own change (from the FETCH, or it
                    // knows what it stored) if it has the message.
                    if client.seqs.contains(&uid) {
                        client.flags.insert(uid, fetch_flags(&flag_set(flags), store[i].3, rev1));
                    }
                }
                Op::Expunge { picks } if !store.is_empty() => {
                    let uids: Vec<u32> = picks.iter().map(|p| store[p % store.len()].0).collect();
                    view.expunge(&uids);
                    store.retain(|s| !uids.contains(&s.0));
                }
                Op::Take { expunge_allowed } => {
                    let before = client.seqs.len();
                    let updates = view.take_updates(expunge_allowed);
                    for d in &updates {
                        if !expunge_allowed {
                            let is_expunge = matches!(d, Data::Expunge(_) | Data::Vanished { .. });
                            prop_assert!(!is_expunge);
                        }
                        let vanished = matches!(d, Data::Vanished { .. });
                        let removal = vanished || matches!(d, Data::Expunge(_));
                        prop_assert_eq!(vanished, qresync && removal);
                        client.apply(&view, d, cs);
                    }
                    if !expunge_allowed {
                        prop_assert!(client.seqs.len() >= before);
                    }
                    // Every store message is now announced.
                    let store_uids: Vec<u32> = store.iter().map(|s| s.0).collect();
                    let known: Vec<u32> = client.seqs.iter().copied().filter(|u| store_uids.contains(u)).collect();
                    prop_assert_eq!(&known, &store_uids);
                    if expunge_allowed {
                        prop_assert_eq!(&client.seqs, &store_uids);
                        prop_assert_eq!(view.pending_expunges(), 0);
                        // And the client's flags match the store's.
                        for s in &store {
                            prop_assert_eq!(&client.flags[&s.0], &fetch_flags(&flag_set(s.1), s.3, rev1));
                        }
                    }
                }
                _ => {}
            }
            prop_assert!(view.invariants_hold());
            // The client's numbering is the view's, always.
            prop_assert_eq!(&client.seqs, &view.uids().collect::<Vec<_>>());
            prop_assert_eq!(view.exists() as usize, client.seqs.len());
        }
    }
}

//! MailboxView driven by arbitrary operations: external and own changes,
//! take_updates with and without expunge permission, sequence/UID set
//! resolution from arbitrary set text, SEARCHRES, QRESYNC and UNCHANGEDSINCE.
//! No panics; the internal invariants hold; a simulated client applying the
//! EXPUNGE/VANISHED/EXISTS it receives always numbers messages like the view.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::response::Data;
use mailwire_imap_proto::sequence::{SeqItem, SequenceSet};
use mailwire_imap_proto::view::{ExpungeHistory, MailboxView, Qresync, ViewBuilder};

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn u32(&mut self) -> u32 {
        let mut n = 0u32;
        for _ in 0..4 {
            n = (n << 8) | u32::from(self.byte().unwrap_or(0));
        }
        n
    }
    /// A sequence set written from up to 24 bytes over "0123456789:,*$".
    fn set(&mut self) -> Option<SequenceSet> {
        const ALPHABET: &[u8] = b"0123456789:,*$1";
        let len = usize::from(self.byte()? % 24) + 1;
        let mut s = Vec::with_capacity(len + 1);
        for _ in 0..len {
            let b = self.byte()?;
            s.push(ALPHABET[usize::from(b) % ALPHABET.len()]);
        }
        s.push(b' ');
        SequenceSet::parse(&s).ok().map(|(set, _)| set)
    }
}

fn flags(i: u8) -> &'static [Flag<'static>] {
    match i % 4 {
        0 => &[],
        1 => &[Flag::Seen],
        2 => &[Flag::Seen, Flag::Deleted],
        _ => &[Flag::Flagged, Flag::Answered, Flag::Draft],
    }
}

fn apply(client: &mut Vec<u32>, view: &MailboxView, d: &Data<'static>) {
    match d {
        Data::Expunge(n) => {
            assert!(*n >= 1 && (*n as usize) <= client.len());
            client.remove(*n as usize - 1);
        }
        Data::Vanished { earlier, uids } => {
            assert!(!earlier);
            let SequenceSet::Items(items) = uids else { panic!("$ in VANISHED") };
            for it in items.iter() {
                let (a, b) = match *it {
                    SeqItem::Single(a) => (a.resolve(0), a.resolve(0)),
                    SeqItem::Range(a, b) => (a.resolve(0), b.resolve(0)),
                };
                for u in a..=b {
                    let i = client.iter().position(|&x| x == u).expect("VANISHED of unknown uid");
                    client.remove(i);
                }
            }
        }
        Data::Exists(n) => {
            assert!(*n as usize >= client.len());
            for seq in client.len() as u32 + 1..=*n {
                client.push(view.uid(seq).expect("announced message"));
            }
        }
        Data::Recent(_) => {}
        Data::Fetch { seq, .. } => assert!(*seq >= 1 && (*seq as usize) <= client.len()),
        other => panic!("unexpected update {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input(data);
    let head = inp.byte().unwrap_or(0);
    let initial = u32::from(inp.byte().unwrap_or(0) % 64);
    let mut b = ViewBuilder::new(7, 1)
        .imap4rev1(head & 1 != 0)
        .qresync(head & 2 != 0)
        .condstore(head & 4 != 0);
    if head & 8 != 0 {
        b = b.no_mod_seq();
    }
    let mut next = 1u32;
    for i in 0..initial {
        next += u32::from(inp.byte().unwrap_or(0) % 3);
        b.push(next, flags(i as u8), u64::from(i) + 1, i % 5 == 0).unwrap();
        next += 1;
    }
    let mut view = b.build();
    let mut client: Vec<u32> = view.uids().collect();
    let mut modseq = 1000u64;
    let mut steps = 0;
    while let Some(op) = inp.byte() {
        steps += 1;
        if steps > 400 {
            break;
        }
        let uids: Vec<u32> = view.uids().collect();
        let pick = |x: u8| uids.get(usize::from(x) % uids.len().max(1)).copied().unwrap_or(x.into());
        match op % 12 {
            0 => {
                next = next.saturating_add(u32::from(inp.byte().unwrap_or(0) % 4));
                let f = inp.byte().unwrap_or(0);
                modseq += 1;
                if view.append(next, flags(f), modseq, f & 0x80 != 0).is_ok() {
                    next = next.saturating_add(1);
                }
            }
            1 => {
                let (p, f) = (inp.byte().unwrap_or(0), inp.byte().unwrap_or(0));
                modseq += 1;
                view.set_flags(pick(p), flags(f), modseq);
            }
            2 => {
                let (p, f) = (inp.byte().unwrap_or(0), inp.byte().unwrap_or(0));
                modseq += 1;
                view.store_own(pick(p), flags(f), modseq, f & 0x80 != 0);
            }
            3 => {
                let k = inp.byte().unwrap_or(0) % 6;
                let mut v = Vec::new();
                for _ in 0..k {
                    let p = inp.byte().unwrap_or(0);
                    // Sometimes an unannounced or unknown UID.
                    v.push(if p & 0x80 != 0 { next.wrapping_sub(u32::from(p & 3)) } else { pick(p) });
                }
                view.expunge(&v);
                view.note_modseq(modseq);
            }
            4 | 5 => {
                let allowed = op & 1 != 0;
                let before = client.len();
                for d in view.take_updates(allowed) {
                    if !allowed {
                        assert!(!matches!(d, Data::Expunge(_) | Data::Vanished { .. }));
                    }
                    apply(&mut client, &view, &d);
                }
                if !allowed {
                    assert!(client.len() >= before);
                } else {
                    assert_eq!(view.pending_expunges(), 0);
                }
                assert!(!view.has_updates(allowed));
            }
            6 => {
                if let Some(set) = inp.set() {
                    if let Ok(r) = view.resolve_seq(&set) {
                        let mut last = 0;
                        let mut n = 0;
                        for m in r.iter().take(100_000) {
                            assert!(m.seq > last && m.seq <= view.exists());
                            assert_eq!(view.uid(m.seq), Some(m.uid));
                            last = m.seq;
                            n += 1;
                        }
                        assert_eq!(n, r.len().min(100_000));
                    }
                }
            }
            7 => {
                if let Some(set) = inp.set() {
                    let r = view.resolve_uid(&set);
                    let mut last = 0;
                    for m in r.iter().take(100_000) {
                        assert!(m.uid > last);
                        assert_eq!(view.seq(m.uid), Some(m.seq));
                        last = m.uid;
                    }
                    if let Some(d) = view.vanished_earlier(&set, ExpungeHistory::Unknown) {
                        assert!(matches!(d, Data::Vanished { earlier: true, .. }));
                    }
                    let since = u64::from(inp.byte().unwrap_or(0)) * 8;
                    let _ = view.modified_set(&r, since, op & 16 != 0);
                }
            }
            8 => {
                let k = inp.byte().unwrap_or(0) % 8;
                let v: Vec<u32> = (0..k).map(|_| pick(inp.byte().unwrap_or(0))).collect();
                if op & 16 != 0 {
                    view.save_result_uids(v);
                } else {
                    view.save_result_seqs(v);
                }
            }
            9 => {
                let known = inp.set();
                let seqs = inp.set();
                let uids2 = inp.set();
                let q = Qresync {
                    uid_validity: if op & 16 != 0 { 7 } else { inp.u32() },
                    mod_seq: u64::from(inp.u32()),
                    known_uids: known.as_ref(),
                    seq_match: seqs.as_ref().zip(uids2.as_ref()),
                };
                let hist: Vec<u32> = (0..inp.byte().unwrap_or(0) % 8).map(|_| inp.u32() % 300).collect();
                let h = if op & 32 != 0 { ExpungeHistory::Since(&hist) } else { ExpungeHistory::Unknown };
                if let Ok(out) = view.qresync_responses(&q, h) {
                    for d in &out[1.min(out.len())..] {
                        assert!(matches!(d, Data::Fetch { .. }));
                    }
                }
            }
            10 => {
                let _ = view.enable_condstore();
                if op & 16 != 0 {
                    view.enable_qresync();
                }
            }
            _ => {
                let _ = view.select_responses(&Default::default());
                let _ = view.first_unseen();
                let _ = view.recent_count();
                view.clear_recent(pick(inp.byte().unwrap_or(0)));
            }
        }
        assert!(view.invariants_hold());
        assert_eq!(client, view.uids().collect::<Vec<_>>());
        assert_eq!(view.exists() as usize, client.len());
    }
});

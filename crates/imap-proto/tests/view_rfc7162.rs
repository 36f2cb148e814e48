//! RFC 7162 (CONDSTORE/QRESYNC) examples against `MailboxView`: SELECT
//! responses (§3.1.2), QRESYNC SELECT (§3.2.5, §3.2.5.2), VANISHED UID FETCH
//! modifier (§3.2.6) and STORE UNCHANGEDSINCE (§3.1.3).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_imap_proto::command::{Command, CommandBody};
use mailwire_imap_proto::flag::{Flag, FlagPerm};
use mailwire_imap_proto::primitive::{Atom, Encoder};
use mailwire_imap_proto::response::{Data, Response};
use mailwire_imap_proto::sequence::SequenceSet;
use mailwire_imap_proto::view::{
    ExpungeHistory, MailboxView, Qresync, SelectOptions, ViewBuilder, ViewError,
};

fn write(r: &Response<'static>) -> String {
    let mut e = Encoder::default();
    r.write(&mut e);
    String::from_utf8(e.as_bytes().to_vec()).unwrap()
}

fn lines(data: &[Data<'static>]) -> Vec<String> {
    data.iter()
        .map(|d| write(&Response::Data(d.clone())).trim_end().to_string())
        .collect()
}

/// `* OK [CODE ...] text` → `* OK [CODE ...]`: the human text is free.
fn without_text(line: &str) -> String {
    match line.find(']') {
        Some(i) if line.starts_with("* OK [") => line[..=i].to_string(),
        _ => line.trim_end().to_string(),
    }
}

fn kw(s: &str) -> Flag<'static> {
    Flag::Keyword(Atom::new(s.to_string()).unwrap())
}

fn set(s: &str) -> SequenceSet {
    SequenceSet::parse(format!("{s} ").as_bytes()).unwrap().0
}

/// Parses `SELECT INBOX (QRESYNC (...))` and runs the view's QRESYNC step.
fn qresync(
    view: &MailboxView,
    command: &str,
    history: ExpungeHistory<'_>,
) -> Result<Vec<String>, ViewError> {
    let input = format!("{command}\r\n");
    let (cmd, _) = Command::parse(input.as_bytes()).unwrap();
    let CommandBody::Select { params, .. } = &cmd.body else {
        panic!("not a SELECT")
    };
    let q = params.iter().find_map(Qresync::from_param).unwrap();
    Ok(lines(&view.qresync_responses(&q, history)?))
}

#[test]
fn select_example_1_highestmodseq() {
    // RFC 7162 §3.1.2.1 Example 1.
    let mut b = ViewBuilder::new(3857529045, 4392)
        .imap4rev1(true)
        .condstore(true)
        .highest_modseq(715194045007);
    for uid in 1..=172u32 {
        let seen = uid != 12 && uid != 100;
        let flags: &[Flag<'_>] = if seen { &[Flag::Seen] } else { &[] };
        b.push(uid * 10, flags, 5, uid == 172).unwrap();
    }
    let view = b.build();
    let opts = SelectOptions {
        flags: vec![
            Flag::Answered,
            Flag::Flagged,
            Flag::Deleted,
            Flag::Seen,
            Flag::Draft,
        ],
        permanent_flags: Some(vec![
            FlagPerm::Flag(Flag::Deleted),
            FlagPerm::Flag(Flag::Seen),
            FlagPerm::Any,
        ]),
    };
    let got: Vec<String> = view
        .select_responses(&opts)
        .iter()
        .map(|r| without_text(&write(r)))
        .collect();
    let rfc = [
        "* 172 EXISTS",
        "* 1 RECENT",
        "* OK [UNSEEN 12] Message 12 is first unseen",
        "* OK [UIDVALIDITY 3857529045] UIDs valid",
        "* OK [UIDNEXT 4392] Predicted next UID",
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited",
        "* OK [HIGHESTMODSEQ 715194045007]",
    ];
    let want: Vec<String> = rfc.iter().map(|l| without_text(l)).collect();
    assert_eq!(got, want);
}

#[test]
fn select_example_2_nomodseq_and_rev2() {
    // RFC 7162 §3.1.2.2 Example 2.
    let mut b = ViewBuilder::new(3857529045, 4392)
        .imap4rev1(true)
        .condstore(true)
        .no_mod_seq();
    b.push(1, &[], 0, false).unwrap();
    let view = b.build();
    let out = view.select_responses(&SelectOptions::default());
    let last = write(out.last().unwrap());
    assert_eq!(
        last,
        "* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences\r\n"
    );
    // IMAP4rev2 without CONDSTORE: no RECENT, UNSEEN, HIGHESTMODSEQ.
    let view = ViewBuilder::new(9, 10).build();
    let got: Vec<String> = view
        .select_responses(&SelectOptions::default())
        .iter()
        .map(|r| without_text(&write(r)))
        .collect();
    assert_eq!(
        got,
        [
            "* 0 EXISTS",
            "* OK [UIDVALIDITY 9]",
            "* OK [UIDNEXT 10]",
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)]",
        ]
    );
    // The first CONDSTORE enabling command afterwards.
    let mut view = view;
    assert!(view.enable_condstore());
    assert_eq!(
        without_text(&write(&view.highest_modseq_response())),
        "* OK [HIGHESTMODSEQ 1]"
    );
}

/// The mailbox of RFC 7162 §3.2.5.1 (A03): 100 messages, UIDNEXT 600; the
/// client knows 41:211,214:541; 42, 117, 119 and 541 survive.
fn a03_view() -> MailboxView {
    let mut b = ViewBuilder::new(67890007, 600)
        .qresync(true)
        .highest_modseq(90060115205545359);
    let old = 90060115194044000;
    for uid in 1..=40 {
        b.push(uid, &[], old, false).unwrap();
    }
    b.push(42, &[], old, false).unwrap();
    b.push(117, &[Flag::Seen, Flag::Answered], 90060115194045001, false)
        .unwrap();
    b.push(
        119,
        &[Flag::Draft, kw("$MDNSent")],
        90060115194045308,
        false,
    )
    .unwrap();
    b.push(
        541,
        &[Flag::Seen, kw("$Forwarded")],
        90060115194045001,
        false,
    )
    .unwrap();
    for uid in 542..=597 {
        // Changed, but the client doesn't know these UIDs: not reported.
        b.push(uid, &[], 90060115205545359, false).unwrap();
    }
    let v = b.build();
    assert_eq!(v.exists(), 100);
    v
}

#[test]
fn qresync_a03_vanished_earlier_and_changed_flags() {
    let view = a03_view();
    let got = qresync(
        &view,
        "A03 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541))",
        ExpungeHistory::Unknown,
    )
    .unwrap();
    // The RFC numbers these FETCHes 49, 50, 51, which its own mailbox
    // cannot produce (at most 41 UIDs below 117 survive when 43:116 are
    // gone); the UIDs, flags and mod-sequences are the RFC's.
    assert_eq!(
        got,
        [
            "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540",
            "* 42 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))",
            "* 43 FETCH (UID 119 FLAGS (\\Draft $MDNSent) MODSEQ (90060115194045308))",
            "* 44 FETCH (UID 541 FLAGS (\\Seen $Forwarded) MODSEQ (90060115194045001))",
        ]
    );
}

#[test]
fn qresync_a02_uidvalidity_mismatch_sends_nothing() {
    let view = a03_view();
    let got = qresync(
        &view,
        "A02 SELECT INBOX (QRESYNC (67890008 20050715194045000 41,43:211,214:541))",
        ExpungeHistory::Unknown,
    )
    .unwrap();
    assert!(got.is_empty());
}

#[test]
fn qresync_with_expunge_history() {
    // A server that remembers: only 43 and 100 were expunged since the
    // client's mod-sequence; 7 is outside the known set, 42 still exists.
    let view = a03_view();
    let got = qresync(
        &view,
        "A03 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541))",
        ExpungeHistory::Since(&[100, 43, 7, 42, 100]),
    )
    .unwrap();
    assert_eq!(got[0], "* VANISHED (EARLIER) 43,100");
    assert_eq!(got.len(), 4);
}

#[test]
fn qresync_without_known_uids_means_all_below_uidnext() {
    let mut b = ViewBuilder::new(5, 10).qresync(true);
    b.push(3, &[], 1, false).unwrap();
    b.push(8, &[], 9, false).unwrap();
    let view = b.build();
    let got = qresync(&view, "a SELECT x (QRESYNC (5 4))", ExpungeHistory::Unknown).unwrap();
    assert_eq!(
        got,
        [
            "* VANISHED (EARLIER) 1:2,4:7,9",
            "* 2 FETCH (UID 8 FLAGS () MODSEQ (9))"
        ]
    );
    // An empty mailbox that never had messages: nothing.
    let empty = ViewBuilder::new(5, 1).qresync(true).build();
    assert!(
        qresync(
            &empty,
            "a SELECT x (QRESYNC (5 4))",
            ExpungeHistory::Unknown
        )
        .unwrap()
        .is_empty()
    );
}

/// RFC 7162 §3.2.5.2: only UIDs divisible by three remain; UIDNEXT 30013.
fn divisible_by_three() -> MailboxView {
    let mut b = ViewBuilder::new(67890007, 30013)
        .qresync(true)
        .imap4rev1(true)
        .highest_modseq(90060115205545359);
    let changed = [
        (3, 90060115194045001),
        (29667, 90060115194045027),
        (29670, 90060115194045028),
        (29997, 90060115194045031),
    ];
    for uid in (3..=30009).step_by(3) {
        let modseq = changed
            .iter()
            .find(|c| c.0 == uid)
            .map_or(90060115194040000, |c| c.1);
        let flags: Vec<Flag<'static>> = match uid {
            3 => vec![Flag::Seen, Flag::Answered, kw("$Important")],
            29667 => vec![Flag::Seen, Flag::Answered],
            29670 => vec![Flag::Draft, kw("$MDNSent")],
            29997 => vec![Flag::Seen, kw("$Forwarded")],
            _ => vec![Flag::Seen],
        };
        b.push(uid, &flags, modseq, false).unwrap();
    }
    let v = b.build();
    assert_eq!(v.exists(), 10003);
    v
}

const FETCHES: [&str; 4] = [
    "* 1 FETCH (UID 3 FLAGS (\\Seen \\Answered $Important) MODSEQ (90060115194045001))",
    "* 9889 FETCH (UID 29667 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045027))",
    "* 9890 FETCH (UID 29670 FLAGS (\\Draft $MDNSent) MODSEQ (90060115194045028))",
    "* 9999 FETCH (UID 29997 FLAGS (\\Seen $Forwarded) MODSEQ (90060115194045031))",
];

#[test]
fn qresync_a04_without_seq_match() {
    let view = divisible_by_three();
    let got = qresync(
        &view,
        "A04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997))",
        ExpungeHistory::Unknown,
    )
    .unwrap();
    let vanished = &got[0];
    assert!(
        vanished.starts_with("* VANISHED (EARLIER) 1:2,4:5,7:8,10:11,13:14,"),
        "{vanished}"
    );
    // (The RFC elides the middle; its tail "29671:29996" contradicts its own
    // premise. Every gap between multiples of three is reported.)
    assert!(vanished.ends_with(",29992:29993,29995:29996"), "{vanished}");
    assert!(vanished.contains(",29668:29669,29671:29672,"));
    assert_eq!(vanished.matches(',').count(), 9998);
    assert_eq!(&got[1..], &FETCHES);
}

#[test]
fn qresync_b04_seq_match_suppresses_vanished() {
    let view = divisible_by_three();
    let got = qresync(
        &view,
        "B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 \
         (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,\
         29985,29988,29991,29994,29997)))",
        ExpungeHistory::Unknown,
    )
    .unwrap();
    // Every pair matches up to UID 29997: no UID of 1:29997 is reported.
    assert_eq!(got, FETCHES);
}

#[test]
fn seq_match_floor_is_after_the_last_matching_pair() {
    // RFC 7162 §3.2.5.2: message 4 has UID 8 (match); message 12 has UID 25,
    // not 24 (mismatch): "the lowest UID included in the VANISHED response
    // would be 9".
    let uids = [1, 2, 5, 8, 10, 11, 12, 14, 15, 16, 18, 25, 26];
    let mut b = ViewBuilder::new(1, 30).qresync(true);
    for u in uids {
        b.push(u, &[], 1, false).unwrap();
    }
    let view = b.build();
    let got = qresync(
        &view,
        "a SELECT x (QRESYNC (1 5 1:29 (4,12 8,24)))",
        ExpungeHistory::Unknown,
    )
    .unwrap();
    assert_eq!(got, ["* VANISHED (EARLIER) 9,13,17,19:24,27:29"]);
    // Without the match data, 3:4,6:7 would be reported too.
    let got = qresync(
        &view,
        "a SELECT x (QRESYNC (1 5 1:29))",
        ExpungeHistory::Unknown,
    )
    .unwrap();
    assert_eq!(got, ["* VANISHED (EARLIER) 3:4,6:7,9,13,17,19:24,27:29"]);
    // A first pair that doesn't match leaves everything in.
    let got = qresync(
        &view,
        "a SELECT x (QRESYNC (1 5 1:29 (3 4)))",
        ExpungeHistory::Unknown,
    )
    .unwrap();
    assert_eq!(got, ["* VANISHED (EARLIER) 3:4,6:7,9,13,17,19:24,27:29"]);
}

#[test]
fn qresync_parameter_errors() {
    let view = a03_view();
    assert_eq!(
        qresync(
            &view,
            "a SELECT x (QRESYNC (67890007 5 1:*))",
            ExpungeHistory::Unknown
        )
        .unwrap_err(),
        ViewError::QresyncStar { what: "known-uids" }
    );
    assert_eq!(
        qresync(
            &view,
            "a SELECT x (QRESYNC (67890007 5 1:9 (1:3 4,5)))",
            ExpungeHistory::Unknown
        )
        .unwrap_err(),
        ViewError::SeqMatchLength { seqs: 3, uids: 2 }
    );
    // Checked before UIDVALIDITY (RFC 7162 §3.2.5: syntax first).
    assert!(
        qresync(
            &view,
            "a SELECT x (QRESYNC (1 5 $))",
            ExpungeHistory::Unknown
        )
        .is_err()
    );
}

#[test]
fn qresync_ignored_without_mod_seq() {
    let mut b = ViewBuilder::new(5, 10).qresync(true).no_mod_seq();
    b.push(9, &[], 0, false).unwrap();
    let view = b.build();
    assert!(
        qresync(
            &view,
            "a SELECT x (QRESYNC (5 4 1:9))",
            ExpungeHistory::Unknown
        )
        .unwrap()
        .is_empty()
    );
}

#[test]
fn uid_fetch_vanished_modifier() {
    // RFC 7162 §3.2.6 Example 1: UID FETCH 300:500 (FLAGS) (CHANGEDSINCE
    // 12345 VANISHED) → VANISHED (EARLIER) 300:310,405,411.
    let mut b = ViewBuilder::new(1, 600).qresync(true);
    for (u, m) in [
        (404, 65402),
        (406, 75403),
        (407, 1),
        (408, 29738),
        (410, 1),
        (412, 1),
    ] {
        b.push(u, &[], m, false).unwrap();
    }
    let view = b.build();
    let history: Vec<u32> = (300..=310).chain([405, 411, 550, 10]).collect();
    let d = view
        .vanished_earlier(&set("300:500"), ExpungeHistory::Since(&history))
        .unwrap();
    assert_eq!(lines(&[d]), ["* VANISHED (EARLIER) 300:310,405,411"]);
    // Without history: every UID of the set with no message.
    let d = view
        .vanished_earlier(&set("400:413"), ExpungeHistory::Unknown)
        .unwrap();
    assert_eq!(
        lines(&[d]),
        ["* VANISHED (EARLIER) 400:403,405,409,411,413"]
    );
    assert!(
        view.vanished_earlier(&set("404"), ExpungeHistory::Unknown)
            .is_none()
    );
    assert!(
        view.vanished_earlier(&SequenceSet::Saved, ExpungeHistory::Unknown)
            .is_none()
    );
    // UIDs at or above UIDNEXT never existed: not reported.
    assert!(
        view.vanished_earlier(&set("600:700"), ExpungeHistory::Unknown)
            .is_none()
    );
}

fn store_view(modseqs: &[(u32, u64)]) -> MailboxView {
    let mut b = ViewBuilder::new(1, 1).condstore(true);
    for &(uid, m) in modseqs {
        b.push(uid, &[], m, false).unwrap();
    }
    b.build()
}

#[test]
fn unchangedsince_example_3_all_pass() {
    // C: a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\Deleted)
    let view = store_view(&[(4, 12121230000), (6, 12121230045), (7, 1), (8, 12121230001)]);
    let r = view.resolve_uid(&set("6,4,8"));
    assert_eq!(
        r.iter().map(|m| (m.seq, m.uid)).collect::<Vec<_>>(),
        [(1, 4), (2, 6), (4, 8)]
    );
    assert!(r.iter().all(|m| m.unchanged_since(12121230045)));
    assert!(view.modified_set(&r, 12121230045, true).is_none());
}

#[test]
fn unchangedsince_example_6_modified() {
    // C: d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) → OK [MODIFIED 7,9]
    let mut m: Vec<(u32, u64)> = (1..=10).map(|u| (u, 320162000)).collect();
    m[6].1 = 320162342;
    m[8].1 = 320162349;
    let view = store_view(&m);
    let r = view.resolve_seq(&set("7,5,9")).unwrap();
    let pass: Vec<u32> = r
        .iter()
        .filter(|m| m.unchanged_since(320162338))
        .map(|m| m.seq)
        .collect();
    assert_eq!(pass, [5]);
    assert_eq!(
        view.modified_set(&r, 320162338, false).unwrap().to_string(),
        "7,9"
    );
    // The same failing messages by UID for UID STORE.
    let r = view.resolve_uid(&set("5,7,9"));
    assert_eq!(
        view.modified_set(&r, 320162338, true).unwrap().to_string(),
        "7,9"
    );
}

#[test]
fn unchangedsince_zero_always_fails() {
    // Example 8: STORE 12 (UNCHANGEDSINCE 0) +FLAGS.SILENT ($MDNSent) →
    // OK [MODIFIED 12].
    let m: Vec<(u32, u64)> = (1..=12).map(|u| (u, 1)).collect();
    let view = store_view(&m);
    let r = view.resolve_seq(&set("12")).unwrap();
    assert!(!r.iter().next().unwrap().unchanged_since(0));
    assert_eq!(view.modified_set(&r, 0, false).unwrap().to_string(), "12");
}

#[test]
fn unchangedsince_example_11_expunged_messages() {
    // B001 STORE 1:7 (UNCHANGEDSINCE 320172338) +FLAGS (\SEEN) with 4:7
    // expunged by another session (client not told) and 2 changed: NO
    // [MODIFIED 2]; then the NOOP sends four EXPUNGEs and 2's FETCH.
    let mut view = store_view(&(1..=7).map(|u| (u, 320172000)).collect::<Vec<_>>());
    view.expunge(&[4, 5, 6, 7]);
    view.set_flags(2, &[Flag::Deleted, Flag::Answered], 320172340);
    let r = view.resolve_seq(&set("1:7")).unwrap();
    assert_eq!(r.len(), 7);
    let pass: Vec<u32> = r
        .iter()
        .filter(|m| m.unchanged_since(320172338))
        .map(|m| m.seq)
        .collect();
    assert_eq!(pass, [1, 3]);
    assert_eq!(r.iter().filter(|m| m.expunged).count(), 4);
    assert_eq!(
        view.modified_set(&r, 320172338, false).unwrap().to_string(),
        "2"
    );
    // The server applied +FLAGS (\Seen) to 1 and 3 and reported them.
    view.store_own(1, &[Flag::Seen], 320172342, true);
    view.store_own(3, &[Flag::Seen], 320172342, true);
    assert_eq!(
        lines(&view.take_updates(true)),
        [
            "* 7 EXPUNGE",
            "* 6 EXPUNGE",
            "* 5 EXPUNGE",
            "* 4 EXPUNGE",
            "* 2 FETCH (UID 2 FLAGS (\\Deleted \\Answered) MODSEQ (320172340))",
        ]
    );
}

#[test]
fn duplicate_messages_in_a_store_set_are_tested_once() {
    // RFC 7162 §3.1.3 note: "e105 STORE 7,3:9 ..." must not fail 7 the
    // second time; resolution yields each message once.
    let view = store_view(&(1..=10).map(|u| (u, 5)).collect::<Vec<_>>());
    let r = view.resolve_seq(&set("7,3:9")).unwrap();
    assert_eq!(
        r.iter().map(|m| m.seq).collect::<Vec<_>>(),
        [3, 4, 5, 6, 7, 8, 9]
    );
}

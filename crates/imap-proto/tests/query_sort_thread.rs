//! SORT and THREAD (RFC 5256): criteria, REVERSE, tie-breaking, both
//! threading algorithms with missing parents, loops and duplicate ids.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::primitive::Atom;
use mailwire_imap_proto::query::QueryError;
use mailwire_imap_proto::query::sort::sort;
use mailwire_imap_proto::query::subject::base_subject;
use mailwire_imap_proto::query::thread::thread;
use mailwire_imap_proto::response::{Data, Response, Thread};
use mailwire_imap_proto::search::{ThreadAlgorithm, sort_criteria};

fn stored(seq: u32, raw: &str, internal: &str) -> StoredMessage<'static> {
    let raw: &'static [u8] = Box::leak(raw.replace('\n', "\r\n").into_bytes().into_boxed_slice());
    let parsed = Box::leak(Box::new(mailwire_mime::Message::parse(raw).unwrap()));
    let (internal_date, _) = DateTime::parse(format!("\"{internal}\"").as_bytes()).unwrap();
    StoredMessage {
        raw,
        parsed,
        meta: MessageMeta {
            seq,
            uid: seq * 100,
            flags: &[],
            recent: false,
            internal_date,
            modseq: 0,
        },
    }
}

/// Message `seq` with extra header lines and a sent date on day `day` of
/// January 2020 (no Date: header when `day` is 0).
fn msg(seq: u32, headers: &str, day: u32) -> StoredMessage<'static> {
    let date = if day == 0 {
        String::new()
    } else {
        format!("Date: {day} Jan 2020 12:00:00 +0000\n")
    };
    stored(
        seq,
        &format!("{headers}\n{date}\nbody {seq}\n"),
        &format!("{:02}-Feb-2020 00:00:00 +0000", 28 - seq.min(27)),
    )
}

fn sorted(criteria: &str, msgs: &[StoredMessage<'static>]) -> Vec<u32> {
    let (_, c) = sort_criteria(criteria.as_bytes()).unwrap();
    sort(&c, msgs.iter().copied(), false)
}

fn sort_corpus() -> Vec<StoredMessage<'static>> {
    vec![
        msg(
            1,
            "Subject: Re: beta\nFrom: \"Zed\" <bob@x>\nTo: carol@x\nCc: zz@x",
            5,
        ),
        msg(
            2,
            "Subject: alpha\nFrom: Alice <alice@x>\nTo: Bob <bob@x>",
            3,
        ),
        msg(
            3,
            "Subject: [list] Beta (fwd)\nFrom: carl@x\nTo: =?utf-8?q?Andr=C3=A9?= <zed@x>\nCc: aa@x",
            1,
        ),
        msg(4, "Subject: Fwd: ALPHA\nFrom: ALICE@x", 0),
        msg(
            5,
            "Subject: gamma\nFrom: \"\" <dora@x>\nX-Pad: padding padding padding",
            3,
        ),
    ]
}

#[test]
fn sort_criteria_each() {
    let m = sort_corpus();
    // Base subjects: beta, alpha, beta, alpha, gamma.
    assert_eq!(sorted("(SUBJECT)", &m), vec![2, 4, 1, 3, 5]);
    assert_eq!(sorted("(REVERSE SUBJECT)", &m), vec![5, 1, 3, 2, 4]);
    // Sent dates: 5, 3, 1, none (INTERNALDATE 24 Feb), 3 (tie: seq).
    assert_eq!(sorted("(DATE)", &m), vec![3, 2, 5, 1, 4]);
    assert_eq!(sorted("(REVERSE DATE)", &m), vec![4, 1, 2, 5, 3]);
    assert_eq!(sorted("(SUBJECT DATE)", &m), vec![2, 4, 3, 1, 5]);
    assert_eq!(sorted("(SUBJECT REVERSE DATE)", &m), vec![4, 2, 1, 3, 5]);
    // addr-mailbox of the first From: bob, alice, carl, ALICE, dora.
    assert_eq!(sorted("(FROM)", &m), vec![2, 4, 1, 3, 5]);
    // To: carol, bob, zed, (none), (none): the empty string first.
    assert_eq!(sorted("(TO)", &m), vec![4, 5, 2, 1, 3]);
    // Cc: zz, -, aa, -, -.
    assert_eq!(sorted("(CC)", &m), vec![2, 4, 5, 3, 1]);
    // INTERNALDATE: 27, 26, 25, 24, 23 Feb.
    assert_eq!(sorted("(ARRIVAL)", &m), vec![5, 4, 3, 2, 1]);
    assert_eq!(sorted("(REVERSE ARRIVAL)", &m), vec![1, 2, 3, 4, 5]);
    // DISPLAYFROM: Zed, Alice, carl@x, ALICE@x, dora@x (empty name).
    assert_eq!(sorted("(DISPLAYFROM)", &m), vec![2, 4, 3, 5, 1]);
    // DISPLAYTO: carol@x, Bob, André, -, -.
    assert_eq!(sorted("(DISPLAYTO)", &m), vec![4, 5, 3, 2, 1]);
    let mut by_size: Vec<(u64, u32)> = m.iter().map(|x| (x.size(), x.meta.seq)).collect();
    by_size.sort();
    let want: Vec<u32> = by_size.iter().map(|x| x.1).collect();
    assert_eq!(sorted("(SIZE)", &m), want);
    // UIDs.
    let (_, c) = sort_criteria(b"(SUBJECT)").unwrap();
    assert_eq!(
        sort(&c, m.iter().copied(), true),
        vec![200, 400, 100, 300, 500]
    );
}

#[test]
fn reverse_does_not_reverse_the_tie_breaker() {
    let m: Vec<_> = (1..=4).map(|i| msg(i, "Subject: same", 1)).collect();
    assert_eq!(sorted("(SUBJECT)", &m), vec![1, 2, 3, 4]);
    assert_eq!(sorted("(REVERSE SUBJECT)", &m), vec![1, 2, 3, 4]);
    assert_eq!(
        sorted("(REVERSE SUBJECT REVERSE DATE)", &m),
        vec![1, 2, 3, 4]
    );
    assert!(sorted("(SUBJECT)", &[]).is_empty());
}

#[test]
fn sent_date_uses_utc() {
    // 31 Dec 2000 16:01:33 -0800 is 1 Jan 2001 00:01:33 UTC (RFC 5256 §2.2).
    let m = vec![
        stored(
            1,
            "Date: 31 Dec 2000 16:01:33 -0800\n\nx\n",
            "01-Jan-2000 00:00:00 +0000",
        ),
        stored(
            2,
            "Date: 1 Jan 2001 00:01:00 +0000\n\nx\n",
            "01-Jan-2000 00:00:00 +0000",
        ),
        stored(3, "Date: garbage\n\nx\n", "01-Jan-1990 00:00:00 +0000"),
    ];
    assert_eq!(sorted("(DATE)", &m), vec![3, 2, 1]);
}

#[test]
fn rfc5256_base_subjects() {
    for (s, want) in [
        ("Re: [list] Fwd: Re: subj (fwd)", "subj"),
        ("[PATCH 1/2] Re: fix", "fix"),
        ("Re: [PATCH 1/2] fix", "fix"),
        ("[PATCH 1/2]", "[PATCH 1/2]"),
        ("Fwd: [Fwd: hello (fwd)]", "hello"),
        ("re:re[3]:  RE :  Fw:fwd[x]: subject", "subject"),
        ("Re:\tsubject \t with\t tabs", "subject with tabs"),
        ("(fwd)", ""),
        ("Reply", "Reply"),
    ] {
        assert_eq!(base_subject(s).text, want, "{s:?}");
    }
}

fn threads(alg: &ThreadAlgorithm<'_>, msgs: &[StoredMessage<'static>]) -> String {
    let t = thread(alg, msgs.iter().copied(), false).unwrap();
    let bytes = Response::Data(Data::Thread(t)).to_bytes();
    String::from_utf8(bytes).unwrap().trim_end().to_string()
}

#[test]
fn ordered_subject() {
    let m = vec![
        msg(1, "Subject: a", 3),
        msg(2, "Subject: Re: a", 1),
        msg(3, "Subject: b", 2),
        msg(4, "Subject: A", 5),
        msg(5, "Subject: c", 4),
        msg(6, "Subject: Re: b", 6),
    ];
    assert_eq!(
        threads(&ThreadAlgorithm::OrderedSubject, &m),
        "* THREAD (2 (1)(4))(3 6)(5)"
    );
    assert_eq!(threads(&ThreadAlgorithm::OrderedSubject, &[]), "* THREAD");
}

fn id(n: u32) -> String {
    format!("<m{n}@x>")
}

#[test]
fn references_basic_tree() {
    let m = vec![
        msg(1, &format!("Message-ID: {}\nSubject: topic", id(1)), 1),
        msg(
            2,
            &format!(
                "Message-ID: {}\nReferences: {}\nSubject: Re: topic",
                id(2),
                id(1)
            ),
            2,
        ),
        msg(
            3,
            &format!(
                "Message-ID: {}\nReferences: {} {}\nSubject: Re: topic",
                id(3),
                id(1),
                id(2)
            ),
            3,
        ),
        msg(
            4,
            &format!(
                "Message-ID: {}\nIn-Reply-To: {}\nSubject: Re: topic",
                id(4),
                id(1)
            ),
            4,
        ),
        msg(5, &format!("Message-ID: {}\nSubject: other", id(5)), 5),
    ];
    assert_eq!(
        threads(&ThreadAlgorithm::References, &m),
        "* THREAD (1 (2 3)(4))(5)"
    );
    let t = thread(&ThreadAlgorithm::References, m.iter().copied(), true).unwrap();
    assert_eq!(
        t[0],
        Thread {
            ids: vec![100],
            children: vec![
                Thread {
                    ids: vec![200, 300],
                    children: vec![]
                },
                Thread {
                    ids: vec![400],
                    children: vec![]
                }
            ]
        }
    );
}

#[test]
fn references_missing_parents() {
    // 2 and 3 reply to a message not in the set: a dummy with two children
    // stays at the top level; 5's missing parent has one child: promoted.
    let m = vec![
        msg(1, &format!("Message-ID: {}\nSubject: one", id(1)), 1),
        msg(
            2,
            &format!(
                "Message-ID: {}\nReferences: {}\nSubject: Re: two",
                id(2),
                id(90)
            ),
            2,
        ),
        msg(
            3,
            &format!(
                "Message-ID: {}\nReferences: {}\nSubject: Re: two",
                id(3),
                id(90)
            ),
            3,
        ),
        msg(
            5,
            &format!(
                "Message-ID: {}\nReferences: {} {}\nSubject: three",
                id(5),
                id(91),
                id(92)
            ),
            4,
        ),
    ];
    assert_eq!(
        threads(&ThreadAlgorithm::References, &m),
        "* THREAD (1)((2)(3))(5)"
    );
}

#[test]
fn references_truncated_chain_and_parent_fix() {
    // 3's References skip 2; 2 arrives later and names 1 as parent: 1.B
    // re-parents, nothing loops.
    let m = vec![
        msg(1, &format!("Message-ID: {}\nSubject: s", id(1)), 1),
        msg(
            2,
            &format!(
                "Message-ID: {}\nReferences: {} {}\nSubject: Re: s",
                id(3),
                id(1),
                id(2)
            ),
            3,
        ),
        msg(
            3,
            &format!(
                "Message-ID: {}\nReferences: {}\nSubject: Re: s",
                id(2),
                id(1)
            ),
            2,
        ),
    ];
    assert_eq!(
        threads(&ThreadAlgorithm::References, &m),
        "* THREAD (1 3 2)"
    );
}

#[test]
fn references_loops_and_self_references() {
    let m = vec![
        msg(
            1,
            &format!("Message-ID: {}\nReferences: {}\nSubject: x", id(1), id(2)),
            1,
        ),
        msg(
            2,
            &format!("Message-ID: {}\nReferences: {}\nSubject: y", id(2), id(1)),
            2,
        ),
        msg(
            3,
            &format!(
                "Message-ID: {}\nReferences: {} {}\nSubject: z",
                id(3),
                id(3),
                id(3)
            ),
            3,
        ),
        msg(
            4,
            &format!(
                "Message-ID: {}\nReferences: {} {} {} {}\nSubject: w",
                id(4),
                id(5),
                id(6),
                id(5),
                id(6)
            ),
            4,
        ),
    ];
    // 1 is a child of 2 (linked while 2 was a dummy); 2 cannot then become
    // 1's child. 3 references itself only. 4's references loop among
    // dummies, which are pruned.
    assert_eq!(
        threads(&ThreadAlgorithm::References, &m),
        "* THREAD (2 1)(3)(4)"
    );
}

#[test]
fn references_duplicate_message_ids() {
    let m = vec![
        msg(1, "Message-ID: <dup@x>\nSubject: first", 1),
        msg(2, "Message-ID: <dup@x>\nSubject: second", 2),
        msg(3, "References: <dup@x>\nSubject: third", 3),
        // Quoting does not make a different id (RFC 5256 §3).
        msg(4, "In-Reply-To: <\"dup\"@x>\nSubject: fourth", 4),
        // No Message-ID at all.
        msg(5, "Subject: fifth", 5),
    ];
    assert_eq!(
        threads(&ThreadAlgorithm::References, &m),
        "* THREAD (1 (3)(4))(2)(5)"
    );
}

#[test]
fn references_subject_merging() {
    let m = vec![
        // Two unrelated roots with the same subject, neither a reply: a dummy.
        msg(1, "Message-ID: <a@x>\nSubject: news", 1),
        msg(2, "Message-ID: <b@x>\nSubject: News", 2),
        // A reply by subject only: child of the non-reply root.
        msg(3, "Message-ID: <c@x>\nSubject: hello", 3),
        msg(4, "Message-ID: <d@x>\nSubject: Re: hello", 4),
        // Empty subjects are never merged.
        msg(5, "Message-ID: <e@x>\nSubject: ", 5),
        msg(6, "Message-ID: <f@x>", 6),
        // A reply seen before the original: the original goes in the
        // subject table and the reply becomes its child.
        msg(7, "Message-ID: <g@x>\nSubject: Re: late", 7),
        msg(8, "Message-ID: <h@x>\nSubject: late", 8),
    ];
    assert_eq!(
        threads(&ThreadAlgorithm::References, &m),
        "* THREAD ((1)(2))(3 4)(5)(6)(8 7)"
    );
}

#[test]
fn references_dummy_subject_merging() {
    // Two dummies (missing parents with two children each) with the same
    // thread subject merge their children.
    let m = vec![
        msg(
            1,
            "Message-ID: <a@x>\nReferences: <p@x>\nSubject: Re: topic",
            1,
        ),
        msg(
            2,
            "Message-ID: <b@x>\nReferences: <p@x>\nSubject: Re: topic",
            2,
        ),
        msg(
            3,
            "Message-ID: <c@x>\nReferences: <q@x>\nSubject: Re: topic",
            3,
        ),
        msg(
            4,
            "Message-ID: <d@x>\nReferences: <q@x>\nSubject: Re: topic",
            4,
        ),
        // A non-dummy with the same subject joins the dummy's children.
        msg(5, "Message-ID: <e@x>\nSubject: topic", 5),
    ];
    assert_eq!(
        threads(&ThreadAlgorithm::References, &m),
        "* THREAD ((1)(2)(3)(4)(5))"
    );
}

#[test]
fn long_chains_do_not_recurse() {
    let n = 3000u32;
    let m: Vec<_> = (1..=n)
        .map(|i| {
            let refs = if i > 1 {
                format!("In-Reply-To: {}\n", id(i - 1))
            } else {
                String::new()
            };
            msg(
                i,
                &format!("Message-ID: {}\n{refs}Subject: chain", id(i)),
                1,
            )
        })
        .collect();
    let t = thread(&ThreadAlgorithm::References, m.iter().copied(), false).unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].ids, (1..=n).collect::<Vec<_>>());
    // A References field with many ids: only the last ones are used.
    let many: String = (0..5000).map(|i| format!("<r{i}@x> ")).collect();
    let big = [msg(
        1,
        &format!("Message-ID: <z@x>\nReferences: {many}\nSubject: q"),
        1,
    )];
    let t = thread(&ThreadAlgorithm::References, big.iter().copied(), false).unwrap();
    assert_eq!(
        t,
        vec![Thread {
            ids: vec![1],
            children: vec![]
        }]
    );
}

#[test]
fn unknown_algorithm() {
    let e = thread(
        &ThreadAlgorithm::Other(Atom::try_from("X-FANCY").unwrap()),
        std::iter::empty(),
        false,
    )
    .unwrap_err();
    assert_eq!(
        e,
        QueryError::UnsupportedAlgorithm {
            algorithm: "X-FANCY".into()
        }
    );
    assert!(e.code().is_none());
}

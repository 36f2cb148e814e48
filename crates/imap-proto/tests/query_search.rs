//! SEARCH evaluation: every key with a matching and a non-matching message,
//! nesting, charsets, encoded words, transfer encodings, ESEARCH, MODSEQ.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use base64::Engine as _;
use mailwire_imap_proto::command::{Command, CommandBody};
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::primitive::Atom;
use mailwire_imap_proto::query::QueryError;
use mailwire_imap_proto::query::search::{
    Context, ObjectIdKind, Query, SearchResult, compact_set, evaluate, matches,
};
use mailwire_imap_proto::response::{Data, EsearchItem, Response};
use mailwire_imap_proto::search::{SearchReturnOption, search_key, search_keys};

fn leak<T>(x: T) -> &'static T {
    Box::leak(Box::new(x))
}

fn stored(
    seq: u32,
    uid: u32,
    raw: &str,
    flags: Vec<Flag<'static>>,
    recent: bool,
    date: &str,
    modseq: u64,
) -> StoredMessage<'static> {
    let raw: &'static [u8] = Box::leak(raw.replace('\n', "\r\n").into_bytes().into_boxed_slice());
    let parsed = leak(mailwire_mime::Message::parse(raw).unwrap());
    let flags: &'static [Flag<'static>] = Box::leak(flags.into_boxed_slice());
    let (internal_date, _) = DateTime::parse(format!("\"{date}\"").as_bytes()).unwrap();
    StoredMessage {
        raw,
        parsed,
        meta: MessageMeta {
            seq,
            uid,
            flags,
            recent,
            internal_date,
            modseq,
        },
    }
}

fn b64(s: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn corpus() -> Vec<StoredMessage<'static>> {
    let m1 = "From: \"Joe Smith\" <joe@example.com>
To: alice@example.org
Cc: bob@example.net
Bcc: carol@example.com
Subject: =?ISO-8859-1?Q?Caf=E9_meeting?=
Date: Mon, 15 Jul 1996 23:00:00 -0500
X-Priority: 1
Message-ID: <1@x>

Plain body with the word pineapple.
";
    let m2 = format!(
        "From: alice@example.org
To: joe@example.com
Subject: Re: report
Date: 2 Feb 2020 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=XX

--XX
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe aus M=FCnchen, a soft=
break
--XX
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

{}
--XX
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

{}
--XX--
",
        b64(b"<p>Kiwi fruit</p>"),
        b64(b"secretword")
    );
    let m3 = "From: dave@example.com
Subject: a long
 subject line
Content-Type: multipart/mixed; boundary=YY

--YY
Content-Type: text/plain

see attached
--YY
Content-Type: message/rfc822

Subject: inner-topic
From: eve@example.com

innerbody text, and a little more
--YY--
";
    let kw = Flag::Keyword(Atom::try_from("$Forwarded").unwrap());
    vec![
        stored(
            1,
            10,
            m1,
            vec![Flag::Seen, Flag::Answered, kw],
            true,
            "17-Jul-1996 02:44:25 -0700",
            5,
        ),
        stored(
            2,
            20,
            &m2,
            vec![Flag::Flagged, Flag::Deleted, Flag::Draft],
            false,
            "01-Feb-2020 23:30:00 -0800",
            50,
        ),
        stored(3, 30, m3, vec![], true, "20-Mar-2021 12:00:00 +0000", 100),
    ]
}

fn run(keys: &str) -> SearchResult {
    let msgs = corpus();
    let input = format!("{keys}\r\n");
    let (rest, k) = search_keys(input.as_bytes()).unwrap_or_else(|e| panic!("{keys}: {e:?}"));
    assert_eq!(rest, b"\r\n", "{keys}");
    let q = Query::new(&k, None).unwrap();
    let saved = [20u32];
    let matcher = |kind: ObjectIdKind, meta: &MessageMeta<'_>, id: &str| {
        kind == ObjectIdKind::Email && id == format!("M{}", meta.uid)
    };
    let ctx = Context::new(3, 30)
        .with_saved(&saved)
        .with_object_ids(&matcher);
    q.evaluate(msgs, &ctx)
}

fn check(keys: &str, want: &[u32]) {
    assert_eq!(run(keys).ids(false), want, "{keys}");
}

#[test]
fn flag_keys() {
    for (k, want) in [
        ("ALL", &[1, 2, 3][..]),
        ("ANSWERED", &[1]),
        ("UNANSWERED", &[2, 3]),
        ("DELETED", &[2]),
        ("UNDELETED", &[1, 3]),
        ("DRAFT", &[2]),
        ("UNDRAFT", &[1, 3]),
        ("FLAGGED", &[2]),
        ("UNFLAGGED", &[1, 3]),
        ("SEEN", &[1]),
        ("UNSEEN", &[2, 3]),
        ("KEYWORD $Forwarded", &[1]),
        ("KEYWORD $forwarded", &[1]),
        ("KEYWORD $Junk", &[]),
        ("UNKEYWORD $Forwarded", &[2, 3]),
        ("RECENT", &[1, 3]),
        ("NEW", &[3]),
        ("OLD", &[2]),
    ] {
        check(k, want);
    }
}

#[test]
fn date_keys_ignore_time_and_zone() {
    for (k, want) in [
        ("BEFORE 17-Jul-1996", &[][..]),
        ("ON 17-Jul-1996", &[1]),
        ("SINCE 17-Jul-1996", &[1, 2, 3]),
        ("BEFORE 1-Jan-2000", &[1]),
        // 23:30 -0800 is 2 Feb in UTC, but the date as written counts.
        ("ON 1-Feb-2020", &[2]),
        ("ON 2-Feb-2020", &[]),
        ("SINCE 2-Feb-2020", &[3]),
        // Date: 15 Jul 1996 23:00 -0500 (16 Jul UTC): the written date.
        ("SENTON 15-Jul-1996", &[1]),
        ("SENTON 16-Jul-1996", &[]),
        ("SENTBEFORE 16-Jul-1996", &[1]),
        ("SENTBEFORE 15-Jul-1996", &[]),
        ("SENTSINCE 2-Feb-2020", &[2, 3]),
        ("SENTSINCE 3-Feb-2020", &[3]),
        // No Date: header: the INTERNALDATE stands in.
        ("SENTON 20-Mar-2021", &[3]),
    ] {
        check(k, want);
    }
}

#[test]
fn size_keys() {
    let msgs = corpus();
    let s1 = msgs[0].size();
    let sizes: Vec<u64> = msgs.iter().map(StoredMessage::size).collect();
    assert!(sizes.iter().all(|&s| s >= s1), "message 1 is the smallest");
    // Strict comparisons: LARGER n is size > n, SMALLER n is size < n.
    for &s in &sizes {
        for n in [s - 1, s, s + 1] {
            let larger: Vec<u32> = (1..=3).filter(|&i| sizes[i as usize - 1] > n).collect();
            let smaller: Vec<u32> = (1..=3).filter(|&i| sizes[i as usize - 1] < n).collect();
            check(&format!("LARGER {n}"), &larger);
            check(&format!("SMALLER {n}"), &smaller);
        }
    }
    check(&format!("LARGER {}", s1 - 1), &[1, 2, 3]);
    check(&format!("NOT LARGER {s1}"), &[1]);
}

#[test]
fn header_keys() {
    for (k, want) in [
        ("FROM smith", &[1][..]),
        ("FROM \"JOE SMITH\"", &[1]),
        ("FROM alice", &[2]),
        ("FROM nobody", &[]),
        ("TO alice", &[1]),
        ("TO joe@EXAMPLE.com", &[2]),
        ("CC bob", &[1]),
        ("CC alice", &[]),
        ("BCC carol", &[1]),
        ("BCC bob", &[]),
        ("SUBJECT report", &[2]),
        ("SUBJECT meeting", &[1]),
        // RFC 2047 word in ISO-8859-1, matched in UTF-8, any case.
        ("SUBJECT \"caf\u{e9}\"", &[1]),
        ("SUBJECT \"CAF\u{c9} M\"", &[1]),
        ("SUBJECT cafe", &[]),
        // Folded header: matched unfolded.
        ("SUBJECT \"long subject\"", &[3]),
        ("SUBJECT \"a long subject line\"", &[3]),
        ("HEADER X-Priority 1", &[1]),
        ("HEADER x-priority \"\"", &[1]),
        ("HEADER X-Missing \"\"", &[]),
        ("HEADER Message-ID <1@x>", &[1]),
        ("HEADER Message-ID <2@x>", &[]),
        ("HEADER Subject \"\"", &[1, 2, 3]),
        ("HEADER Content-Type mixed", &[2, 3]),
        // Only the top-level header, not the attached message's.
        ("SUBJECT inner-topic", &[]),
    ] {
        check(k, want);
    }
}

#[test]
fn body_and_text_keys() {
    for (k, want) in [
        ("BODY pineapple", &[1][..]),
        ("BODY PINEAPPLE", &[1]),
        ("BODY \"the word\"", &[1]),
        // base64 text/html part.
        ("BODY kiwi", &[2]),
        // quoted-printable ISO-8859-1 part, matched after decoding.
        ("BODY \"m\u{fc}nchen\"", &[2]),
        ("BODY \"GR\u{dc}\u{df}E\"", &[2]),
        ("BODY softbreak", &[2]),
        ("BODY =FC", &[]),
        // A binary attachment is not text.
        ("BODY secretword", &[]),
        // An attached message: its header and body are body text.
        ("BODY innerbody", &[3]),
        ("BODY inner-topic", &[3]),
        ("BODY smith", &[]),
        ("BODY \"\"", &[1, 2, 3]),
        ("TEXT smith", &[1]),
        ("TEXT pineapple", &[1]),
        ("TEXT X-PRIORITY", &[1]),
        ("TEXT \"caf\u{e9}\"", &[1]),
        ("TEXT kiwi", &[2]),
        ("TEXT \"\"", &[1, 2, 3]),
        ("TEXT nowhere", &[]),
    ] {
        check(k, want);
    }
}

#[test]
fn set_keys() {
    for (k, want) in [
        ("1,3", &[1, 3][..]),
        ("2:*", &[2, 3]),
        ("*", &[3]),
        ("3:1", &[1, 2, 3]),
        ("4:5", &[]),
        ("UID 10:20", &[1, 2]),
        ("UID *", &[3]),
        ("UID 25:*", &[3]),
        // 40:* with 30 the largest UID is 30:40.
        ("UID 40:*", &[3]),
        ("UID 11:19", &[]),
        ("$", &[2]),
        ("UID $", &[2]),
        ("EMAILID M20", &[2]),
        ("EMAILID M99", &[]),
        ("THREADID M20", &[]),
    ] {
        check(k, want);
    }
}

#[test]
fn saved_and_object_ids_default_to_nothing() {
    let msgs = corpus();
    let (_, k) = search_keys(b"OR $ EMAILID M10\r\n").unwrap();
    let q = Query::new(&k, None).unwrap();
    assert!(q.evaluate(msgs, &Context::new(3, 30)).hits.is_empty());
}

#[test]
fn nested_or_not() {
    for (k, want) in [
        ("OR SEEN FLAGGED", &[1, 2][..]),
        ("NOT SEEN", &[2, 3]),
        ("NOT NOT SEEN", &[1]),
        ("NOT (SEEN FLAGGED)", &[1, 2, 3]),
        ("NOT OR SEEN FLAGGED", &[3]),
        ("OR (SEEN ANSWERED) (DELETED NOT DRAFT)", &[1]),
        ("OR (SEEN ANSWERED) (DELETED DRAFT)", &[1, 2]),
        ("OR OR SEEN FLAGGED RECENT", &[1, 2, 3]),
        ("(OR BODY kiwi BODY pineapple) NOT FROM alice", &[1]),
        ("OR BODY nowhere ALL", &[1, 2, 3]),
        ("NOT ALL", &[]),
        ("UNSEEN UID 1:25 SUBJECT report", &[2]),
        ("UNSEEN UID 1:25 SUBJECT meeting", &[]),
        ("((((SEEN))))", &[1]),
    ] {
        check(k, want);
    }
}

#[test]
fn modseq_key_and_responses() {
    let r = run("MODSEQ 50");
    assert_eq!(r.ids(false), vec![2, 3]);
    assert_eq!(r.highest_modseq(), Some(100));
    assert_eq!(
        Response::Data(r.to_search(false)).to_bytes(),
        b"* SEARCH 2 3 (MODSEQ 100)\r\n"
    );
    let r = run("MODSEQ \"/flags/\\\\draft\" all 6");
    assert_eq!(r.ids(true), vec![20, 30]);
    // RFC 4731 §3.2: MIN alone gives the MIN message's mod-sequence.
    let Data::Esearch(e) = r.to_esearch(Some("a1"), false, &[SearchReturnOption::Min]) else {
        panic!()
    };
    assert_eq!(e.items, vec![EsearchItem::Min(2), EsearchItem::ModSeq(50)]);
    let Data::Esearch(e) = r.to_esearch(
        Some("a3"),
        false,
        &[SearchReturnOption::Min, SearchReturnOption::Max],
    ) else {
        panic!()
    };
    assert_eq!(
        e.items,
        vec![
            EsearchItem::Min(2),
            EsearchItem::Max(3),
            EsearchItem::ModSeq(100)
        ]
    );
    // No match: no MODSEQ.
    let r = run("MODSEQ 1000");
    assert_eq!(
        Response::Data(r.to_search(false)).to_bytes(),
        b"* SEARCH\r\n"
    );
    // Without MODSEQ in the keys, no MODSEQ in the answer.
    assert_eq!(run("ALL").highest_modseq(), None);
    // RFC 7162 example 16: "OR NOT MODSEQ 720162338 LARGER 50000".
    let r = run("OR NOT MODSEQ 720162338 LARGER 50000");
    assert_eq!(r.ids(false), vec![1, 2, 3]);
    assert_eq!(r.highest_modseq(), Some(100));
}

#[test]
fn esearch_forms() {
    let r = run("UNSEEN");
    let all = [
        SearchReturnOption::Min,
        SearchReturnOption::Max,
        SearchReturnOption::Count,
        SearchReturnOption::All,
    ];
    assert_eq!(
        Response::Data(r.to_esearch(Some("A282"), false, &all)).to_bytes(),
        b"* ESEARCH (TAG \"A282\") MIN 2 MAX 3 ALL 2:3 COUNT 2\r\n"
    );
    assert_eq!(
        Response::Data(r.to_esearch(Some("A285"), true, &all[..2])).to_bytes(),
        b"* ESEARCH (TAG \"A285\") UID MIN 20 MAX 30\r\n"
    );
    // RETURN () is RETURN (ALL).
    assert_eq!(
        Response::Data(r.to_esearch(Some("A283"), true, &[])).to_bytes(),
        b"* ESEARCH (TAG \"A283\") UID ALL 20,30\r\n"
    );
    // Nothing found: only COUNT, which is always present.
    let none = run("TEXT nowhere");
    assert_eq!(
        Response::Data(none.to_esearch(Some("A1"), false, &all)).to_bytes(),
        b"* ESEARCH (TAG \"A1\") COUNT 0\r\n"
    );
    assert_eq!(
        Response::Data(none.to_esearch(None, false, &[])).to_bytes(),
        b"* ESEARCH\r\n"
    );
    // SEARCH vs ESEARCH vs SAVE-only.
    assert_eq!(
        r.response(Some("t"), false, None),
        Some(Data::Search {
            ids: vec![2, 3],
            modseq: None
        })
    );
    assert_eq!(
        r.response(Some("t"), false, Some(&[SearchReturnOption::Save])),
        None
    );
    assert!(matches!(
        r.response(
            Some("t"),
            false,
            Some(&[SearchReturnOption::Save, SearchReturnOption::Count])
        ),
        Some(Data::Esearch(_))
    ));
    // What SAVE remembers (RFC 5182).
    let all3 = run("ALL");
    assert_eq!(
        all3.saved_uids(&[SearchReturnOption::Save]),
        vec![10, 20, 30]
    );
    assert_eq!(
        all3.saved_uids(&[SearchReturnOption::Save, SearchReturnOption::Min]),
        vec![10]
    );
    assert_eq!(
        all3.saved_uids(&[
            SearchReturnOption::Save,
            SearchReturnOption::Min,
            SearchReturnOption::Max
        ]),
        vec![10, 30]
    );
    assert_eq!(
        all3.saved_uids(&[SearchReturnOption::Save, SearchReturnOption::Count]),
        vec![10, 20, 30]
    );
}

#[test]
fn compact_sets() {
    let s = |v: &[u32]| compact_set(v).map(|s| s.to_string());
    assert_eq!(s(&[]), None);
    assert_eq!(s(&[0]), None);
    assert_eq!(s(&[1, 2, 3, 5, 7, 8]).as_deref(), Some("1:3,5,7:8"));
    assert_eq!(s(&[2, 10, 11]).as_deref(), Some("2,10:11"));
    assert_eq!(s(&[4]).as_deref(), Some("4"));
    assert_eq!(
        s(&[u32::MAX - 1, u32::MAX]).as_deref(),
        Some("4294967294:4294967295")
    );
}

fn parse_search(cmd: &[u8]) -> Result<SearchResult, QueryError> {
    let (c, _) = Command::parse(cmd).unwrap();
    let CommandBody::Search { charset, keys, .. } = c.body else {
        panic!("not a search")
    };
    evaluate(&keys, charset.as_ref(), corpus(), &Context::new(3, 30))
}

#[test]
fn charsets() {
    // The search string in ISO-8859-1.
    let r = parse_search(b"a SEARCH CHARSET ISO-8859-1 SUBJECT {4}\r\ncaf\xe9\r\n").unwrap();
    assert_eq!(r.ids(false), vec![1]);
    let r = parse_search(b"a SEARCH CHARSET ISO-8859-1 BODY {7}\r\nM\xdcNCHEN\r\n").unwrap();
    assert_eq!(r.ids(false), vec![2]);
    // UTF-8 and US-ASCII.
    let r = parse_search("a SEARCH CHARSET UTF-8 SUBJECT {5}\r\ncafé\r\n".as_bytes()).unwrap();
    assert_eq!(r.ids(false), vec![1]);
    let r = parse_search(b"a SEARCH CHARSET US-ASCII TEXT kiwi\r\n").unwrap();
    assert_eq!(r.ids(false), vec![2]);
    // KOI8-R text that is not in any message.
    let r = parse_search(b"a SEARCH CHARSET KOI8-R TEXT {3}\r\n\xc1\xc2\xd7\r\n").unwrap();
    assert!(r.hits.is_empty());
    // An unknown charset: NO [BADCHARSET].
    let e = parse_search(b"a SEARCH CHARSET X-KLINGON TEXT x\r\n").unwrap_err();
    assert_eq!(
        e,
        QueryError::BadCharset {
            charset: "X-KLINGON".into()
        }
    );
    let code = e.code().unwrap();
    let mut status = mailwire_imap_proto::primitive::Encoder::default();
    code.write(&mut status);
    assert_eq!(status.as_bytes(), b"BADCHARSET (UTF-8 US-ASCII)");
}

#[test]
fn single_key_matches() {
    let msgs = corpus();
    let ctx = Context::new(3, 30);
    let (_, k) = search_key(b"OR FROM smith BODY kiwi\r\n").unwrap();
    let got: Vec<bool> = msgs.iter().map(|m| matches(&k, m, &ctx)).collect();
    assert_eq!(got, vec![true, true, false]);
}

#[test]
fn header_only_and_odd_messages() {
    // A message without a body, one with LF line endings stored as CRLF by
    // the test helper, one with a raw 8-bit header and an unknown charset.
    let msgs = [
        stored(
            1,
            1,
            "Subject: only\n",
            vec![],
            false,
            "01-Jan-2020 00:00:00 +0000",
            0,
        ),
        stored(
            2,
            2,
            "Subject: Gr\u{fc}\u{df}e\nContent-Type: text/plain; charset=x-unknown\n\nbody \u{e9}t\u{e9}\n",
            vec![],
            false,
            "01-Jan-2020 00:00:00 +0000",
            0,
        ),
        stored(
            3,
            3,
            "Subject: x\nContent-Type: text/plain; charset=utf-16le\nContent-Transfer-Encoding: base64\n\naABpAA==\n",
            vec![],
            false,
            "01-Jan-2020 00:00:00 +0000",
            0,
        ),
    ];
    let ctx = Context::new(3, 3);
    let t = |keys: &[u8]| {
        let (rest, k) = search_keys(keys).unwrap();
        assert_eq!(rest, b"\r\n");
        Query::new(&k, None)
            .unwrap()
            .evaluate(msgs, &ctx)
            .ids(false)
    };
    assert_eq!(t(b"SUBJECT only\r\n"), vec![1]);
    assert_eq!(t(b"BODY only\r\n"), Vec::<u32>::new());
    assert_eq!(t("SUBJECT \"GRÜSSE\"\r\n".as_bytes()), Vec::<u32>::new());
    assert_eq!(t("SUBJECT \"GRÜßE\"\r\n".as_bytes()), vec![2]);
    assert_eq!(t("BODY \"ÉTÉ\"\r\n".as_bytes()), vec![2]);
    // UTF-16 text: "hi" only after charset decoding.
    assert_eq!(t(b"BODY hi\r\n"), vec![3]);
    assert_eq!(t(b"BODY aABp\r\n"), Vec::<u32>::new());
}

//! FETCH rendering, item by item: known-answer tables for BODYSTRUCTURE,
//! ENVELOPE (RFC 5322 appendix A messages), every section spec on the
//! RFC 9051 §6.4.5.1 example structure, partial fetches, BINARY, the
//! `\Seen` side effect, macros, and the RFC 3501 §8 / RFC 9051 §8 example.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;

use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::fetch::{FetchAttribute, fetch_items};
use mailwire_imap_proto::flag::{Flag, FlagFetch};
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::primitive::Encoder;
use mailwire_imap_proto::render::{
    RenderError, RenderOptions, binary_size, body_structure, envelope, render, write_fetch,
};
use mailwire_imap_proto::response::FetchItem;

fn crlf(s: &str) -> Vec<u8> {
    s.replace("\r\n", "\n").replace('\n', "\r\n").into_bytes()
}

fn date() -> DateTime {
    DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"")
        .unwrap()
        .0
}

/// Renders `items` for `raw` (message 12, UID 4827) with `flags`.
fn fetch_with(raw: &[u8], items: &str, flags: &[Flag<'_>], opts: &RenderOptions) -> (String, bool) {
    let parsed = mailwire_mime::Message::parse(raw).unwrap();
    let msg = StoredMessage {
        raw,
        parsed: &parsed,
        meta: MessageMeta {
            seq: 12,
            uid: 4827,
            flags,
            recent: false,
            internal_date: date(),
            modseq: 624_140_003,
        },
    };
    let cmd = format!("{items}\r\n");
    let (_, items) = fetch_items(cmd.as_bytes()).unwrap();
    let mut enc = Encoder::default();
    let out = write_fetch(&mut enc, &msg, &items.expand(), opts).unwrap();
    (
        String::from_utf8_lossy(enc.as_bytes()).into_owned(),
        out.set_seen,
    )
}

fn fetch(raw: &[u8], items: &str) -> String {
    fetch_with(raw, items, &[Flag::Seen], &RenderOptions::default()).0
}

/// The value of a single-item FETCH response, without `* 12 FETCH (NAME ` and `)\r\n`.
fn value(raw: &[u8], item: &str) -> String {
    let out = fetch(raw, &format!("({item})"));
    let inner = out
        .strip_prefix("* 12 FETCH (")
        .and_then(|s| s.strip_suffix(")\r\n"))
        .unwrap();
    inner.split_once(' ').unwrap().1.to_string()
}

// ---------------------------------------------------------------------------
// BODYSTRUCTURE

#[test]
fn bodystructure_table() {
    let cases: &[(&str, &str)] = &[
        // Non-MIME message: text/plain, US-ASCII by default (RFC 2045 §5.2).
        (
            "Subject: x\n\nhello\nworld\n",
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 14 2 NIL NIL NIL NIL)"#,
        ),
        // Empty body.
        (
            "Subject: x\n\n",
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL)"#,
        ),
        // No blank line at all: still a body of 0 octets.
        (
            "Subject: x\n",
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL)"#,
        ),
        // text/html without charset gets the default; other params follow.
        (
            "Content-Type: text/html; format=flowed\n\n<p>\n",
            r#"("TEXT" "HTML" ("CHARSET" "US-ASCII" "FORMAT" "flowed") NIL NIL "7BIT" 5 1 NIL NIL NIL NIL)"#,
        ),
        // A basic part: no line count; Content-ID etc. as written.
        (
            "Content-Type: application/x-thing; name=\"a b\"\nContent-ID: <id@x>\nContent-Description: =?utf-8?q?d=C3=A9?=\nContent-Transfer-Encoding: Base64\nContent-MD5: abc=\nContent-Language: en, fr\nContent-Location: http://x/y\nContent-Disposition: attachment; filename=a.bin\n\nAAAA\n",
            r#"("APPLICATION" "X-THING" ("NAME" "a b") "<id@x>" "=?utf-8?q?d=C3=A9?=" "BASE64" 6 "abc=" ("ATTACHMENT" ("FILENAME" "a.bin")) ("en" "fr") "http://x/y")"#,
        ),
        // Unknown transfer encoding: the token as written.
        (
            "Content-Transfer-Encoding: x-uue\nContent-Type: image/gif\n\nx",
            r#"("IMAGE" "GIF" NIL NIL NIL "X-UUE" 1 NIL NIL NIL NIL)"#,
        ),
        // multipart/alternative inside multipart/mixed.
        (
            "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\n\nplain\n--i\nContent-Type: text/html\n\n<b>\n--i--\n--o\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBE\n--o--\n",
            r#"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 5 0 NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 0 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "i") NIL NIL NIL)("APPLICATION" "PDF" NIL NIL NIL "BASE64" 4 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "o") NIL NIL NIL)"#,
        ),
        // Nested message/rfc822: envelope, body, lines of the encapsulated message.
        (
            "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: message/rfc822\n\nSubject: inner\nFrom: a@b.c\n\nbody\n--o--\n",
            r#"(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 35 (NIL "inner" ((NIL NIL "a" "b.c")) ((NIL NIL "a" "b.c")) ((NIL NIL "a" "b.c")) NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 4 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "o") NIL NIL NIL)"#,
        ),
        // A boundary that never occurs: one empty text/plain part (the grammar needs one).
        (
            "Content-Type: multipart/mixed; boundary=nothere\n\n--other\n\nx\n--other--\n",
            r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "nothere") NIL NIL NIL)"#,
        ),
        // multipart/digest: parts default to message/rfc822 (RFC 2046 §5.1.5).
        (
            "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nx\n--d--\n",
            r#"(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 17 (NIL "one" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1 0 NIL NIL NIL NIL) 2 NIL NIL NIL NIL) "DIGEST" ("BOUNDARY" "d") NIL NIL NIL)"#,
        ),
        // RFC 2047 words in a plain parameter value are kept as written (the
        // client decodes them; Dovecot does the same).
        (
            "Content-Type: application/pdf; name=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"\n\nx",
            r#"("APPLICATION" "PDF" ("NAME" "=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=") NIL NIL "7BIT" 1 NIL NIL NIL NIL)"#,
        ),
        // RFC 2231: continuations joined; a charset value as NAME* in UTF-8 RFC 2231 form.
        (
            "Content-Type: application/octet-stream; name*0=\"long\"; name*1=\"name.bin\"\nContent-Disposition: attachment; filename*=iso-8859-1'fr'r%E9sum%E9.pdf\n\nx",
            r#"("APPLICATION" "OCTET-STREAM" ("NAME" "longname.bin") NIL NIL "7BIT" 1 NIL ("ATTACHMENT" ("FILENAME*" "utf-8'fr'r%C3%A9sum%C3%A9.pdf")) NIL NIL)"#,
        ),
    ];
    for (msg, want) in cases {
        let raw = crlf(msg);
        assert_eq!(value(&raw, "BODYSTRUCTURE"), *want, "{msg:?}");
    }
}

#[test]
fn body_is_bodystructure_without_extension_data() {
    let raw = crlf(
        "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Disposition: inline\n\nx\n--o--\n",
    );
    assert_eq!(
        value(&raw, "BODY"),
        r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1 0) "MIXED")"#
    );
}

#[test]
fn depth_limit_cuts_structure() {
    let raw = crlf(
        "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n",
    );
    let (out, _) = fetch_with(
        &raw,
        "BODYSTRUCTURE",
        &[],
        &RenderOptions::default().max_depth(2),
    );
    assert!(
        out.contains(
            r#"(("APPLICATION" "OCTET-STREAM" NIL NIL NIL "7BIT" 15 NIL NIL NIL NIL) "MIXED""#
        ),
        "{out}"
    );
    let parsed = mailwire_mime::Message::parse(&raw).unwrap();
    let msg = StoredMessage {
        raw: &raw,
        parsed: &parsed,
        meta: MessageMeta {
            seq: 1,
            uid: 1,
            flags: &[],
            recent: false,
            internal_date: date(),
            modseq: 0,
        },
    };
    // Typed: 2 levels at most.
    let b = body_structure(&msg, true, &RenderOptions::default().max_depth(2));
    let mut e = Encoder::default();
    b.write(&mut e);
    assert!(String::from_utf8_lossy(e.as_bytes()).starts_with(r#"(("APPLICATION""#));
}

// ---------------------------------------------------------------------------
// ENVELOPE: RFC 5322 appendix A

#[test]
fn envelope_rfc5322_appendix_a() {
    let cases: &[(&str, &str)] = &[
        // A.1.1
        (
            "From: John Doe <jdoe@machine.example>\nTo: Mary Smith <mary@example.net>\nSubject: Saying Hello\nDate: Fri, 21 Nov 1997 09:55:06 -0600\nMessage-ID: <1234@local.machine.example>\n\nThis is a message just to say hello.\nSo, \"Hello\".\n",
            r#"("Fri, 21 Nov 1997 09:55:06 -0600" "Saying Hello" (("John Doe" NIL "jdoe" "machine.example")) (("John Doe" NIL "jdoe" "machine.example")) (("John Doe" NIL "jdoe" "machine.example")) (("Mary Smith" NIL "mary" "example.net")) NIL NIL NIL "<1234@local.machine.example>")"#,
        ),
        // A.1.2: Sender differs; quoted display names; two To addresses.
        (
            "From: \"Joe Q. Public\" <john.q.public@example.com>\nTo: Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>\nCc: <boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>\nDate: Tue, 1 Jul 2003 10:52:37 +0200\nMessage-ID: <5678.21-Nov-1997@example.com>\n\nHi everyone.\n",
            r#"("Tue, 1 Jul 2003 10:52:37 +0200" NIL (("Joe Q. Public" NIL "john.q.public" "example.com")) (("Joe Q. Public" NIL "john.q.public" "example.com")) (("Joe Q. Public" NIL "john.q.public" "example.com")) (("Mary Smith" NIL "mary" "x.test")(NIL NIL "jdoe" "example.org")("Who?" NIL "one" "y.test")) ((NIL NIL "boss" "nil.test")("Giant; \"Big\" Box" NIL "sysservices" "example.net")) NIL NIL "<5678.21-Nov-1997@example.com>")"#,
        ),
        // A.1.3: group addresses, an empty group in Cc.
        (
            "From: Pete <pete@silly.example>\nTo: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;\nCc: Undisclosed recipients:;\nDate: Thu, 13 Feb 1969 23:32:54 -0330\nMessage-ID: <testabcd.1234@silly.example>\n\nTesting.\n",
            r#"("Thu, 13 Feb 1969 23:32:54 -0330" NIL (("Pete" NIL "pete" "silly.example")) (("Pete" NIL "pete" "silly.example")) (("Pete" NIL "pete" "silly.example")) ((NIL NIL "A Group" NIL)("Ed Jones" NIL "c" "a.test")(NIL NIL "joe" "where.test")("John" NIL "jdoe" "one.test")(NIL NIL NIL NIL)) ((NIL NIL "Undisclosed recipients" NIL)(NIL NIL NIL NIL)) NIL NIL "<testabcd.1234@silly.example>")"#,
        ),
        // A.2 reply: Reply-To and In-Reply-To.
        (
            "From: Mary Smith <mary@example.net>\nTo: John Doe <jdoe@machine.example>\nReply-To: \"Mary Smith: Personal Account\" <smith@home.example>\nSubject: Re: Saying Hello\nDate: Fri, 21 Nov 1997 10:01:10 -0600\nMessage-ID: <3456@example.net>\nIn-Reply-To: <1234@local.machine.example>\nReferences: <1234@local.machine.example>\n\nThis is a reply to your hello.\n",
            r#"("Fri, 21 Nov 1997 10:01:10 -0600" "Re: Saying Hello" (("Mary Smith" NIL "mary" "example.net")) (("Mary Smith" NIL "mary" "example.net")) (("Mary Smith: Personal Account" NIL "smith" "home.example")) (("John Doe" NIL "jdoe" "machine.example")) NIL NIL "<1234@local.machine.example>" "<3456@example.net>")"#,
        ),
        // A.5: white space, comments, folding.
        (
            "From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\nTo:A Group(Some people)\n     :Chris Jones <c@(Chris's host.)public.example>,\n         joe@example.org,\n  John <jdoe@one.test> (my dear friend); (the end of the group)\nCc:(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;\nDate: Thu,\n      13\n        Feb\n          1969\n      23:32\n               -0330 (Newfoundland Time)\nMessage-ID:              <testabcd.1234@silly.test>\n\nTesting.\n",
            r#"("Thu,      13        Feb          1969      23:32               -0330 (Newfoundland Time)" NIL (("Pete" NIL "pete" "silly.test")) (("Pete" NIL "pete" "silly.test")) (("Pete" NIL "pete" "silly.test")) ((NIL NIL "A Group" NIL)("Chris Jones" NIL "c" "public.example")(NIL NIL "joe" "example.org")("John" NIL "jdoe" "one.test")(NIL NIL NIL NIL)) ((NIL NIL "Hidden recipients" NIL)(NIL NIL NIL NIL)) NIL NIL "<testabcd.1234@silly.test>")"#,
        ),
        // A.6.1 obsolete: a source route and an obs-phrase with a dot.
        (
            "From: Joe Q. Public <john.q.public@example.com>\nTo: Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example\nDate: Tue, 1 Jul 2003 10:52:37 +0200\nMessage-ID: <5678.21-Nov-1997@example.com>\n\nHi.\n",
            r#"("Tue, 1 Jul 2003 10:52:37 +0200" NIL (("Joe Q. Public" NIL "john.q.public" "example.com")) (("Joe Q. Public" NIL "john.q.public" "example.com")) (("Joe Q. Public" NIL "john.q.public" "example.com")) (("Mary Smith" "@node.test" "mary" "example.net")(NIL NIL "jdoe" "test.example")) NIL NIL NIL "<5678.21-Nov-1997@example.com>")"#,
        ),
        // Present but empty Subject is "", absent is NIL; empty From is NIL.
        (
            "Subject:\nFrom:\n\nx",
            r#"(NIL "" NIL NIL NIL NIL NIL NIL NIL NIL)"#,
        ),
    ];
    for (msg, want) in cases {
        let raw = crlf(msg);
        assert_eq!(value(&raw, "ENVELOPE"), *want, "{msg:?}");
        // The typed form writes the same.
        let parsed = mailwire_mime::Message::parse(&raw).unwrap();
        let m = StoredMessage {
            raw: &raw,
            parsed: &parsed,
            meta: MessageMeta {
                seq: 1,
                uid: 1,
                flags: &[],
                recent: false,
                internal_date: date(),
                modseq: 0,
            },
        };
        let mut e = Encoder::default();
        envelope(&m).write(&mut e);
        assert_eq!(String::from_utf8_lossy(e.as_bytes()), *want);
    }
}

// ---------------------------------------------------------------------------
// Section specs: the RFC 9051 §6.4.5.1 example structure

fn complex() -> Vec<u8> {
    crlf(
        "From: top@example.org\nSubject: complex\nContent-Type: MULTIPART/MIXED; boundary=t\n\n\
--t\nContent-Type: TEXT/PLAIN\n\nP1\n\
--t\nContent-Type: APPLICATION/OCTET-STREAM\n\nP2\n\
--t\nContent-Type: MESSAGE/RFC822\n\nSubject: three\nContent-Type: MULTIPART/MIXED; boundary=t3\n\n\
--t3\nContent-Type: TEXT/PLAIN\n\nP3.1\n--t3\nContent-Type: APPLICATION/OCTET-STREAM\n\nP3.2\n--t3--\n\
--t\nContent-Type: MULTIPART/MIXED; boundary=t4\n\n\
--t4\nContent-Type: IMAGE/GIF\n\nP4.1\n\
--t4\nContent-Type: MESSAGE/RFC822\n\nSubject: four-two\nContent-Type: MULTIPART/MIXED; boundary=t42\n\n\
--t42\nContent-Type: TEXT/PLAIN\n\nP4.2.1\n\
--t42\nContent-Type: MULTIPART/ALTERNATIVE; boundary=t422\n\n\
--t422\nContent-Type: TEXT/PLAIN\n\nP4.2.2.1\n--t422\nContent-Type: TEXT/RICHTEXT\n\nP4.2.2.2\n--t422--\n\
--t42--\n\
--t4--\n\
--t--\n",
    )
}

fn section(raw: &[u8], spec: &str) -> Vec<u8> {
    let parsed = mailwire_mime::Message::parse(raw).unwrap();
    let msg = StoredMessage {
        raw,
        parsed: &parsed,
        meta: MessageMeta {
            seq: 1,
            uid: 1,
            flags: &[],
            recent: false,
            internal_date: date(),
            modseq: 0,
        },
    };
    let cmd = format!("BODY.PEEK[{spec}]\r\n");
    let (_, items) = fetch_items(cmd.as_bytes()).unwrap();
    let r = render(&msg, &items.expand(), &RenderOptions::default()).unwrap();
    let FetchItem::BodySection { data: Some(d), .. } = &r.items[0] else {
        panic!()
    };
    d.to_vec()
}

#[test]
fn every_section_spec_on_the_rfc_example() {
    let raw = complex();
    let s = |spec: &str| String::from_utf8(section(&raw, spec)).unwrap();
    assert_eq!(s("1"), "P1");
    assert_eq!(s("2"), "P2");
    assert!(s("3").starts_with("Subject: three\r\n"));
    assert_eq!(
        s("3.HEADER"),
        "Subject: three\r\nContent-Type: MULTIPART/MIXED; boundary=t3\r\n\r\n"
    );
    assert!(s("3.TEXT").starts_with("--t3\r\n") && s("3.TEXT").ends_with("--t3--"));
    assert_eq!(s("3.1"), "P3.1");
    assert_eq!(s("3.2"), "P3.2");
    assert!(s("4").starts_with("--t4\r\n"));
    assert_eq!(s("4.1"), "P4.1");
    assert_eq!(s("4.1.MIME"), "Content-Type: IMAGE/GIF\r\n\r\n");
    assert!(s("4.2").starts_with("Subject: four-two\r\n"));
    assert_eq!(s("4.2.MIME"), "Content-Type: MESSAGE/RFC822\r\n\r\n");
    assert_eq!(
        s("4.2.HEADER"),
        "Subject: four-two\r\nContent-Type: MULTIPART/MIXED; boundary=t42\r\n\r\n"
    );
    assert!(s("4.2.TEXT").starts_with("--t42\r\n"));
    assert_eq!(s("4.2.1"), "P4.2.1");
    assert!(s("4.2.2").starts_with("--t422\r\n"));
    assert_eq!(s("4.2.2.1"), "P4.2.2.1");
    assert_eq!(s("4.2.2.2"), "P4.2.2.2");
    assert_eq!(s("4.2.2.2.MIME"), "Content-Type: TEXT/RICHTEXT\r\n\r\n");
    assert_eq!(
        s("4.2.HEADER.FIELDS (subject)"),
        "Subject: four-two\r\n\r\n"
    );
    // Whole message, header and text.
    assert_eq!(s("").as_bytes(), &raw[..]);
    assert_eq!(
        s("HEADER"),
        "From: top@example.org\r\nSubject: complex\r\nContent-Type: MULTIPART/MIXED; boundary=t\r\n\r\n"
    );
    assert!(s("TEXT").starts_with("--t\r\n"));
    // Parts that do not exist, and HEADER/TEXT of a non-message part: "".
    for spec in [
        "5", "1.2", "4.3", "2.1.1", "1.HEADER", "4.TEXT", "9.MIME", "3.3", "4.2.2.3",
    ] {
        assert_eq!(s(spec), "", "{spec}");
    }
}

#[test]
fn header_fields_match_case_insensitively_and_keep_lines() {
    let raw = crlf("From: a@b\nX-Long: one\n two\nsubject: s\nTo: c@d\nSUBJECT: again\n\nbody\n");
    let s = |spec: &str| String::from_utf8(section(&raw, spec)).unwrap();
    assert_eq!(
        s("HEADER.FIELDS (Subject x-long)"),
        "X-Long: one\r\n two\r\nsubject: s\r\nSUBJECT: again\r\n\r\n"
    );
    assert_eq!(
        s("HEADER.FIELDS.NOT (SUBJECT X-LONG)"),
        "From: a@b\r\nTo: c@d\r\n\r\n"
    );
    assert_eq!(s("HEADER.FIELDS (NOPE)"), "\r\n");
    // No blank line: none added (RFC 9051 §6.4.5.1).
    let raw = crlf("From: a@b\nTo: c@d\n");
    assert_eq!(
        String::from_utf8(section(&raw, "HEADER.FIELDS (TO)")).unwrap(),
        "To: c@d\r\n"
    );
}

#[test]
fn header_fields_borrow_when_contiguous() {
    let raw = crlf("From: a@b\nTo: c@d\nSubject: s\n\nbody\n");
    let parsed = mailwire_mime::Message::parse(&raw).unwrap();
    let msg = StoredMessage {
        raw: &raw,
        parsed: &parsed,
        meta: MessageMeta {
            seq: 1,
            uid: 1,
            flags: &[],
            recent: false,
            internal_date: date(),
            modseq: 0,
        },
    };
    let (_, items) = fetch_items(
        b"(BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY[] BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])\r\n",
    )
    .unwrap();
    let r = render(&msg, &items.expand(), &RenderOptions::default()).unwrap();
    let data = |i: usize| match &r.items[i] {
        FetchItem::BodySection { data: Some(d), .. } => d.clone(),
        other => panic!("{other:?}"),
    };
    assert!(matches!(data(0), Cow::Borrowed(_)));
    assert!(matches!(data(1), Cow::Borrowed(_)));
    assert!(matches!(data(2), Cow::Owned(_)));
    assert_eq!(&*data(2), b"From: a@b\r\nSubject: s\r\n\r\n");
}

// ---------------------------------------------------------------------------
// Partial fetches (RFC 9051 §6.4.5)

#[test]
fn partial_fetch_edges() {
    let body: String = "x".repeat(1500);
    let raw = crlf(&format!("Subject: p\n\n{body}"));
    let total = raw.len();
    // BODY[]<0.2048> of a shorter message: BODY[]<0> with all of it.
    let v = fetch(&raw, "BODY.PEEK[]<0.2048>");
    assert!(
        v.starts_with(&format!("* 12 FETCH (BODY[]<0> {{{total}}}\r\n")),
        "{v}"
    );
    // Origin past the end: empty string, origin echoed.
    assert_eq!(
        fetch(&raw, "BODY.PEEK[TEXT]<1500.10>"),
        "* 12 FETCH (BODY[TEXT]<1500> \"\")\r\n"
    );
    assert_eq!(
        fetch(&raw, "BODY.PEEK[TEXT]<4294967295.4294967295>"),
        "* 12 FETCH (BODY[TEXT]<4294967295> \"\")\r\n"
    );
    // A range running over the end is cut.
    assert_eq!(
        fetch(&raw, "BODY.PEEK[TEXT]<1497.10>"),
        "* 12 FETCH (BODY[TEXT]<1497> \"xxx\")\r\n"
    );
    // On a HEADER.FIELDS subset, after subsetting.
    assert_eq!(
        fetch(&raw, "BODY.PEEK[HEADER.FIELDS (SUBJECT)]<3.4>"),
        "* 12 FETCH (BODY[HEADER.FIELDS (SUBJECT)]<3> \"ject\")\r\n"
    );
    // Count 0 cannot be asked for: the grammar's nz-number.
    assert!(fetch_items(b"BODY[]<0.0>\r\n").is_err());
}

// ---------------------------------------------------------------------------
// BINARY (RFC 3516)

fn binary_msg() -> Vec<u8> {
    crlf(
        "Content-Type: multipart/mixed; boundary=b\n\n\
--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC/w==\n\
--b\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 =\nsoft\n\
--b\nContent-Type: text/plain\nContent-Transfer-Encoding: 7bit\n\nplain\n\
--b\nContent-Type: text/plain\nContent-Transfer-Encoding: x-binhex\n\n???\n\
--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nYQpiCg==\n\
--b--\n",
    )
}

#[test]
fn binary_decodes_every_encoding() {
    let raw = binary_msg();
    // base64 with NUL: literal8.
    assert_eq!(
        fetch(&raw, "BINARY.PEEK[1]"),
        "* 12 FETCH (BINARY[1] ~{4}\r\n\0\x01\x02\u{fffd})\r\n"
    );
    assert_eq!(value(&raw, "BINARY.SIZE[1]"), "4");
    // quoted-printable, soft line break removed.
    assert_eq!(
        fetch(&raw, "BINARY.PEEK[2]"),
        "* 12 FETCH (BINARY[2] {10}\r\ncafé soft)\r\n"
    );
    assert_eq!(value(&raw, "BINARY.SIZE[2]"), "10");
    // 7bit: as it is.
    assert_eq!(value(&raw, "BINARY.PEEK[3]"), "\"plain\"");
    // Text decoded from base64 is sent with CRLF (RFC 9051 §7.5.2): "a\nb\n" -> 6 octets.
    assert_eq!(value(&raw, "BINARY.SIZE[5]"), "6");
    assert_eq!(value(&raw, "BINARY.PEEK[5]"), "{6}\r\na\r\nb\r\n");
    // Partial on decoded data, origin echoed.
    assert_eq!(value(&raw, "BINARY.PEEK[2]<1.3>"), "{3}\r\naf\u{fffd}");
    // A part that does not exist: "" and 0.
    assert_eq!(value(&raw, "BINARY.PEEK[9]"), "\"\"");
    assert_eq!(value(&raw, "BINARY.SIZE[9]"), "0");
}

#[test]
fn binary_of_unknown_encoding_is_unknown_cte() {
    let raw = binary_msg();
    let parsed = mailwire_mime::Message::parse(&raw).unwrap();
    let msg = StoredMessage {
        raw: &raw,
        parsed: &parsed,
        meta: MessageMeta {
            seq: 1,
            uid: 1,
            flags: &[],
            recent: false,
            internal_date: date(),
            modseq: 0,
        },
    };
    for items in [
        "(UID BINARY[4])",
        "BINARY.SIZE[4]",
        "(FLAGS BINARY.PEEK[4]<0.1>)",
    ] {
        let cmd = format!("{items}\r\n");
        let (_, it) = fetch_items(cmd.as_bytes()).unwrap();
        let err = render(&msg, &it.expand(), &RenderOptions::default()).unwrap_err();
        assert!(matches!(err, RenderError::UnknownCte { ref part } if part == "4"));
        assert_eq!(err.code(), Some(Code::UnknownCte));
        let mut enc = Encoder::default();
        assert!(write_fetch(&mut enc, &msg, &it.expand(), &RenderOptions::default()).is_err());
        assert!(enc.as_bytes().is_empty(), "nothing written on error");
    }
    assert!(binary_size(&msg, None).unwrap() as usize == raw.len());
}

// ---------------------------------------------------------------------------
// Flags, \Seen, UID, macros

#[test]
fn seen_side_effect() {
    let raw = crlf("Subject: s\n\nbody\n");
    let opts = RenderOptions::default();
    // Non-PEEK BODY[] on an unseen message: \Seen reported and FLAGS added.
    let (out, seen) = fetch_with(&raw, "BODY[TEXT]", &[Flag::Answered], &opts);
    assert!(seen);
    assert_eq!(
        out,
        "* 12 FETCH (BODY[TEXT] {6}\r\nbody\r\n FLAGS (\\Answered \\Seen))\r\n"
    );
    // FLAGS asked for: shown there, with \Seen.
    let (out, _) = fetch_with(&raw, "(FLAGS RFC822.TEXT)", &[], &opts);
    assert!(
        out.starts_with("* 12 FETCH (FLAGS (\\Seen) RFC822.TEXT"),
        "{out}"
    );
    assert_eq!(out.matches("FLAGS").count(), 1);
    for items in ["BODY.PEEK[]", "RFC822.HEADER", "BINARY.PEEK[1]", "ENVELOPE"] {
        assert!(!fetch_with(&raw, items, &[], &opts).1, "{items}");
    }
    for items in [
        "BODY[]",
        "RFC822",
        "RFC822.TEXT",
        "BINARY[1]",
        "BODY[1.MIME]",
    ] {
        assert!(fetch_with(&raw, items, &[], &opts).1, "{items}");
        // Already \Seen (any case of the flag): nothing to do.
        assert!(!fetch_with(&raw, items, &[Flag::Seen], &opts).1, "{items}");
        // EXAMINE: never.
        assert!(
            !fetch_with(&raw, items, &[], &opts.read_only(true)).1,
            "{items}"
        );
    }
}

#[test]
fn flags_recent_uid_modseq_and_macros() {
    let raw = crlf("Subject: s\nFrom: a@b.c\n\nbody\n");
    let parsed = mailwire_mime::Message::parse(&raw).unwrap();
    let kw = [
        Flag::Flagged,
        Flag::keyword(mailwire_imap_proto::primitive::Atom::new("$Forwarded").unwrap()),
    ];
    let msg = StoredMessage {
        raw: &raw,
        parsed: &parsed,
        meta: MessageMeta {
            seq: 3,
            uid: 99,
            flags: &kw,
            recent: true,
            internal_date: date(),
            modseq: 7,
        },
    };
    let (_, items) = fetch_items(b"(FLAGS UID MODSEQ)\r\n").unwrap();
    let r = render(&msg, &items.expand(), &RenderOptions::default()).unwrap();
    assert_eq!(
        r.items,
        vec![
            FetchItem::Flags(vec![
                FlagFetch::Flag(Flag::Flagged),
                FlagFetch::Flag(kw[1].clone()),
                FlagFetch::Recent
            ]),
            FetchItem::Uid(99),
            FetchItem::ModSeq(7),
        ]
    );
    // UID FETCH: UID first when not asked for.
    let (_, items) = fetch_items(b"FAST\r\n").unwrap();
    let mut enc = Encoder::default();
    write_fetch(
        &mut enc,
        &msg,
        &items.expand(),
        &RenderOptions::default().uid(true),
    )
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(enc.as_bytes()),
        "* 3 FETCH (UID 99 FLAGS (\\Flagged $Forwarded \\Recent) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 33)\r\n"
    );
    // Macros expand to their RFC 9051 §6.4.5 lists.
    let names = |m: &str| {
        let cmd = format!("{m}\r\n");
        let (_, items) = fetch_items(cmd.as_bytes()).unwrap();
        render(&msg, &items.expand(), &RenderOptions::default())
            .unwrap()
            .items
            .iter()
            .map(|i| {
                let mut e = Encoder::default();
                i.write(&mut e);
                String::from_utf8_lossy(e.as_bytes())
                    .split([' ', '['])
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(names("ALL"), "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE");
    assert_eq!(names("FAST"), "FLAGS INTERNALDATE RFC822.SIZE");
    assert_eq!(
        names("FULL"),
        "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY"
    );
    // EMAILID/THREADID need data the store has: typed error.
    let (_, items) = fetch_items(b"(UID EMAILID)\r\n").unwrap();
    assert!(matches!(
        render(&msg, &items.expand(), &RenderOptions::default()),
        Err(RenderError::Unsupported { item: "EMAILID" })
    ));
    let attrs = [FetchAttribute::ThreadId];
    assert!(render(&msg, &attrs, &RenderOptions::default()).is_err());
}

// ---------------------------------------------------------------------------
// RFC 3501 §8 / RFC 9051 §8 sample: `a003 fetch 12 full`

#[test]
fn rfc3501_section8_fetch_full() {
    // A message with the structure the example shows: 23 lines / 1152
    // octets of text, then a 4554-octet, 73-line base64 "cc.diff".
    let mut m = String::from(
        "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\n\
From: Terry Gray <gray@cac.washington.edu>\n\
Subject: IMAP4rev1 WG mtg summary and minutes\n\
To: imap@cac.washington.edu\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\n\
Message-Id: <B27397-0100000@cac.washington.edu>\n\
MIME-Version: 1.0\n\
Content-Type: MULTIPART/MIXED; BOUNDARY=\"b\"\n\n--b\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\n\n",
    );
    for i in 0..23 {
        let w = if i == 22 { 50 } else { 48 };
        m.push_str(&"t".repeat(w));
        m.push('\n');
    }
    m.push_str("\n--b\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff\nContent-ID: <960723163407.20117h@cac.washington.edu>\nContent-Description: Compiler diff\nContent-Transfer-Encoding: BASE64\n\n");
    for i in 0..73 {
        let w = if i == 72 { 88 } else { 60 };
        m.push_str(&"QUFB".repeat(w / 4));
        m.push('\n');
    }
    m.push_str("\n--b--\n");
    let raw = crlf(&m);
    let want_env = r#"ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>")"#;
    let want_body = r#"BODY (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED"))"#;
    let out = fetch(&raw, "FULL");
    let prefix = format!(
        "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE {} ",
        raw.len()
    );
    assert_eq!(out, format!("{prefix}{want_env} {want_body}\r\n"));
}

#[test]
fn deep_nesting_stays_within_the_default_parser_limit() {
    // 40 nested multiparts and message/rfc822 parts: the default max_depth
    // (32) matches ResponseOptions::default(), so the output parses.
    let mut m = String::new();
    for i in 0..40 {
        if i % 2 == 0 {
            m.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"
            ));
        } else {
            m.push_str("Content-Type: message/rfc822\n\nSubject: in\n");
        }
    }
    m.push_str("\nleaf\n");
    for i in (0..40).rev() {
        if i % 2 == 0 {
            m.push_str(&format!("--b{i}--\n"));
        }
    }
    let raw = crlf(&m);
    let parsed = mailwire_mime::Message::parse(&raw).unwrap();
    let msg = StoredMessage {
        raw: &raw,
        parsed: &parsed,
        meta: MessageMeta {
            seq: 1,
            uid: 1,
            flags: &[],
            recent: false,
            internal_date: date(),
            modseq: 0,
        },
    };
    for attr in [FetchAttribute::BodyStructure, FetchAttribute::Body] {
        let mut enc = Encoder::default();
        write_fetch(
            &mut enc,
            &msg,
            std::slice::from_ref(&attr),
            &RenderOptions::default(),
        )
        .unwrap();
        let (r, n) = mailwire_imap_proto::response::Response::parse(enc.as_bytes()).unwrap();
        assert_eq!(n, enc.as_bytes().len());
        assert!(matches!(
            r,
            mailwire_imap_proto::response::Response::Data(_)
        ));
        // Without the cut the structure is too deep for a default client.
        let mut enc = Encoder::default();
        write_fetch(
            &mut enc,
            &msg,
            std::slice::from_ref(&attr),
            &RenderOptions::default().max_depth(60),
        )
        .unwrap();
        assert!(mailwire_imap_proto::response::Response::parse(enc.as_bytes()).is_err());
    }
}

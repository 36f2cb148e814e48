//! Response parsing and writing: every response example of the extension
//! RFCs, parsed, written back and parsed again; the prefix rule; quirks;
//! limits; proptest round trips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::borrow::Cow;

use mailwire_imap_proto::body::{Body, SingleKind};
use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::error::ParseError;
use mailwire_imap_proto::response::{
    Continue, Data, EsearchItem, FetchItem, ListExtended, Response, ResponseOptions, StatusItem,
    StatusKind,
};
use mailwire_imap_proto::status::{ObjectId, StatusValue};

/// Parses `line` completely, checks the prefix rule, writes it back and
/// checks that the written form parses to the same value.
fn roundtrip_with(line: &[u8], opts: &ResponseOptions) -> Response<'static> {
    let (r, n) = Response::parse_with(line, opts)
        .unwrap_or_else(|e| panic!("{e} in {:?}", String::from_utf8_lossy(line)));
    assert_eq!(
        n,
        line.len(),
        "not all consumed: {:?}",
        String::from_utf8_lossy(line)
    );
    for i in 0..line.len() {
        match Response::parse_with(&line[..i], opts) {
            Err(ParseError::Incomplete { .. }) => {}
            other => panic!(
                "prefix {:?} gave {other:?}",
                String::from_utf8_lossy(&line[..i])
            ),
        }
    }
    let written = r.to_bytes();
    let (r2, n2) = Response::parse(&written)
        .unwrap_or_else(|e| panic!("{e} in written {:?}", String::from_utf8_lossy(&written)));
    assert_eq!(n2, written.len());
    assert_eq!(r, r2, "written as {:?}", String::from_utf8_lossy(&written));
    r.into_owned()
}

fn roundtrip(line: &str) -> Response<'static> {
    roundtrip_with(line.as_bytes(), &ResponseOptions::default())
}

fn status(r: &Response<'_>) -> (Option<String>, StatusKind, Option<Code<'static>>, String) {
    match r {
        Response::Status(s) => (
            s.tag.as_ref().map(|t| t.as_str().to_owned()),
            s.kind,
            s.code.clone().map(Code::into_owned),
            String::from_utf8_lossy(&s.text).into_owned(),
        ),
        other => panic!("not a status: {other:?}"),
    }
}

fn data(r: Response<'static>) -> Data<'static> {
    match r {
        Response::Data(d) => d,
        other => panic!("not data: {other:?}"),
    }
}

/// RFC 5530: every response code example.
#[test]
fn rfc5530_codes() {
    let cases: &[(&str, Code<'static>)] = &[
        (
            "a NO [UNAVAILABLE] User's backend down for maintenance\r\n",
            Code::Unavailable,
        ),
        (
            "b NO [AUTHENTICATIONFAILED] Authentication failed\r\n",
            Code::AuthenticationFailed,
        ),
        (
            "c1 NO [AUTHORIZATIONFAILED] No such authorization-ID\r\n",
            Code::AuthorizationFailed,
        ),
        (
            "d NO [EXPIRED] That password isn't valid any more\r\n",
            Code::Expired,
        ),
        (
            "d NO [PRIVACYREQUIRED] Connection offers no privacy\r\n",
            Code::PrivacyRequired,
        ),
        ("f NO [NOPERM] Access denied\r\n", Code::NoPerm),
        ("g NO [INUSE] Mailbox in use\r\n", Code::InUse),
        (
            "h OK [EXPUNGEISSUED] Search completed\r\n",
            Code::ExpungeIssued,
        ),
        (
            "i NO [CORRUPTION] Cannot open mailbox\r\n",
            Code::Corruption,
        ),
        (
            "j NO [SERVERBUG] This should not happen\r\n",
            Code::ServerBug,
        ),
        ("k1 OK [READ-ONLY] Done\r\n", Code::ReadOnly),
        ("k2 OK [CLIENTBUG] Done\r\n", Code::ClientBug),
        (
            "l NO [CANNOT] Adjacent slashes are not supported\r\n",
            Code::Cannot,
        ),
        (
            "m NO [LIMIT] At most 32 flags in one mailbox supported\r\n",
            Code::Limit,
        ),
        ("n1 NO [OVERQUOTA] Sorry\r\n", Code::OverQuota),
        (
            "o NO [ALREADYEXISTS] Mailbox \"that\" already exists\r\n",
            Code::AlreadyExists,
        ),
        ("p NO [NONEXISTENT] No such mailbox\r\n", Code::NonExistent),
        ("t3 NO [USEATTR] \\All not supported\r\n", Code::UseAttr),
        ("a NO [NOTSAVED] not saved\r\n", Code::NotSaved),
        ("a NO [HASCHILDREN] has children\r\n", Code::HasChildren),
        ("* OK [CLOSED] Previous mailbox closed\r\n", Code::Closed),
        ("a NO [UNKNOWN-CTE] Can't decode\r\n", Code::UnknownCte),
        ("a NO [TOOBIG] too big\r\n", Code::TooBig),
        ("a OK [NOMODSEQ] No modseq\r\n", Code::NoModSeq),
        (
            "a OK [COMPRESSIONACTIVE] DEFLATE active\r\n",
            Code::CompressionActive,
        ),
        (
            "* OK [ALERT] System shutdown in 10 minutes\r\n",
            Code::Alert,
        ),
        ("a NO [TRYCREATE] no such mailbox\r\n", Code::TryCreate),
        ("a NO [PARSE] bad header\r\n", Code::Parse),
        (
            "* OK [UIDNOTSTICKY] Non-persistent UIDs\r\n",
            Code::UidNotSticky,
        ),
        ("a002 OK [READ-WRITE] SELECT completed\r\n", Code::ReadWrite),
        (
            "* OK [UNSEEN 17] Message 17 is the first unseen message\r\n",
            Code::Unseen(17),
        ),
        (
            "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
            Code::UidValidity(3_857_529_045),
        ),
        (
            "* OK [UIDNEXT 242344] Predicted next UID\r\n",
            Code::UidNext(242_344),
        ),
        (
            "* OK [HIGHESTMODSEQ 3914] Highest\r\n",
            Code::HighestModSeq(3914),
        ),
        (
            "* OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] Ok\r\n",
            Code::MailboxId(ObjectId::new("F2212ea87-6097-4256-9d51-71338625").unwrap()),
        ),
    ];
    for (line, code) in cases {
        let r = roundtrip(line);
        assert_eq!(status(&r).2.as_ref(), Some(code), "{line}");
    }
    // RFC 5530's CONTACTADMIN example has no text after the code.
    let r = roundtrip_with(b"e OK [CONTACTADMIN]\r\n", &ResponseOptions::lenient());
    assert_eq!(status(&r).2, Some(Code::ContactAdmin));
    assert!(Response::parse(b"e OK [CONTACTADMIN]\r\n").is_err());
}

#[test]
fn codes_with_arguments() {
    let r = roundtrip("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n");
    let Some(Code::AppendUid { uid_validity, uids }) = status(&r).2 else {
        panic!()
    };
    assert_eq!((uid_validity, uids.to_string().as_str()), (38505, "3955"));
    let r = roundtrip("A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n");
    let Some(Code::CopyUid {
        source,
        destination,
        ..
    }) = status(&r).2
    else {
        panic!()
    };
    assert_eq!(source.to_string(), "304,319:320");
    assert_eq!(destination.to_string(), "3956:3958");
    // COPYUID and APPENDUID take uid-sets: no `*`.
    assert!(Response::parse(b"a OK [COPYUID 1 1:* 2] x\r\n").is_err());
    let r = roundtrip("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n");
    let Some(Code::PermanentFlags(f)) = status(&r).2 else {
        panic!()
    };
    assert_eq!(f.len(), 3);
    let r = roundtrip("* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n");
    assert_eq!(status(&r).2, Some(Code::PermanentFlags(vec![])));
    let r = roundtrip("B283 NO [BADCHARSET (UTF-8 \"KOI8 R\")] KOI8-R is not supported\r\n");
    let Some(Code::BadCharset(v)) = status(&r).2 else {
        panic!()
    };
    assert_eq!(v[1].as_bytes(), b"KOI8 R");
    let r = roundtrip("a NO [BADCHARSET] unsupported\r\n");
    assert_eq!(status(&r).2, Some(Code::BadCharset(vec![])));
    let r = roundtrip("a OK [MODIFIED 7,9] Conditional STORE failed\r\n");
    let Some(Code::Modified(s)) = status(&r).2 else {
        panic!()
    };
    assert_eq!(s.to_string(), "7,9");
    let r = roundtrip("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED] ready\r\n");
    let Some(Code::Capability(caps)) = status(&r).2 else {
        panic!()
    };
    assert_eq!(caps.len(), 4);
    let r = roundtrip("a NO [BADURL imap://x/y;UID=1] bad\r\n");
    assert!(matches!(status(&r).2, Some(Code::BadUrl(_))));
    let r = roundtrip("* OK [REFERRAL imap://a@b/] go away\r\n");
    assert!(matches!(status(&r).2, Some(Code::Referral(_))));
    // Unknown codes are kept, with or without arguments.
    let r = roundtrip("* OK [X-SOMETHING a b (c)] hi\r\n");
    let Some(Code::Other { name, data }) = status(&r).2 else {
        panic!()
    };
    assert_eq!(&*name, b"X-SOMETHING");
    assert_eq!(data.as_deref(), Some(&b"a b (c)"[..]));
    let r = roundtrip("* OK [METADATA LONGENTRIES 2199] ok\r\n");
    assert!(matches!(status(&r).2, Some(Code::Other { .. })));
    // A known code with garbage arguments: error, or Other when lenient.
    assert!(Response::parse(b"* OK [UIDNEXT abc] x\r\n").is_err());
    let (r, _) =
        Response::parse_with(b"* OK [UIDNEXT abc] x\r\n", &ResponseOptions::lenient()).unwrap();
    assert!(matches!(status(&r).2, Some(Code::Other { .. })));
}

#[test]
fn status_responses() {
    let r = roundtrip("* OK IMAP4rev1 Service Ready\r\n");
    assert_eq!(
        status(&r),
        (None, StatusKind::Ok, None, "IMAP4rev1 Service Ready".into())
    );
    let r = roundtrip("* PREAUTH IMAP4rev1 server logged in as Smith\r\n");
    assert_eq!(status(&r).1, StatusKind::PreAuth);
    let r = roundtrip("* BYE Autologout; idle for too long\r\n");
    assert_eq!(status(&r).1, StatusKind::Bye);
    let r = roundtrip("a1 bad Command unknown\r\n");
    assert_eq!(status(&r).1, StatusKind::Bad);
    let r = roundtrip("* NO Disk is 98% full, please delete unnecessary data\r\n");
    assert_eq!(status(&r).1, StatusKind::No);
    // RFC 9051: text is optional after the space.
    let r = roundtrip("a1 OK \r\n");
    assert_eq!(status(&r).3, "");
    // A tag can't be PREAUTH/BYE-tagged.
    assert!(Response::parse(b"a1 BYE x\r\n").is_err());
    // Non-UTF-8 text is preserved.
    let r = roundtrip_with(b"* OK caf\xe9\r\n", &ResponseOptions::default());
    let Response::Status(s) = r else { panic!() };
    assert_eq!(&*s.text, b"caf\xe9");
    // Quirk: no text at all.
    assert!(Response::parse(b"a1 OK\r\n").is_err());
    roundtrip_with(b"a1 OK\r\n", &ResponseOptions::lenient());
    roundtrip_with(b"* OK [READ-WRITE]\r\n", &ResponseOptions::lenient());
}

#[test]
fn written_text_cannot_inject_lines() {
    let r = Response::Status(mailwire_imap_proto::response::Status {
        tag: Some(mailwire_imap_proto::primitive::Tag::new("a1").unwrap()),
        kind: StatusKind::Ok,
        code: Some(Code::Other {
            name: Cow::Borrowed(b"X"),
            data: Some(Cow::Borrowed(b"a]b\r\n")),
        }),
        text: Cow::Borrowed(b"done\r\n* BYE\0"),
    });
    assert_eq!(r.to_bytes(), b"a1 OK [X a b  ] done  * BYE \r\n");
}

#[test]
fn errors_carry_offset_and_expectation() {
    let e = Response::parse(b"* 12 FOO\r\n").unwrap_err();
    assert_eq!(
        e,
        ParseError::Syntax {
            offset: 5,
            expected: "EXISTS, RECENT, EXPUNGE or FETCH"
        }
    );
    let e = Response::parse(b"* 1 FETCH (UID x)\r\n").unwrap_err();
    assert_eq!(e.offset(), Some(15));
    let e = Response::parse(b"a1 OK x\n").unwrap_err();
    assert!(matches!(e, ParseError::Syntax { offset: 7, .. }), "{e:?}");
    assert!(Response::parse(b"").unwrap_err().is_incomplete());
    assert!(Response::parse(b"* EXISTS 93\r\n").is_err());
    assert!(Response::parse(b"* XYZZY foo\n").is_err());
}

#[test]
fn continuation_requests() {
    let r = roundtrip("+ Ready for literal data\r\n");
    assert!(matches!(
        r,
        Response::Continue(Continue::Text { code: None, .. })
    ));
    let r = roundtrip("+ idling\r\n");
    assert!(matches!(r, Response::Continue(Continue::Text { .. })));
    let r = roundtrip("+ [ALERT] look\r\n");
    assert!(matches!(
        r,
        Response::Continue(Continue::Text {
            code: Some(Code::Alert),
            ..
        })
    ));
    // RFC 9051 §8: SCRAM challenges.
    let r = roundtrip(
        "+ cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=\r\n",
    );
    let Response::Continue(Continue::Base64(d)) = r else {
        panic!()
    };
    assert!(d.starts_with(b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s="));
    let r = roundtrip("+ \r\n");
    assert!(
        matches!(r, Response::Continue(Continue::Text { code: None, ref text }) if text.is_empty())
    );
    assert!(Response::parse(b"+\r\n").is_err());
    roundtrip_with(b"+\r\n", &ResponseOptions::lenient());
}

#[test]
fn capability_enabled_id() {
    let d = data(roundtrip(
        "* CAPABILITY IMAP4rev1 ID LITERAL+ ENABLE X-GOOD-IDEA\r\n",
    ));
    let Data::Capability(v) = d else { panic!() };
    assert_eq!(v.len(), 5);
    let d = data(roundtrip(
        "* CAPABILITY IMAP4rev1 ID APPENDLIMIT=257890\r\n",
    ));
    assert!(matches!(d, Data::Capability(ref v) if v.len() == 3));
    roundtrip("* CAPABILITY IMAP4rev1 QUOTA QUOTASET QUOTA=RES-STORAGE QUOTA=RES-MESSAGE\r\n");
    roundtrip("* CAPABILITY IMAP4rev1 SPECIAL-USE\r\n");
    let d = data(roundtrip("* ENABLED CONDSTORE\r\n"));
    assert!(matches!(d, Data::Enabled(ref v) if v.len() == 1));
    let d = data(roundtrip("* ENABLED\r\n"));
    assert!(matches!(d, Data::Enabled(ref v) if v.is_empty()));
    let d = data(roundtrip(
        "* ID (\"name\" \"Cyrus\" \"version\" \"1.5\" \"os\" \"sunos\" \"os-version\" \"5.5\" \"support-url\" \"mailto:cyrus-bugs+@andrew.cmu.edu\")\r\n",
    ));
    let Data::Id(Some(v)) = d else { panic!() };
    assert_eq!(v.len(), 5);
    assert_eq!(
        v[4].1.as_ref().unwrap().as_bytes(),
        b"mailto:cyrus-bugs+@andrew.cmu.edu"
    );
    assert_eq!(data(roundtrip("* ID NIL\r\n")), Data::Id(None));
    roundtrip("* ID (\"name\" NIL)\r\n");
}

#[test]
fn mailbox_status_data() {
    assert_eq!(data(roundtrip("* 18 EXISTS\r\n")), Data::Exists(18));
    assert_eq!(data(roundtrip("* 2 RECENT\r\n")), Data::Recent(2));
    assert_eq!(data(roundtrip("* 3 EXPUNGE\r\n")), Data::Expunge(3));
    let d = data(roundtrip(
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
    ));
    assert!(matches!(d, Data::Flags(ref f) if f.len() == 5));
    roundtrip("* FLAGS ()\r\n");
    let d = data(roundtrip(
        "* STATUS INBOX (MESSAGES 12 DELETED 4 DELETED-STORAGE 8)\r\n",
    ));
    let Data::Status { items, .. } = d else {
        panic!()
    };
    assert_eq!(
        items,
        vec![
            StatusItem::Value(StatusValue::Messages(12)),
            StatusItem::Value(StatusValue::Deleted(4)),
            StatusItem::Value(StatusValue::DeletedStorage(8))
        ]
    );
    for l in [
        "* STATUS \"INBOX\" (MESSAGES 17 UNSEEN 16)\r\n",
        "* STATUS \"INBOX\" (APPENDLIMIT 257890)\r\n",
        "* STATUS INBOX (APPENDLIMIT NIL)\r\n",
        "* STATUS frop (MESSAGES 8 SIZE 44421 UIDNEXT 242344)\r\n",
        "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n",
        "* STATUS INBOX (MAILBOXID (Ff8e3ead4-9389-4aff-adb1-d8d89efd8cbf))\r\n",
        "* STATUS INBOX (HIGHESTMODSEQ 7011231777 RECENT 1 UIDVALIDITY 1)\r\n",
        "* STATUS INBOX (X-FOO (1 2) X-BAR 3)\r\n",
        "* STATUS INBOX ()\r\n",
    ] {
        roundtrip(l);
    }
    let d = data(roundtrip(
        "* STATUS {3}\r\na b (SIZE 9223372036854775807)\r\n",
    ));
    let Data::Status { mailbox, items } = d else {
        panic!()
    };
    assert_eq!(mailbox.as_bytes(), b"a b");
    assert_eq!(
        items,
        vec![StatusItem::Value(StatusValue::Size(
            9_223_372_036_854_775_807
        ))]
    );
}

#[test]
fn list_lsub() {
    let d = data(roundtrip("* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n"));
    let Data::List(l) = d else { panic!() };
    assert_eq!(l.delimiter, Some('/'));
    assert_eq!(l.mailbox.as_bytes(), b"~/Mail/foo");
    let d = data(roundtrip("* LIST () NIL \"\"\r\n"));
    assert!(matches!(d, Data::List(ref l) if l.delimiter.is_none()));
    roundtrip("* LSUB (\\Noselect) \".\" #news.comp.mail\r\n");
    roundtrip("* LIST () \"\\\\\" INBOX\r\n");
    // RFC 9051 §8 and RFC 5258 extended items.
    let d = data(roundtrip(
        "* LIST () \"/\" INBOX (\"OLDNAME\" (\"inbox\"))\r\n",
    ));
    let Data::List(l) = d else { panic!() };
    assert!(matches!(&l.extended[0], ListExtended::OldName(m) if m.as_bytes() == b"INBOX"));
    let d = data(roundtrip(
        "* LIST (\\Subscribed \\HasChildren) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n",
    ));
    let Data::List(l) = d else { panic!() };
    assert!(
        matches!(&l.extended[0], ListExtended::ChildInfo(v) if v[0].as_bytes() == b"SUBSCRIBED")
    );
    assert_eq!(l.attributes.len(), 2);
    roundtrip("* LIST () \".\" \"foo\" (CHILDINFO (\"SUBSCRIBED\"))\r\n");
    roundtrip("* LIST (\\NonExistent) \"/\" \"qux2\" (\"CHILDINFO\" (\"SUBSCRIBED\" \"X\"))\r\n");
    roundtrip("* LIST (\\Marked \\Drafts \\HasNoChildren) \"/\" MyDrafts\r\n");
    roundtrip("* LIST (\\Sent \\HasNoChildren) \"/\" SentMail\r\n");
    roundtrip("* LIST (\\HasNoChildren) \"/\" ITEM_1/ITEM_1A\r\n");
    roundtrip("* LIST () \"/\" \"x\" (X-VENDOR-ITEM (1 \"a\" {1}\r\nb) MYTAG 42)\r\n");
    roundtrip("* LIST () \"/\" \"x\" ()\r\n");
    // The RFC 5819 example has a doubled space, which is not the grammar.
    assert!(Response::parse(b"* LIST () \".\"  \"INBOX\"\r\n").is_err());
    // A delimiter is one character.
    assert!(Response::parse(b"* LIST () \"ab\" x\r\n").is_err());
}

#[test]
fn namespace() {
    for l in [
        "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n",
        "* NAMESPACE NIL NIL ((\"\" \".\"))\r\n",
        "* NAMESPACE ((\"\" \"/\")) NIL ((\"Public Folders/\" \"/\"))\r\n",
        "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")(\"#ftp/\" \"/\")(\"#news.\" \".\"))\r\n",
        "* NAMESPACE ((\"\" \"/\")(\"#mh/\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL NIL\r\n",
        "* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\n",
    ] {
        roundtrip(l);
    }
    let d = data(roundtrip(
        "* NAMESPACE ((\"\" \"/\")(\"#mh/\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL NIL\r\n",
    ));
    let Data::Namespace {
        personal,
        other,
        shared,
    } = d
    else {
        panic!()
    };
    assert_eq!(personal.len(), 2);
    assert_eq!(personal[1].extensions[0].1.len(), 2);
    assert!(other.is_empty() && shared.is_empty());
    // RFC 2342 example with a doubled space: not the grammar.
    assert!(Response::parse(b"* NAMESPACE ((\"INBOX.\" \".\")) NIL  NIL\r\n").is_err());
}

#[test]
fn search_sort_thread_esearch() {
    let d = data(roundtrip("* SEARCH 2 84 882\r\n"));
    assert_eq!(
        d,
        Data::Search {
            ids: vec![2, 84, 882],
            modseq: None
        }
    );
    assert_eq!(
        data(roundtrip("* SEARCH\r\n")),
        Data::Search {
            ids: vec![],
            modseq: None
        }
    );
    let d = data(roundtrip(
        "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n",
    ));
    assert!(matches!(
        d,
        Data::Search {
            modseq: Some(917_162_500),
            ..
        }
    ));
    assert_eq!(
        data(roundtrip("* SORT 5 3 4 1 2\r\n")),
        Data::Sort {
            ids: vec![5, 3, 4, 1, 2],
            modseq: None
        }
    );
    roundtrip("* SORT\r\n");
    roundtrip("* SORT 1 (MODSEQ 3)\r\n");
    assert!(Response::parse(b"* SEARCH 0\r\n").is_err());
    // Quirk: trailing space.
    assert!(Response::parse(b"* SEARCH \r\n").is_err());
    let lenient = ResponseOptions::lenient();
    let (r, _) = Response::parse_with(b"* SEARCH \r\n", &lenient).unwrap();
    assert_eq!(
        r,
        Response::Data(Data::Search {
            ids: vec![],
            modseq: None
        })
    );
    roundtrip_with(b"* SEARCH 1 2 \r\n", &lenient);
    for l in [
        &b"* STATUS INBOX (MESSAGES 1) \r\n"[..],
        b"* ID NIL \r\n",
        b"* CAPABILITY IMAP4rev1 \r\n",
        b"* 1 FETCH (UID 1) \r\n",
        b"* THREAD (1) \r\n",
    ] {
        assert!(Response::parse(l).is_err());
        roundtrip_with(l, &lenient);
    }

    let d = data(roundtrip(
        "* THREAD (166)(167)(168)(169)(172)((170)(179))\r\n",
    ));
    let Data::Thread(t) = d else { panic!() };
    assert_eq!(t.len(), 6);
    assert!(t[5].ids.is_empty() && t[5].children.len() == 2);
    let d = data(roundtrip("* THREAD (2)(3 6 (4 23)(44 7 96))\r\n"));
    let Data::Thread(t) = d else { panic!() };
    assert_eq!(t[1].ids, vec![3, 6]);
    assert_eq!(t[1].children[1].ids, vec![44, 7, 96]);
    roundtrip("* THREAD ((3)(5))\r\n");
    roundtrip("* THREAD\r\n");
    roundtrip("* THREAD (166)(167)(168)(169)(172)(170)(171)\r\n");

    for l in [
        "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n",
        "* ESEARCH (TAG \"A283\") ALL 2,10:11\r\n",
        "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n",
        "* ESEARCH (TAG \"A286\") COUNT 15\r\n",
        "* ESEARCH (TAG \"a4\") MIN 2 COUNT 10 MODSEQ 917162500\r\n",
        "* ESEARCH (TAG \"a\") ALL 5,3,2,1 MODSEQ 1236\r\n",
        "* ESEARCH (TAG \"G283\") ALL 3:15,27,29:103\r\n",
        "* ESEARCH\r\n",
        "* ESEARCH UID\r\n",
        "* ESEARCH UID COUNT 17 ALL 4:18,21,28\r\n",
        "* ESEARCH (TAG \"x\") X-EXT (1 2 (3)) COUNT 1\r\n",
    ] {
        roundtrip(l);
    }
    let d = data(roundtrip("* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n"));
    let Data::Esearch(e) = d else { panic!() };
    assert!(e.uid);
    assert_eq!(e.tag.unwrap().as_bytes(), b"A285");
    assert_eq!(e.items, vec![EsearchItem::Min(7), EsearchItem::Max(3800)]);
    assert!(Response::parse(b"* ESEARCH ALL $\r\n").is_err());
}

#[test]
fn vanished_quota() {
    let d = data(roundtrip(
        "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n",
    ));
    assert!(matches!(d, Data::Vanished { earlier: true, .. }));
    let d = data(roundtrip("* VANISHED 405,407,410,425\r\n"));
    assert!(matches!(d, Data::Vanished { earlier: false, .. }));
    assert!(Response::parse(b"* VANISHED 1:*\r\n").is_err());

    let d = data(roundtrip(
        "* QUOTA \"#user/alice\" (STORAGE 54 111 MESSAGE 42 1000)\r\n",
    ));
    let Data::Quota { root, resources } = d else {
        panic!()
    };
    assert_eq!(root.as_bytes(), b"#user/alice");
    assert_eq!((resources[1].usage, resources[1].limit), (42, 1000));
    roundtrip("* QUOTA \"\" (STORAGE 10 512)\r\n");
    roundtrip("* QUOTA \"!partition/sda4\" (STORAGE 104 10923847)\r\n");
    let d = data(roundtrip(
        "* QUOTAROOT INBOX \"#user/alice\" \"!partition/sda4\"\r\n",
    ));
    assert!(matches!(d, Data::QuotaRoot { ref roots, .. } if roots.len() == 2));
    roundtrip("* QUOTAROOT comp.mail.mime\r\n");
    roundtrip("* QUOTAROOT INBOX \"\"\r\n");
}

#[test]
fn fetch_items() {
    for l in [
        "* 1 FETCH (MODSEQ (320172342) FLAGS (\\SEEN))\r\n",
        "* 1 FETCH (UID 4 MODSEQ (12121231000))\r\n",
        "* 4 FETCH (UID 408 MODSEQ (29738) FLAGS ($NoJunk $AutoJunk $MDNSent))\r\n",
        "* 7 FETCH (FLAGS (\\Deleted \\Answered \\Recent) MODSEQ (12121231000))\r\n",
        "* 1 FETCH (RFC822.SIZE 3224)\r\n",
        "* 1 FETCH (EMAILID (M00000001) THREADID NIL)\r\n",
        "* 1 FETCH (EMAILID (M288836c4c7a762) THREADID (T64b478a75b7ea9))\r\n",
        "* 23 FETCH (FLAGS (\\Seen) UID 4827313)\r\n",
        "* 1 FETCH (BINARY.SIZE[1] 2001 BINARY.SIZE[] 4)\r\n",
        "* 1 FETCH (BINARY[1.2] {5}\r\nab\0cd BINARY[] NIL)\r\n",
        "* 1 FETCH (BODY[1.2.HEADER.FIELDS (DATE FROM)] {4}\r\nx\r\n\r BODY[TEXT]<0> \"abc\")\r\n",
        "* 1 FETCH (BODY[] NIL BODY[1.MIME] \"\" BODY[HEADER.FIELDS.NOT (X-Y)] \"\")\r\n",
        "* 1 FETCH (RFC822 {2}\r\nab RFC822.HEADER \"h\" RFC822.TEXT NIL)\r\n",
        "* 1 FETCH (PREVIEW \"Hello there\" SAVEDATE NIL)\r\n",
        "* 1 FETCH (SAVEDATE \"17-Jul-1996 02:44:25 -0700\")\r\n",
        "* 1 FETCH (X-GM-MSGID 1278455344230334865 X-GM-LABELS (\\Inbox \"a b\") UID 1)\r\n",
        "* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\n",
        "* 12 FETCH (FLAGS ())\r\n",
    ] {
        roundtrip(l);
    }
    let d = data(roundtrip("* 1 FETCH (BINARY[1.2] ~{5}\r\nab\0cd)\r\n"));
    let Data::Fetch { items, .. } = d else {
        panic!()
    };
    let FetchItem::Binary { data: Some(b), .. } = &items[0] else {
        panic!()
    };
    assert_eq!(&**b, b"ab\0cd");
    // The written form uses literal8 for data with NUL.
    let r = Response::Data(Data::Fetch { seq: 1, items });
    assert!(r.to_bytes().windows(5).any(|w| w == b"~{5}\r"));
    // A NUL in a plain string literal outside payloads is rejected.
    assert!(
        Response::parse(
            b"* 1 FETCH (ENVELOPE ({1}\r\n\0 NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n"
        )
        .is_err()
    );
    // UID 0 is not a UID.
    assert!(Response::parse(b"* 1 FETCH (UID 0)\r\n").is_err());
}

#[test]
fn fetch_literal_is_borrowed() {
    let body = vec![b'x'; 1 << 20];
    let mut input = b"* 1 FETCH (UID 9 BODY[] {1048576}\r\n".to_vec();
    input.extend_from_slice(&body);
    input.extend_from_slice(b")\r\n");
    let (r, n) = Response::parse(&input).unwrap();
    assert_eq!(n, input.len());
    let Response::Data(Data::Fetch { items, .. }) = &r else {
        panic!()
    };
    let FetchItem::BodySection {
        data: Some(Cow::Borrowed(d)),
        ..
    } = &items[1]
    else {
        panic!("copied")
    };
    assert_eq!(d.len(), 1 << 20);
    assert_eq!(d.as_ptr(), input[35..].as_ptr());
    // Every short prefix is incomplete, including the middle of the literal.
    for cut in [10, 35, 36, 1000, input.len() - 3, input.len() - 1] {
        assert!(
            Response::parse(&input[..cut]).unwrap_err().is_incomplete(),
            "{cut}"
        );
    }
}

const RFC3501_FETCH: &str = "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n";

#[test]
fn rfc3501_fetch_full() {
    let d = data(roundtrip(RFC3501_FETCH));
    let Data::Fetch { seq: 12, items } = d else {
        panic!()
    };
    assert_eq!(items.len(), 5);
    let FetchItem::Envelope(env) = &items[3] else {
        panic!()
    };
    assert_eq!(env.cc.len(), 2);
    assert_eq!(env.cc[1].name.as_ref().unwrap().as_bytes(), b"John Klensin");
    assert!(env.in_reply_to.is_none());
    let FetchItem::Body(b) = &items[4] else {
        panic!()
    };
    let Body::Single(s) = &**b else { panic!() };
    assert!(matches!(s.kind, SingleKind::Text { lines: 92, .. }));
    assert_eq!(s.fields.octets, 3028);
    assert!(s.extension.is_none());
}

#[test]
fn bodystructures() {
    for l in [
        // RFC 3501 §7.4.2 multipart example
        "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") \"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73) \"MIXED\"))\r\n",
        // extension data, every level
        "* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 12 1 NIL (\"inline\" NIL) NIL NIL)(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 1000 \"md5sum\" (\"attachment\" (\"filename\" \"a.pdf\")) (\"en\" \"de\") \"http://x/y\" 1 (2 \"x\" NIL (3))) \"mixed\" (\"boundary\" \"b1\") NIL \"en\" NIL))\r\n",
        "* 1 FETCH (BODYSTRUCTURE (\"text\" \"html\" NIL NIL NIL \"7bit\" 5 1 NIL))\r\n",
        "* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1) \"alternative\" NIL))\r\n",
        // message/rfc822 with nested envelope and body
        "* 2 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 342 (NIL \"sub\" ((NIL NIL \"a\" \"b.c\")) NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 10 1) 12))\r\n",
        "* 2 FETCH (BODY (\"message\" \"global\" NIL NIL NIL \"8bit\" 3 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)(\"image\" \"png\" NIL NIL NIL \"base64\" 9) \"related\") 2))\r\n",
        // group syntax in an envelope
        "* 3 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"undisclosed\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL NIL NIL NIL))\r\n",
    ] {
        roundtrip(l);
    }
    let quirky = b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" () NIL NIL NIL 5 1))\r\n";
    assert!(Response::parse(quirky).is_err());
    roundtrip_with(quirky, &ResponseOptions::lenient());
}

#[test]
fn nesting_is_bounded() {
    fn nested(depth: usize) -> Vec<u8> {
        let mut v = b"* 1 FETCH (BODYSTRUCTURE ".to_vec();
        v.extend(std::iter::repeat_n(b'(', depth - 1));
        v.extend_from_slice(b"(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)");
        for _ in 0..depth - 1 {
            v.extend_from_slice(b" \"mixed\")");
        }
        v.extend_from_slice(b")\r\n");
        v
    }
    let opts = ResponseOptions::default();
    assert!(Response::parse(&nested(opts.max_depth)).is_ok());
    let e = Response::parse(&nested(opts.max_depth + 1)).unwrap_err();
    assert!(
        matches!(
            e,
            ParseError::Limit {
                what: "nesting depth",
                ..
            }
        ),
        "{e:?}"
    );
    // Nested message/rfc822 parts (envelope + body per level) at the limit,
    // on the default test-thread stack.
    let mut m = b"* 1 FETCH (BODYSTRUCTURE ".to_vec();
    let env = b"(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)";
    for _ in 0..opts.max_depth - 1 {
        m.extend_from_slice(b"(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 1 ");
        m.extend_from_slice(env);
        m.push(b' ');
    }
    m.extend_from_slice(b"(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)");
    for _ in 0..opts.max_depth - 1 {
        m.extend_from_slice(b" 1 NIL (\"inline\" NIL) NIL NIL (1))");
    }
    m.extend_from_slice(b")\r\n");
    let (r, _) = Response::parse(&m).unwrap();
    assert_eq!(Response::parse(&r.to_bytes()).unwrap().0, r);
    // Threads and extension lists share the bound.
    let mut t = b"* THREAD ".to_vec();
    t.extend(std::iter::repeat_n(b"(1 ", 40).flatten());
    assert!(matches!(Response::parse(&t), Err(ParseError::Limit { .. })));
    // Deep nesting does not overflow the stack even when huge.
    let mut deep = b"* 1 FETCH (BODYSTRUCTURE ".to_vec();
    deep.extend(std::iter::repeat_n(b'(', 100_000));
    assert!(matches!(
        Response::parse(&deep),
        Err(ParseError::Limit { .. })
    ));
}

#[test]
fn literal_limit() {
    let mut opts = ResponseOptions::default();
    opts.max_literal = 10;
    let ok = b"* 1 FETCH (BODY[] {10}\r\n0123456789)\r\n";
    assert!(Response::parse_with(ok, &opts).is_ok());
    let too_big = b"* 1 FETCH (BODY[] {11}\r\n01234567890)\r\n";
    assert!(matches!(
        Response::parse_with(too_big, &opts),
        Err(ParseError::Limit { .. })
    ));
    // Announced size beyond the limit is rejected before the data arrives.
    assert!(matches!(
        Response::parse(b"* 1 FETCH (BODY[] {99999999999}\r\n"),
        Err(ParseError::Limit { .. })
    ));
}

#[test]
fn nil_as_empty_string_quirk() {
    let l = b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL NIL 5 1))\r\n";
    assert!(Response::parse(l).is_err());
    let (r, _) = Response::parse_with(l, &ResponseOptions::lenient()).unwrap();
    let Response::Data(Data::Fetch { items, .. }) = r else {
        panic!()
    };
    let FetchItem::BodyStructure(b) = &items[0] else {
        panic!()
    };
    let Body::Single(s) = &**b else { panic!() };
    assert!(s.fields.encoding.as_bytes().is_empty());
}

#[test]
fn unknown_untagged_data_is_kept() {
    let d = data(roundtrip(
        "* XPIG-LATIN ow-nay eaking-spay ig-pay atin-lay\r\n",
    ));
    let Data::Other { name, data } = d else {
        panic!()
    };
    assert_eq!(&*name, b"XPIG-LATIN");
    assert_eq!(
        data.as_deref(),
        Some(&b"ow-nay eaking-spay ig-pay atin-lay"[..])
    );
    roundtrip("* METADATA \"INBOX\" (/shared/comment {9}\r\nline\r\ntwo)\r\n");
    roundtrip("* X-ODD \"unterminated {x} \r\n");
    roundtrip("* NOOP\r\n");
    // A literal inside unknown data is stepped over, CRLF inside it included.
    let (r, n) = Response::parse(b"* X {4}\r\na\r\nb\r\n* 1 EXISTS\r\n").unwrap();
    assert_eq!(n, 15);
    assert!(matches!(r, Response::Data(Data::Other { .. })));
}

#[test]
fn into_owned_detaches() {
    let owned = {
        let input = RFC3501_FETCH.as_bytes().to_vec();
        let (r, _) = Response::parse(&input).unwrap();
        r.into_owned()
    };
    assert!(matches!(owned, Response::Data(Data::Fetch { seq: 12, .. })));
}

#[test]
fn parses_back_to_back() {
    let stream = b"* 18 EXISTS\r\n* 1 FETCH (BODY[] {3}\r\nabc)\r\na1 OK done\r\n";
    let mut rest = &stream[..];
    let mut n = 0;
    while !rest.is_empty() {
        let (_, used) = Response::parse(rest).unwrap();
        rest = &rest[used..];
        n += 1;
    }
    assert_eq!(n, 3);
}

mod props {
    use super::*;
    use std::num::NonZeroU32;

    use mailwire_imap_proto::body::{
        BodyExtension, BodyFields, Disposition, DispositionExtension, LanguageExtension,
        LocationExtension, MultiPart, MultiPartExtension, SinglePart, SinglePartExtension,
    };
    use mailwire_imap_proto::envelope::{Address, Envelope};
    use mailwire_imap_proto::flag::MailboxAttribute;
    use mailwire_imap_proto::mailbox::Mailbox;
    use mailwire_imap_proto::primitive::IString;
    use mailwire_imap_proto::response::{Esearch, ListItem, Namespace, QuotaResource, Thread};
    use mailwire_imap_proto::sequence::{SeqNumber, SequenceSet};
    use proptest::prelude::*;

    fn istring() -> impl Strategy<Value = IString<'static>> {
        prop_oneof![
            "[a-zA-Z0-9]{0,8}",
            "[ -~]{0,12}",
            "[ -~\r\n\u{e9}\u{4e2d}]{0,20}",
        ]
        .prop_map(|s| IString::new(s.into_bytes()).unwrap())
    }

    fn nstring() -> impl Strategy<Value = Option<IString<'static>>> {
        proptest::option::of(istring())
    }

    fn address() -> impl Strategy<Value = Address<'static>> {
        (nstring(), nstring(), nstring(), nstring()).prop_map(|(name, adl, mailbox, host)| {
            Address {
                name,
                adl,
                mailbox,
                host,
            }
        })
    }

    fn envelope() -> BoxedStrategy<Envelope<'static>> {
        envelope_inner().boxed()
    }

    fn envelope_inner() -> impl Strategy<Value = Envelope<'static>> {
        let list = || proptest::collection::vec(address(), 0..3);
        (
            nstring(),
            nstring(),
            list(),
            list(),
            list(),
            list(),
            nstring(),
            nstring(),
        )
            .prop_map(|(date, subject, from, to, cc, bcc, irt, mid)| Envelope {
                date,
                subject,
                sender: from.clone(),
                reply_to: from.clone(),
                from,
                to,
                cc,
                bcc,
                in_reply_to: irt,
                message_id: mid,
            })
    }

    fn payload() -> impl Strategy<Value = Option<Cow<'static, [u8]>>> {
        proptest::option::of(proptest::collection::vec(1u8..=255, 0..40).prop_map(Cow::Owned))
    }

    fn fetch_item() -> BoxedStrategy<FetchItem<'static>> {
        fetch_item_inner().boxed()
    }

    fn fetch_item_inner() -> impl Strategy<Value = FetchItem<'static>> {
        prop_oneof![
            (1u32..).prop_map(FetchItem::Uid),
            (0u64..=i64::MAX as u64).prop_map(FetchItem::Rfc822Size),
            (0u64..=i64::MAX as u64).prop_map(FetchItem::ModSeq),
            envelope().prop_map(|e| FetchItem::Envelope(Box::new(e))),
            payload().prop_map(FetchItem::Rfc822),
            payload().prop_map(FetchItem::Rfc822Text),
            payload().prop_map(|data| FetchItem::BodySection {
                section: mailwire_imap_proto::section::Section::Full,
                origin: None,
                data
            }),
            (payload(), proptest::option::of(0u32..)).prop_map(|(data, origin)| {
                FetchItem::BodySection {
                    section: mailwire_imap_proto::section::Section::Text(None),
                    origin,
                    data,
                }
            }),
            (
                proptest::option::of(proptest::collection::vec(any::<u8>(), 0..20)),
                proptest::option::of(0u32..)
            )
                .prop_map(|(d, origin)| FetchItem::Binary {
                    part: None,
                    origin,
                    data: d.map(Cow::Owned),
                }),
            "[a-zA-Z0-9_-]{1,20}".prop_map(|s| FetchItem::EmailId(ObjectId::new(s).unwrap())),
        ]
    }

    fn params() -> impl Strategy<Value = Vec<(IString<'static>, IString<'static>)>> {
        proptest::collection::vec((istring(), istring()), 0..3)
    }

    fn body_ext() -> impl Strategy<Value = BodyExtension<'static>> {
        let leaf = prop_oneof![
            nstring().prop_map(BodyExtension::NString),
            (0u64..=i64::MAX as u64).prop_map(BodyExtension::Number),
        ];
        leaf.prop_recursive(3, 8, 3, |inner| {
            proptest::collection::vec(inner, 1..3).prop_map(BodyExtension::List)
        })
    }

    fn dsp_tail() -> impl Strategy<Value = Option<DispositionExtension<'static>>> {
        let loc = proptest::option::of(
            (nstring(), proptest::collection::vec(body_ext(), 0..3)).prop_map(
                |(location, extensions)| LocationExtension {
                    location,
                    extensions,
                },
            ),
        );
        let lang = proptest::option::of(
            (proptest::collection::vec(istring(), 0..3), loc)
                .prop_map(|(language, tail)| LanguageExtension { language, tail }),
        );
        proptest::option::of(
            (proptest::option::of((istring(), params())), lang).prop_map(|(d, tail)| {
                DispositionExtension {
                    disposition: d.map(|(kind, params)| Disposition { kind, params }),
                    tail,
                }
            }),
        )
    }

    fn fields() -> impl Strategy<Value = BodyFields<'static>> {
        (params(), nstring(), nstring(), istring(), any::<u32>()).prop_map(
            |(params, id, description, encoding, octets)| BodyFields {
                params,
                id,
                description,
                encoding,
                octets,
            },
        )
    }

    fn ist(s: &str) -> IString<'static> {
        IString::new(s.as_bytes().to_vec()).unwrap()
    }

    fn body() -> BoxedStrategy<Body<'static>> {
        body_inner().boxed()
    }

    fn body_inner() -> impl Strategy<Value = Body<'static>> {
        let leaf = (
            prop_oneof![
                (
                    prop_oneof![Just("APPLICATION"), Just("image"), Just("x-y")],
                    istring()
                )
                    .prop_map(|(t, subtype)| SingleKind::Basic {
                        media_type: ist(t),
                        subtype
                    }),
                (istring(), 0u64..=i64::MAX as u64)
                    .prop_map(|(subtype, lines)| SingleKind::Text { subtype, lines }),
            ],
            fields(),
            proptest::option::of(
                (nstring(), dsp_tail()).prop_map(|(md5, tail)| SinglePartExtension { md5, tail }),
            ),
        )
            .prop_map(|(kind, fields, extension)| {
                Body::Single(SinglePart {
                    kind,
                    fields,
                    extension,
                })
            });
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                (
                    proptest::collection::vec(inner.clone(), 1..3),
                    istring(),
                    proptest::option::of(
                        (params(), dsp_tail())
                            .prop_map(|(params, tail)| MultiPartExtension { params, tail }),
                    ),
                )
                    .prop_map(|(parts, subtype, extension)| {
                        Body::Multi(MultiPart {
                            parts,
                            subtype,
                            extension,
                        })
                    }),
                (
                    prop_oneof![Just("RFC822"), Just("global")],
                    fields(),
                    envelope(),
                    inner,
                    any::<u32>()
                )
                    .prop_map(|(st, fields, env, b, lines)| {
                        Body::Single(SinglePart {
                            kind: SingleKind::Message {
                                subtype: ist(st),
                                envelope: Box::new(env),
                                body: Box::new(b),
                                lines: u64::from(lines),
                            },
                            fields,
                            extension: None,
                        })
                    }),
            ]
        })
    }

    fn code() -> BoxedStrategy<Code<'static>> {
        code_inner().boxed()
    }

    fn code_inner() -> impl Strategy<Value = Code<'static>> {
        prop_oneof![
            Just(Code::Alert),
            Just(Code::TryCreate),
            Just(Code::ReadOnly),
            Just(Code::OverQuota),
            Just(Code::Closed),
            Just(Code::UnknownCte),
            any::<u32>().prop_map(Code::UidValidity),
            any::<u32>().prop_map(Code::UidNext),
            (1u64..=i64::MAX as u64).prop_map(Code::HighestModSeq),
            (any::<u32>(), 1u32..).prop_map(|(v, u)| Code::AppendUid {
                uid_validity: v,
                uids: SequenceSet::single(NonZeroU32::new(u).unwrap())
            }),
            (any::<u32>(), 1u32.., 1u32..).prop_map(|(v, a, b)| Code::CopyUid {
                uid_validity: v,
                source: SequenceSet::single(NonZeroU32::new(a).unwrap()),
                destination: SequenceSet::range(
                    SeqNumber::Value(NonZeroU32::new(b).unwrap()),
                    SeqNumber::Value(NonZeroU32::new(a).unwrap())
                ),
            }),
            proptest::collection::vec("[A-Za-z0-9-]{1,10}", 0..3).prop_map(|v| Code::BadCharset(
                v.into_iter()
                    .map(|s| IString::new(s.into_bytes()).unwrap())
                    .collect()
            )),
            ("X-[A-Z]{1,8}", proptest::option::of("[a-z0-9 ()]{1,12}")).prop_map(|(n, d)| {
                Code::Other {
                    name: Cow::Owned(n.into_bytes()),
                    data: d.map(|d| Cow::Owned(d.into_bytes())),
                }
            }),
        ]
    }

    fn thread() -> impl Strategy<Value = Thread> {
        let leaf = proptest::collection::vec(1u32.., 1..4).prop_map(|ids| Thread {
            ids,
            children: vec![],
        });
        leaf.prop_recursive(3, 12, 3, |inner| {
            (
                proptest::collection::vec(1u32.., 0..3),
                proptest::collection::vec(inner, 1..3),
            )
                .prop_map(|(ids, children)| Thread { ids, children })
        })
    }

    fn attribute() -> impl Strategy<Value = MailboxAttribute<'static>> {
        prop_oneof![
            Just(MailboxAttribute::NoSelect),
            Just(MailboxAttribute::HasChildren),
            Just(MailboxAttribute::Sent),
            Just(MailboxAttribute::Subscribed),
        ]
    }

    fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
        istring().prop_map(Mailbox::from_istring)
    }

    fn data() -> BoxedStrategy<Data<'static>> {
        data_inner().boxed()
    }

    fn data_inner() -> impl Strategy<Value = Data<'static>> {
        prop_oneof![
            (
                proptest::collection::vec(attribute(), 0..3),
                proptest::option::of(prop_oneof![Just('/'), Just('.'), Just('\\'), Just('"')]),
                mailbox(),
                proptest::collection::vec(
                    prop_oneof![
                        proptest::collection::vec(istring(), 1..3)
                            .prop_map(ListExtended::ChildInfo),
                        mailbox().prop_map(ListExtended::OldName),
                    ],
                    0..3
                ),
            )
                .prop_map(|(attributes, delimiter, mailbox, extended)| {
                    Data::List(ListItem {
                        attributes,
                        delimiter,
                        mailbox,
                        extended,
                    })
                }),
            proptest::collection::vec(thread(), 0..4).prop_map(Data::Thread),
            (
                mailbox(),
                proptest::collection::vec(
                    prop_oneof![
                        any::<u32>().prop_map(|n| StatusItem::Value(StatusValue::Messages(n))),
                        (1u32..).prop_map(|n| StatusItem::Value(StatusValue::UidNext(
                            NonZeroU32::new(n).unwrap()
                        ))),
                        (0u64..=i64::MAX as u64)
                            .prop_map(|n| StatusItem::Value(StatusValue::Size(n))),
                        proptest::option::of(any::<u32>())
                            .prop_map(|n| StatusItem::Value(StatusValue::AppendLimit(n))),
                    ],
                    0..4
                ),
            )
                .prop_map(|(mailbox, items)| Data::Status { mailbox, items }),
            (
                proptest::option::of(istring()),
                any::<bool>(),
                proptest::collection::vec(
                    prop_oneof![
                        (1u32..).prop_map(EsearchItem::Min),
                        (1u32..).prop_map(EsearchItem::Max),
                        any::<u32>().prop_map(EsearchItem::Count),
                        (0u64..=i64::MAX as u64).prop_map(EsearchItem::ModSeq),
                        (1u32..).prop_map(|n| EsearchItem::All(SequenceSet::single(
                            NonZeroU32::new(n).unwrap()
                        ))),
                    ],
                    0..4
                ),
            )
                .prop_map(|(tag, uid, items)| Data::Esearch(Esearch {
                    tag,
                    uid,
                    items
                })),
            (
                proptest::collection::vec(
                    (
                        istring(),
                        proptest::option::of(prop_oneof![Just('/'), Just('.')])
                    )
                        .prop_map(|(prefix, delimiter)| Namespace {
                            prefix,
                            delimiter,
                            extensions: vec![]
                        }),
                    0..3
                ),
                proptest::collection::vec(
                    (istring(), proptest::collection::vec(istring(), 1..3)).prop_map(
                        |(prefix, v)| Namespace {
                            prefix,
                            delimiter: Some('/'),
                            extensions: vec![(ist("X-PARAM"), v)]
                        }
                    ),
                    0..2
                ),
            )
                .prop_map(|(personal, shared)| Data::Namespace {
                    personal,
                    other: vec![],
                    shared
                }),
            (
                istring(),
                proptest::collection::vec(
                    ("[A-Z]{1,8}", 0u64..=i64::MAX as u64, 0u64..=i64::MAX as u64),
                    0..3
                )
            )
                .prop_map(|(root, r)| Data::Quota {
                    root,
                    resources: r
                        .into_iter()
                        .map(|(n, usage, limit)| QuotaResource {
                            name: Cow::Owned(n.into_bytes()),
                            usage,
                            limit
                        })
                        .collect()
                }),
            proptest::option::of(proptest::collection::vec((istring(), nstring()), 0..3))
                .prop_map(Data::Id),
            (1u32.., 1u32..).prop_map(|(a, b)| Data::Vanished {
                earlier: a % 2 == 0,
                uids: SequenceSet::range(
                    SeqNumber::Value(NonZeroU32::new(a).unwrap()),
                    SeqNumber::Value(NonZeroU32::new(b).unwrap())
                )
            }),
        ]
    }

    fn response() -> impl Strategy<Value = Response<'static>> {
        prop_oneof![
            (1u32.., proptest::collection::vec(fetch_item(), 1..5))
                .prop_map(|(seq, items)| Response::Data(Data::Fetch { seq, items })),
            (
                proptest::collection::vec(1u32.., 0..50),
                proptest::option::of(1u64..1 << 40)
            )
                .prop_map(|(ids, modseq)| {
                    let modseq = if ids.is_empty() { None } else { modseq };
                    Response::Data(Data::Search { ids, modseq })
                }),
            any::<u32>().prop_map(|n| Response::Data(Data::Exists(n))),
            any::<u32>().prop_map(|n| Response::Data(Data::Expunge(n))),
            proptest::collection::vec(any::<u8>(), 1..40)
                .prop_map(|d| Response::Continue(Continue::Base64(Cow::Owned(d)))),
            (
                proptest::option::of("[a-zA-Z0-9]{1,8}"),
                proptest::option::of(code()),
                "[ -~]{0,30}"
            )
                .prop_map(|(tag, code, text)| {
                    let text = if text.starts_with('[') {
                        format!("x{text}")
                    } else {
                        text
                    };
                    let kind = if tag.is_some() {
                        StatusKind::No
                    } else {
                        StatusKind::Bye
                    };
                    Response::Status(mailwire_imap_proto::response::Status {
                        tag: tag.map(|t| mailwire_imap_proto::primitive::Tag::new(t).unwrap()),
                        kind,
                        code,
                        text: Cow::Owned(text.into_bytes()),
                    })
                }),
        ]
    }

    fn check_roundtrip(r: &Response<'static>) -> Result<(), TestCaseError> {
        let bytes = r.to_bytes();
        let (back, n) = Response::parse(&bytes).map_err(|e| {
            TestCaseError::fail(format!("{e} in {:?}", String::from_utf8_lossy(&bytes)))
        })?;
        prop_assert_eq!(n, bytes.len());
        prop_assert_eq!(&back, r);
        for i in 0..bytes.len() {
            prop_assert!(Response::parse(&bytes[..i]).unwrap_err().is_incomplete());
        }
        Ok(())
    }

    /// Runs a round-trip property on a thread with a generous stack: the
    /// nested strategies (body structures in envelopes in body structures)
    /// need more than the default 2 MiB test stack in debug builds.
    fn run_roundtrip(make: fn() -> BoxedStrategy<Response<'static>>) {
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let mut runner =
                    proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(256));
                runner.run(&make(), |r| check_roundtrip(&r)).unwrap();
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn roundtrip_fetch_and_status() {
        run_roundtrip(|| response().boxed());
    }

    #[test]
    fn roundtrip_body_structures() {
        run_roundtrip(|| {
            (1u32.., body())
                .prop_map(|(seq, b)| {
                    Response::Data(Data::Fetch {
                        seq,
                        items: vec![FetchItem::BodyStructure(Box::new(b))],
                    })
                })
                .boxed()
        });
    }

    #[test]
    fn roundtrip_mailbox_data() {
        run_roundtrip(|| data().prop_map(Response::Data).boxed());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = Response::parse(&bytes);
            let _ = Response::parse_with(&bytes, &ResponseOptions::lenient());
        }
    }
}

/// MESSAGE/GLOBAL both ways: with an envelope as IMAP4rev2 describes it, and
/// as `body-type-basic` the way an IMAP4rev1 server (Dovecot 2.3) sends it.
#[test]
fn message_global_with_and_without_envelope() {
    let basic = b"* 1 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 310 NIL (\"attachment\" NIL) NIL NIL))\r\n";
    let r = roundtrip_with(basic, &ResponseOptions::default());
    let Response::Data(Data::Fetch { items, .. }) = r else {
        panic!("not a FETCH: {r:?}");
    };
    let FetchItem::BodyStructure(body) = &items[0] else {
        panic!("not a BODYSTRUCTURE: {items:?}");
    };
    let Body::Single(s) = body.as_ref() else {
        panic!("not single: {body:?}");
    };
    assert!(matches!(&s.kind, SingleKind::Basic { media_type, subtype }
            if media_type.as_bytes() == b"message" && subtype.as_bytes() == b"global"));

    let with_envelope = b"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"GLOBAL\" NIL NIL NIL \"8BIT\" 30 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"8BIT\" 2 1) 3))\r\n";
    let r = roundtrip_with(with_envelope, &ResponseOptions::default());
    let Response::Data(Data::Fetch { items, .. }) = r else {
        panic!("not a FETCH: {r:?}");
    };
    let FetchItem::BodyStructure(body) = &items[0] else {
        panic!("not a BODYSTRUCTURE: {items:?}");
    };
    let Body::Single(s) = body.as_ref() else {
        panic!("not single: {body:?}");
    };
    assert!(matches!(&s.kind, SingleKind::Message { lines: 3, .. }));
    // MESSAGE/RFC822 stays strict: its envelope is required.
    let rfc822 = b"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 310))\r\n";
    assert!(matches!(
        Response::parse(rfc822),
        Err(ParseError::Syntax { .. })
    ));
}

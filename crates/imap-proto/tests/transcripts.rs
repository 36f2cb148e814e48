//! The sample sessions of RFC 3501 §8 and RFC 9051 §8 replayed: every server
//! unit parsed with `Response::parse`, every client line with
//! `Command::parse`; each unit written back and parsed again to the same
//! value; the server stream also parsed in one go, back to back, and fed in
//! small chunks (every cut before the end of a unit is `Incomplete`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod rfc_sessions;

use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::command::{AuthenticateData, Command};
use mailwire_imap_proto::framer::{FrameEvent, Framer, FramerConfig};
use mailwire_imap_proto::primitive::Encoder;
use mailwire_imap_proto::response::{Continue, Data, FetchItem, Response, StatusKind};
use rfc_sessions::{Dir, HEADER_342, unit};

fn replay(session: &[(Dir, &str)]) -> Vec<Response<'static>> {
    let mut server_stream = Vec::new();
    let mut responses = Vec::new();
    for (dir, text) in session {
        let bytes = unit(text);
        match dir {
            Dir::C => {
                let (cmd, n) = Command::parse(&bytes).unwrap_or_else(|e| panic!("{e}: {text}"));
                assert_eq!(n, bytes.len(), "{text}");
                let mut enc = Encoder::default();
                cmd.encode(&mut enc);
                let (again, _) = Command::parse(enc.as_bytes()).unwrap();
                assert_eq!(again, cmd, "{text}");
            }
            Dir::A => {
                let (_, n) =
                    AuthenticateData::parse(&bytes).unwrap_or_else(|e| panic!("{e}: {text}"));
                assert_eq!(n, bytes.len(), "{text}");
            }
            Dir::S => {
                let (r, n) = Response::parse(&bytes).unwrap_or_else(|e| panic!("{e}: {text}"));
                assert_eq!(n, bytes.len(), "{text}");
                for cut in 0..bytes.len() {
                    assert!(
                        Response::parse(&bytes[..cut]).unwrap_err().is_incomplete(),
                        "{text} cut {cut}"
                    );
                }
                let written = r.to_bytes();
                let (again, _) = Response::parse(&written).unwrap();
                assert_eq!(again, r, "{text}");
                responses.push(r.into_owned());
                server_stream.extend_from_slice(&bytes);
            }
        }
    }
    // The whole server side, back to back.
    let mut rest = &server_stream[..];
    let mut count = 0;
    while !rest.is_empty() {
        let (_, n) = Response::parse(rest).unwrap();
        rest = &rest[n..];
        count += 1;
    }
    assert_eq!(count, responses.len());
    // Fed in chunks (split-feed equivalence): a unit is parsed as soon as it
    // is complete, in every chunking.
    for size in [1, 2, 3, 7, 64, 4096] {
        let mut buf = Vec::new();
        let mut parsed = 0;
        for chunk in server_stream.chunks(size) {
            buf.extend_from_slice(chunk);
            loop {
                match Response::parse(&buf) {
                    Ok((_, n)) => {
                        buf.drain(..n);
                        parsed += 1;
                    }
                    Err(e) if e.is_incomplete() => break,
                    Err(e) => panic!("{e}"),
                }
            }
        }
        assert_eq!(parsed, responses.len());
        assert!(buf.is_empty());
        // Framed first by the client-side framer, then parsed: same units.
        let mut framer = Framer::new(FramerConfig::client());
        let mut units = 0;
        for chunk in server_stream.chunks(size) {
            framer.feed(chunk);
            while let Some(ev) = framer.poll() {
                match ev {
                    FrameEvent::Unit(u) => {
                        let (r, n) = Response::parse(&u).unwrap();
                        assert_eq!(n, u.len());
                        assert_eq!(r, responses[units]);
                        units += 1;
                    }
                    FrameEvent::Literal(_) => {}
                    other => panic!("{other:?}"),
                }
            }
        }
        assert_eq!(units, responses.len());
    }
    responses
}

/// RFC 3501 §8. The literal's announced length in the RFC ({342}) does not
/// match the text as printed; the test announces the real length.
#[test]
fn rfc3501_section8() {
    let fetch_body = format!("* 12 FETCH (BODY[HEADER] {{LIT:{HEADER_342}:LIT}})");
    let session: Vec<(Dir, &str)> = vec![
        (Dir::S, "* OK IMAP4rev1 Service Ready"),
        (Dir::C, "a001 login mrc secret"),
        (Dir::S, "a001 OK LOGIN completed"),
        (Dir::C, "a002 select inbox"),
        (Dir::S, "* 18 EXISTS"),
        (
            Dir::S,
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        ),
        (Dir::S, "* 2 RECENT"),
        (
            Dir::S,
            "* OK [UNSEEN 17] Message 17 is the first unseen message",
        ),
        (Dir::S, "* OK [UIDVALIDITY 3857529045] UIDs valid"),
        (Dir::S, "a002 OK [READ-WRITE] SELECT completed"),
        (Dir::C, "a003 fetch 12 full"),
        (
            Dir::S,
            "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))",
        ),
        (Dir::S, "a003 OK FETCH completed"),
        (Dir::C, "a004 fetch 12 body[header]"),
        (Dir::S, &fetch_body),
        (Dir::S, "a004 OK FETCH completed"),
        (Dir::C, "a005 store 12 +flags \\deleted"),
        (Dir::S, "* 12 FETCH (FLAGS (\\Seen \\Deleted))"),
        (Dir::S, "a005 OK +FLAGS completed"),
        (Dir::C, "a006 logout"),
        (Dir::S, "* BYE IMAP4rev1 server terminating connection"),
        (Dir::S, "a006 OK LOGOUT completed"),
    ];
    let r = replay(&session);
    assert_eq!(r.len(), 16);
    let Response::Data(Data::Fetch { seq: 12, items }) = &r[10] else {
        panic!("{:?}", r[10])
    };
    let FetchItem::BodySection { data: Some(d), .. } = &items[0] else {
        panic!()
    };
    assert_eq!(d.len(), HEADER_342.len());
    assert!(matches!(&r[5], Response::Status(s) if s.code == Some(Code::Unseen(17))));
    assert!(matches!(&r[14], Response::Status(s) if s.kind == StatusKind::Bye && s.tag.is_none()));
}

/// RFC 9051 §8, with its long lines joined and the SCRAM exchange.
#[test]
fn rfc9051_section8() {
    let fetch_body = format!(
        "* 12 FETCH (BODY[HEADER] {{LIT:{}:LIT}})",
        HEADER_342.replace("IMAP4rev1", "IMAP4rev2")
    );
    let session: Vec<(Dir, &str)> = vec![
        (
            Dir::S,
            "* OK [CAPABILITY STARTTLS AUTH=SCRAM-SHA-256 LOGINDISABLED IMAP4rev2] IMAP4rev2 Service Ready",
        ),
        (Dir::C, "a000 starttls"),
        (Dir::S, "a000 OK Proceed with TLS negotiation"),
        (
            Dir::C,
            "A001 AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=",
        ),
        (
            Dir::S,
            "+ cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=",
        ),
        (
            Dir::A,
            "Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==",
        ),
        (
            Dir::S,
            "+ dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==",
        ),
        (Dir::A, ""),
        (Dir::S, "A001 OK SCRAM-SHA-256 authentication successful"),
        (Dir::C, "babc ENABLE IMAP4rev2"),
        (Dir::S, "* ENABLED IMAP4rev2"),
        (Dir::S, "babc OK Some capabilities enabled"),
        (Dir::C, "a002 select inbox"),
        (Dir::S, "* 18 EXISTS"),
        (
            Dir::S,
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        ),
        (Dir::S, "* OK [UIDVALIDITY 3857529045] UIDs valid"),
        (Dir::S, "* LIST () \"/\" INBOX (\"OLDNAME\" (\"inbox\"))"),
        (Dir::S, "a002 OK [READ-WRITE] SELECT completed"),
        (Dir::C, "a003 fetch 12 full"),
        (
            Dir::S,
            "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev2 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.ed>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))",
        ),
        (Dir::S, "a003 OK FETCH completed"),
        (Dir::C, "a004 fetch 12 body[header]"),
        (Dir::S, &fetch_body),
        (Dir::S, "a004 OK FETCH completed"),
        (Dir::C, "a005 store 12 +flags \\deleted"),
        (Dir::S, "* 12 FETCH (FLAGS (\\Seen \\Deleted))"),
        (Dir::S, "a005 OK +FLAGS completed"),
        (Dir::C, "a006 logout"),
        (Dir::S, "* BYE IMAP4rev2 server terminating connection"),
        (Dir::S, "a006 OK LOGOUT completed"),
    ];
    let r = replay(&session);
    let Response::Status(greeting) = &r[0] else {
        panic!()
    };
    assert!(matches!(&greeting.code, Some(Code::Capability(c)) if c.len() == 4));
    let Response::Continue(Continue::Base64(server_first)) = &r[2] else {
        panic!("{:?}", r[2])
    };
    assert!(server_first.starts_with(
        b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    ));
    let Response::Continue(Continue::Base64(server_final)) = &r[3] else {
        panic!()
    };
    assert_eq!(
        &server_final[..],
        b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
    );
}

//! Real peer: SEARCH, SORT and THREAD results compared with Dovecot's
//! (`dovecot-imapd` 2.3) on the same small corpus. Dovecot is started in the
//! foreground from `tests/dovecot-imap/` (as `client_dovecot.rs` does) on an
//! ephemeral 127.0.0.1 port with a throw-away maildir; the messages are
//! APPENDed with fixed INTERNALDATEs, then every command's untagged answer
//! is compared byte for byte with what `query` computes. Timeouts on every
//! read and write.
//!
//! Dovecot is required: without it the test fails and says how to install
//! it (`.ci/run` installs it on CI).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod dovecot_util;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use mailwire_imap_proto::command::{Command, CommandBody};
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::query::search::{Context, Query};
use mailwire_imap_proto::query::sort::sort;
use mailwire_imap_proto::query::thread::thread;
use mailwire_imap_proto::response::{Data, Response};

use dovecot_util::log;

/// A blocking line-oriented IMAP conversation with timeouts.
struct Conn {
    sock: TcpStream,
    buf: Vec<u8>,
    n: u32,
    deadline: Instant,
}

impl Conn {
    fn line(&mut self) -> Vec<u8> {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..i + 2).collect();
                return line;
            }
            assert!(Instant::now() < self.deadline, "timed out");
            let mut chunk = [0u8; 65536];
            let n = self.sock.read(&mut chunk).expect("read");
            assert!(n > 0, "dovecot closed the connection");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    /// Sends a command; returns the untagged lines and the tagged one.
    fn run(&mut self, command: &[u8]) -> (Vec<String>, String) {
        self.n += 1;
        let tag = format!("t{}", self.n);
        let mut out = format!("{tag} ").into_bytes();
        out.extend_from_slice(command);
        out.extend_from_slice(b"\r\n");
        self.sock.write_all(&out).unwrap();
        let mut untagged = Vec::new();
        loop {
            let l = String::from_utf8_lossy(&self.line()).into_owned();
            if l.starts_with(&format!("{tag} ")) {
                return (untagged, l);
            }
            untagged.push(l);
        }
    }

    fn ok(&mut self, command: &[u8]) -> Vec<String> {
        let (u, t) = self.run(command);
        assert!(
            t.contains(" OK"),
            "{}: {t}",
            String::from_utf8_lossy(command)
        );
        u
    }
}

fn corpus() -> Vec<(String, &'static str)> {
    let m = |hdr: &str, body: &str| {
        format!("{hdr}\r\n\r\n{body}\r\n")
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
    };
    vec![
        (
            m(
                "Message-ID: <1@x>\nFrom: Zed <zed@example.com>\nTo: amy@example.com\nSubject: Lunch plans\nDate: Mon, 6 Jan 2020 10:00:00 +0100",
                "Shall we eat at noon?",
            ),
            "06-Jan-2020 10:05:00 +0100",
        ),
        (
            m(
                "Message-ID: <2@x>\nIn-Reply-To: <1@x>\nReferences: <1@x>\nFrom: amy@example.com\nTo: Zed <zed@example.com>\nCc: bob@example.com\nSubject: Re: Lunch plans\nDate: Mon, 6 Jan 2020 11:00:00 +0100",
                "Yes, noon is fine.",
            ),
            "06-Jan-2020 11:01:00 +0100",
        ),
        (
            m(
                "Message-ID: <3@x>\nReferences: <1@x> <2@x>\nFrom: bob@example.com\nTo: amy@example.com\nSubject: RE: [team] Lunch plans (fwd)\nDate: Mon, 6 Jan 2020 12:30:00 +0100",
                "Count me in.",
            ),
            "06-Jan-2020 12:31:00 +0100",
        ),
        (
            m(
                "Message-ID: <4@x>\nReferences: <missing@x>\nFrom: =?ISO-8859-1?Q?J=F6rg?= <joerg@example.de>\nTo: amy@example.com\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\nDate: Tue, 7 Jan 2020 09:00:00 -0500",
                "Viele Gr=FC=DFe aus M=FCnchen",
            ),
            "07-Jan-2020 15:00:00 +0100",
        ),
        (
            m(
                "Message-ID: <5@x>\nReferences: <missing@x>\nFrom: carl@example.com\nTo: amy@example.com\nSubject: Re: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\nDate: Tue, 7 Jan 2020 10:00:00 -0500",
                "Danke!",
            ),
            "07-Jan-2020 16:00:00 +0100",
        ),
        (
            m(
                "Message-ID: <6@x>\nFrom: dora@example.com\nTo: amy@example.com\nSubject: Lunch plans\nDate: Wed, 8 Jan 2020 08:00:00 +0000",
                "Another lunch thread, same subject.",
            ),
            "08-Jan-2020 08:00:00 +0000",
        ),
        (
            m(
                "Message-ID: <7@x>\nFrom: eve@example.com\nTo: bob@example.com\nCc: amy@example.com\nSubject: [fwd: report]\nDate: Thu, 9 Jan 2020 08:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable",
                "The quarterly report is attached. Caf=E9 =\nbudget.",
            ),
            "09-Jan-2020 08:00:00 +0000",
        ),
        (
            m(
                "Message-ID: <8@x>\nFrom: frank@example.com\nTo: amy@example.com\nSubject: report\nDate: Fri, 10 Jan 2020 08:00:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"",
                "--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nSGVsbG8gd29ybGQsIHNlZSB0aGUgbnVtYmVycy4=\n--b\nContent-Type: text/html; charset=utf-8\n\n<p>Hello world</p>\n--b--",
            ),
            "10-Jan-2020 08:00:00 +0000",
        ),
        (
            m(
                "Message-ID: <1@x>\nFrom: gina@example.com\nTo: amy@example.com\nSubject: duplicate id\nDate: Sat, 11 Jan 2020 08:00:00 +0000",
                "Same Message-ID as the first.",
            ),
            "11-Jan-2020 08:00:00 +0000",
        ),
        (
            m(
                "Message-ID: <10@x>\nReferences: <11@x>\nFrom: hank@example.com\nSubject: loop a\nDate: Sun, 12 Jan 2020 08:00:00 +0000",
                "loop",
            ),
            "12-Jan-2020 08:00:00 +0000",
        ),
        (
            m(
                "Message-ID: <11@x>\nReferences: <10@x>\nFrom: ivan@example.com\nSubject: loop b\nDate: Sun, 12 Jan 2020 09:00:00 +0000",
                "loop",
            ),
            "12-Jan-2020 09:00:00 +0000",
        ),
        (
            m(
                "Message-ID: <12@x>\nIn-Reply-To: <6@x>\nFrom: amy@example.com\nSubject: no date here",
                "A message without a Date: header.",
            ),
            "05-Jan-2020 08:00:00 +0000",
        ),
    ]
}

#[test]
fn dovecot_search_sort_thread_agree() {
    let (daemon, dir, port) = dovecot_util::start("query", &["alice"]);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let sock = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    sock.set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut c = Conn {
        sock,
        buf: Vec::new(),
        n: 0,
        deadline: Instant::now() + Duration::from_secs(60),
    };
    let greeting = c.line();
    assert!(greeting.starts_with(b"* OK"), "{}", log(&dir.0));
    c.ok(b"LOGIN alice \"wonder land\"");
    let msgs = corpus();
    for (raw, date) in &msgs {
        let mut cmd = format!("APPEND INBOX () \"{date}\" {{{}+}}\r\n", raw.len()).into_bytes();
        cmd.extend_from_slice(raw.as_bytes());
        c.ok(&cmd);
    }
    c.ok(b"SELECT INBOX");

    let parsed: Vec<_> = msgs
        .iter()
        .map(|(raw, _)| mailwire_mime::Message::parse(raw.as_bytes()).unwrap())
        .collect();
    let stored: Vec<StoredMessage<'_>> = msgs
        .iter()
        .zip(&parsed)
        .enumerate()
        .map(|(i, ((raw, date), parsed))| StoredMessage {
            raw: raw.as_bytes(),
            parsed,
            meta: MessageMeta {
                seq: i as u32 + 1,
                uid: i as u32 + 1,
                flags: &[],
                recent: false,
                internal_date: DateTime::parse(format!("\"{date}\"").as_bytes()).unwrap().0,
                modseq: 0,
            },
        })
        .collect();
    let ctx = Context::new(stored.len() as u32, stored.len() as u32);

    let commands: &[&[u8]] = &[
        b"SEARCH TEXT lunch",
        b"SEARCH BODY noon",
        b"SEARCH SUBJECT \"lunch plans\"",
        b"SEARCH FROM example.com NOT FROM amy",
        b"SEARCH CC amy",
        b"SEARCH TO zed",
        b"SEARCH CHARSET UTF-8 SUBJECT {6+}\r\ngr\xc3\xbc\xc3\x9f",
        b"SEARCH CHARSET UTF-8 FROM {4+}\r\nj\xc3\xb6r",
        b"SEARCH CHARSET ISO-8859-1 BODY {4+}\r\ncaf\xe9",
        b"SEARCH BODY \"cafe budget\"",
        b"SEARCH BODY numbers",
        b"SEARCH TEXT \"hello world\"",
        b"SEARCH HEADER References missing",
        b"SEARCH HEADER In-Reply-To \"\"",
        b"SEARCH SENTBEFORE 7-Jan-2020",
        b"SEARCH SENTON 7-Jan-2020",
        b"SEARCH SENTSINCE 12-Jan-2020",
        b"SEARCH BEFORE 7-Jan-2020",
        b"SEARCH ON 7-Jan-2020",
        b"SEARCH SINCE 10-Jan-2020",
        b"SEARCH LARGER 300 SMALLER 400",
        b"SEARCH OR SUBJECT loop NOT 2:10",
        b"SEARCH UID 3:5,9:*",
        b"SORT (SUBJECT) UTF-8 ALL",
        b"SORT (SUBJECT DATE) UTF-8 ALL",
        b"SORT (REVERSE DATE) UTF-8 ALL",
        b"SORT (DATE) UTF-8 ALL",
        b"SORT (ARRIVAL) UTF-8 ALL",
        b"SORT (FROM) UTF-8 ALL",
        b"SORT (TO) UTF-8 ALL",
        b"SORT (CC) UTF-8 ALL",
        b"SORT (SIZE) UTF-8 ALL",
        b"SORT (REVERSE SUBJECT REVERSE SIZE) UTF-8 ALL",
        b"SORT (DISPLAYFROM) UTF-8 ALL",
        b"SORT (SUBJECT) UTF-8 NOT SUBJECT report",
        b"THREAD ORDEREDSUBJECT UTF-8 ALL",
        b"THREAD REFERENCES UTF-8 ALL",
        b"THREAD REFERENCES UTF-8 NOT 1",
        b"UID THREAD REFERENCES UTF-8 SINCE 7-Jan-2020",
    ];
    let mut mismatches = Vec::new();
    for &command in commands {
        let (untagged, tagged) = c.run(command);
        let name = String::from_utf8_lossy(command).replace("\r\n", " ");
        if !tagged.contains(" OK") {
            // Dovecot without the extension (e.g. DISPLAYFROM): skip.
            eprintln!("dovecot refused {name}: {tagged}");
            continue;
        }
        let theirs = untagged
            .iter()
            .find(|l| {
                l.starts_with("* SEARCH") || l.starts_with("* SORT") || l.starts_with("* THREAD")
            })
            .cloned()
            .unwrap_or_default();
        let mut line = b"x ".to_vec();
        line.extend_from_slice(command);
        line.extend_from_slice(b"\r\n");
        let (cmd, _) = Command::parse(&line).unwrap();
        let data = match cmd.body {
            CommandBody::Search {
                uid, charset, keys, ..
            } => {
                let q = Query::new(&keys, charset.as_ref()).unwrap();
                q.evaluate(stored.iter().copied(), &ctx).to_search(uid)
            }
            CommandBody::Sort {
                uid,
                criteria,
                charset,
                keys,
            } => {
                let q = Query::new(&keys, Some(&charset)).unwrap();
                let hits = stored.iter().copied().filter(|m| q.matches(m, &ctx));
                Data::Sort {
                    ids: sort(&criteria, hits, uid),
                    modseq: None,
                }
            }
            CommandBody::Thread {
                uid,
                algorithm,
                charset,
                keys,
            } => {
                let q = Query::new(&keys, Some(&charset)).unwrap();
                let hits = stored.iter().copied().filter(|m| q.matches(m, &ctx));
                Data::Thread(thread(&algorithm, hits, uid).unwrap())
            }
            other => panic!("unexpected {other:?}"),
        };
        let ours = String::from_utf8(Response::Data(data).to_bytes()).unwrap();
        if ours.trim_end() != theirs.trim_end() {
            mismatches.push(format!(
                "{name}\n  dovecot: {}\n  ours:    {}",
                theirs.trim_end(),
                ours.trim_end()
            ));
        }
    }
    c.ok(b"LOGOUT");
    drop(daemon);
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}

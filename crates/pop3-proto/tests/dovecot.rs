//! Real peer: our client machine (and the `mailwire-sasl` client
//! mechanisms) against Dovecot's POP3 server (`dovecot-pop3d`, tested with
//! 2.3.19), started by the test in the foreground from the configuration in
//! `tests/dovecot/` on an ephemeral 127.0.0.1 port, with a throw-away
//! maildir in a temporary directory. Minimal blocking std::net driver,
//! timeouts on every read and write.
//!
//! Dovecot is required: without it the tests fail and say how to install it
//! (`.ci/run` installs it on CI).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use mailwire_pop3_proto::client::{Client, CommandHandle, Config, Event, TlsPolicy};
use mailwire_pop3_proto::response::{ScanListing, Stat, UidListing};
use mailwire_pop3_proto::{Capabilities, Response, ResponseCode, Secret, Status};
use mailwire_sasl::Mechanism;
use mailwire_sasl::client::{Client as SaslClient, Config as SaslConfig, Credentials};
use mailwire_test_dovecot::{Dovecot, Setup, log, maildir};

const CONF_TEMPLATE: &str = include_str!("dovecot/dovecot.conf.in");
const PASSWD_TEMPLATE: &str = include_str!("dovecot/passwd.in");
const USER: &str = "alice";
/// With a space: PASS takes the rest of the line (RFC 1939 section 7).
const PASSWORD: &str = "wonder land";
const WRONG: &str = "wonder-land";
/// Bob's password is long: `AUTH PLAIN` with it does not fit in a
/// 255-octet command line, so the initial response goes after `+ `.
fn bob_password() -> String {
    "Pa55-word.".repeat(30)
}

/// Bob's only message: about 350 KB, many reads, lines starting with
/// `.`, lines `.` and `..`, a 998-octet line, 8-bit UTF-8 text.
fn big_message() -> Vec<u8> {
    let mut m = b"From: big@example.org\r\nSubject: big\r\n\r\n".to_vec();
    for i in 0..3000 {
        if i % 7 == 0 {
            m.push(b'.');
        }
        m.extend_from_slice(format!("line {i} \u{e9}t\u{e9} ").as_bytes());
        m.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, i % 200));
        m.extend_from_slice(b"\r\n");
    }
    m.extend_from_slice(b".\r\n..\r\n");
    m.extend(std::iter::repeat_n(b'z', 998));
    m.extend_from_slice(b"\r\nend\r\n");
    m
}

/// The maildir fixtures, in the order Dovecot numbers them (it sorts new
/// files by their maildir file names).
const MESSAGES: [(&str, &[u8]); 3] = [
    (
        "1700000001.M1P1.mailwire:2,",
        include_bytes!("dovecot/maildir/one-crlf.eml"),
    ),
    (
        "1700000002.M2P1.mailwire:2,",
        include_bytes!("dovecot/maildir/two-bare-lf.eml"),
    ),
    (
        "1700000003.M3P1.mailwire:2,",
        include_bytes!("dovecot/maildir/three-short.eml"),
    ),
];

const INSTALL_HINT: &str = "Dovecot's POP3 server is required for this test: \
     `apt-get install dovecot-pop3d` (Debian/Ubuntu; .ci/run does this), \
     or set MAILWIRE_DOVECOT to the dovecot binary";

/// Bare LF to CRLF: what a POP3 server must send for a maildir file.
fn crlf(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 16);
    for (i, &b) in message.iter().enumerate() {
        if b == b'\n' && (i == 0 || message[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// `TOP n 1`: the header, the blank line and the first body line.
fn top1(message: &[u8]) -> Vec<u8> {
    let m = crlf(message);
    let split = m.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let body_line = m[split..].windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    m[..split + body_line].to_vec()
}

/// A running Dovecot POP3 service with alice's messages and bob's large
/// one (`tests/dovecot/`), on the shared harness.
struct Pop3Dovecot(Dovecot);

impl Pop3Dovecot {
    fn start() -> Self {
        let bob_password = bob_password();
        let setup = Setup {
            label: "pop3",
            conf: CONF_TEMPLATE,
            passwd: PASSWD_TEMPLATE,
            passwd_vars: &[("@BOB_PASSWORD@", &bob_password)],
            install_hint: INSTALL_HINT,
        };
        Pop3Dovecot(Dovecot::start(&setup, |mail| {
            let alice = maildir(mail, USER);
            for (name, bytes) in MESSAGES {
                fs::write(alice.join("cur").join(name), bytes).unwrap();
            }
            let bob = maildir(mail, "bob");
            fs::write(
                bob.join("new").join("1700000009.M9P1.mailwire"),
                big_message(),
            )
            .unwrap();
        }))
    }

    fn connect(&self) -> Conn {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.0.port));
        let sock = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        sock.set_write_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        let mut config = Config::default();
        // TEST ONLY: the loopback Dovecot runs without TLS.
        config.tls = TlsPolicy::InsecureNever;
        Conn {
            sock,
            client: Client::new(config),
            deadline: Instant::now() + Duration::from_secs(5),
            dir: self.0.dir.0.clone(),
            eof: false,
        }
    }

    /// Stops Dovecot (checking it was still running) and removes its files.
    fn stop(self) {
        self.0.stop();
    }
}

/// One POP3 connection driven by our client machine.
struct Conn {
    sock: TcpStream,
    client: Client,
    deadline: Instant,
    dir: PathBuf,
    eof: bool,
}

impl Conn {
    fn fail(&self, what: &str) -> ! {
        panic!("{what}\n{}", log(&self.dir));
    }

    fn flush(&mut self) {
        while let Some(bytes) = self.client.poll_transmit() {
            if let Err(e) = self.sock.write_all(&bytes) {
                self.fail(&format!("write: {e}"));
            }
        }
    }

    /// The next event of the machine, reading from the socket as needed.
    fn next(&mut self) -> Event {
        loop {
            self.flush();
            if let Some(ev) = self.client.poll_event() {
                self.flush();
                return ev;
            }
            if self.eof {
                self.fail("dovecot closed the connection");
            }
            if Instant::now() > self.deadline {
                self.fail("session took longer than 5 s");
            }
            let mut buf = [0u8; 4096];
            match self.sock.read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => self.client.feed(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => self.fail(&format!("read: {e}")),
            }
        }
    }

    fn ready(&mut self) -> (Capabilities, Option<String>) {
        match self.next() {
            Event::Ready {
                capabilities,
                apop_timestamp,
            } => (capabilities, apop_timestamp),
            ev => self.fail(&format!("expected Ready, got {ev:?}")),
        }
    }

    /// Waits for the outcome of a login command.
    fn auth(&mut self, handle: CommandHandle) -> Result<(), Response<'static>> {
        match self.next() {
            Event::Authenticated { handle: h } if h == handle => Ok(()),
            Event::Failed {
                handle: h,
                response,
            } if h == handle => Err(response),
            ev => self.fail(&format!("expected the login outcome, got {ev:?}")),
        }
    }

    fn stat(&mut self) -> Stat {
        let handle = self.client.stat().unwrap();
        match self.next() {
            Event::Stat { handle: h, stat } if h == handle => stat,
            ev => self.fail(&format!("expected Stat, got {ev:?}")),
        }
    }

    fn list(&mut self, msg: Option<u32>) -> Vec<ScanListing> {
        let handle = self.client.list(msg).unwrap();
        match self.next() {
            Event::List { handle: h, entries } if h == handle => entries,
            ev => self.fail(&format!("expected List, got {ev:?}")),
        }
    }

    fn uidl(&mut self, msg: Option<u32>) -> Vec<UidListing> {
        let handle = self.client.uidl(msg).unwrap();
        match self.next() {
            Event::Uidl { handle: h, entries } if h == handle => entries,
            ev => self.fail(&format!("expected Uidl, got {ev:?}")),
        }
    }

    /// The content of a RETR or TOP, or the `-ERR`.
    fn message(&mut self, handle: CommandHandle) -> Result<Vec<u8>, Response<'static>> {
        match self.next() {
            Event::MessageStart { handle: h } if h == handle => {}
            Event::Failed {
                handle: h,
                response,
            } if h == handle => return Err(response),
            ev => self.fail(&format!("expected MessageStart, got {ev:?}")),
        }
        let mut body = Vec::new();
        loop {
            match self.next() {
                Event::MessageChunk { handle: h, data } if h == handle => {
                    body.extend_from_slice(&data);
                }
                Event::MessageEnd { handle: h } if h == handle => return Ok(body),
                ev => self.fail(&format!("expected a message chunk, got {ev:?}")),
            }
        }
    }

    /// The `+OK` (Ok) or `-ERR` (Err) to a simple command.
    fn done(&mut self, handle: CommandHandle) -> Result<Response<'static>, Response<'static>> {
        match self.next() {
            Event::Done {
                handle: h,
                response,
            } if h == handle => Ok(response),
            Event::Failed {
                handle: h,
                response,
            } if h == handle => Err(response),
            ev => self.fail(&format!("expected Done, got {ev:?}")),
        }
    }

    /// QUIT: `+OK`, [`Event::Closed`], then Dovecot closes the connection.
    fn quit(mut self) -> Response<'static> {
        let handle = self.client.quit().unwrap();
        let response = self.done(handle).unwrap();
        match self.next() {
            Event::Closed => {}
            ev => self.fail(&format!("expected Closed, got {ev:?}")),
        }
        assert!(self.client.is_closed());
        let mut buf = [0u8; 64];
        match self.sock.read(&mut buf) {
            Ok(0) => {}
            other => self.fail(&format!("expected EOF after QUIT, got {other:?}")),
        }
        response
    }
}

fn assert_auth_failure(response: &Response<'_>) {
    assert_eq!(response.status, Status::Err, "{response:?}");
    // Dovecot announces RESP-CODES and AUTH-RESP-CODE: the failure says
    // the credentials are at fault (RFC 3206).
    assert_eq!(response.code, Some(ResponseCode::Auth), "{response:?}");
}

#[test]
fn dovecot_transaction_commands() {
    let started = Instant::now();
    let dovecot = Pop3Dovecot::start();
    let expected: Vec<Vec<u8>> = MESSAGES.iter().map(|(_, m)| crlf(m)).collect();
    let total: u64 = expected.iter().map(|m| m.len() as u64).sum();

    let mut s = dovecot.connect();
    let (caps, timestamp) = s.ready();
    for (name, has) in [
        ("USER", caps.user()),
        ("TOP", caps.top()),
        ("UIDL", caps.uidl()),
        ("PIPELINING", caps.pipelining()),
        ("RESP-CODES", caps.resp_codes()),
    ] {
        assert!(has, "{name} missing from {caps:?}");
    }
    assert!(!caps.stls(), "ssl = no, yet STLS offered: {caps:?}");
    let ts = timestamp.expect("dovecot sends an APOP timestamp with apop enabled");
    assert!(
        ts.starts_with('<') && ts.ends_with('>') && ts.contains('@'),
        "{ts}"
    );
    assert_eq!(s.client.apop_timestamp(), Some(ts.as_str()));

    // A wrong password first, then the right one, on the same connection.
    let h = s.client.login(USER, Secret::from(WRONG)).unwrap();
    assert_auth_failure(&s.auth(h).unwrap_err());
    let h = s.client.login(USER, Secret::from(PASSWORD)).unwrap();
    s.auth(h).unwrap();

    // CAPA again in TRANSACTION state.
    let h = s.client.capa().unwrap();
    match s.next() {
        Event::Capabilities {
            handle,
            capabilities,
        } => {
            assert_eq!(handle, h);
            assert!(
                capabilities.top() && capabilities.uidl(),
                "{capabilities:?}"
            );
        }
        ev => panic!("expected Capabilities, got {ev:?}"),
    }

    assert_eq!(
        s.stat(),
        Stat {
            count: 3,
            size: total
        }
    );
    let list = s.list(None);
    let sizes: Vec<(u32, u64)> = list.iter().map(|e| (e.msg, e.size)).collect();
    let want: Vec<(u32, u64)> = (1..).zip(expected.iter().map(|m| m.len() as u64)).collect();
    assert_eq!(sizes, want, "LIST sizes are the CRLF sizes");
    let one = s.list(Some(2));
    assert_eq!((one[0].msg, one[0].size), want[1]);

    let uidl = s.uidl(None);
    assert_eq!(
        uidl.iter().map(|e| e.msg).collect::<Vec<_>>(),
        [1, 2, 3],
        "{uidl:?}"
    );
    let uids: Vec<&str> = uidl.iter().map(|e| e.uid.as_str()).collect();
    let mut distinct = uids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "unique ids must differ: {uidl:?}");
    let single = s.uidl(Some(3));
    assert_eq!(single, [uidl[2].clone()]);

    // RETR: byte for byte what was placed in the maildir (bare LF
    // normalized to CRLF; lines starting with "." unstuffed again).
    for (n, want) in (1..).zip(&expected) {
        let h = s.client.retr(n).unwrap();
        let got = s.message(h).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(want),
            "RETR {n}"
        );
    }
    for (n, (_, raw)) in (1..).zip(&MESSAGES) {
        let h = s.client.top(n, 1).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&s.message(h).unwrap()),
            String::from_utf8_lossy(&top1(raw)),
            "TOP {n} 1"
        );
    }
    // Twelve commands in one go (Dovecot announces PIPELINING): the
    // answers come back in order, each on its own handle.
    let mut batch = Vec::new();
    for n in 1..=3u32 {
        batch.push((n, 'L', s.client.list(Some(n)).unwrap()));
        batch.push((n, 'U', s.client.uidl(Some(n)).unwrap()));
        batch.push((n, 'R', s.client.retr(n).unwrap()));
        batch.push((n, 'T', s.client.top(n, 0).unwrap()));
    }
    for (n, kind, h) in batch {
        let i = n as usize - 1;
        match kind {
            'L' => match s.next() {
                Event::List { handle, entries } if handle == h => {
                    assert_eq!(entries[0].size, expected[i].len() as u64);
                }
                ev => panic!("LIST {n}: {ev:?}"),
            },
            'U' => match s.next() {
                Event::Uidl { handle, entries } if handle == h => {
                    assert_eq!(entries[0].uid, uids[i]);
                }
                ev => panic!("UIDL {n}: {ev:?}"),
            },
            'R' => assert_eq!(s.message(h).unwrap(), expected[i], "RETR {n}"),
            _ => {
                let header = top1(MESSAGES[i].1);
                let header_len = header.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                assert_eq!(s.message(h).unwrap(), header[..header_len], "TOP {n} 0");
            }
        }
    }

    let h = s.client.retr(4).unwrap();
    assert_eq!(s.message(h).unwrap_err().status, Status::Err);

    // Pipelined: DELE 1, then RETR 1 (refused), NOOP, STAT.
    let dele = s.client.dele(1).unwrap();
    let retr = s.client.retr(1).unwrap();
    let noop = s.client.noop().unwrap();
    s.done(dele).unwrap();
    assert_eq!(s.message(retr).unwrap_err().status, Status::Err);
    s.done(noop).unwrap();
    assert_eq!(
        s.stat(),
        Stat {
            count: 2,
            size: total - expected[0].len() as u64
        }
    );
    // RSET undoes, then DELE 1 again for real.
    let h = s.client.rset().unwrap();
    s.done(h).unwrap();
    assert_eq!(s.stat().count, 3);
    let h = s.client.dele(1).unwrap();
    s.done(h).unwrap();
    let bye = s.quit();
    assert_eq!(bye.status, Status::Ok);

    // DELE, then the connection drops without QUIT: nothing is deleted
    // (RFC 1939 section 6).
    let mut s = dovecot.connect();
    s.ready();
    let h = s.client.login(USER, Secret::from(PASSWORD)).unwrap();
    s.auth(h).unwrap();
    let h = s.client.dele(2).unwrap();
    s.done(h).unwrap();
    drop(s);

    // A new session sees two messages, with the same unique ids as before.
    let mut s = dovecot.connect();
    s.ready();
    let h = s.client.login(USER, Secret::from(PASSWORD)).unwrap();
    s.auth(h).unwrap();
    assert_eq!(
        s.stat(),
        Stat {
            count: 2,
            size: total - expected[0].len() as u64
        }
    );
    let after = s.uidl(None);
    let after: Vec<(u32, &str)> = after.iter().map(|e| (e.msg, e.uid.as_str())).collect();
    assert_eq!(after, [(1, uids[1]), (2, uids[2])]);
    let h = s.client.retr(1).unwrap();
    assert_eq!(s.message(h).unwrap(), expected[1]);
    s.quit();

    dovecot.stop();
    let took = started.elapsed();
    eprintln!("dovecot_transaction_commands: {took:?}");
    // About 2 s (transactions) and 5 s (mechanisms; each wrong password
    // costs Dovecot's minimum half-second failure delay) in a debug build;
    // the bound only catches a hang-like slowdown.
    assert!(took < Duration::from_secs(30), "{took:?}");
}

/// One session per mechanism: a wrong password gets `-ERR [AUTH]`, then the
/// right one logs in on the same connection.
#[test]
fn dovecot_authentication_mechanisms() {
    let started = Instant::now();
    let dovecot = Pop3Dovecot::start();
    let mechanisms = [
        Mechanism::Plain,
        Mechanism::Login,
        Mechanism::CramMd5,
        Mechanism::ScramSha1,
        Mechanism::ScramSha256,
    ];
    for mechanism in mechanisms {
        let mut s = dovecot.connect();
        let (caps, _) = s.ready();
        assert!(
            caps.sasl_supports(mechanism.as_str()),
            "{mechanism:?} not offered: {caps:?}"
        );
        for (password, good) in [(WRONG, false), (PASSWORD, true)] {
            let sasl = SaslClient::new(
                mechanism,
                Credentials::password(USER, password),
                &SaslConfig::new(),
            )
            .unwrap();
            let h = s.client.authenticate_sasl(sasl).unwrap();
            // For SCRAM, success means the machine verified Dovecot's
            // server signature (a missing or wrong one is a fatal
            // ServerNotVerified error instead of Authenticated).
            match s.auth(h) {
                Ok(()) => assert!(good, "{mechanism:?}: wrong password accepted"),
                Err(r) => {
                    assert!(!good, "{mechanism:?}: {r:?}");
                    assert_auth_failure(&r);
                }
            }
        }
        assert_eq!(s.stat().count, 3, "{mechanism:?}");
        s.quit();
    }

    // AUTH driven by hand: PLAIN with the initial response on the line.
    let mut s = dovecot.connect();
    s.ready();
    let ir = format!("\0{USER}\0{PASSWORD}");
    let h = s
        .client
        .authenticate("PLAIN", Some(Secret::new(ir.into_bytes())))
        .unwrap();
    s.auth(h).unwrap();
    s.quit();

    // SCRAM-SHA-256 driven by hand through Event::SaslChallenge, to see
    // what Dovecot sends: the server-final message `v=...` comes as a last
    // challenge (RFC 5034 has no success data) and our SCRAM client
    // verifies its signature in step(), answering with an empty response.
    let mut s = dovecot.connect();
    s.ready();
    let mut sasl = SaslClient::new(
        Mechanism::ScramSha256,
        Credentials::password(USER, PASSWORD),
        &SaslConfig::new(),
    )
    .unwrap();
    let ir = sasl.initial_response().map(Secret::new);
    let h = s.client.authenticate("SCRAM-SHA-256", ir).unwrap();
    let mut challenges = Vec::new();
    loop {
        match s.next() {
            Event::SaslChallenge { handle, challenge } => {
                assert_eq!(handle, h);
                let response = sasl.step(&challenge).unwrap();
                s.client.sasl_respond(&response).unwrap();
                challenges.push(String::from_utf8(challenge).unwrap());
            }
            Event::Authenticated { handle } => {
                assert_eq!(handle, h);
                break;
            }
            ev => panic!("unexpected {ev:?}"),
        }
    }
    assert_eq!(challenges.len(), 2, "{challenges:?}");
    assert!(challenges[0].starts_with("r="), "{challenges:?}");
    assert!(challenges[1].starts_with("v="), "{challenges:?}");
    assert!(sasl.is_complete());
    sasl.finish(None).unwrap();
    s.quit();

    // Everything pipelined before the greeting arrived: the machine holds
    // the login until CAPA is answered, then sends the rest.
    let mut s = dovecot.connect();
    let login = s.client.login(USER, Secret::from(PASSWORD)).unwrap();
    let stat = s.client.stat().unwrap();
    let retr = s.client.retr(3).unwrap();
    s.ready();
    s.auth(login).unwrap();
    match s.next() {
        Event::Stat { handle, stat: st } => {
            assert_eq!(handle, stat);
            assert_eq!(st.count, 3);
        }
        ev => panic!("expected Stat, got {ev:?}"),
    }
    assert_eq!(s.message(retr).unwrap(), crlf(MESSAGES[2].1));
    s.quit();

    // APOP with the greeting's timestamp.
    let mut s = dovecot.connect();
    let (_, ts) = s.ready();
    assert!(ts.is_some(), "no APOP timestamp");
    let h = s.client.apop(USER, &Secret::from(WRONG)).unwrap();
    assert_auth_failure(&s.auth(h).unwrap_err());
    let h = s.client.apop(USER, &Secret::from(PASSWORD)).unwrap();
    s.auth(h).unwrap();
    assert_eq!(s.stat().count, 3);
    s.quit();

    dovecot.stop();
    let took = started.elapsed();
    eprintln!("dovecot_authentication_mechanisms: {took:?}");
    // About 2 s (transactions) and 5 s (mechanisms; each wrong password
    // costs Dovecot's minimum half-second failure delay) in a debug build;
    // the bound only catches a hang-like slowdown.
    assert!(took < Duration::from_secs(30), "{took:?}");
}

/// Long credentials (the deferred initial response), a cancelled AUTH,
/// and a large message read across many socket reads.
#[test]
fn dovecot_long_credentials_and_large_message() {
    let started = Instant::now();
    let dovecot = Pop3Dovecot::start();
    let mut s = dovecot.connect();
    s.ready();

    // AUTH PLAIN without an initial response, cancelled at the `+ `.
    let h = s.client.authenticate("PLAIN", None).unwrap();
    match s.next() {
        Event::SaslChallenge { handle, challenge } => {
            assert_eq!(handle, h);
            assert!(challenge.is_empty(), "{challenge:?}");
        }
        ev => panic!("expected the empty challenge, got {ev:?}"),
    }
    s.client.sasl_cancel().unwrap();
    let r = s.auth(h).unwrap_err();
    assert_eq!(r.status, Status::Err);

    // The initial response is 305 octets (408 in base64): sent after `+ `.
    let sasl = SaslClient::new(
        Mechanism::Plain,
        Credentials::password("bob", bob_password()),
        &SaslConfig::new(),
    )
    .unwrap();
    let h = s.client.authenticate_sasl(sasl).unwrap();
    s.auth(h).unwrap();

    let want = big_message();
    assert_eq!(
        s.stat(),
        Stat {
            count: 1,
            size: want.len() as u64
        }
    );
    let h = s.client.retr(1).unwrap();
    let got = s.message(h).unwrap();
    assert_eq!(got.len(), want.len());
    assert!(got == want, "RETR of the large message differs");
    let h = s.client.top(1, 0).unwrap();
    assert_eq!(
        s.message(h).unwrap(),
        b"From: big@example.org\r\nSubject: big\r\n\r\n"
    );
    s.quit();

    dovecot.stop();
    let took = started.elapsed();
    eprintln!("dovecot_long_credentials_and_large_message: {took:?}");
    assert!(took < Duration::from_secs(30), "{took:?}");
}

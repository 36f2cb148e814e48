//! Real peer: our IMAP client machine (and the `mailwire-sasl` client
//! mechanisms) against Dovecot's IMAP server (`dovecot-imapd`, tested with
//! 2.3.19), started by the test in the foreground from the configuration in
//! `tests/dovecot-imap/` on an ephemeral 127.0.0.1 port, with a throw-away
//! maildir in a temporary directory. Minimal blocking std::net driver,
//! timeouts on every read and write.
//!
//! Dovecot is required: without it the tests fail and say how to install it
//! (`.ci/run` installs it on CI).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod dovecot_util;

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use mailwire_imap_proto::capability::Capability;
use mailwire_imap_proto::client::{Client, CommandHandle, Config, Event, SessionState, TlsPolicy};
use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::command::{Command, CommandBody};
use mailwire_imap_proto::response::{Data, FetchItem, Status, StatusKind};
use mailwire_sasl::Mechanism;
use mailwire_sasl::client::{Client as SaslClient, Config as SaslConfig, Credentials};

use dovecot_util::{Daemon, TempDir, log};

const USER: &str = "alice";
/// With a space: LOGIN sends it as a quoted string.
const PASSWORD: &str = "wonder land";
struct Dovecot {
    daemon: Daemon,
    dir: TempDir,
    port: u16,
}

impl Dovecot {
    fn start() -> Self {
        let (daemon, dir, port) = dovecot_util::start("imap", &[USER, "carol"]);
        Self { daemon, dir, port }
    }

    fn connect_with(&self, config: Config) -> Conn {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let sock = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        sock.set_write_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        Conn {
            sock,
            client: Client::new(config),
            deadline: Instant::now() + Duration::from_secs(20),
            dir: self.dir.0.clone(),
            eof: false,
            sent: Vec::new(),
        }
    }

    fn connect(&self) -> Conn {
        self.connect_with(test_config())
    }

    fn stop(mut self) {
        let exited = self.daemon.0.try_wait().unwrap();
        assert!(
            exited.is_none(),
            "dovecot died: {exited:?}\n{}",
            log(&self.dir.0)
        );
    }
}

fn test_config() -> Config {
    let mut config = Config::default();
    // TEST ONLY: the loopback Dovecot runs without TLS.
    config.tls = TlsPolicy::InsecureNever;
    config
}

/// A command body from its text (tag ignored), e.g. `cmd("SELECT INBOX")`.
fn cmd(text: &str) -> CommandBody<'static> {
    cmd_bytes(format!("x {text}\r\n").as_bytes())
}

fn cmd_bytes(line: &[u8]) -> CommandBody<'static> {
    let (c, _) = Command::parse(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    c.into_owned().body
}

/// `APPEND mailbox {n}` with `message` (the literal form is chosen by the client).
fn append(mailbox: &str, message: &[u8]) -> CommandBody<'static> {
    let mut line = format!("x APPEND {mailbox} {{{}+}}\r\n", message.len()).into_bytes();
    line.extend_from_slice(message);
    line.extend_from_slice(b"\r\n");
    cmd_bytes(&line)
}

fn message(subject: &str, body_lines: usize) -> Vec<u8> {
    let mut m =
        format!("From: alice@example.org\r\nTo: bob@example.org\r\nSubject: {subject}\r\n\r\n")
            .into_bytes();
    for i in 0..body_lines {
        m.extend_from_slice(format!("line {i:08} {}\r\n", "x".repeat(i % 90)).as_bytes());
    }
    m
}

/// One IMAP connection driven by our client machine.
struct Conn {
    sock: TcpStream,
    client: Client,
    deadline: Instant,
    dir: PathBuf,
    eof: bool,
    /// Everything written to the socket.
    sent: Vec<u8>,
}

impl Conn {
    fn fail(&self, what: &str) -> ! {
        panic!("{what}\n{}", log(&self.dir));
    }

    fn flush(&mut self) {
        while let Some(bytes) = self.client.poll_transmit() {
            self.sent.extend_from_slice(&bytes);
            if let Err(e) = self.sock.write_all(&bytes) {
                self.fail(&format!("write: {e}"));
            }
        }
    }

    /// The next event, reading from the socket as needed.
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
                self.fail("session took longer than 20 s");
            }
            let mut buf = [0u8; 16384];
            match self.sock.read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => self.client.feed(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => self.fail(&format!("read: {e}")),
            }
        }
    }

    /// Greeting, capabilities, Ready.
    fn ready(&mut self) -> Status<'static> {
        let greeting = match self.next() {
            Event::Greeting(s) => s,
            ev => self.fail(&format!("expected Greeting, got {ev:?}")),
        };
        loop {
            match self.next() {
                Event::Capabilities(_) => {}
                Event::Ready => return greeting,
                ev => self.fail(&format!("expected Ready, got {ev:?}")),
            }
        }
    }

    /// Events until `handle` completes: (other events, tagged status).
    fn complete(&mut self, handle: CommandHandle) -> (Vec<Event>, Status<'static>) {
        let mut seen = Vec::new();
        loop {
            match self.next() {
                Event::Completed { handle: h, status } if h == handle => return (seen, status),
                Event::Error(e) => self.fail(&format!("client error {e:?} after {seen:?}")),
                Event::Closed => self.fail(&format!("closed after {seen:?}")),
                ev => seen.push(ev),
            }
        }
    }

    fn run(&mut self, body: CommandBody<'static>) -> (Vec<Event>, Status<'static>) {
        let h = self.client.send(body).unwrap();
        self.complete(h)
    }

    fn ok(&mut self, body: CommandBody<'static>) -> Vec<Event> {
        let (events, status) = self.run(body);
        assert_eq!(status.kind, StatusKind::Ok, "{status:?} {events:?}");
        events
    }

    fn login(&mut self) {
        self.ready();
        let h = self.client.login(USER, PASSWORD).unwrap();
        let (events, status) = self.complete(h);
        assert_eq!(status.kind, StatusKind::Ok, "{status:?}");
        assert!(
            events.iter().any(|e| matches!(e, Event::Capabilities(_))),
            "{events:?}"
        );
        assert_eq!(self.client.state(), SessionState::Authenticated);
    }

    /// LOGOUT: BYE, the tagged OK, Closed, then EOF.
    fn logout(mut self) {
        let h = self.client.logout().unwrap();
        assert!(self.client.send(CommandBody::Noop).is_err());
        let (events, status) = self.complete(h);
        assert_eq!(status.kind, StatusKind::Ok);
        assert!(matches!(events.as_slice(), [Event::Bye(_)]), "{events:?}");
        assert!(matches!(self.next(), Event::Closed));
        assert!(self.client.is_closed());
        assert_eq!(self.client.state(), SessionState::Logout);
        let mut buf = [0u8; 64];
        match self.sock.read(&mut buf) {
            Ok(0) => {}
            other => self.fail(&format!("expected EOF after LOGOUT, got {other:?}")),
        }
    }
}

fn data(events: &[Event]) -> Vec<&Data<'static>> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Data { data, .. } => Some(data),
            _ => None,
        })
        .collect()
}

fn appenduid(status: &Status<'_>) -> u32 {
    match &status.code {
        Some(Code::AppendUid { uids, .. }) => {
            let text = uids.to_string();
            text.parse().unwrap()
        }
        other => panic!("no APPENDUID: {other:?}"),
    }
}

#[test]
fn dovecot_login_select_append_fetch_search() {
    let started = Instant::now();
    let dovecot = Dovecot::start();
    let mut s = dovecot.connect();
    s.login();
    for cap in [
        Capability::Idle,
        Capability::LiteralPlus,
        Capability::Enable,
        Capability::CondStore,
        Capability::QResync,
        Capability::UidPlus,
    ] {
        assert!(
            s.client.has_capability(&cap),
            "{cap:?} missing: {:?}",
            s.client.capabilities()
        );
    }

    // CAPABILITY on request: the data is the command's, and cached.
    let h = s.client.send(CommandBody::Capability).unwrap();
    let (events, _) = s.complete(h);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Data { handle, data: Data::Capability(c) } if *handle == h && c.contains(&Capability::Idle))),
        "{events:?}"
    );

    // SELECT: FLAGS/EXISTS are the command's data, codes come as Status.
    let events = s.ok(cmd("SELECT INBOX"));
    assert_eq!(s.client.state(), SessionState::Selected);
    assert!(data(&events).contains(&&Data::Exists(0)), "{events:?}");
    assert!(
        events.iter().any(|e| matches!(e, Event::Status { handle: Some(_), status } if matches!(status.code, Some(Code::UidValidity(_))))),
        "{events:?}"
    );

    // APPEND with LITERAL+: one write, no wait.
    let small = message("small", 3);
    let mark = s.sent.len();
    let (_, status) = s.run(append("INBOX", &small));
    assert_eq!(status.kind, StatusKind::Ok, "{status:?}");
    let uid1 = appenduid(&status);
    let wire = &s.sent[mark..];
    let head = format!("APPEND INBOX {{{}+}}\r\n", small.len());
    assert!(
        wire.windows(head.len()).any(|w| w == head.as_bytes()),
        "{}",
        String::from_utf8_lossy(wire)
    );

    // A 3 MB message, then FETCH BODY[] streamed in chunks.
    let big = message("big", 60_000);
    assert!(big.len() > 3_000_000);
    let (_, status) = s.run(append("INBOX", &big));
    assert_eq!(status.kind, StatusKind::Ok, "{status:?}");
    let uid2 = appenduid(&status);

    let h = s
        .client
        .send(cmd(&format!("UID FETCH {uid2} (UID BODY.PEEK[])")))
        .unwrap();
    let (events, status) = s.complete(h);
    assert_eq!(status.kind, StatusKind::Ok);
    let mut body = Vec::new();
    let mut chunks = 0;
    for e in &events {
        if let Event::FetchChunk(c) = e {
            assert_eq!(c.handle, Some(h));
            assert_eq!(&c.item[..], b"BODY[]");
            assert_eq!(c.offset, body.len() as u64);
            assert_eq!(c.total, big.len() as u64);
            body.extend_from_slice(&c.data);
            chunks += 1;
        }
    }
    assert!(chunks > 10, "{chunks} chunks");
    assert!(body == big, "streamed body differs");
    // The FETCH data follows the chunks, the streamed item emptied.
    let fetch = data(&events);
    match fetch.as_slice() {
        [Data::Fetch { seq: 2, items }] => {
            assert!(items.contains(&FetchItem::Uid(uid2)), "{items:?}");
            assert!(items.iter().any(
                |i| matches!(i, FetchItem::BodySection { data: Some(d), .. } if d.is_empty())
            ));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(events.last(), Some(Event::Data { .. })));

    // A small BODY[] is not streamed.
    let events = s.ok(cmd(&format!("UID FETCH {uid1} BODY.PEEK[]")));
    assert!(!events.iter().any(|e| matches!(e, Event::FetchChunk(_))));
    match data(&events).as_slice() {
        [Data::Fetch { items, .. }] => assert!(items.iter().any(
            |i| matches!(i, FetchItem::BodySection { data: Some(d), .. } if d.as_ref() == small.as_slice())
        )),
        other => panic!("{other:?}"),
    }

    // UID SEARCH.
    let events = s.ok(cmd("UID SEARCH ALL"));
    assert_eq!(
        data(&events),
        vec![&Data::Search {
            ids: vec![uid1, uid2],
            modseq: None
        }]
    );

    // Several commands in flight; each answer goes to its own handle.
    // (FETCH + SEARCH + NOOP is a valid non-waiting sequence, RFC 9051 §5.5.)
    let b = s.client.send(cmd("FETCH 1 (FLAGS)")).unwrap();
    let a = s.client.send(cmd("SEARCH SUBJECT big")).unwrap();
    let c = s.client.send(CommandBody::Noop).unwrap();
    s.flush();
    assert_eq!(s.client.in_flight(), 3);
    let mut done = Vec::new();
    let mut got = Vec::new();
    while done.len() < 3 {
        match s.next() {
            Event::Completed { handle, status } => {
                assert_eq!(status.kind, StatusKind::Ok);
                done.push(handle);
            }
            Event::Data { handle, data } => got.push((handle, data)),
            ev => panic!("{ev:?}"),
        }
    }
    // Dovecot may answer them out of order (RFC 9051 §5.5 allows it);
    // tags match them to their handles.
    done.sort();
    assert_eq!(done, vec![b, a, c]);
    assert!(
        got.contains(&(
            a,
            Data::Search {
                ids: vec![2],
                modseq: None
            }
        )),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(h, d)| *h == b && matches!(d, Data::Fetch { seq: 1, .. })),
        "{got:?}"
    );

    s.ok(CommandBody::Close);
    assert_eq!(s.client.state(), SessionState::Authenticated);
    s.logout();
    dovecot.stop();
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn dovecot_sasl_ir_and_synchronizing_literals() {
    let dovecot = Dovecot::start();
    let mut config = test_config();
    config.non_sync_literals = false;
    let mut s = dovecot.connect_with(config);
    s.ready();
    assert!(s.client.has_capability(&Capability::SaslIr));

    // AUTHENTICATE PLAIN with the initial response on the command line.
    let sasl = SaslClient::new(
        Mechanism::Plain,
        Credentials::password(USER, PASSWORD),
        &SaslConfig::new(),
    )
    .unwrap();
    let mark = s.sent.len();
    let h = s.client.authenticate_sasl(sasl).unwrap();
    let (_, status) = s.complete(h);
    assert_eq!(status.kind, StatusKind::Ok, "{status:?}");
    assert_eq!(s.client.state(), SessionState::Authenticated);
    let line = String::from_utf8(s.sent[mark..].to_vec()).unwrap();
    // base64("\0alice\0wonder land")
    assert!(line.starts_with('A'), "{line}");
    assert!(
        line.contains(" AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlciBsYW5k\r\n"),
        "{line}"
    );

    // APPEND with a synchronizing literal: the data waits for "+".
    let msg = message("sync", 5);
    let mark = s.sent.len();
    let h = s.client.send(append("INBOX", &msg)).unwrap();
    s.flush();
    let head = format!("APPEND INBOX {{{}}}\r\n", msg.len());
    assert!(String::from_utf8_lossy(&s.sent[mark..]).ends_with(&head));
    let (events, status) = s.complete(h);
    assert_eq!(status.kind, StatusKind::Ok, "{status:?}");
    assert!(
        events.is_empty(),
        "the + is the machine's business: {events:?}"
    );
    assert!(s.sent[mark..].ends_with(&[&msg[..], b"\r\n"].concat()));

    // A mailbox that does not exist: Dovecot answers NO instead of "+",
    // the literal is never sent and the next command goes on.
    let mark = s.sent.len();
    let (_, status) = s.run(append("Nowhere", &msg));
    assert_eq!(status.kind, StatusKind::No, "{status:?}");
    assert_eq!(status.code, Some(Code::TryCreate));
    let wire = String::from_utf8_lossy(&s.sent[mark..]).into_owned();
    assert!(!wire.contains("Subject: sync"), "{wire}");
    let events = s.ok(cmd("STATUS INBOX (MESSAGES)"));
    assert_eq!(data(&events).len(), 1, "{events:?}");
    s.logout();

    // LOGIN with a UTF-8 password: a synchronizing literal, sent after "+".
    let mut config = test_config();
    config.non_sync_literals = false;
    let mut s = dovecot.connect_with(config);
    s.ready();
    let h = s.client.login("carol", "p\u{e4}ss w\u{f6}rd").unwrap();
    s.flush();
    assert!(
        s.sent.ends_with(b"LOGIN carol {11}\r\n"),
        "{:?}",
        String::from_utf8_lossy(&s.sent)
    );
    let (_, status) = s.complete(h);
    assert_eq!(status.kind, StatusKind::Ok, "{status:?}");
    assert!(s.sent.ends_with("p\u{e4}ss w\u{f6}rd\r\n".as_bytes()));
    s.logout();
    // ... and with LITERAL+ (Dovecot announces it before login).
    let mut s = dovecot.connect();
    s.ready();
    let h = s.client.login("carol", "p\u{e4}ss w\u{f6}rd").unwrap();
    s.flush();
    assert!(
        s.sent
            .ends_with("LOGIN carol {11+}\r\np\u{e4}ss w\u{f6}rd\r\n".as_bytes())
    );
    let (_, status) = s.complete(h);
    assert_eq!(status.kind, StatusKind::Ok, "{status:?}");
    s.logout();

    // AUTHENTICATE PLAIN driven by hand, wrong password: NO.
    let mut s = dovecot.connect();
    s.ready();
    let h = s
        .client
        .authenticate("PLAIN", Some(b"\0alice\0wrong"))
        .unwrap();
    let (_, status) = s.complete(h);
    assert_eq!(status.kind, StatusKind::No, "{status:?}");
    assert_eq!(status.code, Some(Code::AuthenticationFailed));
    assert_eq!(s.client.state(), SessionState::NotAuthenticated);
    // AUTHENTICATE LOGIN by hand: two challenges.
    let h = s.client.authenticate("LOGIN", None).unwrap();
    for answer in [USER, PASSWORD] {
        match s.next() {
            Event::Continuation { handle, .. } if handle == h => {}
            ev => panic!("{ev:?}"),
        }
        s.client.auth_respond(answer.as_bytes()).unwrap();
    }
    let (_, status) = s.complete(h);
    assert_eq!(status.kind, StatusKind::Ok, "{status:?}");
    s.logout();
    dovecot.stop();
}

#[test]
fn dovecot_idle_enable_condstore_qresync() {
    let dovecot = Dovecot::start();
    let mut a = dovecot.connect();
    a.login();
    let events = a.ok(cmd("ENABLE CONDSTORE QRESYNC"));
    match data(&events).as_slice() {
        [Data::Enabled(caps)] => assert!(caps.contains(&Capability::QResync), "{caps:?}"),
        other => panic!("{other:?}"),
    }
    assert!(a.client.enabled().contains(&Capability::QResync));
    let events = a.ok(cmd("SELECT INBOX"));
    let modseq_code = |events: &[Event]| {
        events.iter().find_map(|e| match e {
            Event::Status { status, .. } => match status.code {
                Some(Code::HighestModSeq(m)) => Some(m),
                _ => None,
            },
            _ => None,
        })
    };
    let uidvalidity = events
        .iter()
        .find_map(|e| match e {
            Event::Status { status, .. } => match status.code {
                Some(Code::UidValidity(v)) => Some(v),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    assert!(modseq_code(&events).is_some(), "{events:?}");

    // IDLE; a second connection appends; EXISTS arrives unsolicited.
    let idle = a.client.idle().unwrap();
    match a.next() {
        Event::Continuation { handle, .. } if handle == idle => {}
        ev => panic!("{ev:?}"),
    }
    let mut b = dovecot.connect();
    b.login();
    for i in 0..3 {
        b.ok(append("INBOX", &message(&format!("m{i}"), 2)));
    }
    let mut exists = 0;
    while exists < 3 {
        match a.next() {
            Event::Unsolicited(Data::Exists(n)) => exists = n,
            Event::Unsolicited(Data::Recent(_)) => {}
            ev => panic!("{ev:?}"),
        }
    }
    a.client.idle_done().unwrap();
    assert!(a.client.idle_done().is_err());
    let (_, status) = a.complete(idle);
    assert_eq!(status.kind, StatusKind::Ok);
    assert!(a.sent.ends_with(b"DONE\r\n"));

    // CONDSTORE: FETCH with MODSEQ, then a STORE changes it.
    let events = a.ok(cmd("FETCH 1:* (UID MODSEQ)"));
    assert_eq!(data(&events).len(), 3);
    let events = a.ok(cmd("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1)"));
    assert_eq!(data(&events).len(), 3, "{events:?}");
    let modseq_before = modseq_code(&a.ok(cmd("SELECT INBOX"))).unwrap();

    // QRESYNC: b expunges one message; a reselects with what it knew.
    b.ok(cmd("SELECT INBOX"));
    b.ok(cmd("STORE 2 +FLAGS (\\Deleted)"));
    let events = b.ok(CommandBody::Expunge);
    assert!(
        data(&events).iter().any(|d| matches!(d, Data::Expunge(2))),
        "{events:?}"
    );
    b.logout();
    a.ok(CommandBody::Unselect);
    let events = a.ok(cmd(&format!(
        "SELECT INBOX (QRESYNC ({uidvalidity} {modseq_before}))"
    )));
    assert!(
        data(&events)
            .iter()
            .any(|d| matches!(d, Data::Vanished { earlier: true, .. })),
        "{events:?}"
    );
    let events = a.ok(cmd("UID SEARCH ALL"));
    match data(&events).as_slice() {
        [Data::Search { ids, .. }] => assert_eq!(ids.len(), 2),
        other => panic!("{other:?}"),
    }
    a.logout();
    dovecot.stop();
}

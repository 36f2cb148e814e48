//! Real clients against the server machine over 127.0.0.1: Python's
//! `imaplib` and `curl imap://`. A minimal blocking driver (std::net, this
//! file only) shuttles bytes; the "application" answers from two canned
//! messages, rendering FETCH with `render::write_fetch`. Timeouts
//! everywhere: a stuck peer fails the test instead of hanging it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::command::CommandBody;
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::render::{RenderOptions, write_fetch};
use mailwire_imap_proto::response::{Data, Response, StatusKind};
use mailwire_imap_proto::server::{CommandId, Config, Event, Server};

const MSG1: &[u8] =
    b"From: Ann <ann@example.org>\r\nTo: joe@example.org\r\nSubject: first\r\n\r\nHello Joe\r\n";
const MSG2: &[u8] = b"From: Bob <bob@example.org>\r\nTo: joe@example.org\r\nSubject: second\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSecond message\r\n";

const TIMEOUT: Duration = Duration::from_secs(30);

fn canned(server: &mut Server, id: CommandId, lines: &[&str]) {
    for l in lines {
        let bytes = format!("{l}\r\n");
        let (r, _) = Response::parse(bytes.as_bytes()).unwrap();
        match r {
            Response::Data(d) => server.respond(id, d).unwrap(),
            Response::Status(s) => {
                let text = s.text_lossy().into_owned();
                server.respond_status(id, s.kind, s.code, &text).unwrap();
            }
            other => panic!("{other:?}"),
        }
    }
}

/// The application: answers every event from the canned mailbox.
fn app(server: &mut Server, ev: Event, log: &mut Vec<String>) {
    let messages: [(&[u8], u32); 2] = [(MSG1, 101), (MSG2, 102)];
    match ev {
        Event::Login {
            id, user, password, ..
        } => {
            log.push(format!("login {user}"));
            if user == "joe" && password.expose() == b"secret" {
                server.accept_login(id).unwrap();
            } else {
                server.reject_login(id).unwrap();
            }
        }
        Event::Idle { .. } => {
            log.push("idle".into());
            server.push_update(Data::Exists(3)).unwrap();
        }
        Event::Command { id, command } => {
            log.push(command.body.name().to_owned());
            match command.body {
                CommandBody::List { .. } | CommandBody::Lsub { .. } => {
                    canned(server, id, &["* LIST (\\HasNoChildren) \"/\" INBOX"]);
                    server.ok(id, "LIST completed").unwrap();
                }
                CommandBody::Select { .. } | CommandBody::Examine { .. } => {
                    canned(
                        server,
                        id,
                        &[
                            "* 2 EXISTS",
                            "* 0 RECENT",
                            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                            "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited",
                            "* OK [UIDVALIDITY 7] UIDs valid",
                            "* OK [UIDNEXT 103] Predicted next UID",
                        ],
                    );
                    server
                        .complete(
                            id,
                            StatusKind::Ok,
                            Some(Code::ReadWrite),
                            "SELECT completed",
                        )
                        .unwrap();
                }
                CommandBody::Fetch {
                    uid, set, items, ..
                } => {
                    let attrs = items.expand();
                    let (date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
                    let flags = [Flag::Seen];
                    for (i, (raw, u)) in messages.iter().enumerate() {
                        let seq = u32::try_from(i + 1).unwrap();
                        let hit = if uid {
                            set.contains(*u, 102)
                        } else {
                            set.contains(seq, 2)
                        };
                        if !hit {
                            continue;
                        }
                        let parsed = mailwire_mime::Message::parse(raw).unwrap();
                        let meta = MessageMeta {
                            seq,
                            uid: *u,
                            flags: &flags,
                            recent: false,
                            internal_date: date,
                            modseq: 1,
                        };
                        let msg = StoredMessage {
                            raw,
                            parsed: &parsed,
                            meta,
                        };
                        let opts = RenderOptions::default().uid(uid);
                        server
                            .respond_with(id, |enc| write_fetch(enc, &msg, &attrs, &opts))
                            .unwrap()
                            .unwrap();
                    }
                    server.ok(id, "FETCH completed").unwrap();
                }
                CommandBody::Search { .. } => {
                    server
                        .respond(
                            id,
                            Data::Search {
                                ids: vec![1, 2],
                                modseq: None,
                            },
                        )
                        .unwrap();
                    server.ok(id, "SEARCH completed").unwrap();
                }
                CommandBody::Close | CommandBody::Unselect | CommandBody::Noop => {
                    server.ok(id, "completed").unwrap();
                }
                _ => server.no(id, "not in this test").unwrap(),
            }
        }
        other => log.push(format!("{other:?}")),
    }
}

/// Runs the session on `stream` until the machine or the peer closes it.
fn serve(mut stream: TcpStream, config: Config) -> Vec<String> {
    let deadline = Instant::now() + TIMEOUT;
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    let mut server = Server::new(config);
    let mut log = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        assert!(Instant::now() < deadline, "session timed out: {log:?}");
        loop {
            while let Some(bytes) = server.poll_transmit() {
                stream.write_all(&bytes).unwrap();
            }
            match server.poll_event() {
                Some(ev) => app(&mut server, ev, &mut log),
                None => break,
            }
        }
        if server.is_closed() {
            break;
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                server.feed(&buf[..n]);
                server.handle_timeout(Instant::now());
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                server.handle_timeout(Instant::now());
            }
            Err(e) => panic!("{e}"),
        }
    }
    log
}

/// Accepts one connection, with a deadline, while `child` runs.
fn accept(listener: &TcpListener, child: &mut Child) -> TcpStream {
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).unwrap();
                return s;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("peer exited before connecting: {status}");
                }
                assert!(Instant::now() < deadline, "peer never connected");
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// Waits for the child with a deadline; returns its stdout and stderr.
fn finish(mut child: Child) -> (bool, String, String) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.success(), out, err);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("peer did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

const IMAPLIB_SCRIPT: &str = r#"
import imaplib, sys
port = int(sys.argv[1])
M = imaplib.IMAP4('127.0.0.1', port, timeout=20)
assert 'IMAP4REV1' in M.capabilities, M.capabilities
typ, data = M.login('joe', 'secret')
assert typ == 'OK', (typ, data)
typ, data = M.capability()
assert typ == 'OK' and b'IDLE' in data[0], data
typ, data = M.list()
assert typ == 'OK' and data == [b'(\\HasNoChildren) "/" INBOX'], data
typ, data = M.select('INBOX')
assert typ == 'OK' and data == [b'2'], (typ, data)
typ, data = M.fetch('1:2', '(UID RFC822.SIZE BODY.PEEK[])')
assert typ == 'OK', (typ, data)
assert len(data) == 4, data
assert data[0][1].startswith(b'From: Ann'), data[0]
assert b'UID 101' in data[0][0] and b'RFC822.SIZE 79' in data[0][0], data[0][0]
assert data[2][1].endswith(b'Second message\r\n'), data[2]
typ, data = M.uid('FETCH', '102', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
assert typ == 'OK' and data[0][1] == b'Subject: second\r\n\r\n', data
typ, data = M.search(None, 'ALL')
assert typ == 'OK' and data == [b'1 2'], data
# IDLE by hand (imaplib has no idle() before 3.14).
tag = M._new_tag()
M.send(tag + b' IDLE\r\n')
line = M.readline()
assert line.startswith(b'+ '), line
line = M.readline()
assert line == b'* 3 EXISTS\r\n', line
M.send(b'DONE\r\n')
line = M.readline()
assert line == tag + b' OK IDLE terminated\r\n', line
typ, data = M.noop()
assert typ == 'OK', (typ, data)
typ, data = M.logout()
assert typ == 'BYE', (typ, data)
print('PYTHON-OK')
"#;

#[test]
fn python_imaplib() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut child = Process::new("python3")
        .arg("-c")
        .arg(IMAPLIB_SCRIPT)
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    let stream = accept(&listener, &mut child);
    let mut config = Config::default();
    config.allow_plaintext_auth = true; // loopback test without TLS
    let log = serve(stream, config);
    let (ok, out, err) = finish(child);
    assert!(
        ok && out.contains("PYTHON-OK"),
        "stdout: {out}\nstderr: {err}\nlog: {log:?}"
    );
    assert!(log.contains(&"login joe".to_owned()), "{log:?}");
    assert!(log.contains(&"idle".to_owned()), "{log:?}");
    assert!(log.iter().any(|l| l.contains("Closed")), "{log:?}");
}

#[test]
fn python_imaplib_login_refused_without_tls() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let script = r#"
import imaplib, sys
M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=20)
assert 'LOGINDISABLED' in M.capabilities, M.capabilities
try:
    M.login('joe', 'secret')
    print('LOGGED-IN')
except imaplib.IMAP4.error as e:
    print('REFUSED', e)
M.logout()
"#;
    let mut child = Process::new("python3")
        .arg("-c")
        .arg(script)
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    let stream = accept(&listener, &mut child);
    let log = serve(stream, Config::default());
    let (ok, out, err) = finish(child);
    assert!(
        ok && out.contains("REFUSED"),
        "stdout: {out}\nstderr: {err}\nlog: {log:?}"
    );
    assert!(!log.contains(&"login joe".to_owned()), "{log:?}");
}

#[test]
fn curl_imap_fetch() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut child = Process::new("curl")
        .args(["-s", "-S", "--max-time", "20", "-u", "joe:secret"])
        .arg(format!("imap://127.0.0.1:{port}/INBOX;UID=102"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("curl");
    let stream = accept(&listener, &mut child);
    let mut config = Config::default();
    config.allow_plaintext_auth = true;
    let log = serve(stream, config);
    let (ok, out, err) = finish(child);
    assert!(ok, "stderr: {err}\nlog: {log:?}");
    assert_eq!(out.as_bytes(), MSG2, "log: {log:?}");
}

//! Real peer: Python's `poplib` against the server machine, through a
//! minimal blocking std::net driver on 127.0.0.1 (ephemeral port,
//! timeouts everywhere).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod util;

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mailwire_pop3_proto::server::{Event, Server};
use util::{Store, plaintext_config};

const SCRIPT: &str = r#"
import json, poplib, sys
port = int(sys.argv[1])
res = {}
p = poplib.POP3("127.0.0.1", port, timeout=5)
res["welcome"] = p.getwelcome().decode()
res["capa"] = sorted(p.capa().keys())
p.user("mrose")
p.pass_("tanstaaf")
res["stat"] = list(p.stat())
res["list"] = [l.decode() for l in p.list()[1]]
res["uidl"] = [l.decode() for l in p.uidl()[1]]
res["uidl2"] = p.uidl(2).decode()
res["retr3"] = [l.decode() for l in p.retr(3)[1]]
res["top1"] = [l.decode() for l in p.top(1, 0)[1]]
p.dele(1)
try:
    p.retr(1)
except poplib.error_proto as e:
    res["retr_deleted"] = e.args[0].decode()
p.rset()
p.dele(2)
p.noop()
res["quit"] = p.quit().decode()

# Second connection: APOP, a DELE, then the connection drops without QUIT.
p = poplib.POP3("127.0.0.1", port, timeout=5)
p.apop("mrose", "tanstaaf")
res["apop_stat"] = list(p.stat())
p.dele(1)
p.close()

# Third: a wrong password.
p = poplib.POP3("127.0.0.1", port, timeout=5)
p.user("mrose")
try:
    p.pass_("wrong")
except poplib.error_proto as e:
    res["bad_pass"] = e.args[0].decode()
p.quit()
print(json.dumps(res))
"#;

const DOTS: &[u8] = b"Subject: dots\r\n\r\n.\r\n..two\r\nend\r\n";

/// Runs one connection to completion (or until the peer drops it).
fn serve(mut sock: TcpStream, store: &mut Store) {
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    sock.set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut server = Server::new(plaintext_config());
    let mut buf = [0u8; 4096];
    loop {
        loop {
            while let Some(b) = server.poll_transmit() {
                if sock.write_all(&b).is_err() {
                    return;
                }
            }
            match server.poll_event() {
                Some(Event::Closed) => {}
                Some(ev) => store.answer(&mut server, ev),
                None => break,
            }
        }
        if server.is_closed() {
            return;
        }
        match sock.read(&mut buf) {
            Ok(0) | Err(_) => return, // dropped: the machine is simply discarded
            Ok(n) => server.feed(&buf[..n]),
        }
    }
}

#[test]
fn python_poplib_against_our_server() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let server = std::thread::spawn(move || {
        let mut store = Store::new();
        store.messages.push(("dots".into(), DOTS.to_vec()));
        let mut served = 0;
        while served < 3 && Instant::now() < deadline {
            match listener.accept() {
                Ok((sock, _)) => {
                    sock.set_nonblocking(false).unwrap();
                    serve(sock, &mut store);
                    served += 1;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => panic!("{e}"),
            }
        }
        store
    });
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is required for this test");
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("poplib script timed out");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "poplib failed: {stderr}");
    let store = server.join().unwrap();

    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        v["welcome"],
        "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>"
    );
    let capa: Vec<&str> = v["capa"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for c in ["PIPELINING", "RESP-CODES", "TOP", "UIDL", "USER"] {
        assert!(capa.contains(&c), "{capa:?}");
    }
    let dots_len = DOTS.len();
    assert_eq!(v["stat"], serde_json::json!([3, 320 + dots_len]));
    assert_eq!(
        v["list"],
        serde_json::json!(["1 120", "2 200", format!("3 {dots_len}")])
    );
    assert_eq!(v["uidl"][1], "2 QhdPYR:00WBw1Ph7x7");
    assert_eq!(v["uidl2"], "+OK 2 QhdPYR:00WBw1Ph7x7");
    // We stuffed, poplib unstuffed: the content lines "." and "..two" survive.
    assert_eq!(
        v["retr3"],
        serde_json::json!(["Subject: dots", "", ".", "..two", "end"])
    );
    assert_eq!(v["top1"], serde_json::json!(["Subject: message 1", ""]));
    assert_eq!(v["retr_deleted"], "-ERR message 1 already deleted");
    assert_eq!(v["quit"], "+OK POP3 server signing off (2 messages left)");
    assert_eq!(v["apop_stat"], serde_json::json!([2, 120 + dots_len]));
    assert_eq!(v["bad_pass"], "-ERR [AUTH] invalid credentials");
    // Only the first session's QUIT deleted anything; the dropped second
    // session's DELE 1 was discarded.
    assert_eq!(store.deleted, ["QhdPYR:00WBw1Ph7x7"]);
    assert_eq!(store.updates, 1);
}

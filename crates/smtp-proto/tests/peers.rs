//! Real peers over 127.0.0.1: Python's `smtplib` against our server machine
//! (through the minimal blocking driver below), and our client machine
//! against Python's `aiosmtpd`. Every socket has timeouts and every Python
//! process runs under `timeout`, so nothing can hang.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{App, fwd, host};
use mailwire_sasl::{Mechanism, Policy};
use mailwire_smtp_proto::client::{self, Client, Envelope, Event as ClientEvent};
use mailwire_smtp_proto::path::{Mailbox, ReversePath};
use mailwire_smtp_proto::server::{self, Server};

const TIMEOUT: Duration = Duration::from_secs(10);

fn python_available() -> bool {
    Command::new("python3")
        .arg("-c")
        .arg("import smtplib")
        .status()
        .is_ok_and(|s| s.success())
}

/// The blocking driver: one connection, our server machine, the test App.
fn serve(mut sock: TcpStream, config: server::Config) -> App {
    sock.set_read_timeout(Some(TIMEOUT)).unwrap();
    sock.set_write_timeout(Some(TIMEOUT)).unwrap();
    let mut s = Server::new(config);
    let mut app = App::default();
    let mut buf = [0u8; 4096];
    loop {
        app.run(&mut s);
        while let Some(b) = s.poll_transmit() {
            sock.write_all(&b).unwrap();
        }
        if s.is_closed() {
            break;
        }
        let n = match sock.read(&mut buf) {
            Ok(n) => n,
            Err(e) => panic!("read: {e}"),
        };
        if n == 0 {
            break;
        }
        s.feed(&buf[..n]);
    }
    app
}

const SMTPLIB_SCRIPT: &str = r#"
import json, smtplib, sys
port = int(sys.argv[1])
s = smtplib.SMTP("127.0.0.1", port, local_hostname="client.example", timeout=5)
code, _ = s.ehlo()
out = {"ehlo": code, "features": sorted(s.esmtp_features.keys())}
s.login("tim", "tanstaaf")
refused = s.sendmail("alice@example.org", ["bob@example.net", "bad@example.net"],
                     b"Subject: hi\r\n\r\n.leading dot\r\nbody\r\n")
out["refused"] = {k: v[0] for k, v in refused.items()}
try:
    s.sendmail("alice@example.org", ["bad2@example.net"], "x")
except smtplib.SMTPRecipientsRefused as e:
    out["all_refused"] = sorted(e.recipients.keys())
out["noop"] = s.noop()[0]
out["quit"] = s.quit()[0]
print(json.dumps(out, sort_keys=True))
"#;

#[test]
fn python_smtplib_against_our_server() {
    if !python_available() {
        eprintln!("python3 not available; skipped");
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut config = server::Config::new("mx.example");
    config.auth_policy = Policy::none()
        .allow_before_tls_even_if_insecure(Mechanism::Plain)
        .allow_before_tls_even_if_insecure(Mechanism::Login);
    let server = std::thread::spawn(move || {
        let (sock, _) = listener.accept().unwrap();
        serve(sock, config)
    });
    let out = Command::new("timeout")
        .args(["20", "python3", "-c", SMTPLIB_SCRIPT, &port.to_string()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = server.join().unwrap();
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["ehlo"], 250);
    for f in [
        "auth",
        "pipelining",
        "8bitmime",
        "size",
        "enhancedstatuscodes",
        "chunking",
        "smtputf8",
    ] {
        assert!(
            v["features"].as_array().unwrap().iter().any(|x| x == f),
            "{f} missing: {v}"
        );
    }
    assert_eq!(v["refused"]["bad@example.net"], 550);
    assert_eq!(v["all_refused"][0], "bad2@example.net");
    assert_eq!(
        (v["noop"].as_u64(), v["quit"].as_u64()),
        (Some(250), Some(221))
    );
    assert_eq!(app.identity.as_deref(), Some("tim"));
    assert_eq!(app.delivered.len(), 1);
    assert_eq!(app.delivered[0].recipients, ["<bob@example.net>"]);
    assert_eq!(
        app.delivered[0].body,
        b"Subject: hi\r\n\r\n.leading dot\r\nbody\r\n"
    );
}

const AIOSMTPD_SCRIPT: &str = r#"
import json, socket, sys
from aiosmtpd.controller import Controller

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bad"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        print(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                          "data": envelope.original_content.decode("latin-1")}), flush=True)
        return "250 2.0.0 Message accepted"

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
c = Controller(Handler(), hostname="127.0.0.1", port=port)
c.start()
print("PORT %d" % port, flush=True)
sys.stdin.read()
c.stop()
"#;

#[test]
fn our_client_against_python_aiosmtpd() {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("aiosmtpd not installed; skipped");
        return;
    }
    let mut child = Command::new("timeout")
        .args(["30", "python3", "-c", AIOSMTPD_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let port: u16 = first.strip_prefix("PORT ").unwrap().parse().unwrap();

    let mut sock =
        TcpStream::connect_timeout(&format!("127.0.0.1:{port}").parse().unwrap(), TIMEOUT).unwrap();
    sock.set_read_timeout(Some(TIMEOUT)).unwrap();
    sock.set_write_timeout(Some(TIMEOUT)).unwrap();
    let mut c = Client::new(client::Config::new(host("client.example")));
    let from = ReversePath::Mailbox(Mailbox::parse("alice@example.org").unwrap().into_owned());
    c.send(
        Envelope::new(
            from.clone(),
            [fwd("bob@example.net"), fwd("bad@example.net")],
        ),
        &b".first\nsecond\r\n"[..],
    );
    c.send(Envelope::new(from, [fwd("bad@example.net")]), &b"never"[..]);
    c.quit().unwrap();
    let mut events = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        while let Some(b) = c.poll_transmit() {
            sock.write_all(&b).unwrap();
        }
        while let Some(e) = c.poll_event() {
            events.push(e);
        }
        if c.is_closed() {
            break;
        }
        let n = sock.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        c.feed(&buf[..n]);
    }
    drop(child.stdin.take());
    let received: Vec<serde_json::Value> = lines
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect();
    let _ = child.wait();

    let results: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Message(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(results.len(), 2, "{events:?}");
    assert_eq!(results[0].delivered().len(), 1);
    assert_eq!(
        results[0].recipients[1].1.as_ref().unwrap().code().get(),
        550
    );
    assert!(results[1].delivered().is_empty());
    assert!(matches!(events.last(), Some(ClientEvent::Closed)));
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0]["from"], "alice@example.org");
    assert_eq!(received[0]["to"][0], "bob@example.net");
    assert_eq!(received[0]["data"], ".first\r\nsecond\r\n");
}

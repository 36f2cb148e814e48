//! Real peers over 127.0.0.1: Python's `smtplib`, `curl` and `swaks`
//! (ESMTP with PIPELINING and AUTH, and LMTP) against our server machine
//! (through the minimal blocking driver below), and our client machine
//! against Python's `aiosmtpd`. Every socket has timeouts and every peer
//! process runs under `timeout`, so nothing can hang. A peer that is not
//! installed skips its test (`.ci/run` installs them all).
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

/// Whether `tool --version` runs.
fn tool_available(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A config that allows PLAIN and LOGIN on this plaintext loopback test.
fn plaintext_auth_config() -> server::Config {
    let mut config = server::Config::new("mx.example");
    config.auth_policy = Policy::none()
        .allow_before_tls_even_if_insecure(Mechanism::Plain)
        .allow_before_tls_even_if_insecure(Mechanism::Login);
    config
}

/// Our server on a fresh port for one connection, in a thread that returns
/// the test App when the connection ends.
fn spawn_server(config: server::Config) -> (u16, std::thread::JoinHandle<App>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (sock, _) = listener.accept().unwrap();
        serve(sock, config)
    });
    (port, handle)
}

/// A message file for a command-line peer, unique to this test.
fn message_file(name: &str, body: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "mailwire-smtp-peers-{}-{name}.eml",
        std::process::id()
    ));
    std::fs::write(&path, body).unwrap();
    path
}

/// The blocking driver: one connection, our server machine, the test App.
fn serve(mut sock: TcpStream, config: server::Config) -> App {
    sock.set_read_timeout(Some(TIMEOUT)).unwrap();
    sock.set_write_timeout(Some(TIMEOUT)).unwrap();
    let lmtp = config.lmtp;
    let mut s = Server::new(config);
    let mut app = App {
        lmtp,
        ..App::default()
    };
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
    let (port, server) = spawn_server(plaintext_auth_config());
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

/// A body with the lines dot-stuffing must get right: a leading dot, a
/// line that is only a dot, and two dots.
const TRICKY_BODY: &[u8] =
    b"Subject: via a peer\r\n\r\n.leading dot\r\n.\r\n..two dots\r\nlast line\r\n";

/// Runs a peer command under `timeout`, returning its output.
fn run_peer(args: &[&str]) -> std::process::Output {
    let out = Command::new("timeout")
        .arg("20")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn curl_against_our_server() {
    if !tool_available("curl") {
        eprintln!("curl not installed; skipped");
        return;
    }
    let (port, server) = spawn_server(plaintext_auth_config());
    let file = message_file("curl", TRICKY_BODY);
    run_peer(&[
        "curl",
        "-sS",
        "--url",
        &format!("smtp://127.0.0.1:{port}/client.example"),
        "--mail-from",
        "alice@example.org",
        "--mail-rcpt",
        "bob@example.net",
        "--mail-rcpt",
        "bad@example.net",
        "--mail-rcpt-allowfails",
        "--user",
        "tim:tanstaaf",
        "--upload-file",
        file.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_file(&file);
    let app = server.join().unwrap();
    assert_eq!(app.identity.as_deref(), Some("tim"), "{:?}", app.events);
    assert_eq!(app.delivered.len(), 1, "{:?}", app.events);
    assert_eq!(app.delivered[0].recipients, ["<bob@example.net>"]);
    assert_eq!(app.delivered[0].body, TRICKY_BODY);
}

/// swaks from alice@example.org with `file` as the data, plus `extra`
/// arguments, under `timeout`.
fn swaks(port: u16, file: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new("timeout")
        .args(["20", "swaks", "--server", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .args(["--helo", "client.example", "--from", "alice@example.org"])
        .arg("--data")
        .arg(file)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn swaks_pipelining_and_auth_against_our_server() {
    if !tool_available("swaks") {
        eprintln!("swaks not installed; skipped");
        return;
    }
    let (port, server) = spawn_server(plaintext_auth_config());
    // swaks ends the data with CRLF "." CRLF after the file's last line.
    let file = message_file("swaks", TRICKY_BODY.strip_suffix(b"\r\n").unwrap());
    let out = swaks(
        port,
        &file,
        &[
            "--to",
            "bob@example.net,carol@example.net",
            "--auth",
            "PLAIN",
            "--auth-user",
            "tim",
            "--auth-password",
            "tanstaaf",
            "--pipeline",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let _ = std::fs::remove_file(&file);
    let transcript = String::from_utf8_lossy(&out.stdout);
    let app = server.join().unwrap();
    // swaks sent MAIL, both RCPTs and DATA as one pipelined group.
    assert!(transcript.contains("PIPELINING"), "{transcript}");
    assert_eq!(app.identity.as_deref(), Some("tim"), "{transcript}");
    assert_eq!(app.delivered.len(), 1, "{transcript}");
    assert_eq!(
        app.delivered[0].recipients,
        ["<bob@example.net>", "<carol@example.net>"]
    );
    assert_eq!(app.delivered[0].body, TRICKY_BODY, "{transcript}");
}

#[test]
fn swaks_lmtp_against_our_server() {
    if !tool_available("swaks") {
        eprintln!("swaks not installed; skipped");
        return;
    }
    let mut config = server::Config::new("lmtp.example");
    config.lmtp = true;
    let (port, server) = spawn_server(config);
    let file = message_file("lmtp", TRICKY_BODY.strip_suffix(b"\r\n").unwrap());
    // One recipient gets a per-recipient 452 after the data (the test App
    // refuses local parts starting with "full"): swaks reports the
    // transaction as partly failed.
    let out = swaks(
        port,
        &file,
        &[
            "--protocol",
            "LMTP",
            "--to",
            "bob@example.net,full@example.net",
        ],
    );
    let _ = std::fs::remove_file(&file);
    let transcript = String::from_utf8_lossy(&out.stdout);
    let app = server.join().unwrap();
    assert!(transcript.contains("LHLO client.example"), "{transcript}");
    assert!(
        transcript.contains("<-  250 2.0.0 Delivered"),
        "{transcript}"
    );
    assert!(
        transcript.contains("<** 452 4.2.2 Mailbox full"),
        "{transcript}"
    );
    assert_eq!(app.delivered.len(), 1, "{transcript}");
    assert_eq!(
        app.delivered[0].recipients,
        ["<bob@example.net>", "<full@example.net>"]
    );
    assert_eq!(app.delivered[0].body, TRICKY_BODY, "{transcript}");
}

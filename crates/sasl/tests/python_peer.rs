//! Interop with Python's standard library as an independent peer: the
//! responses `smtplib` computes for PLAIN, LOGIN and CRAM-MD5 are fed to
//! our server mechanisms. Needs `python3` (installed on dev machines and
//! CI); bounded by a timeout.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use mailwire_sasl::Mechanism;
use mailwire_sasl::server::{self, Answer, Request, Server, Step};

const SCRIPT: &str = r#"
import base64, smtplib, sys
s = smtplib.SMTP()
s.user, s.password = sys.argv[1], sys.argv[2]
challenge = base64.b64decode(sys.argv[3])
print(base64.b64encode(s.auth_plain().encode()).decode())
print(base64.b64encode(s.auth_cram_md5(challenge).encode()).decode())
s._auth_challenge_count = 1
print(base64.b64encode(s.auth_login(b"Username:").encode()).decode())
s._auth_challenge_count = 2
print(base64.b64encode(s.auth_login(b"Password:").encode()).decode())
"#;

fn python(user: &str, password: &str, challenge: &[u8]) -> Vec<Vec<u8>> {
    run_python(&[SCRIPT, user, password, &B64.encode(challenge)])
}

fn run_python(args: &[&str]) -> Vec<Vec<u8>> {
    let mut child = Command::new("python3")
        .arg("-c")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 is required for this test");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "python failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("python3 timed out");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    out.lines().map(|l| B64.decode(l.trim()).unwrap()).collect()
}

#[test]
fn python_smtplib_client_against_our_servers() {
    let challenge = server::cram_md5_challenge(4711, 1_700_000_000, "mx.example.org");
    let lines = python("tim", "tanstaaftanstaaf", challenge.as_bytes());
    let [plain, cram, login_user, login_pass] = lines.as_slice() else {
        panic!("{lines:?}")
    };

    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    let Step::Need(Request::VerifyPassword {
        authcid, password, ..
    }) = s.step(plain)
    else {
        panic!()
    };
    assert_eq!(
        (authcid.as_str(), password.expose()),
        ("tim", &b"tanstaaftanstaaf"[..])
    );

    let config = server::Config::new().with_cram_md5_challenge(challenge);
    let mut s = Server::new(Mechanism::CramMd5, &config);
    let _ = s.start();
    assert_eq!(
        s.step(cram),
        Step::Need(Request::Secret {
            authcid: "tim".into()
        })
    );
    assert!(matches!(
        s.answer(Answer::Secret("tanstaaftanstaaf".into())),
        Step::Success(_)
    ));

    let mut s = Server::new(Mechanism::Login, &server::Config::new());
    let _ = s.start();
    assert!(matches!(s.step(login_user), Step::Challenge(_)));
    let Step::Need(Request::VerifyPassword {
        authcid, password, ..
    }) = s.step(login_pass)
    else {
        panic!()
    };
    assert_eq!(
        (authcid.as_str(), password.expose()),
        ("tim", &b"tanstaaftanstaaf"[..])
    );
}

/// A SCRAM client written from RFC 5802 §3 with Python's hashlib/hmac:
/// `first` prints client-first; `final SERVER_FIRST` prints client-final
/// and the expected server-final.
const SCRAM: &str = r#"
import base64, hashlib, hmac, sys
hname, user, password, cnonce, authzid, cb_name, cb_data, mode = sys.argv[1:9]
H = lambda d: hashlib.new(hname, d).digest()
HMAC = lambda k, d: hmac.new(k, d, hname).digest()
esc = lambda s: s.replace("=", "=3D").replace(",", "=2C")
flag = ("p=" + cb_name) if cb_name else "n"
header = flag + "," + (("a=" + esc(authzid)) if authzid else "") + ","
bare = "n=" + esc(user) + ",r=" + cnonce
b64 = lambda b: base64.b64encode(b).decode()
if mode == "first":
    print(b64((header + bare).encode()))
else:
    server_first = base64.b64decode(sys.argv[9]).decode()
    attrs = dict(a.split("=", 1) for a in server_first.split(","))
    salted = hashlib.pbkdf2_hmac(hname, password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
    client_key = HMAC(salted, b"Client Key")
    cbind = header.encode() + (base64.b64decode(cb_data) if cb_name else b"")
    without_proof = "c=" + b64(cbind) + ",r=" + attrs["r"]
    auth = (bare + "," + server_first + "," + without_proof).encode()
    sig = HMAC(H(client_key), auth)
    proof = bytes(a ^ b for a, b in zip(client_key, sig))
    print(b64((without_proof + ",p=" + b64(proof)).encode()))
    print(b64(("v=" + b64(HMAC(HMAC(salted, b"Server Key"), auth))).encode()))
"#;

#[test]
fn python_scram_client_against_our_server() {
    use mailwire_sasl::server::{ScramCredentials, ScramHash};
    use mailwire_sasl::{ChannelBinding, ChannelBindingType};

    let cb = [0x5Au8; 32];
    for (m, hname, hash, cb_name, authzid) in [
        (Mechanism::ScramSha1, "sha1", ScramHash::Sha1, "", ""),
        (
            Mechanism::ScramSha256,
            "sha256",
            ScramHash::Sha256,
            "",
            "ad=min,x",
        ),
        (
            Mechanism::ScramSha256Plus,
            "sha256",
            ScramHash::Sha256,
            "tls-exporter",
            "",
        ),
        (
            Mechanism::ScramSha1Plus,
            "sha1",
            ScramHash::Sha1,
            "tls-exporter",
            "z",
        ),
    ] {
        let cb64 = B64.encode(cb);
        let common = [
            SCRAM,
            hname,
            "us,er=",
            "p\u{e4}ss",
            "clientNONCE123",
            authzid,
            cb_name,
            &cb64,
        ];
        let first = run_python(&[&common[..], &["first"]].concat());
        let config = server::Config::new()
            .with_nonce("serverNONCE456")
            .with_channel_binding(ChannelBinding::new(ChannelBindingType::TlsExporter, cb));
        let mut s = Server::new(m, &config);
        let Step::Need(Request::ScramCredentials {
            authcid,
            authzid: z,
            ..
        }) = s.step(&first[0])
        else {
            panic!("{m}")
        };
        assert_eq!(authcid, "us,er=");
        assert_eq!(z.as_deref().unwrap_or(""), authzid);
        let creds =
            ScramCredentials::derive(hash, "p\u{e4}ss".as_bytes(), b"pepper-and-salt!", 4096);
        let Step::Challenge(server_first) = s.answer(Answer::ScramCredentials(creds)) else {
            panic!("{m}")
        };
        let sf = B64.encode(&server_first);
        let out = run_python(&[&common[..], &["final", &sf]].concat());
        let Step::Success(o) = s.step(&out[0]) else {
            panic!("{m}")
        };
        assert_eq!(o.additional_data.as_deref(), Some(&out[1][..]), "{m}");
    }
}

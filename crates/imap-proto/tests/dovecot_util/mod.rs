//! Shared helpers of the Dovecot interop tests (`client_dovecot`,
//! `query_dovecot`): find the binary, a free port, a temporary directory
//! and the daemon process, both removed or stopped on drop.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::{self, File};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub(crate) const CONF_TEMPLATE: &str = include_str!("../dovecot-imap/dovecot.conf.in");
pub(crate) const PASSWD_TEMPLATE: &str = include_str!("../dovecot-imap/passwd.in");

pub(crate) const INSTALL_HINT: &str = "Dovecot's IMAP server is required for this test: \
     `apt-get install dovecot-imapd` (Debian/Ubuntu; .ci/run does this), \
     or set MAILWIRE_DOVECOT to the dovecot binary";

pub(crate) fn find_dovecot() -> PathBuf {
    if let Some(p) = std::env::var_os("MAILWIRE_DOVECOT") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|d| d.join("dovecot"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{INSTALL_HINT}"))
}

pub(crate) fn id_name(file: &str, id: u32) -> String {
    let text = fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() > 2 && f[2] == id.to_string())
        .map(|f| f[0].to_owned())
        .unwrap_or_else(|| panic!("id {id} not in {file}"))
}

pub(crate) fn free_port() -> u16 {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    l.local_addr().unwrap().port()
}

pub(crate) struct TempDir(pub(crate) PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The dovecot master process, stopped (SIGTERM, then SIGKILL) on drop.
pub(crate) struct Daemon(pub(crate) Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Process::new("kill")
                .arg("-TERM")
                .arg(self.0.id().to_string())
                .stderr(Stdio::null())
                .status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.0.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

pub(crate) fn log(dir: &Path) -> String {
    let log = fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default();
    let err = fs::read_to_string(dir.join("stderr.txt")).unwrap_or_default();
    format!("--- dovecot.log\n{log}--- stderr\n{err}")
}

pub(crate) fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid, gid);
        }
    }
}

/// Starts Dovecot in the foreground from `dovecot-imap/` on a free
/// loopback port, with an empty maildir for each of `users`, in a fresh
/// temporary directory named after `label`; retries on a port clash.
pub(crate) fn start(label: &str, users: &[&str]) -> (Daemon, TempDir, u16) {
    let binary = find_dovecot();
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let dir = TempDir(std::env::temp_dir().join(format!(
        "mailwire-dovecot-{label}-{}-{}",
        std::process::id(),
        stamp.as_nanos()
    )));
    fs::create_dir_all(&dir.0).unwrap();
    let meta = fs::metadata(&dir.0).unwrap();
    // Dovecot refuses mail access as root: as root the mail belongs to
    // nobody and the services run as the Debian package's users.
    let root = meta.uid() == 0;
    let (uid, gid) = if root {
        (65534, 65534)
    } else {
        (meta.uid(), meta.gid())
    };
    let (internal, group, login) = if root {
        (
            "dovecot".to_owned(),
            "dovecot".to_owned(),
            "dovenull".to_owned(),
        )
    } else {
        let me = id_name("/etc/passwd", meta.uid());
        (me.clone(), id_name("/etc/group", meta.gid()), me)
    };
    let dir_s = dir.0.to_str().unwrap();
    fs::write(
        dir.0.join("passwd"),
        PASSWD_TEMPLATE
            .replace("@DIR@", dir_s)
            .replace("@UID@", &uid.to_string())
            .replace("@GID@", &gid.to_string()),
    )
    .unwrap();
    for user in users {
        let maildir = dir.0.join("mail").join(user).join("Maildir");
        for sub in ["cur", "new", "tmp"] {
            fs::create_dir_all(maildir.join(sub)).unwrap();
        }
    }
    if root {
        chown_tree(&dir.0.join("mail"), uid, gid);
    }
    for _ in 0..3 {
        let port = free_port();
        let conf = dir.0.join("dovecot.conf");
        fs::write(
            &conf,
            CONF_TEMPLATE
                .replace("@DIR@", dir_s)
                .replace("@PORT@", &port.to_string())
                .replace("@INTERNAL_USER@", &internal)
                .replace("@INTERNAL_GROUP@", &group)
                .replace("@LOGIN_USER@", &login),
        )
        .unwrap();
        let _ = fs::remove_file(dir.0.join("run").join("master.pid"));
        let stderr = File::create(dir.0.join("stderr.txt")).unwrap();
        let child = Process::new(&binary)
            .arg("-F")
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}. {INSTALL_HINT}", binary.display()));
        let mut daemon = Daemon(child);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = daemon.0.try_wait() {
                break;
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return (daemon, dir, port);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(daemon);
        if !log(&dir.0).contains("in use") {
            break;
        }
    }
    panic!("dovecot did not start:\n{}", log(&dir.0));
}

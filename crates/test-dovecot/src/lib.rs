//! Test support, not published: starts a throw-away Dovecot on a free
//! loopback port for the interop tests of `mailwire-pop3-proto` and
//! `mailwire-imap-proto`, and stops it and removes its files on drop.
//!
//! Each crate keeps its own `dovecot.conf.in` and `passwd.in` templates
//! (POP3 or IMAP service, users, passwords); this crate fills in the
//! placeholders the templates share (`@DIR@`, `@PORT@`, `@UID@`, `@GID@`,
//! `@INTERNAL_USER@`, `@INTERNAL_GROUP@`, `@LOGIN_USER@`), plus any the
//! caller adds.
//!
//! Dovecot refuses mail access as root: when the tests run as root (CI),
//! the mail belongs to nobody (65534) and the services run as the Debian
//! package's users; otherwise everything runs as the current user.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::{self, File};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What to start.
#[derive(Debug, Clone, Copy)]
pub struct Setup<'a> {
    /// Part of the temporary directory's name.
    pub label: &'a str,
    /// The `dovecot.conf` template.
    pub conf: &'a str,
    /// The `passwd` file template.
    pub passwd: &'a str,
    /// Further `(placeholder, value)` pairs for the passwd template.
    pub passwd_vars: &'a [(&'a str, &'a str)],
    /// Said when Dovecot cannot be found or run.
    pub install_hint: &'a str,
}

/// A running Dovecot. Fields drop in order: the daemon stops before its
/// directory is removed.
#[derive(Debug)]
pub struct Dovecot {
    /// The master process.
    pub daemon: Daemon,
    /// Its configuration, logs and mail.
    pub dir: TempDir,
    /// The loopback port the service listens on.
    pub port: u16,
}

impl Dovecot {
    /// Starts Dovecot in the foreground with `setup`'s templates in a fresh
    /// temporary directory. `populate` creates the mail under the given
    /// `mail` folder first (see [`maildir`]); it is then handed to the mail
    /// user. A port taken between picking and binding is retried.
    pub fn start(setup: &Setup<'_>, populate: impl FnOnce(&Path)) -> Dovecot {
        let binary = find_dovecot(setup.install_hint);
        let dir = fresh_dir(setup.label);
        let meta = fs::metadata(&dir.0).unwrap();
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
        let mut passwd = setup
            .passwd
            .replace("@DIR@", dir_s)
            .replace("@UID@", &uid.to_string())
            .replace("@GID@", &gid.to_string());
        for (k, v) in setup.passwd_vars {
            passwd = passwd.replace(k, v);
        }
        fs::write(dir.0.join("passwd"), passwd).unwrap();
        let mail = dir.0.join("mail");
        fs::create_dir_all(&mail).unwrap();
        populate(&mail);
        if root {
            chown_tree(&mail, uid, gid);
        }
        for _ in 0..3 {
            let port = free_port();
            let conf = dir.0.join("dovecot.conf");
            fs::write(
                &conf,
                setup
                    .conf
                    .replace("@DIR@", dir_s)
                    .replace("@PORT@", &port.to_string())
                    .replace("@INTERNAL_USER@", &internal)
                    .replace("@INTERNAL_GROUP@", &group)
                    .replace("@LOGIN_USER@", &login),
            )
            .unwrap();
            // A failed attempt leaves its sockets behind, and Dovecot will
            // not start over them ("already running?").
            let _ = fs::remove_dir_all(dir.0.join("run"));
            let stderr = File::create(dir.0.join("stderr.txt")).unwrap();
            let child = Command::new(&binary)
                .arg("-F")
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr)
                .spawn()
                .unwrap_or_else(|e| {
                    panic!(
                        "cannot run {}: {e}. {}",
                        binary.display(),
                        setup.install_hint
                    )
                });
            let mut daemon = Daemon(child);
            if wait_listening(&mut daemon, port) {
                return Dovecot { daemon, dir, port };
            }
            drop(daemon);
            if !log(&dir.0).contains("in use") {
                break;
            }
        }
        panic!("dovecot did not start:\n{}", log(&dir.0));
    }

    /// Dovecot's log and standard error, for failure messages.
    pub fn log(&self) -> String {
        log(&self.dir.0)
    }

    /// Stops Dovecot after checking it was still running, and removes its
    /// files.
    pub fn stop(mut self) {
        let exited = self.daemon.0.try_wait().unwrap();
        assert!(exited.is_none(), "dovecot died: {exited:?}\n{}", self.log());
    }
}

/// A new, empty temporary directory of its own. Tests in one process start
/// at the same instant and the clock may not tell them apart, so the name
/// also has a per-process sequence number, and the directory is claimed
/// with `create_dir`, which fails if another process has the name.
fn fresh_dir(label: &str) -> TempDir {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let base = std::env::temp_dir();
    loop {
        let stamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let path = base.join(format!(
            "mailwire-dovecot-{label}-{}-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed),
            stamp.as_nanos()
        ));
        match fs::create_dir(&path) {
            Ok(()) => return TempDir(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => panic!("cannot create {}: {e}", path.display()),
        }
    }
}

/// Creates `user`'s Maildir (`cur`, `new`, `tmp`) under `mail` and returns
/// its path.
pub fn maildir(mail: &Path, user: &str) -> PathBuf {
    let md = mail.join(user).join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(md.join(sub)).unwrap();
    }
    md
}

/// The dovecot binary: `MAILWIRE_DOVECOT`, else `dovecot` on the `PATH` or
/// in `/usr/sbin`, `/usr/local/sbin`; panics with `install_hint`.
pub fn find_dovecot(install_hint: &str) -> PathBuf {
    if let Some(p) = std::env::var_os("MAILWIRE_DOVECOT") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|d| d.join("dovecot"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{install_hint}"))
}

/// The name with this id in /etc/passwd or /etc/group.
fn id_name(file: &str, id: u32) -> String {
    let text = fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() > 2 && f[2] == id.to_string())
        .map(|f| f[0].to_owned())
        .unwrap_or_else(|| panic!("id {id} not in {file}"))
}

/// A loopback port that was free a moment ago.
fn free_port() -> u16 {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    l.local_addr().unwrap().port()
}

/// A temporary directory, removed on drop.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The dovecot master process, stopped (SIGTERM, then SIGKILL) on drop;
/// it stops its own children.
#[derive(Debug)]
pub struct Daemon(pub Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Command::new("kill")
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

/// Dovecot's log and standard error in `dir`.
pub fn log(dir: &Path) -> String {
    let log = fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default();
    let err = fs::read_to_string(dir.join("stderr.txt")).unwrap_or_default();
    format!("--- dovecot.log\n{log}--- stderr\n{err}")
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid, gid);
        }
    }
}

/// Bounded wait until the port accepts connections (false if the daemon
/// exits first or 5 s pass).
fn wait_listening(daemon: &mut Daemon, port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = daemon.0.try_wait() {
            return false;
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

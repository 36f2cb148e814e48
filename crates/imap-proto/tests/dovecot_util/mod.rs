//! Shared helpers of the Dovecot interop tests (`client_dovecot`,
//! `query_dovecot`): the IMAP templates in `tests/dovecot-imap/` started on
//! the workspace's shared harness (`mailwire-test-dovecot`: binary lookup,
//! free port, temporary directory and daemon, removed or stopped on drop).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub(crate) use mailwire_test_dovecot::{Daemon, TempDir, log};
use mailwire_test_dovecot::{Dovecot, Setup, maildir};

pub(crate) const CONF_TEMPLATE: &str = include_str!("../dovecot-imap/dovecot.conf.in");
pub(crate) const PASSWD_TEMPLATE: &str = include_str!("../dovecot-imap/passwd.in");

pub(crate) const INSTALL_HINT: &str = "Dovecot's IMAP server is required for this test: \
     `apt-get install dovecot-imapd` (Debian/Ubuntu; .ci/run does this), \
     or set MAILWIRE_DOVECOT to the dovecot binary";

/// Starts Dovecot's IMAP service on a free loopback port, with an empty
/// maildir for each of `users`, in a fresh temporary directory named after
/// `label`.
pub(crate) fn start(label: &str, users: &[&str]) -> (Daemon, TempDir, u16) {
    let setup = Setup {
        label,
        conf: CONF_TEMPLATE,
        passwd: PASSWD_TEMPLATE,
        passwd_vars: &[],
        install_hint: INSTALL_HINT,
    };
    let Dovecot { daemon, dir, port } = Dovecot::start(&setup, |mail| {
        for user in users {
            maildir(mail, user);
        }
    });
    (daemon, dir, port)
}

//! PLAIN, RFC 4616.

use super::{Answer, Config, Mech, Outcome, Request, Step, utf8};
use crate::{Error, Mechanism, Secret};

const M: Mechanism = Mechanism::Plain;

#[derive(Debug, Default)]
pub(super) struct Plain {
    pending: Option<(String, Option<String>)>,
}

/// Parses `message = [authzid] UTF8NUL authcid UTF8NUL passwd` (RFC 4616
/// §2) into (authzid, authcid, passwd).
pub(crate) fn parse(msg: &[u8]) -> Result<(Option<String>, String, Secret), Error> {
    let mut parts = msg.splitn(3, |b| *b == 0);
    let (Some(authzid), Some(authcid), Some(passwd)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::malformed(
            M,
            msg.len(),
            "expected [authzid] NUL authcid NUL passwd",
        ));
    };
    let authcid_at = authzid.len() + 1;
    let passwd_at = authcid_at + authcid.len() + 1;
    if let Some(i) = passwd.iter().position(|b| *b == 0) {
        return Err(Error::malformed(M, passwd_at + i, "NUL in password"));
    }
    let authzid = utf8(M, authzid, 0)?;
    let authcid = utf8(M, authcid, authcid_at)?;
    utf8(M, passwd, passwd_at)?;
    if authcid.is_empty() {
        return Err(Error::malformed(
            M,
            authcid_at,
            "empty authcid (expected 1*SAFE)",
        ));
    }
    if passwd.is_empty() {
        return Err(Error::malformed(
            M,
            passwd_at,
            "empty passwd (expected 1*SAFE)",
        ));
    }
    let authzid = (!authzid.is_empty()).then(|| authzid.to_owned());
    Ok((authzid, authcid.to_owned(), Secret::new(passwd)))
}

impl Mech for Plain {
    fn start(&mut self, _: &Config) -> Step {
        Step::Challenge(Vec::new())
    }

    fn step(&mut self, _: &Config, input: &[u8]) -> Step {
        if self.pending.is_some() {
            return Step::Failure(Error::InvalidState("plain: unexpected response"));
        }
        match parse(input) {
            Ok((authzid, authcid, password)) => {
                self.pending = Some((authcid.clone(), authzid.clone()));
                Step::Need(Request::VerifyPassword {
                    authcid,
                    authzid,
                    password,
                })
            }
            Err(e) => Step::Failure(e),
        }
    }

    fn answer(&mut self, _: &Config, answer: Answer) -> Step {
        password_answer(self.pending.take(), &answer)
    }
}

/// Shared by PLAIN and LOGIN: turns the answer to `VerifyPassword` into
/// the final step.
pub(super) fn password_answer(pending: Option<(String, Option<String>)>, answer: &Answer) -> Step {
    let Some((authcid, authzid)) = pending else {
        return Step::Failure(Error::InvalidState("no pending password check"));
    };
    match answer {
        Answer::Accept => Step::Success(Outcome::new(authcid, authzid)),
        Answer::Reject => Step::Failure(Error::AuthenticationFailed),
        _ => Step::Failure(Error::InvalidState(
            "VerifyPassword takes Answer::Accept or Answer::Reject",
        )),
    }
}

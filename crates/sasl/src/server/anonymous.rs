//! ANONYMOUS, RFC 4505.

use super::{Answer, Config, Mech, Outcome, Request, Step, utf8};
use crate::{Error, Mechanism};

const M: Mechanism = Mechanism::Anonymous;

/// RFC 4505 §2: the trace is at most 255 characters.
const MAX_TRACE_CHARS: usize = 255;

#[derive(Debug, Default)]
pub(super) struct Anonymous {
    pending: bool,
}

/// `message = [ email / token ]` (RFC 4505 §2): UTF-8, at most 255
/// characters, no control characters; an `@` makes it an email address,
/// which then needs a non-empty local part and domain.
pub(crate) fn check_trace(input: &[u8]) -> Result<&str, Error> {
    let trace = utf8(M, input, 0)?;
    if trace.chars().count() > MAX_TRACE_CHARS {
        return Err(Error::malformed(M, 0, "trace longer than 255 characters"));
    }
    if let Some((i, _)) = trace.char_indices().find(|(_, c)| c.is_control()) {
        return Err(Error::malformed(M, i, "control character in trace"));
    }
    if let Some(at) = trace.find('@') {
        let (local, domain) = (&trace[..at], &trace[at + 1..]);
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return Err(Error::malformed(
                M,
                at,
                "expected email (local@domain) or token without @",
            ));
        }
    }
    Ok(trace)
}

impl Mech for Anonymous {
    fn start(&mut self, _: &Config) -> Step {
        Step::Challenge(Vec::new())
    }

    fn step(&mut self, _: &Config, input: &[u8]) -> Step {
        if self.pending {
            return Step::Failure(Error::InvalidState("anonymous: unexpected response"));
        }
        match check_trace(input) {
            Ok(trace) => {
                self.pending = true;
                Step::Need(Request::Anonymous {
                    trace: trace.to_owned(),
                })
            }
            Err(e) => Step::Failure(e),
        }
    }

    fn answer(&mut self, _: &Config, answer: Answer) -> Step {
        if !core::mem::take(&mut self.pending) {
            return Step::Failure(Error::InvalidState("no pending anonymous request"));
        }
        match answer {
            Answer::Accept => Step::Success(Outcome::new("anonymous".to_owned(), None)),
            Answer::Reject => Step::Failure(Error::AuthenticationFailed),
            _ => Step::Failure(Error::InvalidState(
                "Anonymous takes Answer::Accept or Answer::Reject",
            )),
        }
    }
}

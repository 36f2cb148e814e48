//! EXTERNAL, RFC 4422 Appendix A.

use super::{Answer, Config, Mech, Outcome, Request, Step, utf8};
use crate::{Error, Mechanism};

const M: Mechanism = Mechanism::External;

#[derive(Debug, Default)]
pub(super) struct External {
    pending: Option<Option<String>>,
}

impl Mech for External {
    fn start(&mut self, _: &Config) -> Step {
        Step::Challenge(Vec::new())
    }

    /// `external-message = [authz-id-string]` (RFC 4422 App. A.1).
    fn step(&mut self, _: &Config, input: &[u8]) -> Step {
        if self.pending.is_some() {
            return Step::Failure(Error::InvalidState("external: unexpected response"));
        }
        if let Some(i) = input.iter().position(|b| *b == 0) {
            return Step::Failure(Error::malformed(M, i, "NUL in authzid"));
        }
        let authzid = match utf8(M, input, 0) {
            Ok(s) => (!s.is_empty()).then(|| s.to_owned()),
            Err(e) => return Step::Failure(e),
        };
        self.pending = Some(authzid.clone());
        Step::Need(Request::External { authzid })
    }

    fn answer(&mut self, _: &Config, answer: Answer) -> Step {
        let Some(authzid) = self.pending.take() else {
            return Step::Failure(Error::InvalidState("no pending external request"));
        };
        match answer {
            Answer::AcceptAs(identity) => Step::Success(Outcome::new(identity, authzid)),
            Answer::Accept => match authzid {
                Some(z) => Step::Success(Outcome::new(z, None)),
                None => Step::Failure(Error::InvalidState(
                    "external without authzid needs Answer::AcceptAs(identity)",
                )),
            },
            Answer::Reject => Step::Failure(Error::AuthenticationFailed),
            _ => Step::Failure(Error::InvalidState(
                "External takes Answer::AcceptAs, Answer::Accept or Answer::Reject",
            )),
        }
    }
}

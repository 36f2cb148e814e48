//! LOGIN (draft-murchison-sasl-login-00).

use super::plain::password_answer;
use super::{Answer, Config, Mech, Request, Step, utf8};
use crate::{Error, Mechanism, Secret};

const M: Mechanism = Mechanism::Login;

/// The prompts sent by virtually every server (the draft's §2 examples).
pub(super) const USERNAME_PROMPT: &[u8] = b"Username:";
pub(super) const PASSWORD_PROMPT: &[u8] = b"Password:";

#[derive(Debug, Default)]
pub(super) struct Login {
    user: Option<String>,
    pending: Option<(String, Option<String>)>,
}

impl Mech for Login {
    fn start(&mut self, _: &Config) -> Step {
        Step::Challenge(USERNAME_PROMPT.to_vec())
    }

    fn step(&mut self, _: &Config, input: &[u8]) -> Step {
        if self.pending.is_some() {
            return Step::Failure(Error::InvalidState("login: unexpected response"));
        }
        match self.user.take() {
            None => {
                if let Some(i) = input.iter().position(|b| *b == 0) {
                    return Step::Failure(Error::malformed(M, i, "NUL in user name"));
                }
                let user = match utf8(M, input, 0) {
                    Ok(u) => u,
                    Err(e) => return Step::Failure(e),
                };
                if user.is_empty() {
                    return Step::Failure(Error::malformed(M, 0, "empty user name"));
                }
                self.user = Some(user.to_owned());
                Step::Challenge(PASSWORD_PROMPT.to_vec())
            }
            Some(user) => {
                if let Some(i) = input.iter().position(|b| *b == 0) {
                    return Step::Failure(Error::malformed(M, i, "NUL in password"));
                }
                // No UTF-8 check: LOGIN has no charset rule and legacy
                // clients send Latin-1 passwords; the bytes go to the
                // application as they are.
                if input.is_empty() {
                    return Step::Failure(Error::malformed(M, 0, "empty password"));
                }
                self.pending = Some((user.clone(), None));
                Step::Need(Request::VerifyPassword {
                    authcid: user,
                    authzid: None,
                    password: Secret::new(input),
                })
            }
        }
    }

    fn answer(&mut self, _: &Config, answer: Answer) -> Step {
        password_answer(self.pending.take(), &answer)
    }
}

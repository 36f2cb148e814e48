//! SCRAM-SHA-1/-256 and -PLUS, RFC 5802 and RFC 7677 (server side).

use super::{Answer, Config, Mech, Step};
use crate::{Error, Mechanism};

#[derive(Debug)]
pub(super) struct Scram {
    #[allow(dead_code)]
    mechanism: Mechanism,
}

impl Scram {
    pub(super) fn new(mechanism: Mechanism) -> Self {
        Self { mechanism }
    }
}

impl Mech for Scram {
    fn start(&mut self, _: &Config) -> Step {
        Step::Challenge(Vec::new())
    }

    fn step(&mut self, _: &Config, _: &[u8]) -> Step {
        Step::Failure(Error::Misconfigured("scram server (work in progress)"))
    }

    fn answer(&mut self, _: &Config, _: Answer) -> Step {
        Step::Failure(Error::Misconfigured("scram server (work in progress)"))
    }
}

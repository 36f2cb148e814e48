//! SCRAM client (RFC 5802 §3, §7).

use super::{Config, Credentials};
use crate::{Error, Mechanism};

#[derive(Debug)]
pub(super) struct ScramClient {
    complete: bool,
}

pub(super) fn check_config(_: Mechanism, _: &Config) -> Result<(), Error> {
    Err(Error::Misconfigured("scram client (work in progress)"))
}

impl ScramClient {
    pub(super) fn start(
        _: Mechanism,
        _: &Credentials,
        _: &Config,
    ) -> Result<(Self, Vec<u8>), Error> {
        Err(Error::Misconfigured("scram client (work in progress)"))
    }

    pub(super) fn step(&mut self, _: &[u8]) -> Result<Vec<u8>, Error> {
        Err(Error::Misconfigured("scram client (work in progress)"))
    }

    pub(super) fn is_complete(&self) -> bool {
        self.complete
    }

    pub(super) fn finish(&mut self, _: Option<&[u8]>) -> Result<(), Error> {
        Err(Error::Misconfigured("scram client (work in progress)"))
    }
}

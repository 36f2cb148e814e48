//! FETCH rendering from a parsed message: ENVELOPE, BODYSTRUCTURE,
//! `BODY[section]<partial>`, BINARY, sizes and dates.

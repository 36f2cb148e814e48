//! Client commands: every IMAP4rev1/IMAP4rev2 command and the extension commands, parsed and written.

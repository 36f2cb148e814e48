//! Every command example of RFC 3501 §6, RFC 9051 §6 and the extension RFCs,
//! parsed, written back and parsed again; the proper-prefix rule; error
//! positions; encoder fragments; proptest round trips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::borrow::Cow;
use std::num::{NonZeroU32, NonZeroU64};

use mailwire_imap_proto::command::{
    AppendData, Command, CommandBody, FetchModifier, InitialResponse, SelectParam, StoreKind,
    StoreModifier, TaggedExtVal, parse_idle_done, tag_of,
};
use mailwire_imap_proto::error::ParseError;
use mailwire_imap_proto::fetch::{FetchAttribute, FetchItems};
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::primitive::{EncodeOptions, Encoder, LiteralMode};
use mailwire_imap_proto::search::{EntryType, SearchKey, SearchReturnOption};
use mailwire_imap_proto::section::Section;
use mailwire_imap_proto::sequence::{SeqItem, SeqNumber, SequenceSet};

/// Single-line examples extracted from the RFCs' `C:` lines.
const RFC_LINES: &[(&str, &str)] = &[
    ("RFC 9051", "abcd CAPABILITY\r\n"),
    ("RFC 9051", "efgh STARTTLS\r\n"),
    ("RFC 9051", "ijkl CAPABILITY\r\n"),
    ("RFC 9051", "a002 NOOP\r\n"),
    ("RFC 9051", "a047 NOOP\r\n"),
    ("RFC 9051", "A023 LOGOUT\r\n"),
    ("RFC 9051", "a001 CAPABILITY\r\n"),
    ("RFC 9051", "a002 STARTTLS\r\n"),
    ("RFC 9051", "a003 CAPABILITY\r\n"),
    (
        "RFC 9051",
        "a004 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n",
    ),
    ("RFC 9051", "A001 AUTHENTICATE GSSAPI\r\n"),
    ("RFC 9051", "A01 STARTTLS\r\n"),
    ("RFC 9051", "A02 CAPABILITY\r\n"),
    (
        "RFC 9051",
        "A03 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n",
    ),
    ("RFC 9051", "C01 CAPABILITY\r\n"),
    ("RFC 9051", "A01 AUTHENTICATE PLAIN\r\n"),
    ("RFC 9051", "A01 AUTHENTICATE EXTERNAL =\r\n"),
    ("RFC 9051", "a001 LOGIN SMITH SESAME\r\n"),
    ("RFC 9051", "t1 CAPABILITY\r\n"),
    ("RFC 9051", "t2 ENABLE CONDSTORE X-GOOD-IDEA\r\n"),
    ("RFC 9051", "t3 CAPABILITY\r\n"),
    ("RFC 9051", "a1 ENABLE CONDSTORE\r\n"),
    ("RFC 9051", "A142 SELECT INBOX\r\n"),
    ("RFC 9051", "A143 SELECT Drafts\r\n"),
    ("RFC 9051", "A932 EXAMINE blurdybloop\r\n"),
    ("RFC 9051", "A003 CREATE owatagusiam/\r\n"),
    ("RFC 9051", "A004 CREATE owatagusiam/blurdybloop\r\n"),
    ("RFC 9051", "A005 CREATE NonNormalized\r\n"),
    ("RFC 9051", "A682 LIST \"\" *\r\n"),
    ("RFC 9051", "A683 DELETE blurdybloop\r\n"),
    ("RFC 9051", "A684 DELETE foo\r\n"),
    ("RFC 9051", "A685 DELETE foo/bar\r\n"),
    ("RFC 9051", "A686 LIST \"\" *\r\n"),
    ("RFC 9051", "A687 DELETE foo\r\n"),
    ("RFC 9051", "A82 LIST \"\" *\r\n"),
    ("RFC 9051", "A83 DELETE blurdybloop\r\n"),
    ("RFC 9051", "A84 DELETE foo\r\n"),
    ("RFC 9051", "A85 LIST \"\" *\r\n"),
    ("RFC 9051", "A86 LIST \"\" %\r\n"),
    ("RFC 9051", "A683 RENAME blurdybloop sarasoop\r\n"),
    ("RFC 9051", "A684 RENAME foo zowie\r\n"),
    ("RFC 9051", "A685 LIST \"\" *\r\n"),
    ("RFC 9051", "Z432 LIST \"\" *\r\n"),
    ("RFC 9051", "Z433 RENAME INBOX old-mail\r\n"),
    ("RFC 9051", "Z434 LIST \"\" *\r\n"),
    ("RFC 9051", "1001 RENAME X Y\r\n"),
    ("RFC 9051", "1002 SUBSCRIBE Y\r\n"),
    ("RFC 9051", "1003 UNSUBSCRIBE X\r\n"),
    ("RFC 9051", "A002 SUBSCRIBE #news.comp.mail.mime\r\n"),
    ("RFC 9051", "A002 UNSUBSCRIBE #news.comp.mail.mime\r\n"),
    ("RFC 9051", "A101 LIST \"\" \"\"\r\n"),
    ("RFC 9051", "A102 LIST #news.comp.mail.misc \"\"\r\n"),
    ("RFC 9051", "A103 LIST /usr/staff/jones \"\"\r\n"),
    ("RFC 9051", "A202 LIST ~/Mail/ %\r\n"),
    ("RFC 9051", "A01 LIST \"\" \"*\"\r\n"),
    ("RFC 9051", "A02 LIST (SUBSCRIBED) \"\" \"*\"\r\n"),
    ("RFC 9051", "A03 LIST () \"\" \"%\" RETURN (CHILDREN)\r\n"),
    (
        "RFC 9051",
        "A04 LIST (REMOTE) \"\" \"%\" RETURN (CHILDREN)\r\n",
    ),
    ("RFC 9051", "A05 LIST (REMOTE SUBSCRIBED) \"\" \"*\"\r\n"),
    (
        "RFC 9051",
        "A06 LIST (REMOTE) \"\" \"*\" RETURN (SUBSCRIBED)\r\n",
    ),
    ("RFC 9051", "C01 LIST \"\" \"*\"\r\n"),
    ("RFC 9051", "CA3 LIST \"\" \"%\" RETURN (CHILDREN)\r\n"),
    ("RFC 9051", "C02 LIST (SUBSCRIBED) \"\" \"*\"\r\n"),
    (
        "RFC 9051",
        "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\"\r\n",
    ),
    ("RFC 9051", "D01 LIST \"\" \"*\"\r\n"),
    ("RFC 9051", "D02 LIST (SUBSCRIBED) \"\" \"*\"\r\n"),
    (
        "RFC 9051",
        "D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*2\"\r\n",
    ),
    (
        "RFC 9051",
        "D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*\"\r\n",
    ),
    ("RFC 9051", "a1 LIST \"\" (\"foo\")\r\n"),
    ("RFC 9051", "a2 LIST (SUBSCRIBED) \"\" \"foo/*\"\r\n"),
    (
        "RFC 9051",
        "a3 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" foo RETURN (CHILDREN)\r\n",
    ),
    ("RFC 9051", "a1 LIST (REMOTE) \"\" *\r\n"),
    ("RFC 9051", "a2 LIST () \"\" %\r\n"),
    ("RFC 9051", "a3 LIST (REMOTE) \"\" %\r\n"),
    ("RFC 9051", "a3.1 LIST \"\" (% music/rock)\r\n"),
    (
        "RFC 9051",
        "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))\r\n",
    ),
    ("RFC 9051", "A001 NAMESPACE\r\n"),
    ("RFC 9051", "A002 CREATE \"INBOX.Sent Mail\"\r\n"),
    ("RFC 9051", "A002 LIST (SPECIAL-USE) \"\" \"*\"\r\n"),
    ("RFC 9051", "A003 LIST (SPECIAL-USE) \"#mh/\" \"*\"\r\n"),
    ("RFC 9051", "A004 CREATE \"Sent Mail\"\r\n"),
    ("RFC 9051", "A005 CREATE \"Delete Items\"\r\n"),
    ("RFC 9051", "A006 CREATE \"#mh/Deleted Items\"\r\n"),
    ("RFC 9051", "A002 LIST \"\" \"Other Users/%\"\r\n"),
    ("RFC 9051", "A002 LIST \"\" \"#Users/%\"\r\n"),
    ("RFC 9051", "A003 LIST \"\" \"#Users/Mike/%\"\r\n"),
    ("RFC 9051", "A002 LIST \"\" \"~mark/%\"\r\n"),
    ("RFC 9051", "A042 STATUS blurdybloop (UIDNEXT MESSAGES)\r\n"),
    ("RFC 9051", "A004 COPY 2:4 meeting\r\n"),
    ("RFC 9051", "A005 UID COPY 305:310 meeting\r\n"),
    ("RFC 9051", "A006 COPY 2 funny\r\n"),
    ("RFC 9051", "A007 SELECT funny\r\n"),
    ("RFC 9051", "A001 SELECT INBOX\r\n"),
    ("RFC 9051", "A002 IDLE\r\n"),
    ("RFC 9051", "A003 FETCH 4 ALL\r\n"),
    ("RFC 9051", "A004 IDLE\r\n"),
    ("RFC 9051", "A005 FETCH 3 ALL\r\n"),
    ("RFC 9051", "A006 IDLE\r\n"),
    ("RFC 9051", "A341 CLOSE\r\n"),
    ("RFC 9051", "A342 UNSELECT\r\n"),
    ("RFC 9051", "A202 EXPUNGE\r\n"),
    ("RFC 9051", "A282 SEARCH RETURN (MIN COUNT) FLAGGED\r\n"),
    ("RFC 9051", "A283 SEARCH RETURN () FLAGGED\r\n"),
    ("RFC 9051", "A284 SEARCH TEXT \"string not in mailbox\"\r\n"),
    ("RFC 9051", "A284 SEARCH RETURN (MIN) UNSEEN\r\n"),
    ("RFC 9051", "A285 UID SEARCH RETURN (MIN MAX) 1:5000\r\n"),
    ("RFC 9051", "A286 SEARCH RETURN (COUNT) DELETED\r\n"),
    (
        "RFC 9051",
        "A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994\r\n",
    ),
    (
        "RFC 9051",
        "A283 FETCH $ (UID INTERNALDATE FLAGS BODY.PEEK[HEADER])\r\n",
    ),
    ("RFC 9051", "A300 SEARCH RETURN (SAVE) SINCE 1-Jan-2004\r\n"),
    ("RFC 9051", "A301 UID SEARCH UID $ SMALLER 4096\r\n"),
    ("RFC 9051", "A301 UID SEARCH $ SMALLER 4096\r\n"),
    ("RFC 9051", "P282 SEARCH RETURN (SAVE) SINCE 1-Feb-1994\r\n"),
    ("RFC 9051", "B282 SEARCH RETURN (SAVE) SINCE 1-Feb-1994\r\n"),
    (
        "RFC 9051",
        "E282 SEARCH RETURN (SAVE) SINCE 28-Oct-2006\r\n",
    ),
    ("RFC 9051", "E283 COPY $ \"Other Messages\"\r\n"),
    ("RFC 9051", "F282 SEARCH RETURN (SAVE) KEYWORD $Junk\r\n"),
    ("RFC 9051", "F283 COPY $ \"Junk\"\r\n"),
    ("RFC 9051", "F284 STORE $ +FLAGS.Silent (\\Deleted)\r\n"),
    ("RFC 9051", "G282 SEARCH RETURN (SAVE) KEYWORD $Junk\r\n"),
    ("RFC 9051", "G283 SEARCH RETURN (ALL) SINCE 28-Oct-2006\r\n"),
    ("RFC 9051", "H282 SEARCH RETURN (SAVE) KEYWORD $Junk\r\n"),
    (
        "RFC 9051",
        "H283 SEARCH RETURN (SAVE) SINCE 28-Oct-2006\r\n",
    ),
    ("RFC 9051", "C282 SEARCH RETURN (ALL) SINCE 12-Feb-2006\r\n"),
    (
        "RFC 9051",
        "C283 SEARCH RETURN (ALL SAVE) SINCE 12-Feb-2006\r\n",
    ),
    (
        "RFC 9051",
        "C284 SEARCH RETURN (SAVE MIN) SINCE 12-Feb-2006\r\n",
    ),
    (
        "RFC 9051",
        "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])\r\n",
    ),
    ("RFC 9051", "A003 STORE 2:4 +FLAGS (\\Deleted)\r\n"),
    ("RFC 9051", "A003 COPY 2:4 MEETING\r\n"),
    ("RFC 9051", "a UID MOVE 42:69 foo\r\n"),
    ("RFC 9051", "A003 UID EXPUNGE 3000:3002\r\n"),
    ("RFC 9051", "A999 UID FETCH 4827313:4828442 FLAGS\r\n"),
    ("RFC 9051", "a441 CAPABILITY\r\n"),
    ("RFC 9051", "o356 RENAME this that\r\n"),
    ("RFC 9051", "b LOGIN \"fred\" \"foo\"\r\n"),
    ("RFC 9051", "c1 AUTHENTICATE PLAIN\r\n"),
    ("RFC 9051", "c2 AUTHENTICATE PLAIN\r\n"),
    ("RFC 9051", "l create \"///////\"\r\n"),
    (
        "RFC 9051",
        "k1 select \"/archive/projects/experiment-iv\"\r\n",
    ),
    (
        "RFC 9051",
        "k2 status \"/archive/projects/experiment-iv\" (messages)\r\n",
    ),
    ("RFC 9051", "e login \"fred\" \"foo\"\r\n"),
    (
        "RFC 9051",
        "i select \"/archive/projects/experiment-iv\"\r\n",
    ),
    ("RFC 9051", "d login \"fred\" \"foo\"\r\n"),
    ("RFC 9051", "h search from maria@example.com\r\n"),
    ("RFC 9051", "m356 DELETE Notes\r\n"),
    (
        "RFC 9051",
        "g delete \"/archive/projects/experiment-iv\"\r\n",
    ),
    ("RFC 9051", "p RENAME this that\r\n"),
    (
        "RFC 9051",
        "f select \"/archive/projects/experiment-iv\"\r\n",
    ),
    ("RFC 9051", "n1 uid copy 1:* oldmail\r\n"),
    ("RFC 9051", "n2 uid copy 1:* oldmail\r\n"),
    ("RFC 9051", "d select inbox\r\n"),
    (
        "RFC 9051",
        "j select \"/archive/projects/experiment-iv\"\r\n",
    ),
    ("RFC 9051", "a LOGIN \"fred\" \"foo\"\r\n"),
    ("RFC 9051", "A001 LOGIN fred blurdybloop\r\n"),
    ("RFC 9051", "A222 COPY 1:2 owatagusiam\r\n"),
    ("RFC 9051", "A223 COPY 3:200 blurdybloop\r\n"),
    ("RFC 9051", "A443 EXPUNGE\r\n"),
    ("RFC 9051", "a000 starttls\r\n"),
    ("RFC 9051", "A001 AUTHENTICATE SCRAM-SHA-256\r\n"),
    ("RFC 9051", "babc ENABLE IMAP4rev2\r\n"),
    ("RFC 9051", "a002 select inbox\r\n"),
    ("RFC 9051", "a003 fetch 12 full\r\n"),
    ("RFC 9051", "a004 fetch 12 body[header]\r\n"),
    ("RFC 9051", "a005 store 12 +flags \\deleted\r\n"),
    ("RFC 9051", "a006 logout\r\n"),
    ("RFC 3501", "a004 LOGIN joe password\r\n"),
    ("RFC 3501", "A003 LSUB \"#news.\" \"comp.%\"\r\n"),
    ("RFC 3501", "A283 SEARCH TEXT \"string not in mailbox\"\r\n"),
    ("RFC 2342", "A002 CREATE \"Sent Mail\"\r\n"),
    ("RFC 2342", "A003 CREATE \"Delete Items\"\r\n"),
    ("RFC 2342", "A004 CREATE \"#mh/Deleted Items\"\r\n"),
    ("RFC 3348", "A001 LIST \"\" *\r\n"),
    (
        "RFC 4959",
        "A01 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n",
    ),
    ("RFC 4959", "A01 AUTHENTICATE EXTERNAL\r\n"),
    ("RFC 4978", "a starttls\r\n"),
    ("RFC 4978", "b login arnt tnra\r\n"),
    ("RFC 4978", "c compress deflate\r\n"),
    (
        "RFC 5182",
        "A283 FETCH $ (UID INTERNALDATE FLAGS RFC822.HEADER)\r\n",
    ),
    ("RFC 5256", "A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL\r\n"),
    (
        "RFC 5256",
        "A284 SORT (SUBJECT) US-ASCII TEXT \"not in mailbox\"\r\n",
    ),
    (
        "RFC 5256",
        "A284 THREAD ORDEREDSUBJECT US-ASCII TEXT \"gewp\"\r\n",
    ),
    (
        "RFC 5256",
        "A285 THREAD REFERENCES UTF-8 SINCE 5-MAR-2000\r\n",
    ),
    (
        "RFC 5258",
        "BBB LIST \"\" (\"INBOX\" \"Drafts\" \"Sent/%\")\r\n",
    ),
    (
        "RFC 5258",
        "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)\r\n",
    ),
    ("RFC 5258", "a1 LIST \"\" (\"foo\" \"foo/*\")\r\n"),
    ("RFC 6154", "t1 LIST \"\" \"%\"\r\n"),
    ("RFC 6154", "t2 LIST \"\" \"%\" RETURN (SPECIAL-USE)\r\n"),
    ("RFC 6154", "t3 LIST (SPECIAL-USE) \"\" \"*\"\r\n"),
    (
        "RFC 6154",
        "t2 CREATE MySpecial (USE (\\Drafts \\Sent))\r\n",
    ),
    ("RFC 6154", "t3 CREATE Everything (USE (\\All))\r\n"),
    ("RFC 6154", "t1 LIST \"\" \"%\" RETURN (SPECIAL-USE)\r\n"),
    ("RFC 6154", "t5 LIST \"\" \"%\" RETURN (SPECIAL-USE)\r\n"),
    ("RFC 7162", "a107 NOOP\r\n"),
    ("RFC 7162", "b107 NOOP\r\n"),
    (
        "RFC 7162",
        "B001 STORE 1:7 (UNCHANGEDSINCE 320172338) +FLAGS (\\SEEN)\r\n",
    ),
    ("RFC 7162", "B002 NOOP\r\n"),
    (
        "RFC 7162",
        "b003 STORE 2 (UNCHANGEDSINCE 320172340) +FLAGS (\\Seen)\r\n",
    ),
    (
        "RFC 7162",
        "s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)\r\n",
    ),
    ("RFC 7162", "a FETCH 1:3 (MODSEQ)\r\n"),
    ("RFC 7162", "A160 STORE 7 +FLAGS.SILENT (\\Deleted)\r\n"),
    ("RFC 7162", "C180 NOOP\r\n"),
    ("RFC 7162", "D210 NOOP\r\n"),
    ("RFC 7162", "A240 STORE 7 +FLAGS.SILENT (\\Seen)\r\n"),
    ("RFC 7162", "C270 NOOP\r\n"),
    ("RFC 7162", "D300 NOOP\r\n"),
    (
        "RFC 7162",
        "A330 STORE 7 -FLAGS.SILENT (\\Answered \\Seen)\r\n",
    ),
    ("RFC 7162", "C360 NOOP\r\n"),
    ("RFC 7162", "D390 NOOP\r\n"),
    (
        "RFC 7162",
        "a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338\r\n",
    ),
    (
        "RFC 7162",
        "t SEARCH OR NOT MODSEQ 720162338 LARGER 50000\r\n",
    ),
    (
        "RFC 7162",
        "A042 STATUS blurdybloop (UIDNEXT MESSAGES HIGHESTMODSEQ)\r\n",
    ),
    ("RFC 7162", "A142 SELECT INBOX (CONDSTORE)\r\n"),
    ("RFC 7162", "a SEARCH RETURN (ALL) MODSEQ 1234\r\n"),
    (
        "RFC 7162",
        "s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345)\r\n",
    ),
    ("RFC 7162", "s101 UID SEARCH 300:500\r\n"),
    ("RFC 7162", "A210 EXPUNGE\r\n"),
    (
        "RFC 7162",
        "A150 STORE 1:2 (UNCHANGEDSINCE 96) +FLAGS.SILENT \\Seen\r\n",
    ),
    ("RFC 7162", "A151 STORE 3 +FLAGS.SILENT \\Seen\r\n"),
    ("RFC 7162", "A152 NOOP\r\n"),
    (
        "RFC 7162",
        "A142 SELECT INBOX (QRESYNC (3857529045 20010715194032001 1:198))\r\n",
    ),
    ("RFC 7888", "A001 LOGIN \"FRED FOOBAR\" \"fat man\"\r\n"),
    ("RFC 7889", "t1 STATUS INBOX (APPENDLIMIT)\r\n"),
    (
        "RFC 7889",
        "t1 LIST \"\" % RETURN (STATUS (APPENDLIMIT))\r\n",
    ),
    ("RFC 8438", "A01 STATUS frop (MESSAGES SIZE UIDNEXT)\r\n"),
    ("RFC 8438", "A02 SELECT \"frop\"\r\n"),
    ("RFC 8438", "A03 FETCH 1:* (RFC822.SIZE)\r\n"),
    (
        "RFC 8438",
        "A04 LIST \"\" % RETURN (STATUS (MESSAGES SIZE))\r\n",
    ),
    ("RFC 8474", "3 create foo\r\n"),
    ("RFC 8474", "4 create bar\r\n"),
    ("RFC 8474", "5 create foo\r\n"),
    ("RFC 8474", "27 select \"foo\"\r\n"),
    ("RFC 8474", "6 status foo (mailboxid)\r\n"),
    ("RFC 8474", "7 status bar (mailboxid)\r\n"),
    ("RFC 8474", "8 rename foo renamed\r\n"),
    ("RFC 8474", "9 status renamed (mailboxid)\r\n"),
    ("RFC 8474", "10 status bar (mailboxid)\r\n"),
    (
        "RFC 8474",
        "11 list \"\" \"*\" return (status (mailboxid))\r\n",
    ),
    ("RFC 8474", "22 fetch 1:* (emailid threadid)\r\n"),
    ("RFC 8474", "23 move 2 foo\r\n"),
    ("RFC 8474", "24 fetch 1:* (emailid threadid)\r\n"),
    ("RFC 8474", "25 select \"foo\"\r\n"),
    ("RFC 8474", "26 fetch 1:* (emailid threadid)\r\n"),
    ("RFC 8474", "27 search emailid M6d99ac3275bb4e\r\n"),
    ("RFC 8474", "28 search threadid T64b478a75b7ea9\r\n"),
    ("RFC 9208", "G0001 GETQUOTA \"!partition/sda4\"\r\n"),
    ("RFC 9208", "G0002 GETQUOTAROOT INBOX\r\n"),
    ("RFC 9208", "S0000 GETQUOTA \"#user/alice\"\r\n"),
    (
        "RFC 9208",
        "S0001 SETQUOTA \"#user/alice\" (STORAGE 510)\r\n",
    ),
    (
        "RFC 9208",
        "S0002 SETQUOTA \"!partition/sda4\" (STORAGE 99999999)\r\n",
    ),
    (
        "RFC 9208",
        "S0003 STATUS INBOX (MESSAGES DELETED DELETED-STORAGE)\r\n",
    ),
    ("RFC 9208", "A004 COPY 2:4 MEETING\r\n"),
];

/// Examples that span several lines in the RFCs (wrapped lines, literals), joined.
const RFC_JOINED: &[(&str, &str)] = &[
    (
        "RFC 9051 §6.3.12",
        "A003 APPEND saved-messages (\\Seen) {32}\r\nDate: Mon, 7 Feb 1994\r\n\r\nHello\r\n\r\n",
    ),
    (
        "RFC 9051 §6.3.12 LITERAL+",
        "A003 APPEND saved-messages (\\Seen) {5+}\r\nHello\r\n",
    ),
    (
        "RFC 9051 §6.2.3 / §4.3",
        "A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n",
    ),
    (
        "RFC 7888 §3",
        "A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n",
    ),
    (
        "RFC 9051 §6.4.4",
        "A285 SEARCH CHARSET UTF-8 TEXT {12}\r\nотпуск\r\n",
    ),
    (
        "RFC 5182 §2.1",
        "P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8}\r\nмать\r\n",
    ),
    (
        "RFC 3502 §3",
        "A003 APPEND saved-messages (\\Seen) {5}\r\nfirst (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {6}\r\nsecond\r\n",
    ),
    ("RFC 3516 §4.3", "A003 APPEND Drafts ~{5}\r\na\0b\0c\r\n"),
    ("RFC 6855 §4", "A APPEND INBOX UTF8 (~{6+}\r\nhëllo)\r\n"),
    (
        "RFC 8474 §5",
        "5 append inbox \"20-Mar-2018 03:07:37 +1100\" {3}\r\nabc\r\n",
    ),
    (
        "RFC 4731 §3.1",
        "a1 SEARCH RETURN (MIN) MODSEQ \"/flags/\\\\draft\" all 620162338\r\n",
    ),
    (
        "RFC 4731 §3.1",
        "a4 SEARCH RETURN (MIN COUNT) MODSEQ \"/flags/\\\\draft\" all 620162338\r\n",
    ),
    (
        "RFC 9051 §6.4.4.4",
        "B283 SEARCH RETURN (SAVE) CHARSET KOI8-R (OR $ 1,3000:3021) TEXT {4}\r\nТЕ\r\n",
    ),
    (
        "RFC 9051 §6.4.4.4",
        "C285 SEARCH RETURN (MAX SAVE MIN) SINCE 1-Feb-1994\r\n",
    ),
    (
        "RFC 9051 §6.3.9.7",
        "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)\r\n",
    ),
    (
        "RFC 5819 §2",
        "A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (STATUS (MESSAGES UNSEEN))\r\n",
    ),
    (
        "RFC 7162 §3.1.3",
        "a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)\r\n",
    ),
    (
        "RFC 7162 §3.1.3",
        "a102 STORE 12 (UNCHANGEDSINCE 0) +FLAGS.SILENT $MDNSent\r\n",
    ),
    (
        "RFC 7162 §3.1.3",
        "d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)\r\n",
    ),
    (
        "RFC 7162 §3.2.5",
        "A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))\r\n",
    ),
    (
        "RFC 7162 §3.2.5",
        "A03 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541))\r\n",
    ),
    (
        "RFC 7162 §3.2.5",
        "B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))\r\n",
    ),
    (
        "RFC 7162 §3.2.6",
        "s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n",
    ),
    (
        "RFC 4466 §2.1",
        "a EXAMINE INBOX (ANNOTATE RESPONSES (\"UID Responses\"))\r\n",
    ),
    (
        "RFC 2971 §3.3",
        "a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")\r\n",
    ),
    ("RFC 2971 §3.3", "a023 ID NIL\r\n"),
    ("RFC 4959 §3", "A01 AUTHENTICATE PLAIN =\r\n"),
    (
        "RFC 6154 §5.3",
        "t1 CREATE \"Important Messages\" (USE (\\Flagged))\r\n",
    ),
    ("RFC 6154 §5.3", "t1 CREATE \"Stuff\" (USE ())\r\n"),
    (
        "RFC 5256 §3",
        "A283 UID SORT (SUBJECT REVERSE DATE) UTF-8 ALL\r\n",
    ),
    (
        "RFC 5256 §3",
        "A285 UID THREAD REFERENCES UTF-8 SINCE 5-MAR-2000\r\n",
    ),
    (
        "RFC 3516 §4.2",
        "a FETCH 1 (BINARY.PEEK[1.2]<0.1024> BINARY.SIZE[1])\r\n",
    ),
    (
        "RFC 9051 §6.4.5",
        "A654 FETCH 2:4 (FLAGS BODY.PEEK[1.HEADER.FIELDS.NOT (X-A)]<0.100> RFC822.SIZE)\r\n",
    ),
];

fn all_examples() -> impl Iterator<Item = (&'static str, &'static str)> {
    RFC_LINES.iter().chain(RFC_JOINED.iter()).copied()
}

#[test]
fn every_rfc_example_parses_and_round_trips() {
    let mut n = 0;
    for (rfc, s) in all_examples() {
        let (cmd, used) =
            Command::parse(s.as_bytes()).unwrap_or_else(|e| panic!("{rfc}: {s:?}: {e}"));
        assert_eq!(used, s.len(), "{rfc}: {s:?}");
        let written = cmd.to_bytes();
        let (again, used2) =
            Command::parse(&written).unwrap_or_else(|e| panic!("{rfc}: {written:?}: {e}"));
        assert_eq!(used2, written.len());
        assert_eq!(again, cmd, "{rfc}: {s:?}");
        // Owned copies compare equal too.
        assert_eq!(cmd.clone().into_owned(), cmd);
        n += 1;
    }
    assert!(n > 250, "{n} examples");
}

#[test]
fn every_proper_prefix_is_incomplete() {
    for (rfc, s) in all_examples() {
        let b = s.as_bytes();
        for i in 0..b.len() {
            match Command::parse(&b[..i]) {
                Err(ParseError::Incomplete { .. }) => {}
                other => panic!(
                    "{rfc}: prefix {:?} gave {other:?}",
                    String::from_utf8_lossy(&b[..i])
                ),
            }
        }
    }
}

#[test]
fn written_examples_also_satisfy_the_prefix_rule() {
    for (_, s) in RFC_JOINED {
        let (cmd, _) = Command::parse(s.as_bytes()).unwrap();
        let w = cmd.to_bytes();
        for i in 0..w.len() {
            assert!(Command::parse(&w[..i]).unwrap_err().is_incomplete());
        }
    }
}

fn parse(s: &str) -> CommandBody<'static> {
    Command::parse(s.as_bytes()).unwrap().0.into_owned().body
}

#[test]
fn rfc_examples_mean_what_they_say() {
    match parse("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])\r\n") {
        CommandBody::Fetch {
            uid: false,
            set,
            items: FetchItems::Attributes(atts),
            modifiers,
        } => {
            assert_eq!(set.to_string(), "2:4");
            assert!(modifiers.is_empty());
            assert_eq!(atts[0], FetchAttribute::Flags);
            let FetchAttribute::BodySection {
                peek: false,
                section: Section::HeaderFields(None, f),
                partial: None,
            } = &atts[1]
            else {
                panic!()
            };
            assert_eq!(f.len(), 2);
            assert_eq!(f[1].as_bytes(), b"FROM");
        }
        other => panic!("{other:?}"),
    }
    match parse("A003 STORE 2:4 +FLAGS (\\Deleted)\r\n") {
        CommandBody::Store {
            kind: StoreKind::Add,
            silent: false,
            flags,
            ..
        } => assert_eq!(flags, vec![Flag::Deleted]),
        other => panic!("{other:?}"),
    }
    match parse("A150 STORE 1:2 (UNCHANGEDSINCE 96) +FLAGS.SILENT \\Seen\r\n") {
        CommandBody::Store {
            modifiers,
            silent: true,
            flags,
            ..
        } => {
            assert_eq!(modifiers, vec![StoreModifier::UnchangedSince(96)]);
            assert_eq!(flags, vec![Flag::Seen]);
        }
        other => panic!("{other:?}"),
    }
    match parse("s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n") {
        CommandBody::Fetch {
            uid: true,
            modifiers,
            ..
        } => assert_eq!(
            modifiers,
            vec![
                FetchModifier::ChangedSince(NonZeroU64::new(12345).unwrap()),
                FetchModifier::Vanished
            ]
        ),
        other => panic!("{other:?}"),
    }
    match parse(
        "B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500 15000,22500)))\r\n",
    ) {
        CommandBody::Select { mailbox, params } => {
            assert!(mailbox.is_inbox());
            let SelectParam::QResync {
                uid_validity,
                known_uids,
                seq_match: Some((seqs, uids)),
                ..
            } = &params[0]
            else {
                panic!()
            };
            assert_eq!(uid_validity.get(), 67890007);
            assert_eq!(known_uids.as_ref().unwrap().to_string(), "1:29997");
            assert_eq!(
                (seqs.to_string(), uids.to_string()),
                ("5000,7500".into(), "15000,22500".into())
            );
        }
        other => panic!("{other:?}"),
    }
    match parse("a EXAMINE INBOX (ANNOTATE RESPONSES (\"UID Responses\"))\r\n") {
        CommandBody::Examine { params, .. } => {
            assert!(matches!(&params[0], SelectParam::Other { value: None, .. }));
            assert!(matches!(
                &params[1],
                SelectParam::Other {
                    value: Some(TaggedExtVal::Comp(_)),
                    ..
                }
            ));
        }
        other => panic!("{other:?}"),
    }
    match parse("a1 SEARCH RETURN (MIN) MODSEQ \"/flags/\\\\draft\" all 620162338\r\n") {
        CommandBody::Search {
            return_opts: Some(o),
            charset: None,
            keys,
            ..
        } => {
            assert_eq!(o, vec![SearchReturnOption::Min]);
            let SearchKey::ModSeq {
                entry: Some((name, EntryType::All)),
                modseq: 620162338,
            } = keys.first()
            else {
                panic!("{keys:?}")
            };
            assert_eq!(name.as_bytes(), b"/flags/\\draft");
        }
        other => panic!("{other:?}"),
    }
    match parse("P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8}\r\nмать\r\n") {
        CommandBody::Search {
            charset: Some(c),
            keys,
            ..
        } => {
            assert_eq!(c.as_str(), "UTF-8");
            let SearchKey::And(inner) = &keys[0] else {
                panic!()
            };
            let SearchKey::Or(a, _) = &inner[0] else {
                panic!()
            };
            assert_eq!(**a, SearchKey::SequenceSet(SequenceSet::Saved));
            assert_eq!(keys[1], SearchKey::Text("мать".try_into().unwrap()));
        }
        other => panic!("{other:?}"),
    }
    match parse(
        "A003 APPEND saved-messages (\\Seen) {5}\r\nfirst (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {6}\r\nsecond\r\n",
    ) {
        CommandBody::Append { messages, .. } => {
            assert_eq!(messages.len(), 2);
            assert_eq!(messages[1].date.unwrap().zone_minutes(), -420);
            assert!(
                matches!(&messages[1].data, AppendData::Literal(s) if s.as_bytes() == b"second")
            );
        }
        other => panic!("{other:?}"),
    }
    match parse("A003 APPEND Drafts ~{5}\r\na\0b\0c\r\n") {
        CommandBody::Append { messages, .. } => {
            assert!(matches!(&messages[0].data, AppendData::Binary(l) if &l.0[..] == b"a\0b\0c"));
        }
        other => panic!("{other:?}"),
    }
    match parse("A01 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n") {
        CommandBody::Authenticate {
            mechanism,
            initial_response: Some(InitialResponse::Data(d)),
        } => {
            assert_eq!(mechanism.as_str(), "PLAIN");
            assert_eq!(&d.expose()[..], b"test\0test\0test");
            // Debug never shows the credentials.
            assert!(!format!("{d:?}").contains("test"));
        }
        other => panic!("{other:?}"),
    }
    match parse("a1 LOGIN joe secret\r\n") {
        c @ CommandBody::Login { .. } => assert!(!format!("{c:?}").contains("secret")),
        other => panic!("{other:?}"),
    }
    match parse("A284 SEARCH RETURN (MIN) UNSEEN\r\n") {
        CommandBody::Search { keys, .. } => assert_eq!(keys.as_slice(), &[SearchKey::Unseen]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn syntax_errors_carry_offset_and_expectation() {
    let cases: &[(&[u8], usize, &str)] = &[
        (b"a1 FETCH x FLAGS\r\n", 9, "sequence set"),
        (b"a1 FROB\r\n", 3, "command name"),
        (b"a1 FETCH 1 BOGUS\r\n", 11, "fetch attribute or macro"),
        (b"a1 SEARCH SINCE 31-Feb-2020\r\n", 16, "valid date"),
        (
            b"a1 STORE 1 FLAGZ (\\Seen)\r\n",
            11,
            "FLAGS or FLAGS.SILENT",
        ),
        (b"a1 SELECT\r\n", 9, "SP"),
        (b"a1 LOGIN a\"b c\r\n", 10, "SP"),
        (
            b"a1 UID FROB 1\r\n",
            7,
            "COPY, MOVE, FETCH, SEARCH, STORE, EXPUNGE, SORT or THREAD after UID",
        ),
        (b"a1 NOOP extra\r\n", 7, "CRLF"),
        (b"+ NOOP\r\n", 0, "tag"),
        (
            b"a1 LOGIN {3}\r\na\0b c\r\n",
            15,
            "CHAR8 (no NUL in a literal)",
        ),
    ];
    for (input, offset, expected) in cases {
        let e = Command::parse(input).unwrap_err();
        assert_eq!(
            e,
            ParseError::Syntax {
                offset: *offset,
                expected
            },
            "{:?}",
            String::from_utf8_lossy(input)
        );
        assert_eq!(
            e.bad_text(),
            format!("syntax error at offset {offset}: expected {expected}")
        );
    }
    assert_eq!(tag_of(b"a7 FETCH x\r\n").unwrap().as_str(), "a7");
    let deep = format!("a SEARCH {}ALL{}\r\n", "(".repeat(100), ")".repeat(100));
    assert!(matches!(
        Command::parse(deep.as_bytes()),
        Err(ParseError::Limit { .. })
    ));
}

#[test]
fn idle_done_and_authenticate_lines() {
    assert_eq!(parse_idle_done(b"DONE\r\n"), Ok(6));
    assert_eq!(parse_idle_done(b"done\r\n"), Ok(6));
    assert!(parse_idle_done(b"DON").unwrap_err().is_incomplete());
    assert!(parse_idle_done(b"DONX\r\n").is_err());
    use mailwire_imap_proto::command::AuthenticateData;
    let (d, n) = AuthenticateData::parse(b"dGVzdA==\r\n").unwrap();
    assert_eq!(n, 10);
    assert!(matches!(&d, AuthenticateData::Response(r) if &r.expose()[..] == b"test"));
    assert_eq!(
        AuthenticateData::parse(b"*\r\n").unwrap().0,
        AuthenticateData::Cancel
    );
    assert!(AuthenticateData::parse(b"dGVzd\r\n").is_err());
    let mut e = Encoder::default();
    d.encode(&mut e);
    assert_eq!(e.as_bytes(), b"dGVzdA==\r\n");
}

#[test]
fn encoder_fragments_follow_literal_mode() {
    // LOGIN's strings fit in quoted strings: the cheapest form has no literal.
    let body = parse("A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n");
    let cmd = Command::new("A001".try_into().unwrap(), body);
    assert_eq!(
        cmd.to_bytes(),
        b"A001 LOGIN \"FRED FOOBAR\" \"fat man\"\r\n"
    );
    // MULTIAPPEND: the message data is always a literal.
    let body = parse("A003 APPEND saved-messages (\\Seen) {5}\r\nfirst (\\Seen) {6}\r\nsecond\r\n");
    let cmd = Command::new("A003".try_into().unwrap(), body);
    // Synchronizing: three fragments, the first two wait for "+".
    let mut enc = Encoder::new(EncodeOptions::default());
    cmd.encode(&mut enc);
    let frags: Vec<_> = enc.fragments().collect();
    assert_eq!(frags.len(), 3);
    assert_eq!(
        frags[0].bytes,
        b"A003 APPEND saved-messages (\\Seen) {5}\r\n"
    );
    assert!(frags[0].wait_for_continuation && frags[1].wait_for_continuation);
    assert_eq!(frags[1].bytes, b"first (\\Seen) {6}\r\n");
    assert_eq!(frags[2].bytes, b"second\r\n");
    assert!(!frags[2].wait_for_continuation);
    // LITERAL+: one fragment.
    let mut enc = Encoder::new(EncodeOptions {
        literal: LiteralMode::NonSync,
        utf8_quoted: false,
    });
    cmd.encode(&mut enc);
    assert_eq!(
        enc.as_bytes(),
        b"A003 APPEND saved-messages (\\Seen) {5+}\r\nfirst (\\Seen) {6+}\r\nsecond\r\n"
    );
    assert_eq!(enc.fragments().count(), 1);
    // LITERAL-: non-synchronizing up to 4096 octets only.
    let big = format!("a APPEND x {{4097}}\r\n{}\r\n", "x".repeat(4097));
    let cmd = Command::parse(big.as_bytes()).unwrap().0;
    let mut enc = Encoder::new(EncodeOptions {
        literal: LiteralMode::NonSyncUpTo4096,
        utf8_quoted: false,
    });
    cmd.encode(&mut enc);
    assert!(enc.as_bytes().starts_with(b"a APPEND x {4097}\r\n"));
    assert_eq!(enc.fragments().count(), 2);
    // UTF-8 quoted strings (IMAP4rev2 / UTF8=ACCEPT) avoid the literal entirely.
    let body = parse("A285 SEARCH CHARSET UTF-8 TEXT {12}\r\nотпуск\r\n");
    let cmd = Command::new("A285".try_into().unwrap(), body);
    let mut enc = Encoder::new(EncodeOptions {
        literal: LiteralMode::Sync,
        utf8_quoted: true,
    });
    cmd.encode(&mut enc);
    assert_eq!(
        enc.as_bytes(),
        "A285 SEARCH CHARSET UTF-8 TEXT \"отпуск\"\r\n".as_bytes()
    );
}

#[test]
fn non_utf8_bytes_are_preserved() {
    let input = b"a1 SELECT {4}\r\n\xff\xfe\x80a\r\n";
    let (cmd, _) = Command::parse(input).unwrap();
    let CommandBody::Select { mailbox, .. } = &cmd.body else {
        panic!()
    };
    assert_eq!(mailbox.as_bytes(), b"\xff\xfe\x80a");
    assert_eq!(cmd.to_bytes(), input);
}

#[test]
fn commands_know_their_states() {
    assert!(parse("a LOGIN a b\r\n").valid_in().not_authenticated);
    assert!(!parse("a FETCH 1 ALL\r\n").valid_in().authenticated);
    assert!(parse("a NOOP\r\n").valid_in().selected);
    assert_eq!(parse("a UID FETCH 1 ALL\r\n").name(), "UID FETCH");
}

mod prop {
    use super::*;
    use mailwire_imap_proto::capability::Capability;
    use mailwire_imap_proto::datetime::{Date, DateTime};
    use mailwire_imap_proto::mailbox::{ListMailbox, Mailbox};
    use mailwire_imap_proto::primitive::{Atom, IString, Tag, Vec1};
    use mailwire_imap_proto::search::{Charset, SortCriterion, SortKey, ThreadAlgorithm};
    use mailwire_imap_proto::section::{Part, Partial};
    use mailwire_imap_proto::status::StatusAttribute;
    use proptest::prelude::*;

    fn atom_s() -> BoxedStrategy<String> {
        "[A-Za-z0-9$_.-][A-Za-z0-9$_.+:-]{0,8}".boxed()
    }
    fn atom() -> BoxedStrategy<Atom<'static>> {
        atom_s().prop_map(|s| Atom::new(s).unwrap()).boxed()
    }
    fn istring() -> BoxedStrategy<IString<'static>> {
        prop_oneof![
            atom_s().prop_map(String::into_bytes),
            "[ -~]{0,12}".prop_map(String::into_bytes),
            proptest::collection::vec(1u8..=255, 0..12),
            "\\PC{0,6}".prop_map(String::into_bytes),
        ]
        .prop_map(|v| IString::new(v).unwrap())
        .boxed()
    }
    fn mailbox() -> BoxedStrategy<Mailbox<'static>> {
        istring()
            .prop_map(|s| Mailbox::new(s.into_inner().into_owned()).unwrap())
            .boxed()
    }
    fn nz() -> BoxedStrategy<NonZeroU32> {
        (1u32..=u32::MAX)
            .prop_map(|n| NonZeroU32::new(n).unwrap())
            .boxed()
    }
    fn seq_number() -> BoxedStrategy<SeqNumber> {
        prop_oneof![nz().prop_map(SeqNumber::Value), Just(SeqNumber::Largest)].boxed()
    }
    fn seq_set() -> BoxedStrategy<SequenceSet> {
        prop_oneof![
            1 => Just(SequenceSet::Saved),
            6 => proptest::collection::vec(
                prop_oneof![
                    seq_number().prop_map(SeqItem::Single),
                    (seq_number(), seq_number()).prop_map(|(a, b)| SeqItem::Range(a, b))
                ],
                1..4
            )
            .prop_map(|v| SequenceSet::Items(Vec1::new(v).unwrap())),
        ]
        .boxed()
    }
    fn flag() -> BoxedStrategy<Flag<'static>> {
        prop_oneof![
            Just(Flag::Seen),
            Just(Flag::Answered),
            Just(Flag::Flagged),
            Just(Flag::Deleted),
            Just(Flag::Draft),
            atom().prop_map(Flag::keyword),
            "X[a-z]{1,5}".prop_map(|s| Flag::extension(Atom::new(s).unwrap())),
        ]
        .boxed()
    }
    fn date() -> BoxedStrategy<Date> {
        (0u16..=9999, 1u8..=12, 1u8..=28)
            .prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
            .boxed()
    }
    fn date_time() -> BoxedStrategy<DateTime> {
        (date(), 0u8..24, 0u8..60, 0u8..=60, -5999i16..=5999)
            .prop_filter_map("zone", |(d, h, mi, s, z)| DateTime::new(d, h, mi, s, z))
            .boxed()
    }
    fn part() -> BoxedStrategy<Part> {
        proptest::collection::vec(nz(), 1..4)
            .prop_map(|v| Part(Vec1::new(v).unwrap()))
            .boxed()
    }
    fn section() -> BoxedStrategy<Section<'static>> {
        let fields =
            || proptest::collection::vec(istring(), 1..3).prop_map(|v| Vec1::new(v).unwrap());
        prop_oneof![
            Just(Section::Full),
            part().prop_map(Section::Part),
            proptest::option::of(part()).prop_map(Section::Header),
            (proptest::option::of(part()), fields()).prop_map(|(p, f)| Section::HeaderFields(p, f)),
            (proptest::option::of(part()), fields())
                .prop_map(|(p, f)| Section::HeaderFieldsNot(p, f)),
            proptest::option::of(part()).prop_map(Section::Text),
            part().prop_map(Section::Mime),
        ]
        .boxed()
    }
    fn partial() -> BoxedStrategy<Option<Partial>> {
        proptest::option::of(
            (any::<u32>(), nz()).prop_map(|(offset, length)| Partial { offset, length }),
        )
        .boxed()
    }
    fn fetch_att() -> BoxedStrategy<FetchAttribute<'static>> {
        prop_oneof![
            Just(FetchAttribute::Envelope),
            Just(FetchAttribute::Flags),
            Just(FetchAttribute::InternalDate),
            Just(FetchAttribute::Rfc822),
            Just(FetchAttribute::Rfc822Header),
            Just(FetchAttribute::Rfc822Size),
            Just(FetchAttribute::Rfc822Text),
            Just(FetchAttribute::Body),
            Just(FetchAttribute::BodyStructure),
            Just(FetchAttribute::Uid),
            Just(FetchAttribute::ModSeq),
            Just(FetchAttribute::EmailId),
            Just(FetchAttribute::ThreadId),
            (any::<bool>(), section(), partial()).prop_map(|(peek, section, partial)| {
                FetchAttribute::BodySection {
                    peek,
                    section,
                    partial,
                }
            }),
            (any::<bool>(), proptest::option::of(part()), partial()).prop_map(
                |(peek, part, partial)| FetchAttribute::Binary {
                    peek,
                    part,
                    partial
                }
            ),
            proptest::option::of(part()).prop_map(|part| FetchAttribute::BinarySize { part }),
        ]
        .boxed()
    }
    fn fetch_items() -> BoxedStrategy<FetchItems<'static>> {
        prop_oneof![
            Just(FetchItems::All),
            Just(FetchItems::Fast),
            Just(FetchItems::Full),
            proptest::collection::vec(fetch_att(), 1..4)
                .prop_map(|v| FetchItems::Attributes(Vec1::new(v).unwrap())),
        ]
        .boxed()
    }
    fn objectid() -> BoxedStrategy<mailwire_imap_proto::status::ObjectId<'static>> {
        "[A-Za-z0-9_-]{1,20}"
            .prop_map(|s| mailwire_imap_proto::status::ObjectId::new(s).unwrap())
            .boxed()
    }
    fn search_key() -> BoxedStrategy<SearchKey<'static>> {
        let leaf = prop_oneof![
            Just(SearchKey::All),
            Just(SearchKey::Answered),
            Just(SearchKey::Deleted),
            Just(SearchKey::Draft),
            Just(SearchKey::Flagged),
            Just(SearchKey::New),
            Just(SearchKey::Old),
            Just(SearchKey::Recent),
            Just(SearchKey::Seen),
            Just(SearchKey::Unanswered),
            Just(SearchKey::Undeleted),
            Just(SearchKey::Undraft),
            Just(SearchKey::Unflagged),
            Just(SearchKey::Unseen),
            istring().prop_map(SearchKey::Bcc),
            istring().prop_map(SearchKey::Body),
            istring().prop_map(SearchKey::Cc),
            istring().prop_map(SearchKey::From),
            istring().prop_map(SearchKey::Subject),
            istring().prop_map(SearchKey::Text),
            istring().prop_map(SearchKey::To),
            (istring(), istring()).prop_map(|(a, b)| SearchKey::Header(a, b)),
            date().prop_map(SearchKey::Before),
            date().prop_map(SearchKey::On),
            date().prop_map(SearchKey::Since),
            date().prop_map(SearchKey::SentBefore),
            date().prop_map(SearchKey::SentOn),
            date().prop_map(SearchKey::SentSince),
            atom().prop_map(SearchKey::Keyword),
            atom().prop_map(SearchKey::Unkeyword),
            (0u64..=i64::MAX as u64).prop_map(SearchKey::Larger),
            (0u64..=i64::MAX as u64).prop_map(SearchKey::Smaller),
            seq_set().prop_map(SearchKey::Uid),
            seq_set().prop_map(SearchKey::SequenceSet),
            (0u64..=i64::MAX as u64).prop_map(|modseq| SearchKey::ModSeq {
                entry: None,
                modseq
            }),
            (
                "[a-z/\\\\]{1,10}",
                prop_oneof![
                    Just(EntryType::Private),
                    Just(EntryType::Shared),
                    Just(EntryType::All)
                ],
                0u64..1000
            )
                .prop_map(|(n, t, modseq)| SearchKey::ModSeq {
                    entry: Some((IString::new(n.into_bytes()).unwrap(), t)),
                    modseq
                }),
            objectid().prop_map(SearchKey::EmailId),
            objectid().prop_map(SearchKey::ThreadId),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(|k| SearchKey::Not(Box::new(k))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| SearchKey::Or(Box::new(a), Box::new(b))),
                proptest::collection::vec(inner, 1..4)
                    .prop_map(|v| SearchKey::And(Vec1::new(v).unwrap())),
            ]
        })
        .boxed()
    }
    fn keys() -> BoxedStrategy<Vec1<SearchKey<'static>>> {
        proptest::collection::vec(search_key(), 1..3)
            .prop_map(|v| Vec1::new(v).unwrap())
            .boxed()
    }
    fn charset() -> BoxedStrategy<Charset<'static>> {
        prop_oneof![
            Just("UTF-8".to_string()),
            Just("US-ASCII".to_string()),
            "[ -~]{1,8}"
        ]
        .prop_map(|s| Charset::new(s).unwrap())
        .boxed()
    }
    fn status_att() -> BoxedStrategy<StatusAttribute> {
        prop_oneof![
            Just(StatusAttribute::Messages),
            Just(StatusAttribute::UidNext),
            Just(StatusAttribute::UidValidity),
            Just(StatusAttribute::Unseen),
            Just(StatusAttribute::Deleted),
            Just(StatusAttribute::Size),
            Just(StatusAttribute::Recent),
            Just(StatusAttribute::HighestModSeq),
            Just(StatusAttribute::AppendLimit),
            Just(StatusAttribute::MailboxId),
            Just(StatusAttribute::DeletedStorage),
        ]
        .boxed()
    }
    fn nz64() -> BoxedStrategy<NonZeroU64> {
        (1u64..=i64::MAX as u64)
            .prop_map(|n| NonZeroU64::new(n).unwrap())
            .boxed()
    }

    fn body() -> BoxedStrategy<CommandBody<'static>> {
        use mailwire_imap_proto::command::{
            AppendMessage, ListReturnOption, ListSelectOption, Secret,
        };
        use mailwire_imap_proto::flag::MailboxAttribute;
        use mailwire_imap_proto::primitive::Literal8;
        let simple = prop_oneof![
            Just(CommandBody::Capability),
            Just(CommandBody::Noop),
            Just(CommandBody::Logout),
            Just(CommandBody::StartTls),
            Just(CommandBody::Namespace),
            Just(CommandBody::Idle),
            Just(CommandBody::Check),
            Just(CommandBody::Close),
            Just(CommandBody::Unselect),
            Just(CommandBody::Expunge),
        ];
        let mailbox_cmds = prop_oneof![
            mailbox().prop_map(CommandBody::Delete),
            mailbox().prop_map(CommandBody::Subscribe),
            mailbox().prop_map(CommandBody::Unsubscribe),
            mailbox().prop_map(CommandBody::GetQuotaRoot),
            (mailbox(), mailbox()).prop_map(|(from, to)| CommandBody::Rename { from, to }),
            (
                mailbox(),
                proptest::option::of(proptest::collection::vec(
                    prop_oneof![
                        Just(MailboxAttribute::Drafts),
                        Just(MailboxAttribute::Sent),
                        Just(MailboxAttribute::Trash)
                    ],
                    0..3
                ))
            )
                .prop_map(|(mailbox, special_use)| CommandBody::Create {
                    mailbox,
                    special_use
                }),
            (mailbox(), proptest::collection::vec(status_att(), 1..4)).prop_map(|(mailbox, v)| {
                CommandBody::Status {
                    mailbox,
                    items: Vec1::new(v).unwrap(),
                }
            }),
            (mailbox(), istring()).prop_map(|(reference, p)| CommandBody::Lsub {
                reference,
                pattern: ListMailbox::new(p.into_inner().into_owned()).unwrap()
            }),
            (
                proptest::option::of(proptest::collection::vec(
                    prop_oneof![
                        Just(ListSelectOption::Subscribed),
                        Just(ListSelectOption::Remote),
                        Just(ListSelectOption::RecursiveMatch),
                        Just(ListSelectOption::SpecialUse)
                    ],
                    0..3
                )),
                mailbox(),
                proptest::collection::vec(istring(), 1..3),
                proptest::option::of(proptest::collection::vec(
                    prop_oneof![
                        Just(ListReturnOption::Subscribed),
                        Just(ListReturnOption::Children),
                        Just(ListReturnOption::SpecialUse),
                        proptest::collection::vec(status_att(), 1..3)
                            .prop_map(|v| ListReturnOption::Status(Vec1::new(v).unwrap()))
                    ],
                    0..3
                )),
            )
                .prop_map(|(select, reference, p, return_opts)| CommandBody::List {
                    select,
                    reference,
                    patterns: Vec1::new(
                        p.into_iter()
                            .map(|s| ListMailbox::new(s.into_inner().into_owned()).unwrap())
                            .collect()
                    )
                    .unwrap(),
                    return_opts,
                }),
            (
                mailbox(),
                proptest::collection::vec(
                    prop_oneof![
                        Just(SelectParam::CondStore),
                        (
                            nz(),
                            nz64(),
                            proptest::option::of(seq_set()),
                            proptest::option::of((seq_set(), seq_set()))
                        )
                            .prop_map(
                                |(uid_validity, mod_seq, known_uids, seq_match)| {
                                    SelectParam::QResync {
                                        uid_validity,
                                        mod_seq,
                                        known_uids,
                                        seq_match,
                                    }
                                }
                            ),
                    ],
                    0..2
                ),
                any::<bool>()
            )
                .prop_map(|(mailbox, params, sel)| if sel {
                    CommandBody::Select { mailbox, params }
                } else {
                    CommandBody::Examine { mailbox, params }
                }),
        ];
        let message = (
            proptest::collection::vec(flag(), 0..3),
            proptest::option::of(date_time()),
            prop_oneof![
                istring().prop_map(AppendData::Literal),
                proptest::collection::vec(any::<u8>(), 0..10)
                    .prop_map(|v| AppendData::Binary(Literal8(Cow::Owned(v)))),
                proptest::collection::vec(any::<u8>(), 0..10)
                    .prop_map(|v| AppendData::Utf8(Literal8(Cow::Owned(v)))),
            ],
        )
            .prop_map(|(flags, date, data)| AppendMessage { flags, date, data });
        let selected = prop_oneof![
            (
                any::<bool>(),
                proptest::option::of(proptest::collection::vec(
                    prop_oneof![
                        Just(SearchReturnOption::Min),
                        Just(SearchReturnOption::Max),
                        Just(SearchReturnOption::All),
                        Just(SearchReturnOption::Count),
                        Just(SearchReturnOption::Save)
                    ],
                    0..3
                )),
                proptest::option::of(charset()),
                keys()
            )
                .prop_map(|(uid, return_opts, charset, keys)| CommandBody::Search {
                    uid,
                    return_opts,
                    charset,
                    keys
                }),
            (
                any::<bool>(),
                seq_set(),
                fetch_items(),
                proptest::collection::vec(
                    prop_oneof![
                        nz64().prop_map(FetchModifier::ChangedSince),
                        Just(FetchModifier::Vanished),
                        ("X[A-Z]{1,5}", proptest::option::of(any::<u32>())).prop_map(|(n, v)| {
                            FetchModifier::Other {
                                name: Atom::new(n).unwrap(),
                                value: v.map(|v| TaggedExtVal::Number(u64::from(v))),
                            }
                        })
                    ],
                    0..2
                )
            )
                .prop_map(|(uid, set, items, modifiers)| CommandBody::Fetch {
                    uid,
                    set,
                    items,
                    modifiers
                }),
            (
                any::<bool>(),
                seq_set(),
                proptest::collection::vec(
                    (0u64..1000).prop_map(StoreModifier::UnchangedSince),
                    0..2
                ),
                prop_oneof![
                    Just(StoreKind::Replace),
                    Just(StoreKind::Add),
                    Just(StoreKind::Remove)
                ],
                any::<bool>(),
                proptest::collection::vec(flag(), 0..4)
            )
                .prop_map(|(uid, set, modifiers, kind, silent, flags)| {
                    CommandBody::Store {
                        uid,
                        set,
                        modifiers,
                        kind,
                        silent,
                        flags,
                    }
                }),
            (any::<bool>(), seq_set(), mailbox())
                .prop_map(|(uid, set, mailbox)| CommandBody::Copy { uid, set, mailbox }),
            (any::<bool>(), seq_set(), mailbox())
                .prop_map(|(uid, set, mailbox)| CommandBody::Move { uid, set, mailbox }),
            seq_set().prop_map(CommandBody::UidExpunge),
            (
                any::<bool>(),
                proptest::collection::vec(
                    (
                        any::<bool>(),
                        prop_oneof![
                            Just(SortKey::Arrival),
                            Just(SortKey::Cc),
                            Just(SortKey::Date),
                            Just(SortKey::From),
                            Just(SortKey::Size),
                            Just(SortKey::Subject),
                            Just(SortKey::To),
                            Just(SortKey::DisplayFrom),
                            Just(SortKey::DisplayTo)
                        ]
                    )
                        .prop_map(|(reverse, key)| SortCriterion { reverse, key }),
                    1..3
                ),
                charset(),
                keys()
            )
                .prop_map(|(uid, c, charset, keys)| CommandBody::Sort {
                    uid,
                    criteria: Vec1::new(c).unwrap(),
                    charset,
                    keys
                }),
            (
                any::<bool>(),
                prop_oneof![
                    Just(ThreadAlgorithm::OrderedSubject),
                    Just(ThreadAlgorithm::References),
                    "X[A-Z]{1,5}".prop_map(|s| ThreadAlgorithm::Other(Atom::new(s).unwrap()))
                ],
                charset(),
                keys()
            )
                .prop_map(|(uid, algorithm, charset, keys)| CommandBody::Thread {
                    uid,
                    algorithm,
                    charset,
                    keys
                }),
        ];
        let other = prop_oneof![
            (
                atom(),
                proptest::option::of(prop_oneof![
                    Just(InitialResponse::Empty),
                    proptest::collection::vec(any::<u8>(), 1..20)
                        .prop_map(|v| InitialResponse::Data(Secret::new(Cow::Owned(v)))),
                ])
            )
                .prop_map(|(mechanism, initial_response)| CommandBody::Authenticate {
                    mechanism,
                    initial_response
                }),
            (istring(), istring()).prop_map(|(username, p)| CommandBody::Login {
                username,
                password: Secret::new(p)
            }),
            proptest::collection::vec(atom().prop_map(Capability::from_atom), 1..3)
                .prop_map(|v| CommandBody::Enable(Vec1::new(v).unwrap())),
            (mailbox(), proptest::collection::vec(message, 1..3)).prop_map(|(mailbox, m)| {
                CommandBody::Append {
                    mailbox,
                    messages: Vec1::new(m).unwrap(),
                }
            }),
            proptest::option::of(proptest::collection::vec(
                (istring(), proptest::option::of(istring())),
                0..3
            ))
            .prop_map(CommandBody::Id),
            atom().prop_map(CommandBody::Compress),
            istring().prop_map(CommandBody::GetQuota),
            (
                istring(),
                proptest::collection::vec((atom(), 0u64..=i64::MAX as u64), 0..3)
            )
                .prop_map(|(root, limits)| CommandBody::SetQuota { root, limits }),
        ];
        prop_oneof![
            simple.boxed(),
            mailbox_cmds.boxed(),
            selected.boxed(),
            other.boxed()
        ]
        .boxed()
    }

    fn tag() -> BoxedStrategy<Tag<'static>> {
        "[A-Za-z0-9.]{1,6}"
            .prop_map(|s| Tag::new(s).unwrap())
            .boxed()
    }

    fn opts() -> BoxedStrategy<EncodeOptions> {
        (
            prop_oneof![
                Just(LiteralMode::Sync),
                Just(LiteralMode::NonSync),
                Just(LiteralMode::NonSyncUpTo4096)
            ],
            any::<bool>(),
        )
            .prop_map(|(literal, utf8_quoted)| EncodeOptions {
                literal,
                utf8_quoted,
            })
            .boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn command_round_trip(t in tag(), b in body(), o in opts()) {
            let cmd = Command::new(t, b);
            let mut enc = Encoder::new(o);
            cmd.encode(&mut enc);
            let bytes = enc.as_bytes();
            let (parsed, used) = Command::parse(bytes).map_err(|e| TestCaseError::fail(format!("{e} in {:?}", String::from_utf8_lossy(bytes))))?;
            prop_assert_eq!(used, bytes.len());
            prop_assert_eq!(&parsed, &cmd);
            // The fragments put together are the bytes.
            let joined: Vec<u8> = enc.fragments().flat_map(|f| f.bytes.iter().copied()).collect();
            prop_assert_eq!(&joined[..], bytes);
        }

        #[test]
        fn command_prefixes_are_incomplete(t in tag(), b in body()) {
            let bytes = Command::new(t, b).to_bytes();
            for i in 0..bytes.len() {
                let r = Command::parse(&bytes[..i]);
                prop_assert!(matches!(r, Err(ParseError::Incomplete { .. })), "prefix {:?}: {:?}", String::from_utf8_lossy(&bytes[..i]), r);
            }
        }

        /// Several encoded commands fed through the framer in arbitrary
        /// chunks come out as the same units and parse to the same commands.
        #[test]
        fn framer_then_parser_round_trip(
            cmds in proptest::collection::vec((tag(), body()), 1..4),
            o in opts(),
            chunk in 1usize..64,
        ) {
            use mailwire_imap_proto::framer::{FrameEvent, Framer, FramerConfig};
            let cmds: Vec<Command<'static>> = cmds.into_iter().map(|(t, b)| Command::new(t, b)).collect();
            let mut wire = Vec::new();
            for c in &cmds {
                let mut enc = Encoder::new(o);
                c.encode(&mut enc);
                wire.extend_from_slice(enc.as_bytes());
            }
            let mut framer = Framer::new(FramerConfig::server());
            let mut units = Vec::new();
            for piece in wire.chunks(chunk) {
                framer.feed(piece);
                while let Some(ev) = framer.poll() {
                    match ev {
                        FrameEvent::Literal(a) if a.needs_continuation => framer.accept_literal(),
                        FrameEvent::Literal(_) => {}
                        FrameEvent::Unit(u) => units.push(u),
                        other => prop_assert!(false, "{other:?}"),
                    }
                }
            }
            prop_assert_eq!(framer.buffered(), 0);
            prop_assert_eq!(units.len(), cmds.len());
            for (u, c) in units.iter().zip(&cmds) {
                let (parsed, n) = Command::parse(u).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(n, u.len());
                prop_assert_eq!(&parsed, c);
            }
        }

        #[test]
        fn arbitrary_input_never_panics(data in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Command::parse(&data);
        }
    }
}

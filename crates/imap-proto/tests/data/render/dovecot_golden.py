#!/usr/bin/env python3
"""Regenerates dovecot.golden: what Dovecot's imap (2.3) answers to single
FETCH items for the messages in msgs/, in sorted file-name order (message
n = n-th file). Runs Dovecot's imap binary in PREAUTH mode over a pipe on a
throw-away maildir; needs dovecot-imapd and, as root, setpriv.

Record format, per FETCH: a line "@@ <msg-file> <status> <length> <item>\n"
then <length> bytes of untagged responses, then "\n". <status> is OK, BAD or
NO:<code> (e.g. NO:UNKNOWN-CTE).
"""
import os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ITEMS = [
    "ENVELOPE", "BODY", "BODYSTRUCTURE", "RFC822.SIZE", "RFC822.HEADER",
    "BODY.PEEK[]", "BODY.PEEK[HEADER]", "BODY.PEEK[TEXT]",
    "BODY.PEEK[HEADER.FIELDS (FROM subject To)]",
    "BODY.PEEK[HEADER.FIELDS.NOT (From SUBJECT)]",
    "BODY.PEEK[HEADER.FIELDS (X-NONE)]",
    "BODY.PEEK[1]", "BODY.PEEK[1.MIME]", "BODY.PEEK[2]", "BODY.PEEK[2.MIME]",
    "BODY.PEEK[2.HEADER]", "BODY.PEEK[2.TEXT]", "BODY.PEEK[2.1]",
    "BODY.PEEK[2.1.MIME]", "BODY.PEEK[2.2]", "BODY.PEEK[2.HEADER.FIELDS (subject)]",
    "BODY.PEEK[3]", "BODY.PEEK[3.1]", "BODY.PEEK[3.HEADER]", "BODY.PEEK[1.1]",
    "BODY.PEEK[1.2]", "BODY.PEEK[4]", "BODY.PEEK[1.HEADER]", "BODY.PEEK[1.TEXT]",
    "BODY.PEEK[TEXT]<5.10>", "BODY.PEEK[]<0.20>", "BODY.PEEK[HEADER]<10000.5>",
    "BODY.PEEK[1]<0.1>", "BINARY.PEEK[1]", "BINARY.SIZE[1]", "BINARY.PEEK[2]",
    "BINARY.SIZE[2]", "BINARY.PEEK[1.1]", "BINARY.SIZE[1.1]", "BINARY.PEEK[1]<2.3>",
    "BINARY.PEEK[3]", "BINARY.SIZE[9]",
]

def main():
    msgs = sorted(f for f in os.listdir(os.path.join(HERE, "msgs")) if f.endswith(".eml"))
    tmp = tempfile.mkdtemp(prefix="render-golden-")
    try:
        md = os.path.join(tmp, "Maildir")
        for d in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(md, d))
        for i, m in enumerate(msgs, 1):
            shutil.copy(os.path.join(HERE, "msgs", m),
                        os.path.join(md, "cur", "%d.M%dP1.render:2," % (1700000000 + i, i)))
        conf = os.path.join(tmp, "dovecot.conf")
        with open(conf, "w") as f:
            f.write("base_dir = %s/run\nstate_dir = %s/state\nlog_path = %s/log\n"
                    "mail_location = maildir:%s\nfirst_valid_uid = 1\nssl = no\n" % (tmp, tmp, tmp, md))
        pre = []
        if os.getuid() == 0:
            os.system("chown -R 65534:65534 " + tmp)
            pre = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        proc = subprocess.Popen(pre + ["env", "USER=nobody", "HOME=" + tmp, "/usr/lib/dovecot/imap", "-c", conf],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        buf = [b""]

        def response():
            # One response, honouring literals.
            while True:
                data = buf[0]
                pos = 0
                ok = True
                while True:
                    eol = data.find(b"\r\n", pos)
                    if eol < 0:
                        ok = False
                        break
                    m = re.search(rb"~?\{(\d+)\}$", data[pos:eol])
                    if m:
                        pos = eol + 2 + int(m.group(1))
                        if pos > len(data):
                            ok = False
                            break
                    else:
                        pos = eol + 2
                        break
                if ok:
                    buf[0] = data[pos:]
                    return data[:pos]
                chunk = proc.stdout.read1(65536)
                if not chunk:
                    raise SystemExit("dovecot closed the connection")
                buf[0] += chunk

        def command(tag, line):
            proc.stdin.write(("%s %s\r\n" % (tag, line)).encode())
            proc.stdin.flush()
            untagged = []
            while True:
                r = response()
                if r.startswith(tag.encode() + b" "):
                    return untagged, r
                if r.startswith(b"* ") and b" FETCH " in r[:20]:
                    untagged.append(r)

        response()  # greeting
        command("s", "SELECT INBOX")
        records = []
        for i, m in enumerate(msgs, 1):
            for n, it in enumerate(ITEMS):
                untagged, r = command("t%d" % n, "FETCH %d (%s)" % (i, it))
                word = r.split(b" ")[1].decode()
                code = re.match(rb"\S+ \S+ \[([A-Z-]+)", r)
                status = word if word != "NO" else "NO:" + (code.group(1).decode() if code else "")
                body = b"".join(untagged)
                records.append(b"@@ %s %s %d %s\n" % (m.encode(), status.encode(), len(body), it.encode()) + body + b"\n")
        command("z", "LOGOUT")
        proc.stdin.close()
        proc.wait(timeout=10)
        with open(os.path.join(HERE, "dovecot.golden"), "wb") as f:
            f.write(b"".join(records))
        print("%d records" % len(records))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

main()

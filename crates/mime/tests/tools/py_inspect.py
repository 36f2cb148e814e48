#!/usr/bin/env python3
"""Reference output for mail-inspect from Python's `email` (policy=default).

Usage: py_inspect.py FILE.eml  -- prints the subset of the mail-inspect JSON
that Python can produce the same way (parts, subject, text_body), for
differential checks: `diff <(py_inspect.py f) <(mail-inspect f | jq ...)`.
"""
import email, email.policy, hashlib, json, sys

def leaves(part, path, out):
    if part.is_multipart():
        payload = part.get_payload()
        if part.get_content_maintype() == 'message':
            inner = payload[0]
            if inner.is_multipart():
                leaves(inner, path, out)
            else:
                leaves(inner, path + [1], out)
        else:
            for i, p in enumerate(payload, 1):
                leaves(p, path + [i], out)
    else:
        out.append((path or [1], part))

msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
out = []
leaves(msg, [], out)
parts = []
for path, p in out:
    data = p.get_payload(decode=True) or b''
    parts.append({
        'path': '.'.join(map(str, path)),
        'content_type': p.get_content_type(),
        'disposition': p.get_content_disposition(),
        'filename': p.get_filename(),
        'decoded_size': len(data),
        'sha256': hashlib.sha256(data).hexdigest(),
    })
print(json.dumps({'subject': msg['subject'], 'parts': parts}, indent=2, ensure_ascii=False))

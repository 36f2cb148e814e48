#!/usr/bin/env python3
"""Compare mail-inspect output with Python's email package for one file."""
import email, email.policy, hashlib, json, subprocess, sys

def leaves(part, path, out):
    if part.is_multipart():
        payload = part.get_payload()
        if part.get_content_maintype() == 'message':
            inner = payload[0]
            leaves(inner, path if inner.get_content_maintype() == 'multipart' else path + [1], out)
        else:
            for i, p in enumerate(payload, 1):
                leaves(p, path + [i], out)
    else:
        out.append((path or [1], part))

def python_view(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    out = []
    leaves(msg, [], out)
    parts = []
    for path, p in out:
        payload = p.get_payload(decode=True) or b''
        parts.append(dict(path='.'.join(map(str, path)), content_type=p.get_content_type(),
                          disposition=p.get_content_disposition(), filename=p.get_filename(),
                          decoded_size=len(payload), sha256=hashlib.sha256(payload).hexdigest()))
    return dict(subject=msg['subject'], parts=parts)

def ours(binary, data):
    r = subprocess.run([binary, '-'], input=data, capture_output=True, check=True)
    d = json.loads(r.stdout)
    keys = ['path', 'content_type', 'disposition', 'filename', 'decoded_size', 'sha256']
    return dict(subject=d['subject'], parts=[{k: p[k] for k in keys} for p in d['parts']])

binary, path = sys.argv[1], sys.argv[2]
raw = open(path, 'rb').read().replace(b'\r\n', b'\n')
ok = True
for form, data in (('lf', raw), ('crlf', raw.replace(b'\n', b'\r\n'))):
    a, b = ours(binary, data), python_view(data)
    if a != b:
        ok = False
        print(f'--- {path} ({form}) differs')
        if a['subject'] != b['subject']:
            print('  subject ours', repr(a['subject']), 'python', repr(b['subject']))
        for x, y in zip(a['parts'], b['parts']):
            if x != y:
                print('  ours  ', x)
                print('  python', y)
        if len(a['parts']) != len(b['parts']):
            print('  part count ours', len(a['parts']), 'python', len(b['parts']))
sys.exit(0 if ok else 1)

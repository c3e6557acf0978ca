#!/usr/bin/python3
"""Independent DKIM verifier for the MailOps signing tests (dkimpy, Debian's python3-dkim).

Usage: dkim_verify.py RECORD [NAME] < message.eml

Verifies the first (top-most) DKIM-Signature of the message on stdin. RECORD is the key record
(TXT) served for the key lookup; when NAME is given (e.g. sel._domainkey.example.com) only that
name resolves, so a wrong d= or s= fails. No network is used. Prints "signature ok" (exit 0)
or "signature verification failed" (exit 1); the reason dkimpy logs goes to stderr.
"""
import logging
import sys

import dkim


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    record = sys.argv[1].encode("ascii")
    expected = sys.argv[2].rstrip(".").lower() if len(sys.argv) > 2 else None

    def dnsfunc(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode("ascii")
        asked = name.rstrip(".").lower()
        sys.stderr.write("lookup %s\n" % asked)
        if expected is not None and asked != expected:
            return None
        return record

    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG)
    message = sys.stdin.buffer.read()
    try:
        ok = dkim.DKIM(message, logger=logging.getLogger("dkim"), minkey=1024).verify(idx=0, dnsfunc=dnsfunc)
    except dkim.DKIMException as ex:
        sys.stderr.write("error: %s\n" % ex)
        ok = False
    print("signature ok" if ok else "signature verification failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

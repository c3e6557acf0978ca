#!/usr/bin/python3
"""A scripted SMTP server on loopback for the MailOps tests (run by Debian's /usr/bin/python3
with python3-aiosmtpd). It prints "READY <port>" once it listens, then one line per event:

    OPEN <session>
    CMD <session> <tls 0|1> <VERB> [argument]     (AUTH lines carry the mechanism only)
    CLOSE <session>
    SYNCED <token>                                (the answer to "SYNC <token>" on stdin)

so a test can assert what a client sent ("no DATA", "AUTH only after STARTTLS"). It never
sends mail anywhere: accepted messages are discarded.
"""
import argparse
import asyncio
import itertools
import os
import random
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

VERBS = {"HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY", "EXPN",
         "HELP", "STARTTLS", "AUTH", "BDAT"}
SESSIONS = itertools.count(1)
QUIET = False


EMIT_LOCK = threading.Lock()


def emit(line):
    # The event loop and the stdin thread both write; one line at a time.
    with EMIT_LOCK:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--mode", choices=["smtp", "greet421"], default="smtp")
    p.add_argument("--hostname", default="mail.test")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--starttls", action="store_true", help="offer STARTTLS (needs --cert/--key)")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--implicit-tls", action="store_true", help="TLS at once (port 465 style)")
    p.add_argument("--auth-user")
    p.add_argument("--auth-password")
    p.add_argument("--auth-require-tls", action="store_true")
    p.add_argument("--auth-fail", action="store_true", help="answer every AUTH with 535 5.7.8")
    p.add_argument("--mail-reply", help="reply to MAIL FROM, e.g. '451 4.7.1 Greylisted'")
    p.add_argument("--rcpt-reply", help="reply to every RCPT TO")
    p.add_argument("--reject-rcpt", action="append", default=[],
                   help="address=reply, e.g. 'x@y.example=550 5.7.1 Relaying denied'")
    p.add_argument("--drop-data", action="store_true", help="drop the connection at DATA")
    p.add_argument("--save-dir", help="write every accepted message to this folder as <n>.eml")
    p.add_argument("--fail-file", help="while this file exists, answer MAIL FROM with --fail-reply")
    p.add_argument("--fail-reply", default="451 4.3.2 Temporarily unavailable, try again later")
    p.add_argument("--random-fail", type=float, default=0.0,
                   help="fraction of DATA commands that fail (half 451, half dropped connection)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quiet", action="store_true",
                   help="log no CMD lines (benchmarks: the log is test instrumentation, not SMTP)")
    return p.parse_args()


class Handler:
    def __init__(self, args):
        self.args = args
        self.rejects = {}
        for item in args.reject_rcpt:
            address, _, reply = item.partition("=")
            self.rejects[address.lower()] = reply
        self.random = random.Random(args.seed)
        self.saved = itertools.count(1)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.args.fail_file and os.path.exists(self.args.fail_file):
            return self.args.fail_reply
        if self.args.mail_reply:
            return self.args.mail_reply
        envelope.mail_from = address
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rejects.get(address.lower()) or self.args.rcpt_reply
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.drop_data:
            server.transport.abort()
            return "451 4.3.0 dropped"
        if self.args.random_fail > 0 and self.random.random() < self.args.random_fail:
            # Fail before the message is kept, so a client that retries delivers it once.
            if self.random.random() < 0.5:
                server.transport.abort()
                return "451 4.3.0 dropped"
            return "451 4.3.0 Random transient failure"
        if self.args.save_dir:
            name = os.path.join(self.args.save_dir, f"{next(self.saved):06d}.eml")
            with open(name + ".tmp", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            os.replace(name + ".tmp", name)
            return "250 2.0.0 OK: saved"
        return "250 2.0.0 OK: discarded"


class LoggingSMTP(SMTP):
    """aiosmtpd's SMTP, logging every command line it reads with the session's TLS state."""

    def __init__(self, *a, implicit_tls=False, **kw):
        super().__init__(*a, **kw)
        self.session_id = next(SESSIONS)
        self.implicit_tls = implicit_tls

    def _is_tls(self):
        return self.implicit_tls or self._tls_protocol is not None

    async def _handle_client(self):
        emit(f"OPEN {self.session_id}")
        reader = self._reader
        original = reader.readuntil

        async def logged(*a, **kw):
            line = await original(*a, **kw)
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            verb, _, arg = text.partition(" ")
            if verb.upper() in VERBS:
                if verb.upper() == "AUTH":
                    arg = arg.split(" ")[0]  # never log the initial response (credentials)
                emit(f"CMD {self.session_id} {1 if self._is_tls() else 0} {verb.upper()} {arg}".rstrip())
            return line

        if not QUIET:
            reader.readuntil = logged
        return await super()._handle_client()

    def connection_lost(self, exc):
        emit(f"CLOSE {self.session_id}")
        return super().connection_lost(exc)


def make_authenticator(args):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if args.auth_fail or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (auth_data.login.decode() == args.auth_user
              and auth_data.password.decode() == args.auth_password)
        return AuthResult(success=ok, handled=False)
    return authenticate


async def greet421(reader, writer):
    sid = next(SESSIONS)
    emit(f"OPEN {sid}")
    writer.write(b"421 4.7.0 mail.test Too many connections, try again later\r\n")
    await writer.drain()
    writer.close()
    emit(f"CLOSE {sid}")


async def main():
    global QUIET
    args = parse_args()
    QUIET = args.quiet
    loop = asyncio.get_running_loop()
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    if args.mode == "greet421":
        server = await asyncio.start_server(greet421, "127.0.0.1", args.port)
    else:
        handler = Handler(args)
        auth = args.auth_user is not None or args.auth_fail

        def factory():
            return LoggingSMTP(
                handler,
                hostname=args.hostname,
                tls_context=context if args.starttls else None,
                require_starttls=args.require_starttls,
                authenticator=make_authenticator(args) if auth else None,
                # aiosmtpd only knows STARTTLS as TLS; with implicit TLS every byte is encrypted.
                auth_require_tls=args.auth_require_tls and not args.implicit_tls,
                auth_exclude_mechanism=[] if auth else ["LOGIN", "PLAIN"],
                implicit_tls=args.implicit_tls,
                loop=loop)

        server = await loop.create_server(
            factory, "127.0.0.1", args.port, ssl=context if args.implicit_tls else None)

    port = server.sockets[0].getsockname()[1]
    emit(f"READY {port}")
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # stdin closing (the test process went away) also stops the server.
    # "SYNC <token>" on stdin is answered "SYNCED <token>" on stdout: every line printed
    # before it has then been read by the test, a barrier without sleeping.
    def watch_stdin():
        for raw in sys.stdin.buffer:
            text = raw.decode("ascii", "replace").strip()
            if text.startswith("SYNC "):
                emit("SYNCED " + text[5:])
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())

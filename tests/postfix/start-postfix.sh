#!/usr/bin/env bash
# Configures and starts the Postfix of the end-to-end send test
# (tests/MailOps.PowerShell.Tests/PostfixTests.cs, tests/Pester/Postfix.Tests.ps1). .ci/run calls
# it after installing Debian's postfix; run it by hand (as root, or with sudo) before running
# those tests on a workstation.
#
# The instance is closed to the world by construction:
#   - one listener, 127.0.0.1:2525 (no port 25), inet_interfaces = loopback-only;
#   - mail for postfix.test goes to the Maildir /var/tmp/mailops-postfix/inbox/ (every address
#     of that domain, except reject@postfix.test, which RCPT TO answers with 550 5.1.1);
#   - mail for any other domain is accepted from 127.0.0.0/8 but never leaves: the default and
#     relay transports are error:, and master.cf has no smtp, relay or lmtp client at all.
# Logs go to /var/log/postfix.log (Postfix's own postlogd: no syslog needed).
#
# Idempotent: a second run rewrites the same files and reloads the running Postfix. It refuses
# to overwrite an /etc/postfix/main.cf this script did not write (a real mail server's).
#
# The Maildir belongs to the user who ran sudo (so `dotnet test` as that user can read the
# messages Postfix delivered), else to the system user mailops-postfix, created on first run.
set -euo pipefail

readonly LISTEN_HOST=127.0.0.1
readonly LISTEN_PORT=2525
readonly MAIL_BASE=/var/tmp/mailops-postfix
readonly MAILDIR="$MAIL_BASE/inbox"
readonly LOG_FILE=/var/log/postfix.log
readonly CONFIG_DIR=/etc/postfix
readonly MARKER="# Written by MailOps tests/postfix/start-postfix.sh: the end-to-end test MTA, not a mail server."
# How long to wait for the 220 greeting after start or reload, and how often to look.
readonly READY_SECONDS=30
readonly POLL_SECONDS=0.2

fail() {
    echo "start-postfix.sh: $*" >&2
    exit 1
}

if [ "$(id -u)" -ne 0 ]; then
    fail "run as root (sudo bash tests/postfix/start-postfix.sh): Postfix's configuration and queue belong to root."
fi

if ! command -v postfix >/dev/null 2>&1; then
    fail "postfix is not installed: run .ci/run, or: echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections && DEBIAN_FRONTEND=noninteractive apt-get install -y postfix"
fi

if [ -e "$CONFIG_DIR/main.cf" ] && ! grep -qxF "$MARKER" "$CONFIG_DIR/main.cf"; then
    fail "$CONFIG_DIR/main.cf exists and was not written by this script; refusing to replace a real Postfix configuration. Use a disposable machine or container for this test."
fi

# The owner of the delivered mail. Postfix's virtual(8) refuses uids below virtual_minimum_uid
# (100) and root in any case, so root never owns the Maildir.
if [ -n "${SUDO_UID:-}" ] && [ "${SUDO_UID}" -ge 100 ]; then
    owner_uid=$SUDO_UID
    owner_gid=${SUDO_GID:-$SUDO_UID}
else
    if ! id -u mailops-postfix >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin --comment "MailOps test Maildir owner" mailops-postfix
    fi
    owner_uid=$(id -u mailops-postfix)
    owner_gid=$(id -g mailops-postfix)
fi

# The Maildir exists before the first delivery, so a test that looks too early finds an empty
# folder rather than a missing one. Files Postfix delivers are mode 0600, owned by the owner.
install -d -m 0755 -o "$owner_uid" -g "$owner_gid" "$MAIL_BASE"
install -d -m 0700 -o "$owner_uid" -g "$owner_gid" "$MAILDIR" "$MAILDIR/new" "$MAILDIR/cur" "$MAILDIR/tmp"
chown -R "$owner_uid:$owner_gid" "$MAIL_BASE"

# A temporary file, then a rename: a reload never reads half a file.
write_config() {
    local target=$1
    cat >"$target.mailops-new"
    chmod 0644 "$target.mailops-new"
    mv -f "$target.mailops-new" "$target"
}

write_config "$CONFIG_DIR/main.cf" <<EOF
$MARKER
compatibility_level = 3.6
myhostname = mailops-postfix.localhost
myorigin = \$myhostname
smtpd_banner = \$myhostname ESMTP MailOps test Postfix

# Loopback only (the listener itself is 127.0.0.1:$LISTEN_PORT in master.cf).
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8

# No local delivery and no delivery off this machine: whatever is not for postfix.test bounces
# through the error transport, and master.cf has no SMTP client to reach anything with.
mydestination =
local_recipient_maps =
local_transport = error:no local delivery in tests
alias_maps =
alias_database =
relayhost =
relay_domains =
default_transport = error:no outside delivery in tests
relay_transport = error:no outside delivery in tests

# Every address of postfix.test is one Maildir (trailing slash = Maildir format).
virtual_mailbox_domains = postfix.test
virtual_mailbox_base = $MAIL_BASE
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:$owner_uid
virtual_gid_maps = static:$owner_gid

# reject@postfix.test is the recipient the server refuses (the permanent-failure test).
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access inline:{ { reject@postfix.test = 550 5.1.1 no such user } }, permit_mynetworks, reject_unauth_destination

# Postfix 3.4+ logs through its own postlogd service, no syslog daemon needed.
maillog_file = $LOG_FILE
biff = no
EOF

# chroot is "n" everywhere: Debian's default "y" needs the files its init script copies into
# /var/spool/postfix, which "postfix start" does not do.
write_config "$CONFIG_DIR/master.cf" <<EOF
$MARKER
# service type  private unpriv  chroot  wakeup  maxproc command + args
$LISTEN_HOST:$LISTEN_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

touch "$LOG_FILE"
postfix check

# Something else on the port would answer the readiness probe below and fool the tests.
port_open() {
    (exec 3<>"/dev/tcp/$LISTEN_HOST/$LISTEN_PORT") 2>/dev/null
}

if postfix status >/dev/null 2>&1; then
    postfix reload
else
    if port_open; then
        fail "$LISTEN_HOST:$LISTEN_PORT is taken by another process, not by Postfix."
    fi
    postfix start
fi

# Ready means smtpd greets with 220, not just that the port accepts.
greeting() {
    local line
    exec 3<>"/dev/tcp/$LISTEN_HOST/$LISTEN_PORT" || return 1
    IFS= read -r -t 5 line <&3 || { exec 3<&-; return 1; }
    printf 'QUIT\r\n' >&3 || true
    exec 3<&-
    [[ "$line" == 220* ]] && printf '%s\n' "${line%$'\r'}"
}

started=$SECONDS
while [ $((SECONDS - started)) -lt "$READY_SECONDS" ]; do
    if banner=$(greeting 2>/dev/null); then
        echo "Postfix ready on $LISTEN_HOST:$LISTEN_PORT ($banner); Maildir $MAILDIR owned by uid $owner_uid; log $LOG_FILE"
        exit 0
    fi
    sleep "$POLL_SECONDS"
done

echo "start-postfix.sh: Postfix did not greet on $LISTEN_HOST:$LISTEN_PORT within ${READY_SECONDS}s; last log lines:" >&2
tail -n 30 "$LOG_FILE" >&2 || true
exit 1

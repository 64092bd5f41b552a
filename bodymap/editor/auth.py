"""Who may use the editor: a private token (bodymap edit) or a password (a hosted map).

The token or password is exchanged once for the editor's own session cookie: signed,
scoped to /edit (so no patient page ever receives or sets it), HttpOnly,
SameSite=Strict, Secure over https. Every request to the editor carries it and it is
checked in constant time. Every form carries a CSRF token bound to the session, and
every POST must come from the editor's own origin. Wrong tokens and passwords are
counted per address and overall, and refused for a while after a few.
"""

from __future__ import annotations

import collections
import getpass
import hashlib
import hmac
import secrets
import sys
import threading
import time
from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.security import check_password_hash, generate_password_hash

COOKIE = "bodymap_editor"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5  # per address within FAILURE_WINDOW
MAX_FAILURES_OVERALL = 30  # from every address together within FAILURE_WINDOW
FAILURE_WINDOW = 60.0  # seconds
MAX_ADDRESSES = 1000  # addresses remembered; the oldest are forgotten first


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    """The value for BODYMAP_EDITOR_PASSWORD_HASH (scrypt, salted)."""
    return generate_password_hash(password, method="scrypt")


def prompt_for_hash() -> int:
    """`bodymap edit --hash-password`: ask twice, print the setting's line."""
    password = getpass.getpass("Password for the editor (12 characters or more): ")
    if len(password) < 12:
        print("The password is too short: use 12 characters or more.", file=sys.stderr)
        return 1
    if getpass.getpass("The same password again: ") != password:
        print("The two passwords are not the same.", file=sys.stderr)
        return 1
    print(f"BODYMAP_EDITOR_PASSWORD_HASH='{hash_password(password)}'")
    return 0


def _secret() -> bytes:
    """The key that signs sessions: from the token, or from the password's hash.

    The hash is the same in every worker, so every worker accepts the same sessions;
    a new password ends every session.
    """
    config = current_app.config
    source = config.get("EDITOR_TOKEN") or config.get("EDITOR_PASSWORD_HASH") or ""
    return hashlib.sha256(b"bodymap editor session\0" + source.encode()).digest()


def _sign(message: str) -> str:
    return hmac.new(_secret(), message.encode(), hashlib.sha256).hexdigest()


def token_matches(given: str) -> bool:
    expected = current_app.config.get("EDITOR_TOKEN") or ""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def password_matches(given: str) -> bool:
    stored = current_app.config.get("EDITOR_PASSWORD_HASH") or ""
    # werkzeug compares the hashes with hmac.compare_digest
    return bool(stored) and check_password_hash(stored, given)


def new_session() -> str:
    expires = int(time.time()) + SESSION_SECONDS
    message = f"{expires}.{secrets.token_urlsafe(16)}"
    return f"{message}.{_sign(message)}"


def session_id() -> str | None:
    """The session's id from this request's cookie, if signed by us and not expired."""
    value = request.cookies.get(COOKIE, "")
    message, _, signature = value.rpartition(".")
    if not message or not hmac.compare_digest(signature.encode(), _sign(message).encode()):
        return None
    expires = message.partition(".")[0]
    if not expires.isdecimal() or int(expires) < time.time():
        return None
    return message


def csrf_token() -> str:
    """The token every form of this session carries."""
    return _sign(f"csrf:{session_id() or ''}")


def csrf_matches(given: str) -> bool:
    return session_id() is not None and hmac.compare_digest(given.encode(), csrf_token().encode())


def set_session(response, value: str | None) -> None:
    """Set (or with None, end) the editor's cookie, for /edit only."""
    secure = request.is_secure or current_app.config.get("PUBLIC_URL", "").startswith("https:")
    response.set_cookie(
        COOKIE,
        value or "",
        max_age=SESSION_SECONDS if value else 0,
        path="/edit",
        httponly=True,
        samesite="Strict",
        secure=secure,
    )


def own_origins() -> set[str]:
    """The origins the editor's forms are on."""
    found = {f"{request.scheme}://{request.host}"}
    if public := current_app.config.get("PUBLIC_URL"):
        parts = urlsplit(public)
        found.add(f"{parts.scheme}://{parts.netloc}")
    return found


def same_origin() -> bool:
    """A POST must say it comes from the editor's own pages (Origin, else Referer)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None and (referer := request.headers.get("Referer")):
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    return origin is not None and origin in own_origins()


def local_host() -> bool:
    """With a token (on this computer), the address must be loopback (no DNS rebinding)."""
    host = (request.host or "").rpartition(":")[0] or request.host
    return host in ("127.0.0.1", "localhost", "[::1]")


class Attempts:
    """Wrong tokens and passwords, per address and overall, in a sliding window."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_address: collections.OrderedDict[str, collections.deque] = collections.OrderedDict()
        self.overall: collections.deque = collections.deque(maxlen=MAX_FAILURES_OVERALL)

    def _recent(self, times: collections.deque, now: float) -> int:
        while times and times[0] < now - FAILURE_WINDOW:
            times.popleft()
        return len(times)

    def blocked(self, address: str) -> bool:
        now = time.monotonic()
        with self.lock:
            mine = self.by_address.get(address, collections.deque())
            return (
                self._recent(mine, now) >= MAX_FAILURES
                or self._recent(self.overall, now) >= MAX_FAILURES_OVERALL
            )

    def failed(self, address: str) -> None:
        now = time.monotonic()
        with self.lock:
            mine = self.by_address.pop(address, None) or collections.deque(maxlen=MAX_FAILURES)
            mine.append(now)
            self.by_address[address] = mine
            while len(self.by_address) > MAX_ADDRESSES:
                self.by_address.popitem(last=False)
            self.overall.append(now)

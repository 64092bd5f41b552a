"""The settings of a deployment: one table, read once from the environment, checked at start-up.

Everything configurable about where and how the map runs (not what it says: that is
regions.yaml) is listed in SETTINGS, with its environment variable, default and meaning.
`read()` turns the environment into app config keys, or raises SettingsError naming each
bad variable with a hint. Nothing else in the package reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from .problems import ContentError, Problem


@dataclass(frozen=True)
class Setting:
    key: str  # the app config key
    variable: str  # the environment variable
    default: object
    parse: Callable[[str], object]
    meaning: str
    example: str


class SettingsError(ContentError):
    """One or more settings in the environment cannot be used."""


def _whole_number(text: str) -> int:
    if not text.isdecimal() or int(text) <= 0:
        raise ValueError("is not a whole number above 0")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("is not a number of seconds") from None
    if not 0 <= value <= 600:
        raise ValueError("must be between 0 and 600 seconds")
    return value


def _switch(text: str) -> bool:
    words = {"1": True, "true": True, "yes": True, "on": True}
    words |= {"0": False, "false": False, "no": False, "off": False}
    if text.lower() not in words:
        raise ValueError("is not on or off")
    return words[text.lower()]


def _public_url(text: str) -> str:
    """An https (or loopback http) address with no path, query or credentials."""
    parts = urlsplit(text)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme not in ("https", "http") or (parts.scheme == "http" and not local):
        raise ValueError("must start with https://")
    if not parts.hostname or parts.username or parts.password or parts.query or parts.fragment:
        raise ValueError("must be just the map's address, such as https://map.example-clinic.com")
    return text.rstrip("/")


def _text(text: str) -> str:
    return text


def _password_hash(text: str) -> str:
    """A hash made by `bodymap edit --hash-password` (never the password itself)."""
    method, _, rest = text.partition(":")
    if method not in ("scrypt", "pbkdf2") or rest.count("$") != 2:
        raise ValueError("is not a password hash: make one with bodymap edit --hash-password")
    return text


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "REGIONS",
        "BODYMAP_REGIONS",
        "regions.yaml",
        _text,
        "The content file (relative to the working directory).",
        "/srv/clinic/regions.yaml",
    ),
    Setting(
        "FIGURES",
        "BODYMAP_FIGURES",
        "",
        _text,
        "The folder of the figure files that tools/make_figure.py writes (`adult.yaml`: the"
        " outlines and every region's shape). Default: `figures/` beside the content file.",
        "/srv/clinic/figures",
    ),
    Setting(
        "MAX_BYTES",
        "BODYMAP_MAX_BYTES",
        512 * 1024,
        _whole_number,
        "The largest content file accepted, in bytes (the sample is about 100 KB).",
        "1048576",
    ),
    Setting(
        "PUBLIC_URL",
        "BODYMAP_PUBLIC_URL",
        "",
        _public_url,
        "The map's own public address. Absolute addresses (the embed snippet) are made"
        " from it, never from the request's Host. Not the clinic's site (clinic.site_url).",
        "https://map.example-clinic.com",
    ),
    Setting(
        "LAST_GOOD_DIR",
        "BODYMAP_LAST_GOOD_DIR",
        "",
        _text,
        "Folder where the newest valid version of the content file is kept (as"
        " `regions.last-good-1a2b3c4d.yaml`, the digits from its path), shared by every"
        " worker and kept across restarts; the map's user must be able to write to it."
        " Default: the app's instance folder, instance/ in the project folder.",
        "/var/lib/bodymap",
    ),
    Setting(
        "SETTLE_SECONDS",
        "BODYMAP_SETTLE_SECONDS",
        2.0,
        _seconds,
        "A changed content file is loaded only once nothing has written to it for this long,"
        " so a slow upload that pauses is not served half-written (a save to a temporary"
        " name, then renamed, is safe whatever this is).",
        "2",
    ),
    Setting(
        "CACHE_MB",
        "BODYMAP_CACHE_MB",
        48,
        _whole_number,
        "Memory for prepared pages, per worker, in megabytes: a bound in bytes, so a flood"
        " of unique addresses grows a worker by about this much at most.",
        "64",
    ),
    Setting(
        "PREVIEW",
        "BODYMAP_PREVIEW",
        False,
        _switch,
        "Turn on /preview for content editors (off on a live site).",
        "1",
    ),
    Setting(
        "EDITOR_PASSWORD_HASH",
        "BODYMAP_EDITOR_PASSWORD_HASH",
        "",
        _password_hash,
        "Turn on the editor at /edit for a hosted map: the hash of its password, made with"
        " `bodymap edit --hash-password` (in single quotes). Off when empty.",
        "'scrypt:32768:8:1$…$…'",
    ),
)


def defaults() -> dict[str, object]:
    """Every setting at its default, as app config keys."""
    return {setting.key: setting.default for setting in SETTINGS}


def read(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The settings from the environment (unset or empty: the default); SettingsError if bad."""
    environ = os.environ if environ is None else environ
    values, problems = defaults(), []
    for setting in SETTINGS:
        text = environ.get(setting.variable, "").strip()
        if not text:
            continue
        try:
            values[setting.key] = setting.parse(text)
        except ValueError as error:
            problems.append(
                Problem(
                    0,
                    0,
                    f"the setting {setting.variable}={text!r} {error}",
                    f"set it like {setting.variable}={setting.example}, or remove it",
                    "environment",
                )
            )
    if problems:
        raise SettingsError(problems)
    return values


def table() -> str:
    """The settings as a Markdown table, for docs/deploy.md."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = "off" if s.default is False else s.default if s.default != "" else "(none)"
        rows.append(f"| `{s.variable}` | `{default}` | {s.meaning} |")
    return "\n".join(rows)

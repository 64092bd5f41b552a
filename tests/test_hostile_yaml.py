"""Hostile content files: each is refused with a ContentError and a message, quickly.

The documents are generated here, not stored. Every one must end in ContentError (never another
exception, a RecursionError or a hang) with at least one problem carrying a message. Each
rejection is timed with time.perf_counter and the times are printed by the last test (run with
`-s` to see them): the project forbids timing assertions, so the only bound asserted is a
generous 5 seconds per file, a guard against a hang or an expansion, not a performance target.

A file starting with a UTF-8 byte order mark (as Windows Notepad may save it) is accepted: the
mark is ignored, and the file loads like the same file without it.
"""

from __future__ import annotations

import time

import pytest

from bodymap import loader
from bodymap.loader import LoadedFile, load_bytes
from bodymap.models import INVISIBLE_CHARACTERS
from bodymap.problems import ContentError

from .conftest import SMALL, SMALL_FIGURE

SMALL_BYTES = SMALL.read_bytes()
HANG_GUARD_SECONDS = 5.0
TIMES: list[tuple[float, str]] = []


def _billion_laughs() -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    return "\n".join(lines) + "\n"


def _quadratic_aliases() -> str:
    return "base: &b [" + ", ".join(["x"] * 1000) + "]\nuses: [" + ", ".join(["*b"] * 20000) + "]\n"


def _duplicates_at_many_levels() -> str:
    text, indent = "", ""
    for level in range(30):
        text += f"{indent}key: {level}\n{indent}key: again\n{indent}nest{level}:\n"
        indent += "  "
    return text + f"{indent}leaf: 1\n"


def _nested_mappings(levels: int) -> str:
    return "".join(f"{'  ' * level}k:\n" for level in range(levels)) + "  " * levels + "v\n"


HOSTILE: dict[str, bytes] = {
    "billion-laughs": _billion_laughs().encode(),
    "quadratic-aliases": _quadratic_aliases().encode(),
    "single-alias-in-small": SMALL_BYTES.replace(b"label: Back\n", b"label: &x Back\n", 1),
    "100k-nested-flow-lists": b"[" * 100_000 + b"]" * 100_000,
    "100k-nested-flow-lists-unclosed": b"a: " + b"[" * 100_000,
    "deep-flow-mappings": b"{a: " * 100_000 + b"1" + b"}" * 100_000,
    "deep-block-mappings": _nested_mappings(20_000).encode()[:500_000],
    "over-size-limit": b"# padding\n" * 60_000,
    "10mb-scalar": b"clinic: " + b"x" * 10_000_000,
    "python-object-apply": b"clinic: !!python/object/apply:os.system ['echo hi']\n",
    "python-name": b"clinic: !!python/name:os.system\n",
    "python-tag-on-mapping": b"clinic: !!python/object:os.Foo {name: x}\n",
    "unknown-local-tag": b"clinic: !secret {name: x}\nregions: !list [a]\n",
    "unknown-tag-on-small": SMALL_BYTES.replace(b"label: Back\n", b"label: !!binary QmFjaw==\n", 1),
    "duplicate-keys-many-levels": _duplicates_at_many_levels().encode(),
    "200k-tiny-items": b"regions: [" + b"a," * 200_000 + b"a]\n",
    "huge-key-count": ("{" + ", ".join(f"k{i}: 1" for i in range(40_000)) + "}").encode(),
    "nul-bytes": SMALL_BYTES.replace(b"Test Clinic", b"Test\x00Clinic", 1),
    "nul-only": b"\x00" * 1000,
    "invalid-utf8": SMALL_BYTES.replace(b"Test Clinic", b"Test \xff\xfe Clinic", 1),
    "utf16-file": SMALL.read_text().encode("utf-16"),
    "right-to-left-override": SMALL_BYTES.replace(b"Test Clinic", "Test \u202eClinic".encode(), 1),
    "zero-width-space-in-quotes": SMALL_BYTES.replace(
        b"General education only.", b'"General\\u200b education only."', 1
    ),
    "escaped-control-character": SMALL_BYTES.replace(b"Test Clinic", b'"Test \\x1b[31mClinic"', 1),
    "many-documents": b"---\na: 1\n" * 1000,
    # Valid path data far outside the figure (in the figure file, HOSTILE_FIGURES): scanning
    # its rows took longer than any timeout.
    "shape-a-billion-units-tall": SMALL_BYTES,
    "shape-of-infinite-size": SMALL_BYTES,
    "long-text-in-two-languages": SMALL_BYTES.replace(
        b"label: Back\n", b"label: {en: Back, es: " + b"x" * 300 + b"}\n", 1
    ),
    "yes-no-number-date-texts": SMALL_BYTES.replace(b"Test Clinic", b"yes", 1).replace(
        b"General education only.", b"2024-01-01", 1
    ),
}


HOSTILE_FIGURES = {
    "shape-a-billion-units-tall": SMALL_FIGURE.read_bytes().replace(
        b'"M10 10h40v180h-40z"', b'"M10 10h40v1e9h-40z"', 1
    ),
    "shape-of-infinite-size": SMALL_FIGURE.read_bytes().replace(
        b'"M10 10h40v180h-40z"', b'"M10 10h40v1e999h-40z"', 1
    ),
}


def _reject(name: str) -> ContentError:
    start = time.perf_counter()
    figure = HOSTILE_FIGURES.get(name, SMALL_FIGURE.read_bytes())
    try:
        load_bytes(HOSTILE[name], f"{name}.yaml", figure=figure)
    except ContentError as error:
        caught = error
    else:  # pragma: no cover - reported as a failure below
        caught = None
    elapsed = time.perf_counter() - start
    TIMES.append((elapsed, name))
    assert caught is not None, f"{name} was accepted"
    assert elapsed < HANG_GUARD_SECONDS, f"{name} took {elapsed:.2f} s"
    return caught


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 15


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_with_a_message(name):
    error = _reject(name)
    assert error.problems
    for problem in error.problems:
        file = "figures/adult.yaml" if name in HOSTILE_FIGURES else f"{name}.yaml"
        assert problem.message and problem.line >= 0 and problem.file == file


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("billion-laughs", "anchors and aliases"),
        ("quadratic-aliases", "anchors and aliases"),
        ("100k-nested-flow-lists", "nested more than 40 levels"),
        ("deep-flow-mappings", "nested more than 40 levels"),
        ("deep-block-mappings", "nested more than 40 levels"),
        ("over-size-limit", "BODYMAP_MAX_BYTES"),
        ("10mb-scalar", "larger than the limit"),
        ("python-object-apply", "tag '!!python/object/apply:os.system' is not allowed"),
        ("python-name", "tag '!!python/name:os.system' is not allowed"),
        ("python-tag-on-mapping", "is not allowed"),
        ("unknown-local-tag", "tag '!secret' is not allowed"),
        ("duplicate-keys-many-levels", "'key' appears twice"),
        ("200k-tiny-items", "more than 52,428 values"),
        ("huge-key-count", "more than 52,428 values"),
        ("nul-bytes", "control character (U+0000)"),
        ("invalid-utf8", "not UTF-8"),
        ("right-to-left-override", "invisible right-to-left override character (U+202E)"),
        ("zero-width-space-in-quotes", "invisible zero-width space character (U+200B)"),
        ("escaped-control-character", "control character (U+001B)"),
        ("many-documents", "single document"),
        ("yes-no-number-date-texts", "must be a text"),
        ("shape-a-billion-units-tall", "goes far outside the figure"),
        ("shape-of-infinite-size", "too large"),
        ("long-text-in-two-languages", "is 300 characters long, longer than the limit of 200"),
    ],
)
def test_hostile_file_message_says_why(name, words):
    text = str(_reject(name))
    assert words in text, text


def test_the_size_limit_hint_says_how_to_raise_it():
    (problem,) = _reject("over-size-limit").problems
    assert "BODYMAP_MAX_BYTES" in problem.hint and problem.severity == "error"


def test_the_size_limit_is_an_argument_of_the_loader():
    big = SMALL_BYTES + b"# padding\n" * 60_000
    assert isinstance(
        load_bytes(big, max_bytes=len(big), figure=SMALL_FIGURE.read_bytes()), LoadedFile
    )
    with pytest.raises(ContentError, match="limit of 1,000 bytes"):
        load_bytes(SMALL_BYTES, max_bytes=1000, figure=SMALL_FIGURE.read_bytes())


def test_the_loader_reads_no_environment(monkeypatch):
    monkeypatch.setenv("BODYMAP_MAX_BYTES", "1000")
    assert isinstance(load_bytes(SMALL_BYTES, figure=SMALL_FIGURE.read_bytes()), LoadedFile)


def test_the_default_limit_leaves_room_for_the_sample():
    from .conftest import SAMPLE

    assert loader.MAX_FILE_BYTES == 512 * 1024
    # The sample in English and Spanish (about 150 KB) fits three times over.
    assert SAMPLE.stat().st_size * 3 < loader.MAX_FILE_BYTES


def test_yes_no_numbers_and_dates_get_a_quoting_hint():
    hints = [p.hint for p in _reject("yes-no-number-date-texts").problems]
    assert any("yes/no/on/off" in hint for hint in hints)
    assert any("read this as a date" in hint for hint in hints)


def test_a_byte_order_mark_is_accepted_and_ignored():
    with_mark = load_bytes(b"\xef\xbb\xbf" + SMALL_BYTES, figure=SMALL_FIGURE.read_bytes())
    without = load_bytes(SMALL_BYTES, figure=SMALL_FIGURE.read_bytes())
    assert with_mark.regions_file == without.regions_file


@pytest.mark.parametrize(
    "character", [*INVISIBLE_CHARACTERS, "\x01", "\x7f", "\x85", "\x9b"], ids=ascii
)
def test_invisible_and_control_characters_in_texts_are_refused(character):
    code = f"U+{ord(character):04X}"
    escaped = f'"Test \\u{ord(character):04x}Clinic"'.encode()
    with pytest.raises(ContentError) as caught:
        load_bytes(
            SMALL_BYTES.replace(b"Test Clinic", escaped, 1), figure=SMALL_FIGURE.read_bytes()
        )
    (problem,) = caught.value.problems
    assert (problem.line, problem.message) == (3, f"clinic.name: contains {_named(character)}")
    assert code in problem.message and "copied from a web page or e-mail" in problem.hint


def _named(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character in INVISIBLE_CHARACTERS:
        return f"an invisible {INVISIBLE_CHARACTERS[character]} character ({code})"
    return f"a control character ({code})"


def test_zz_print_the_slowest_rejection():
    """The last test in the file: prints the ten slowest rejections and the slowest one."""
    assert TIMES, "the timed tests did not run"
    for elapsed, name in sorted(TIMES, reverse=True)[:10]:
        print(f"{elapsed * 1000:8.1f} ms  {name}")
    elapsed, name = max(TIMES)
    print(f"slowest rejection of a hostile file: {name} in {elapsed * 1000:.1f} ms")

"""Property tests: whatever bytes it is given, the loader returns a LoadedFile or raises
ContentError whose problems all have a line >= 0 and a message; never any other exception.

Settings are bounded and derandomized so that CI runs the same examples every time.
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bodymap.loader import LoadedFile, load_bytes
from bodymap.problems import ContentError

from .conftest import SMALL

SMALL_LINES = SMALL.read_text().splitlines(keepends=True)
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SECTIONS = ["clinic", "figure", "areas", "regions", "pain_points", "articles", "red_flags"]
FIELDS = [
    "id",
    "label",
    "name",
    "phone",
    "booking_url",
    "site_url",
    "disclaimer",
    "width",
    "height",
    "front",
    "back",
    "outline",
    "view",
    "side",
    "area",
    "synonyms",
    "pain_points",
    "red_flags",
    "codes",
    "shape",
    "summary",
    "articles",
    "title",
    "url",
    "tags",
    "text",
]


def check(raw: bytes) -> None:
    try:
        result = load_bytes(raw, "regions.yaml")
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 0 and problem.message, problem
    else:
        assert isinstance(result, LoadedFile)


@BOUNDED
@given(st.text())
def test_any_text(text):
    check(text.encode("utf-8", "surrogatepass"))


@BOUNDED
@given(st.binary())
def test_any_bytes(raw):
    check(raw)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.dates(),
    st.sampled_from(["yes", "no", "on", "1.5", "2024-01-01", "lower-back-left", "M0 0h1z"]),
    st.sampled_from(FIELDS),
)
keys = st.one_of(st.sampled_from(SECTIONS + FIELDS), st.text(max_size=10))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)
documents = st.one_of(trees, st.dictionaries(st.sampled_from(SECTIONS), trees, max_size=7))


@BOUNDED
@given(documents)
def test_yaml_shaped_documents(document):
    check(yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass"))


def _mutate(lines: list[str], kind: str, index: int, character: str, indent: int) -> list[str]:
    lines = list(lines)
    index %= len(lines)
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "indent":
        lines[index] = " " * indent + lines[index].lstrip(" ")
    else:
        position = indent % (len(lines[index]) + 1)
        lines[index] = lines[index][:position] + character + lines[index][position:]
    return lines


@BOUNDED
@given(
    st.sampled_from(["delete", "duplicate", "indent", "insert"]),
    st.integers(min_value=0, max_value=len(SMALL_LINES) - 1),
    st.characters(),
    st.integers(min_value=0, max_value=12),
)
def test_single_line_mutations_of_the_small_file(kind, index, character, indent):
    lines = _mutate(SMALL_LINES, kind, index, character, indent)
    check("".join(lines).encode("utf-8", "surrogatepass"))

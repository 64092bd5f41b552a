"""Property tests: whatever bytes it is given, the loader returns a LoadedFile or raises
ContentError whose problems all have a file, a line and column >= 1 and a message; never any
other exception. A LoadedFile always builds into content, in every language, and
`bodymap check` always exits 0, 1 or 2.

Documents come from random bytes and text, from YAML-shaped trees, from single-line edits of
the small test file, from the file's own JSON Schema (what `bodymap schema` prints), and from
the small file with one text replaced, in each of its forms, at and around its length limit.
Settings are bounded and derandomized so that CI runs the same examples every time.
"""

from __future__ import annotations

import contextlib
import io

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from bodymap.cli import main as bodymap_main
from bodymap.content import build_content
from bodymap.i18n import ENGLISH_NAMES, LANGUAGES
from bodymap.loader import LoadedFile, load_bytes
from bodymap.models import RegionsFile
from bodymap.problems import ContentError

from .conftest import SMALL, SMALL_FIGURE, copy_content

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


def check(raw: bytes, figure: bytes = b"") -> LoadedFile | list:
    """Content (built in every language) or problems that point somewhere; nothing else."""
    try:
        result = load_bytes(raw, "regions.yaml", figure=figure or SMALL_FIGURE.read_bytes())
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file in ("regions.yaml", "figures/adult.yaml"), problem
            assert problem.line >= 1 and problem.column >= 1, problem
            assert problem.message.strip(), problem
        return error.problems
    assert isinstance(result, LoadedFile)
    content = build_content(result)
    for language in LANGUAGES:
        assert content.in_language(language).language == language
    return result


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


# Documents from the file's own JSON Schema. Lists and free-form sections are kept short so
# that an example takes milliseconds; lengths near each limit are forced further down.
MAX_ITEMS = 2
FEW = settings(BOUNDED, max_examples=50)


def bounded(node, items: int = MAX_ITEMS):
    """A copy of a JSON Schema whose lists and free-form objects hold at most `items`."""
    if isinstance(node, list):
        return [bounded(child, items) for child in node]
    if not isinstance(node, dict):
        return node
    node = {key: bounded(child, items) for key, child in node.items()}
    if node.get("type") == "array":
        node["maxItems"] = min(node.get("maxItems", items), items)
    if node.get("type") == "object" and "properties" not in node:
        node["maxProperties"] = min(node.get("maxProperties", items), items)
    return node


SCHEMA = RegionsFile.model_json_schema()
whole_documents = from_schema(bounded(SCHEMA))


@st.composite
def small_file_with_a_section_from_the_schema(draw):
    """The small file with one section, or one item of a list, generated from the schema."""
    name = draw(st.sampled_from(sorted(SCHEMA["properties"])))
    part = SCHEMA["properties"][name]
    document = yaml.safe_load(SMALL.read_text())
    if "items" in part and document.get(name):
        part = part["items"]
    generated = draw(from_schema({**bounded(part), "$defs": bounded(SCHEMA["$defs"])}))
    if isinstance(document.get(name), list) and not isinstance(generated, list):
        document[name][draw(st.integers(0, len(document[name]) - 1))] = generated
    else:
        document[name] = generated
    return document


schema_documents = st.one_of(whole_documents, small_file_with_a_section_from_the_schema())


def dumped(document, style) -> bytes:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=style, sort_keys=False)
    return text.encode("utf-8", "surrogatepass")


@FEW
@given(schema_documents, st.sampled_from([False, None]))
def test_documents_from_the_schema(document, style):
    check(dumped(document, style))


# Every text of the file, found by walking the schema alongside the small file: its path in
# the document, its form (one text, or a list of them; plain only, or also per language)
# and its length limit.
def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _text_kind(node: dict) -> tuple[str, int] | None:
    node = _resolve(node)
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if branches:
        plain = _text_kind(branches[0]) if len(branches) <= 2 else None
        per_language = len(branches) == 2 and "en" in branches[1].get("properties", {})
        if plain and len(branches) == 1:
            return plain
        return (f"local {plain[0]}", plain[1]) if plain and per_language else None
    if node.get("type") == "string" and "maxLength" in node and "pattern" not in node:
        return ("text", node["maxLength"]) if "enum" not in node else None
    if node.get("type") == "array":
        inner = _text_kind(node.get("items", {}))
        return ("list", inner[1]) if inner and inner[0] == "text" else None
    return None


def text_places(node: dict, data, path: tuple = ()) -> list[tuple[tuple, str, int]]:
    node = _resolve(node)
    places = []
    for name, child in node.get("properties", {}).items():
        kind = _text_kind(child)
        value = data.get(name) if isinstance(data, dict) else None
        if kind:
            places.append(((*path, name), *kind))
        elif isinstance(value, dict):
            places += text_places(child, value, (*path, name))
        elif isinstance(value, list) and value and "$ref" in child.get("items", {}):
            places += text_places(child["items"], value[0], (*path, name, 0))
    return places


SMALL_DATA = yaml.safe_load(SMALL.read_text())
TEXT_PLACES = text_places(SCHEMA, SMALL_DATA)


def test_every_kind_of_text_is_found():
    kinds = {kind for _path, kind, _limit in TEXT_PLACES}
    assert kinds == {"text", "local text", "local list"}, kinds
    assert {limit for _path, _kind, limit in TEXT_PLACES} == {200, 1500}
    paths = {path for path, _kind, _limit in TEXT_PLACES}
    assert ("clinic", "tagline") in paths and ("regions", 0, "synonyms") in paths


SAFE = "abcdefghijklmnopqrstuvwxyz ABCáéíñóúü¿¡'\":#-,[]{}&*!|>%@`"


@st.composite
def texts_of_length(draw, limit: int) -> str:
    """A text of about `limit` characters: empty, one, just under, at, just over, or any."""
    length = draw(
        st.one_of(
            st.sampled_from([0, 1, limit - 1, limit, limit + 1, limit + 50]),
            st.integers(min_value=0, max_value=limit + 100),
        )
    )
    filler, words = "x" * length, draw(st.text(alphabet=SAFE, max_size=8))
    at = draw(st.integers(min_value=0, max_value=length))
    return (filler[:at] + words + filler[at:])[:length]


@st.composite
def one_text_replaced(draw):
    """The small file with one text, in one of its forms, at or around its limit."""
    path, kind, limit = draw(st.sampled_from(TEXT_PLACES))
    text = draw(texts_of_length(limit))
    other = "Corto"
    plain = [text] if kind.endswith("list") else text
    forms = [("", plain)]
    if kind.startswith("local"):
        one = (lambda t: [other, t]) if kind.endswith("list") else (lambda t: t)
        short = [other] if kind.endswith("list") else other
        forms += [("en", {"en": one(text)}), ("en", {"en": one(text), "es": short})]
        forms += [("es", {"en": short, "es": one(text)})]
    language, value = draw(st.sampled_from(forms))
    document = yaml.safe_load(SMALL.read_text())
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    where = (*path, *([language] if language else []))
    if kind.endswith("list"):
        where = (*where, len(value[language] if language else value) - 1)
    return document, where, text, limit, language


def place_of(text: str, path: tuple) -> tuple[int, int]:
    """Line and column of the value at `path`, from PyYAML's own composer."""
    node = yaml.compose(text)
    for part in path:
        if isinstance(part, int):
            node = node.value[part]
        else:
            node = next(v for k, v in node.value if k.value == part)
    return node.start_mark.line + 1, node.start_mark.column + 1


@settings(BOUNDED, max_examples=150)
@given(one_text_replaced(), st.sampled_from([False, None]))
def test_a_text_near_its_limit_loads_or_is_named_with_its_length_at_its_place(replaced, style):
    document, where, text, limit, language = replaced
    raw = dumped(document, style)
    result = check(raw)
    length = len(text.strip())
    if 0 < length <= limit:
        assert isinstance(result, LoadedFile), [str(p) for p in result]
        return
    assert isinstance(result, list), f"{length} characters loaded (limit {limit})"
    (problem,) = result
    wanted = "is empty" if not length else f"is {length} characters long, longer than the limit "
    assert wanted in problem.message, str(problem)
    if not length:
        assert problem.message.endswith("is empty"), str(problem)
    else:
        assert problem.message.endswith(f"the limit of {limit}"), str(problem)
    if language:
        assert f"in {ENGLISH_NAMES[language]} ({language}:)" in problem.message, str(problem)
    assert (problem.line, problem.column) == place_of(raw.decode(), where), str(problem)


@pytest.fixture(scope="module")
def check_file(tmp_path_factory):
    return copy_content(tmp_path_factory.mktemp("check") / "regions.yaml")


def run_check(path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = bodymap_main(["check", str(path)])
    return code, err.getvalue()


@settings(BOUNDED, max_examples=50)
@given(
    st.one_of(
        schema_documents,
        one_text_replaced().map(lambda replaced: replaced[0]),
        documents,
    ),
    st.sampled_from([False, None]),
)
def test_check_exits_0_or_1_and_each_line_names_the_file(check_file, document, style):
    raw = dumped(document, style)
    check_file.write_bytes(raw)
    code, err = run_check(check_file)
    assert code == (0 if isinstance(check(raw), LoadedFile) else 1), err
    assert "Traceback" not in err
    for line in err.splitlines():
        assert line.startswith(f"{check_file}:") or line.startswith(f"{check_file} "), line


numbers = st.one_of(
    st.integers(min_value=-300, max_value=300).map(str),
    st.floats(min_value=-1, max_value=1, allow_nan=False).map(lambda x: f"{x:.3f}"),
    st.sampled_from(["0", "1e999", "-1e308", "1e6", "0.4", ".5", "1e-9"]),
)
segments = st.one_of(
    st.tuples(st.sampled_from("LlTt"), numbers, numbers).map(" ".join),
    st.tuples(st.sampled_from("HhVv"), numbers).map(" ".join),
    st.tuples(st.sampled_from("QqSs"), *[numbers] * 4).map(" ".join),
    st.just("Z"),
)
shapes = st.tuples(st.sampled_from("Mm"), numbers, numbers, st.lists(segments, max_size=6)).map(
    lambda parts: f"{parts[0]}{parts[1]} {parts[2]} " + " ".join(parts[3])
)


@settings(BOUNDED, max_examples=100)
@given(st.integers(min_value=0, max_value=len(SMALL_DATA["regions"]) - 1), shapes)
def test_any_path_data_as_a_shape_gives_content_or_a_problem_at_the_shape(index, shape):
    region = SMALL_DATA["regions"][index]
    figure = yaml.safe_load(SMALL_FIGURE.read_text())
    figure[region["view"]]["shapes"][region["id"]] = shape
    raw = dumped(figure, False)
    result = check(SMALL.read_bytes(), raw)
    if isinstance(result, list):
        (problem,) = [p for p in result if "shape" in p.message]
        assert problem.file == "figures/adult.yaml"
        where = (region["view"], "shapes", region["id"])
        assert (problem.line, problem.column) == place_of(raw.decode(), where)

"""The JSON Schema editors use: in sync with the models, accepts good files, rejects bad ones."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from bodymap.loader import load_file
from bodymap.problems import ContentError

from .conftest import ROOT, SAMPLE, SMALL, SMALL_FIGURE, TESTS

SCHEMA_FILE = ROOT / "regions.schema.json"
FIGURE_SCHEMA_FILE = ROOT / "figures" / "figure.schema.json"
BROKEN = TESTS / "data" / "broken"

# Mistakes a schema can see (types, keys, words, patterns, lengths). Duplicate ids, unknown
# references and YAML syntax are beyond a JSON Schema: only `bodymap check` finds those.
SCHEMA_MISTAKES = [
    "19-misspelt-key-pain-point.yaml",
    "20-misspelt-key-lable.yaml",
    "21-misspelt-key-sumary.yaml",
    "22-missing-label.yaml",
    "23-missing-summary.yaml",
    "24-missing-id.yaml",
    "26-missing-clinic-section.yaml",
    "27-list-instead-of-text.yaml",
    "28-text-instead-of-list.yaml",
    "29-mapping-instead-of-list.yaml",
    "30-boolean-label-no.yaml",
    "31-boolean-label-yes.yaml",
    "32-boolean-synonyms-on-off.yaml",
    "33-phone-read-as-number.yaml",
    "34-date-read-as-date.yaml",
    "38-top-level-list.yaml",
    "39-top-level-scalar.yaml",
    "41-slug-uppercase.yaml",
    "42-slug-underscore.yaml",
    "43-slug-spaces.yaml",
    "44-slug-leading-hyphen.yaml",
    "45-shape-line-left-in-region.yaml",
    "46-figure-section-left-in.yaml",
    "48-url-javascript.yaml",
    "49-url-http.yaml",
    "50-view-not-front-or-back.yaml",
    "51-level-not-emergency-or-urgent.yaml",
    "55-label-too-long.yaml",
]


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_committed_schema_is_what_bodymap_schema_prints(runner):
    code, out, _ = runner("schema")
    assert code == 0
    assert json.loads(out) == json.loads(SCHEMA_FILE.read_text()), (
        "regions.schema.json is out of date: run `bodymap schema > regions.schema.json`"
    )


def test_committed_figure_schema_is_what_bodymap_schema_prints(runner):
    code, out, _ = runner("schema", "--figure")
    assert code == 0
    assert json.loads(out) == json.loads(FIGURE_SCHEMA_FILE.read_text()), (
        "figures/figure.schema.json is out of date: run"
        " `bodymap schema --figure > figures/figure.schema.json`"
    )


@pytest.mark.parametrize(
    "path", [ROOT / "figures" / "adult.yaml", SMALL_FIGURE], ids=["sample", "small"]
)
def test_figure_schema_accepts_the_figure_files(path):
    schema = json.loads(FIGURE_SCHEMA_FILE.read_text())
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text()))) == []


def test_sample_points_editors_at_the_schema():
    assert SAMPLE.read_text().startswith("# yaml-language-server: $schema=./regions.schema.json\n")


def test_every_field_is_described_for_the_editor(validator):
    definitions = validator.schema["$defs"]

    def walk(node, path):
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if "$ref" in prop:  # a section: its own title and description say what it is
                    prop = definitions[prop["$ref"].rsplit("/", 1)[1]]
                assert prop.get("description"), f"{path}.{name} has no description"
                assert prop.get("title"), f"{path}.{name} has no title"
            for key, value in node.items():
                walk(value, f"{path}.{key}")

    walk(validator.schema, "schema")


@pytest.mark.parametrize("path", [SAMPLE, SMALL], ids=["sample", "small"])
def test_schema_accepts_valid_files(validator, path):
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
    assert errors == []


@pytest.mark.parametrize("name", SCHEMA_MISTAKES)
def test_schema_rejects_what_the_loader_rejects(validator, name):
    path = BROKEN / name
    with pytest.raises(ContentError):
        load_file(path)
    assert not validator.is_valid(yaml.safe_load(path.read_bytes()))

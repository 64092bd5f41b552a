"""The deployment's settings: one table, read from the environment, bad values named."""

import pytest

from bodymap import create_app, settings
from bodymap.settings import SettingsError

from .conftest import SMALL


def test_unset_and_empty_settings_take_their_defaults():
    assert settings.read({}) == settings.defaults()
    assert settings.read({"BODYMAP_MAX_BYTES": "  "})["MAX_BYTES"] == 512 * 1024


def test_settings_are_parsed():
    values = settings.read(
        {
            "BODYMAP_MAX_BYTES": "2000",
            "BODYMAP_PREVIEW": "on",
            "BODYMAP_PUBLIC_URL": "https://map.example-clinic.com/",
            "BODYMAP_SETTLE_SECONDS": "2.5",
        }
    )
    assert values["MAX_BYTES"] == 2000
    assert values["PREVIEW"] is True
    assert values["PUBLIC_URL"] == "https://map.example-clinic.com"
    assert values["SETTLE_SECONDS"] == 2.5


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("BODYMAP_MAX_BYTES", "lots", "is not a whole number"),
        ("BODYMAP_MAX_BYTES", "0", "is not a whole number"),
        ("BODYMAP_PREVIEW", "maybe", "is not on or off"),
        ("BODYMAP_PUBLIC_URL", "http://map.example.com", "must start with https://"),
        ("BODYMAP_PUBLIC_URL", "https://map.example.com/?a=1", "just the map's address"),
        ("BODYMAP_SETTLE_SECONDS", "soon", "is not a number of seconds"),
    ],
)
def test_a_bad_setting_is_named_with_a_hint(variable, value, words):
    with pytest.raises(SettingsError) as caught:
        settings.read({variable: value})
    (problem,) = caught.value.problems
    assert variable in problem.message and words in problem.message
    assert f"set it like {variable}=" in problem.hint


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(SettingsError) as caught:
        settings.read({"BODYMAP_MAX_BYTES": "x", "BODYMAP_PREVIEW": "x"})
    assert len(caught.value.problems) == 2


def test_the_app_reads_the_settings_and_arguments_override_them(monkeypatch):
    monkeypatch.setenv("BODYMAP_PREVIEW", "1")
    assert create_app(SMALL).config["PREVIEW"] is True
    assert create_app(SMALL, PREVIEW=False).config["PREVIEW"] is False


def test_the_size_limit_setting_reaches_the_content_file(monkeypatch):
    from bodymap.problems import ContentError

    monkeypatch.setenv("BODYMAP_MAX_BYTES", "1000")
    with pytest.raises(ContentError, match="limit of 1,000 bytes"):
        create_app(SMALL)


def test_the_settings_table_lists_every_variable():
    text = settings.table()
    assert all(f"`{s.variable}`" in text for s in settings.SETTINGS)

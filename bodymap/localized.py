"""Texts given in several languages in regions.yaml, and content resolved to one language.

A text may be written plainly (`label: Lower back`) or per language
(`label: {en: Lower back, es: Zona lumbar}`); English is required, because it is
what a page shows when a text has no translation. Synonyms may be one list (searched
in every language) or a list per language. Knows nothing of Flask.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType
from typing import Annotated

from pydantic import BaseModel, TypeAdapter, ValidationError, WithJsonSchema, WrapValidator
from pydantic_core import PydanticCustomError

from .i18n import DEFAULT_LANGUAGE, LANGUAGES


class LocalText(str):
    """A text in one or more languages; as a plain string it is the English text."""

    by_language: MappingProxyType

    def __new__(cls, by_language: dict[str, str]):
        text = super().__new__(cls, by_language[DEFAULT_LANGUAGE])
        text.by_language = MappingProxyType(dict(by_language))
        return text

    def __reduce__(self):
        return (LocalText, (dict(self.by_language),))

    def in_language(self, language: str) -> str:
        """The text in `language`, or the English text marked as a Fallback."""
        if language in self.by_language:
            return self.by_language[language]
        return Fallback(self.by_language[DEFAULT_LANGUAGE])


class Fallback(str):
    """A text shown in English because it has no translation in the page's language."""

    language = DEFAULT_LANGUAGE


def _languages_hint() -> str:
    return ", ".join(LANGUAGES)


def _per_language(value: dict, validate) -> dict[str, object]:
    """Validate each language's text with the plain text's own rules."""
    unknown = [key for key in value if key not in LANGUAGES]
    if unknown:
        raise PydanticCustomError(
            "unknown_language",
            "unknown language '{language}': the languages are {languages}",
            {"language": str(unknown[0]), "languages": _languages_hint()},
        )
    if DEFAULT_LANGUAGE not in value:
        raise PydanticCustomError(
            "missing_english",
            "needs its English text ('en:'): it is shown wherever a translation is missing",
        )
    checked = {}
    for language, text in value.items():
        try:
            checked[language] = validate(text)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            # The plain text's own error, with where it is inside this value: the loader
            # points at the `es:` text (and the synonym in its list), not at the whole value.
            raise PydanticCustomError(
                first["type"],
                "{language}: {message}",
                {
                    **first.get("ctx", {}),
                    "language": language,
                    "message": first["msg"],
                    "within": (language, *first["loc"]),
                    "text": first["input"],
                },
            ) from None
    return checked


def _local_text(value, handler):
    if isinstance(value, dict):
        return LocalText(_per_language(value, handler))
    return LocalText({DEFAULT_LANGUAGE: handler(value)})


def _synonyms(value, handler):
    """One list for every language, or a list per language: kept as one list for search."""
    if isinstance(value, dict):
        if any(key not in LANGUAGES for key in value):
            raise PydanticCustomError(
                "list_type",
                "must be a list, or a list per language ({languages}: [...])",
                {"languages": _languages_hint()},
            )
        lists = _per_language(value, handler) if value else {}
        return [word for words in lists.values() for word in words]
    return handler(value)


def _schema(plain_type) -> dict:
    """The JSON Schema of a text given plainly or per language, from the plain type's own."""
    plain = TypeAdapter(plain_type).json_schema()
    per_language = {
        "type": "object",
        "properties": {language: plain for language in LANGUAGES},
        "required": [DEFAULT_LANGUAGE],
        "additionalProperties": False,
    }
    return {"anyOf": [plain, per_language]}


def localized(text_type):
    """A text type that may also be given per language ({en: …, es: …})."""
    return Annotated[text_type, WrapValidator(_local_text), WithJsonSchema(_schema(text_type))]


def localized_list(list_type):
    """A list of texts (synonyms) that may also be given per language."""
    return Annotated[list_type, WrapValidator(_synonyms), WithJsonSchema(_schema(list_type))]


def in_language(model: BaseModel, language: str) -> BaseModel:
    """A copy of the validated file with every text in `language` (or English)."""
    changes = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        resolved = _resolve(value, language)
        if resolved is not value:
            changes[name] = resolved
    return model.model_copy(update=changes) if changes else model


def _resolve(value, language: str):
    if isinstance(value, LocalText):
        return value.in_language(language)
    if isinstance(value, BaseModel):
        return in_language(value, language)
    if isinstance(value, list):
        items = [_resolve(item, language) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def untranslated(model: BaseModel, language: str, path: tuple = ()) -> Iterator[tuple]:
    """The paths of texts that have no `language` version (for `bodymap check`)."""
    for name in type(model).model_fields:
        yield from _untranslated(getattr(model, name), language, (*path, name))


def _untranslated(value, language: str, path: tuple) -> Iterator[tuple]:
    if isinstance(value, LocalText):
        if language not in value.by_language:
            yield path
    elif isinstance(value, BaseModel):
        yield from untranslated(value, language, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _untranslated(item, language, (*path, index))

"""Write broken files of the corpus into tests/data/broken, each from tests/data/small.yaml.

Each file is small.yaml with one mistake the office manager made (first line: a comment
naming it). Run it again after small.yaml changes, then check the expected lines in
tests/test_check_corpus.py and the guide's table (tools/corpus_table.py --write).

    python tools/broken_corpus.py
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small.yaml"
BROKEN = ROOT / "tests" / "data" / "broken"

# name: (the mistake, how it is made: exact (old, new) edits, "cut:FROM,TO" to delete the
# lines from the section FROM to the section TO (END: the end of the file), or a special)
CASES = {
    # The figure is in its own file (tests/data/broken/figures/adult.yaml, as small.yaml's):
    # what a clinician can get wrong about it in regions.yaml.
    "25-region-without-shape": (
        "a region's id misspelt, so the figure draws no shape for it",
        [("  - id: lower-back-left\n", "  - id: lower-back-lft\n")],
    ),
    "45-shape-line-left-in-region": (
        "a shape: line left in a region, from a file older than the figure file",
        [
            (
                "    codes: {choir: 218}\n",
                '    codes: {choir: 218}\n    shape: "M10 10h40v180h-40z"\n',
            )
        ],
    ),
    "46-figure-section-left-in": (
        "the figure: section left in, from a file older than the figure file",
        [
            (
                "areas:\n",
                "figure:\n  width: 100\n  height: 200\n"
                '  front:\n    outline: "M10 10h80v180h-80z"\nareas:\n',
            )
        ],
    ),
    "47-region-on-the-other-view": (
        "a region moved to the view the figure does not draw it on",
        [("    view: back\n    side: right\n", "    view: front\n    side: right\n")],
    ),
    "58-three-mistakes-reference-shape-duplicate-key": (
        "three mistakes: reference, shape, duplicate key",
        [
            ("    red_flags: [saddle-numbness]\n", "    red_flags: [saddle-numbnes]\n"),
            (
                "    codes: {choir: 218}\n",
                '    codes: {choir: 218}\n    shape: "10 10h40v180h-40z"\n',
            ),
            ("    side: centre\n", "    side: centre\n    side: left\n"),
        ],
    ),
    "59-apostrophe-inside-single-quotes": (
        "an apostrophe inside '…'",
        [("    title: Nerve pain\n", "    title: 'Don't ignore nerve pain'\n")],
    ),
    "60-double-quote-inside-double-quotes": (
        'a " inside "…"',
        [("    title: Physical therapy\n", '    title: "The "gentle" exercise plan"\n')],
    ),
    "61-unclosed-quote-one-line": (
        "a quote opened and never closed on a one-line label",
        [("    label: Belly <b>button</b>\n", '    label: "Belly button\n')],
    ),
    "62-unclosed-quote-multi-line": (
        "a quote never closed in a summary over two lines",
        [
            (
                "    summary: Pain that lasts more than three months.\n",
                '    summary: "Pain that lasts more\n      than three months.\n',
            )
        ],
    ),
    "63-missing-dash-before-id": (
        "no '- ' before id: of an article",
        [("  - id: physical-therapy\n", "    id: physical-therapy\n")],
    ),
    "64-missing-comma-in-list": (
        "no comma between two ids in [...]",
        [
            (
                "    pain_points: [chronic-back-pain, sciatica]\n",
                "    pain_points: [chronic-back-pain sciatica]\n",
            )
        ],
    ),
    "65-missing-comma-in-wrapped-list": (
        "no comma at the end of a line in a [...] list over two lines",
        [
            (
                "    pain_points: [sciatica]\n    red_flags: [fever-back-pain]\n",
                "    pain_points: [sciatica]\n    red_flags: [fever-back-pain\n"
                "      saddle-numbness]\n",
            )
        ],
    ),
    "66-article-pasted-under-red-flags": (
        "a new article pasted at the end of the file, under red_flags:",
        [
            (
                "    text: Fever with back pain.\n",
                "    text: Fever with back pain.\n  - id: facet-injections\n"
                "    title: Facet joint injections\n    url: https://clinic.example/facet\n"
                "    summary: What to expect.\n    tags: [back]\n",
            )
        ],
    ),
    "67-articles-line-deleted": ("only the line articles: deleted", [("articles:\n", "")]),
    "68-articles-section-deleted": (
        "the whole articles: section deleted",
        "cut:articles:,red_flags:",
    ),
    "69-pain-points-section-deleted": (
        "the whole pain_points: section deleted",
        "cut:pain_points:,articles:",
    ),
    "70-red-flags-section-deleted": ("the whole red_flags: section deleted", "cut:red_flags:,END"),
    "71-en-es-not-indented": (
        "en: and es: at the same indent as text:",
        [
            (
                "    text: Numbness between the legs.\n",
                "    text:\n    en: Numbness between the legs.\n"
                "    es: Entumecimiento entre las piernas.\n",
            )
        ],
    ),
    "72-spanish-with-comma-unquoted": (
        "an unquoted Spanish text with a comma inside {…}",
        [
            (
                "    label: Lower back\n    view: back\n    side: left\n",
                "    label: {en: Lower back, es: Espalda baja, zona lumbar}\n"
                "    view: back\n    side: left\n",
            )
        ],
    ),
    "73-spanish-without-es": (
        "the Spanish text in {…} without es: before it",
        [
            (
                "    label: Lower back\n    view: back\n    side: left\n",
                '    label: {en: "Lower back", "Espalda baja"}\n    view: back\n    side: left\n',
            )
        ],
    ),
    "74-curly-quotes-around-title": (
        "Word's curly quotes around a title",
        [("    title: Nerve pain\n", "    title: \u201cNerve pain\u201d\n")],
    ),
    "75-curly-quotes-around-url": (
        "Word's curly quotes around a web address",
        [
            (
                "    url: https://clinic.example/nerves\n",
                "    url: \u201chttps://clinic.example/nerves\u201d\n",
            )
        ],
    ),
    "76-curly-quotes-around-phone": (
        "Word's curly quotes around the phone number",
        [('  phone: "(555) 010-0100"\n', "  phone: \u201c(555) 010-0100\u201d\n")],
    ),
    "77-curly-quotes-in-tags": (
        "Word's curly quotes around a tag in [...]",
        [("    tags: [nerve]\n", "    tags: [\u201cnerve\u201d]\n")],
    ),
    "78-curly-quotes-with-colon": (
        "Word's curly quotes around a title that contains ': '",
        [
            (
                '    title: "Chronic Back Pain and Depression: Is There a Link?"\n',
                "    title: \u201cChronic Back Pain and Depression: Is There a Link?\u201d\n",
            )
        ],
    ),
    "83-windows-1252-accent": ("a Spanish accent saved as Windows-1252 (Latin-1)", "cp1252"),
    "84-file-cut-in-half": ("the file cut off in the middle of a line", "cut off"),
    "85-phone-with-extension": (
        "a phone number with an extension",
        [('  phone: "(555) 010-0100"\n', '  phone: "(555) 010-0100 ext. 2"\n')],
    ),
    "86-phone-with-letters": (
        "a phone number with letters",
        [('  phone: "(555) 010-0100"\n', '  phone: "1-800-SPINE-00"\n')],
    ),
    "87-link-host-misspelt": (
        "a misspelt host name in an article's address",
        [("    url: https://clinic.example/nerves\n", "    url: https://clinc.example/nerves\n")],
    ),
    "88-removed-article-still-named": (
        "an article removed but still named by a pain point",
        [("    articles: [back-pain-and-depression]\n", "    articles: [knee-pain]\n")],
    ),
    "89-title-used-as-id": (
        "an article's title written where its id belongs",
        [
            (
                "    articles: [back-pain-and-depression]\n",
                '    articles: ["Back pain and depression"]\n',
            )
        ],
    ),
    "90-unknown-area-far-from-any": (
        "a region in an area that does not exist",
        [("    area: front\n", "    area: belly-area\n")],
    ),
    "91-non-breaking-space-indentation": (
        "a line indented with non-breaking spaces",
        [
            (
                "    url: /articles/physical-therapy\n",
                "\u00a0\u00a0\u00a0\u00a0url: /articles/physical-therapy\n",
            )
        ],
    ),
}


def header(what: str) -> str:
    return f"# Broken on purpose ({what}); see tests/test_check_corpus.py.\n"


def edit(text: str, *pairs) -> str:
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def cut(text: str, start: str, end: str) -> str:
    i = text.index("\n" + start) + 1
    j = len(text) if end == "END" else text.index("\n" + end) + 1
    return text[:i] + text[j:]


def made(what: str, how, body: str) -> bytes:
    if isinstance(how, list):
        return (header(what) + edit(body, *how)).encode()
    if how.startswith("cut:"):
        return (header(what) + cut(body, *how[4:].split(","))).encode()
    if how == "cp1252":
        accent = ("    label: Sciatica\n", "    label: {en: Sciatica, es: Ci\u00e1tica}\n")
        return (header(what) + edit(body, accent)).encode("cp1252")
    if how == "cut off":
        text = header(what) + body
        return text[: text.index("    pain_points: [sciatica]") + len("    pain_po")].encode()
    raise ValueError(how)


def not_text(body: str) -> dict[str, bytes]:
    """Files that are not plain UTF-8 text: a Word document, RTF, UTF-16."""
    docx = io.BytesIO()
    # Stored, not compressed: the first line's comment stays readable for corpus_table.py.
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(
            zipfile.ZipInfo("[Content_Types].xml"),  # a fixed date: the same bytes every run
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        paragraphs = "".join(
            f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"
            for line in [header("saved from Word as a document (.docx)").strip(), "clinic:"]
        )
        archive.writestr(
            zipfile.ZipInfo("word/document.xml"),
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>',
        )
    lines = (header("saved by WordPad as rich text (RTF)") + body).splitlines()[:6]
    rtf = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}\n"
    rtf += "".join(line + "\\par\n" for line in lines) + "}\n"
    return {
        "79-saved-as-word-docx": docx.getvalue(),
        "80-saved-as-rtf": rtf.encode(),
        "81-saved-as-utf16": (header("saved by Notepad as 'Unicode' (UTF-16)") + body).encode(
            "utf-16"
        ),
        "82-saved-as-utf16-without-bom": (
            header("saved as UTF-16 without a byte order mark") + body
        ).encode("utf-16-le"),
    }


def main() -> int:
    body = SMALL.read_text(encoding="utf-8").split("\n", 1)[1]  # without its own comment
    files = {name: made(what, how, body) for name, (what, how) in CASES.items()}
    files.update(not_text(body))
    for name, data in sorted(files.items()):
        (BROKEN / f"{name}.yaml").write_bytes(data)
    print(f"{BROKEN}: wrote {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())

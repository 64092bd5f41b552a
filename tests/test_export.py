"""`bodymap build OUTDIR`: the static export, checked on disk (no browser).

Every page a patient can reach (map and embed) must be a file a plain static server
serves as text/html, every fragment htmx fetches must exist, and every address inside
the exported pages must lead to a file of the export, at the host's root and under a
base path.
"""

from __future__ import annotations

import mimetypes
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from bodymap import create_app
from bodymap import export as export_module
from bodymap.content import build_content
from bodymap.export import export, is_export
from bodymap.headers import CONTENT_SECURITY_POLICY
from bodymap.loader import load_file

from .conftest import ROOT, SAMPLE, SMALL

BASE_PATH = "/clinic-map"
# Ids of the sample's first region, pain point and zooms, whatever the clinic calls them.
_SAMPLE = load_file(SAMPLE).regions_file
REGION = _SAMPLE.regions[0].id
PAIN_POINT = _SAMPLE.pain_points[0].id
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: error: .+")


def pages_of(content) -> list[str]:
    """Every page and fragment URL of the map (without the /embed prefix)."""
    urls = ["/", "/fragments/start.html"]
    for region_id in content.regions:
        urls += [f"/regions/{region_id}", f"/fragments/regions/{region_id}.html"]
    for pain_point_id in content.pain_points:
        urls += [f"/pain-points/{pain_point_id}", f"/fragments/pain-points/{pain_point_id}.html"]
    urls += [f"/zoom/{zoom_id}" for zoom_id in content.zooms]
    return urls


def served_file(root: Path, path: str) -> Path | None:
    """The file a static server (http.server, nginx `index index.html`) answers with."""
    target = root / unquote(path).lstrip("/")
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


class Addresses(HTMLParser):
    """Every address in a page: links, scripts, styles, and what htmx fetches and pushes."""

    ATTRIBUTES = frozenset({"href", "src", "hx-get", "hx-push-url", "action"})

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in self.ATTRIBUTES and value]


def local_addresses(page: Path) -> list[str]:
    parser = Addresses()
    parser.feed(page.read_text(encoding="utf-8"))
    return [a for a in parser.found if not urlsplit(a).scheme and not a.startswith("#")]


def content_links(path: Path) -> set[str]:
    """Addresses the content gives (articles may be a /path on the clinic's own site)."""
    data = load_file(path).regions_file
    return {a.url for a in data.articles} | {data.clinic.booking_url, data.clinic.site_url}


def broken_links(
    root: Path, prefix: str, pages: list[str], content_file: Path = SAMPLE
) -> dict[str, list[str]]:
    """Addresses of the map in these exported pages that no file of the export answers."""
    skip = content_links(content_file)
    broken = {}
    for page in pages:
        file = served_file(root, page)
        assert file, f"{page} was not exported"
        addresses = [a for a in local_addresses(file) if a not in skip]
        assert addresses or "/fragments/start" in page, f"{page}: the parser saw no address"
        bad = []
        for address in addresses:
            path = urlsplit(address).path
            if not path.startswith(prefix + "/"):
                bad.append(f"{address} (not under {prefix or '/'})")
            elif not served_file(root, path[len(prefix) :]):
                bad.append(address)
        if bad:
            broken[page] = bad
    return broken


@pytest.fixture(scope="module")
def sample_content():
    return build_content(load_file(SAMPLE))


@pytest.fixture(scope="module")
def sample_export(tmp_path_factory) -> Path:
    return export(SAMPLE, tmp_path_factory.mktemp("sample") / "site").outdir


@pytest.fixture(scope="module")
def sample_export_under_base_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hosted") / "clinic-map"
    return export(SAMPLE, out, base_path=BASE_PATH, site_url="https://map.example.com").outdir


# --- the command -------------------------------------------------------------------------


def test_build_writes_the_small_map_and_says_how_much(runner, tmp_path):
    out = tmp_path / "site"
    code, stdout, _ = runner("build", str(out), "--regions", str(SMALL))

    assert code == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    assert f"wrote {len(files)} files, {size} bytes" in stdout
    content = build_content(load_file(SMALL))
    for url in pages_of(content):
        for prefix in ("", "/embed"):
            file = served_file(out, prefix + url)
            assert file and file.suffix == ".html", f"{prefix}{url} is not an html file"
    for asset in (
        "index.html",
        "embed/index.html",
        "404.html",
        "theme.css",
        "assets/htmx.min.js",
        "static/bodymap.css",
        "static/bodymap.js",
        "static/frame.js",
        "static/embed.js",
        "static/favicon.svg",
    ):
        assert (out / asset).is_file(), asset


def test_pages_are_directories_with_an_index_so_static_servers_send_html(sample_export):
    assert (sample_export / "regions" / REGION / "index.html").is_file()
    assert (sample_export / "embed" / "pain-points" / PAIN_POINT / "index.html").is_file()
    assert (sample_export / "fragments" / "regions" / f"{REGION}.html").is_file()
    for file in sample_export.rglob("*"):
        if file.is_file():
            kind, _ = mimetypes.guess_type(file.name)
            assert kind, f"{file.relative_to(sample_export)}: a static server cannot type it"


def test_every_region_pain_point_and_zoom_of_the_sample_is_exported(sample_export, sample_content):
    urls = pages_of(sample_content)
    assert sample_content.regions and sample_content.pain_points and sample_content.zooms
    missing = [
        prefix + url
        for prefix in ("", "/embed")
        for url in urls
        if not served_file(sample_export, prefix + url)
    ]
    assert missing == []


def test_exported_pages_are_what_the_app_serves(sample_export):
    # One place per page: a static host cannot answer ?r=… (several places at once).
    client = create_app(SAMPLE, STATIC_EXPORT=True).test_client()
    for url in (
        "/",
        f"/regions/{REGION}",
        f"/fragments/regions/{REGION}.html",
        f"/pain-points/{PAIN_POINT}",
        f"/embed/regions/{REGION}",
        f"/embed/fragments/pain-points/{PAIN_POINT}.html",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert served_file(sample_export, url).read_bytes() == response.data, url
    page = (sample_export / "index.html").read_text()
    assert page.startswith("<!doctype html>")


def test_what_is_not_for_patients_is_not_exported(sample_export):
    names = {p.relative_to(sample_export).as_posix() for p in sample_export.rglob("*")}
    assert not {n for n in names if "healthz" in n or "preview" in n}
    assert not (sample_export / "embed" / "snippet").exists()  # no --site-url given


def test_the_404_pages_are_the_friendly_ones(sample_export):
    page = (sample_export / "404.html").read_text()
    assert "We could not find that page" in page and 'href="/"' in page
    framed = (sample_export / "embed" / "404.html").read_text()
    assert 'class="embed"' in framed and 'href="/embed/"' in framed


# --- every address leads somewhere -------------------------------------------------------


def sample_pages(content) -> list[str]:
    """Where the link checks start: a page of each kind, and every zoom."""
    return [
        "/",
        f"/regions/{REGION}",
        f"/fragments/regions/{REGION}.html",
        f"/pain-points/{PAIN_POINT}",
        f"/fragments/pain-points/{PAIN_POINT}.html",
        "/fragments/start.html",
        "/embed/",
        f"/embed/regions/{REGION}",
        f"/embed/pain-points/{PAIN_POINT}",
        *(f"{prefix}/zoom/{zoom}" for zoom in content.zooms for prefix in ("", "/embed")),
    ]


def test_links_in_exported_pages_lead_to_exported_files(sample_export, sample_content):
    pages = [*sample_pages(sample_content), "/404.html", "/embed/404.html"]
    assert broken_links(sample_export, "", pages) == {}


def test_links_carry_the_base_path_and_lead_to_exported_files(
    sample_export_under_base_path, sample_content
):
    out = sample_export_under_base_path
    pages = [*sample_pages(sample_content), "/404.html", "/embed/snippet/"]
    assert broken_links(out, BASE_PATH, pages) == {}
    region = (out / "regions" / REGION / "index.html").read_text()
    assert f'hx-get="/clinic-map/fragments/regions/{REGION}.html"' in region
    assert f'hx-push-url="/clinic-map/regions/{REGION}"' in region
    # Files send no HX-Push-Url header: a cause's link says its own address.
    cause = re.search(r'<a href="(/clinic-map/pain-points/[^"]+)" hx-get="[^"]+"([^>]*)>', region)
    assert cause and cause.group(2) == f' hx-push-url="{cause.group(1)}"', region
    assert re.search(r'src="/clinic-map/assets/htmx\.min\.js(\?v=[^"]*)?"', region)
    assert re.search(r'href="/clinic-map/static/bodymap\.css(\?v=[^"]*)?"', region)


def test_links_in_the_small_export_lead_to_exported_files(tmp_path):
    out = export(SMALL, tmp_path / "hosted" / "map", base_path="/map/").outdir
    content = build_content(load_file(SMALL))
    pages = [prefix + url for prefix in ("", "/embed") for url in pages_of(content)]
    assert broken_links(out, "/map", pages, SMALL) == {}


def test_the_snippet_gives_the_address_of_the_export(sample_export_under_base_path):
    snippet = (sample_export_under_base_path / "embed" / "snippet" / "index.html").read_text()
    assert "https://map.example.com/clinic-map/embed/" in snippet
    assert "https://map.example.com/clinic-map/static/embed.js" in snippet
    assert "clinic-map/clinic-map" not in snippet


# --- mistakes ----------------------------------------------------------------------------


def test_invalid_content_prints_what_check_prints_and_exits_1(runner, small_file, tmp_path):
    small_file.write_text(small_file.read_text().replace("view: front", "view: frnt"))
    _, _, check_err = runner("check", str(small_file))

    code, stdout, stderr = runner("build", str(tmp_path / "site"), "--regions", str(small_file))

    assert code == 1
    assert stdout == ""
    assert stderr == check_err
    first = stderr.splitlines()[0]
    assert PROBLEM_LINE.match(first) and first.startswith(f"{small_file}:")
    assert not (tmp_path / "site").exists()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["figures", "regions.yaml"], "a staging dir was left"


def test_a_missing_content_file_exits_2(runner, tmp_path):
    code, _, stderr = runner("build", str(tmp_path / "site"), "--regions", str(tmp_path / "no"))
    assert code == 2 and "cannot read the file" in stderr


def test_build_refuses_a_directory_that_is_not_an_export(runner, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")

    code, _, stderr = runner("build", str(out), "--regions", str(SMALL))

    assert code == 2 and "not empty" in stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_build_replaces_an_earlier_export(runner, tmp_path):
    out = tmp_path / "site"
    assert runner("build", str(out), "--regions", str(SMALL))[0] == 0
    (out / "regions" / "gone").mkdir()
    (out / "regions" / "gone" / "index.html").write_text("an old page")

    assert runner("build", str(out), "--regions", str(SMALL))[0] == 0

    assert is_export(out) and not (out / "regions" / "gone").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("option", [["--base-path", "/../etc"], ["--site-url", "ftp://x"]])
def test_bad_options_exit_2_and_write_nothing(runner, tmp_path, option):
    code, _, stderr = runner("build", str(tmp_path / "site"), "--regions", str(SMALL), *option)
    assert code == 2 and option[0] in stderr
    assert list(tmp_path.iterdir()) == []


def test_without_htmx_the_build_stops(runner, tmp_path, monkeypatch):
    create_app = export_module.create_app
    monkeypatch.setattr(
        export_module,
        "create_app",
        lambda *a, **k: create_app(*a, **k, HTMX_PATH=str(tmp_path / "none.js")),
    )
    code, _, stderr = runner("build", str(tmp_path / "site"), "--regions", str(SMALL))
    assert code == 2 and "htmx is not installed" in stderr
    assert not (tmp_path / "site").exists()


# --- what the static host must add -----------------------------------------------------


def test_the_deploy_guide_lists_the_headers_the_app_sends():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert CONTENT_SECURITY_POLICY in guide, "docs/deploy.md: the CSP differs from headers.py"
    for header in ("frame-ancestors", "X-Content-Type-Options", "nosniff", "Referrer-Policy"):
        assert header in guide
    assert "add_header" in guide

"""Hostile text in every field of regions.yaml stays text; hostile addresses are refused.

A copy of the sample content has a filter-evasion payload in every text field. In a real
Chromium, on every kind of page (home, region, a panel swapped in by htmx, pain point,
embed, zoom), no payload runs: no dialog, no sentinel (`window.__xss`), no CSP violation,
no element or attribute made from the payload, and each payload reads as visible text.
Every url field gets a dangerous address instead, and the loader refuses each of them.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from bodymap import create_app
from bodymap.loader import load_bytes
from bodymap.problems import ContentError

from ..conftest import SAMPLE, copy_content
from .conftest import CHROMIUM_ARGS, ROOT, TIMEOUT_MS, serving, watch  # noqa: F401

S = "window.__xss=1"  # what each payload would do if it ran (besides alert)

PAYLOADS = [
    f"<script>alert(1);{S}</script>",
    f"<ScRiPt>{S}</sCrIpT>",
    "<script src=/x.js></script>",
    f"<img src=x onerror={S}>",
    f'<img src="x" onerror="alert(1);{S}">',
    f"<IMG SRC=# onmouseover={S}>",
    f"<svg onload={S}>",
    f"<svg><script>{S}</script></svg>",
    f"<svg><animate onbegin={S} attributeName=x dur=1s>",
    f'"><script>{S}</script>',
    f"'><img src=x onerror={S}>",
    f'" onmouseover="{S}" x="',
    f"' autofocus onfocus='{S}",
    f"javascript:{S}",
    f'<a href="javascript:{S}">click</a>',
    f'<a href="jav&#x09;ascript:{S}">tab</a>',
    f"<a href=&#106;avascript:{S}>entity</a>",
    '<div hx-get="/x" hx-trigger="load">htmx</div>',
    f'<div hx-on:htmx:load="{S}">hx-on</div>',
    f'<button hx-on::before-request="{S}" hx-post="/">go</button>',
    '<div hx-get="/healthz" hx-trigger="load" hx-target="body" hx-swap="outerHTML"></div>',
    f"<form hx-post=\"/\" hx-vals='js:{{x:{S}}}'>",
    "{{7*7}}",
    "{{ config.items() }}",
    "{% raw %}{{ self }}{% endraw %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    f"</title><script>{S}</script>",
    f"</textarea><script>{S}</script>",
    f'<iframe srcdoc="<script>parent.{S}</script>"></iframe>',
    f"<iframe src=javascript:{S}>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={S}>",
    f"<style>@import 'javascript:{S}';</style>",
    "<style>body{background:url(/x)}</style>",
    f"<body onload={S}>",
    f"<details open ontoggle={S}>",
    f"<video><source onerror={S}></video>",
    f'<object data="javascript:{S}"></object>',
    f"<embed src=javascript:{S}>",
    "<base href=//evil.example/>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{S}">',
    f"&lt;script&gt;{S}&lt;/script&gt;",
    f"&#60;script&#62;{S}&#60;/script&#62;",
    f"%3Cscript%3E{S}%3C/script%3E",
    f"\\x3cscript\\x3e{S}\\x3c/script\\x3e",
    f"<scr<script>ipt>{S}</scr</script>ipt>",
    f"<<script>{S}//<</script>",
    f'<input autofocus onfocus="{S}">',
    f"<marquee onstart={S}>",
    f'<!--<img src="--><img src=x onerror={S}//">',
    f"<x contenteditable onblur={S}>lose focus",
]
assert len(PAYLOADS) >= 40 and all(len(p) < 180 and p == p.strip() for p in PAYLOADS)

BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/\\evil.example",
    "https://user:pw@evil.example/",
    "https://clinic.example\\@evil.example/",
    "http://evil.example/",
    "https://evil.example/a b",
    "https://bücher.example/",
]

REGION = "lower-back-left"


def poisoned() -> dict:
    """The sample content with a payload in every text field (suffixed, to stay unique)."""
    data = yaml.safe_load((ROOT / "regions.yaml").read_text())
    counter = iter(range(10_000))

    def text() -> str:
        n = next(counter)
        return f"{PAYLOADS[n % len(PAYLOADS)]} #{n}"

    clinic = data["clinic"]
    clinic["name"], clinic["tagline"], clinic["disclaimer"] = text(), text(), text()
    for area in data["areas"]:
        area["label"] = text()
    for section, fields in (
        ("regions", ("label",)),
        ("pain_points", ("label", "summary")),
        ("articles", ("title", "summary")),
        ("red_flags", ("text",)),
    ):
        for item in data[section]:
            for name in fields:
                item[name] = text()
            if "synonyms" in item:
                item["synonyms"] = [text() for _ in item["synonyms"]]
    # Every payload once more where the home page shows it: the region list.
    for i, payload in enumerate(PAYLOADS):
        data["regions"][i]["label"] = f"{payload} #r{i}"
    return data


def dump(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000).encode()


def test_every_url_field_with_a_dangerous_address_is_refused():
    data = yaml.safe_load((ROOT / "regions.yaml").read_text())
    fields = [(data["clinic"], "booking_url", "clinic.booking_url: ")]
    fields.append((data["clinic"], "site_url", "clinic.site_url: "))
    fields += [(a, "url", f"article '{a['id']}', url: ") for a in data["articles"]]
    for n, (item, key, _) in enumerate(fields):
        item[key] = BAD_URLS[n % len(BAD_URLS)]
    assert len(fields) >= len(BAD_URLS)
    with pytest.raises(ContentError) as caught:
        load_bytes(
            dump(data), "regions.yaml", figure=(ROOT / "figures" / "adult.yaml").read_bytes()
        )
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == len(fields), problems
    for (_, _, where), problem in zip(fields, problems, strict=True):
        assert re.match(r"^regions\.yaml:\d+:\d+: error: ", problem), problem
        assert re.search(f"error: {re.escape(where)}must (not|be|start|have) ", problem), (
            where,
            problem,
        )


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("xss") / "regions.yaml"
    copy_content(path, SAMPLE, dump(poisoned()).decode())
    with serving(create_app(path)) as url:
        yield url


MARKUP_FROM_PAYLOADS = """() => {
    const own = location.origin;
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            if (name.startsWith('on') || name.startsWith('hx-on') || name === 'srcdoc'
                || /^\\s*(javascript|data|vbscript):/i.test(attr.value)
                || (name === 'hx-trigger' && el.closest('.preview') === null
                    && el.id !== 'search-words')
                || (name === 'hx-vals')) {
                found.push(el.tagName + ' ' + name);
            }
        }
    }
    for (const tag of ['iframe', 'object', 'embed', 'base', 'math', 'marquee',
                       'video', 'img', 'textarea', 'style', 'x']) {
        if (document.querySelector(tag)) found.push(tag);
    }
    // The app's own: the folded warning signs and causes, the search form, the warning-sign
    // answers' forms, the list of places by name, the chosen places sent along with a tap,
    // and the phone's Front/Back switch.
    const ownDetails = 'details.flag-tier, details.cause-details, details.more-causes';
    for (const el of document.querySelectorAll('details')) {
        if (!el.matches(ownDetails)) found.push('details');
    }
    const ownForms = 'form.search, form.flag-question, .flag-answer > form, form.place-picker';
    for (const form of document.querySelectorAll('form')) {
        if (!form.matches(ownForms)) found.push('form');
    }
    for (const input of document.querySelectorAll('input')) {
        if (!input.closest(ownForms + ', #chosen, fieldset.view-switch')) found.push('input');
    }
    for (const s of document.scripts) {
        if (!s.src || !s.src.startsWith(own + '/')) found.push('script ' + s.src);
    }
    if (document.querySelectorAll('meta[http-equiv]').length) found.push('meta http-equiv');
    return found;
}"""


def check_page(page: Page, dialogs: list[str], console: list[str]) -> str:
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # let htmx process the page (hx-trigger="load" would fire)
    assert dialogs == [], dialogs
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate(MARKUP_FROM_PAYLOADS) == []
    assert [m for m in console if "Content Security Policy" in m or "Permissions" in m] == []
    assert console == [], console
    return page.evaluate("document.body.innerText") + "\n" + page.title()


def test_hostile_text_in_every_field_stays_visible_text(browser: Browser, xss_server: str):
    context = browser.new_context(base_url=xss_server, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    traffic = watch(context, xss_server)
    dialogs: list[str] = []
    console: list[str] = []

    def dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    context.on("dialog", dialog)
    context.on("console", lambda m: m.type in ("error", "warning") and console.append(m.text))
    page = context.new_page()
    seen = ""
    try:
        page.goto("/")
        home = check_page(page, dialogs, console)
        seen += home
        for payload in PAYLOADS:
            assert payload in home, f"not shown as text on the home page: {payload!r}"

        # A panel swapped in by htmx, without a reload.
        page.evaluate("window.__marker = 1")
        page.locator(f'#region-list a[href="/?r={REGION}#panel-heading"]').click()
        expect(page).to_have_url(re.compile(f"/\\?r={REGION}$"))
        expect(page.locator("#panel-heading")).to_contain_text("#")
        assert page.evaluate("window.__marker") == 1, "the panel was not swapped in place"
        seen += check_page(page, dialogs, console)

        for path in (
            f"/regions/{REGION}",
            "/pain-points/sciatica",
            "/embed/",
            f"/embed/regions/{REGION}",
            "/zoom/"
            + page.evaluate(
                "document.querySelector('a[href^=\"/zoom/\"]')?.getAttribute('href')"
                "?.slice(6) || 'head'"
            ),
        ):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            seen += check_page(page, dialogs, console)
        # Hostile words typed into the search box (htmx active search), and results,
        # several places, the summary and the Spanish page made of hostile texts.
        page.goto("/")
        page.locator("#search-words").fill(PAYLOADS[0])
        expect(page.locator("#found-heading")).to_contain_text("<script>")
        seen += check_page(page, dialogs, console)
        for path in (
            "/search?q=" + quote(PAYLOADS[3]),
            "/search?q=script",
            f"/?r={REGION}&r=thigh-back-left",
            f"/summary?r={REGION}&r=thigh-back-left",
            f"/?r={REGION}&r=thigh-back-left&lang=es",
        ):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            seen += check_page(page, dialogs, console)
        for payload in PAYLOADS:
            assert payload in seen
        assert "49" not in re.sub(r"#r?\d+", "", seen).replace("{{7*7}}", "")
    finally:
        context.close()
    assert traffic.problems() == {}
    assert dialogs == [] and console == []

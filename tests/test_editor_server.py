"""`bodymap edit` as a real server on loopback: the printed address, the token, forms."""

from __future__ import annotations

import http.cookiejar
import os
import re
import select
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import copy_content
from .test_editor import CLINIC

START_SECONDS = 20


@pytest.fixture
def running(tmp_path):
    """`bodymap edit FILE --no-browser` in its own process; yields (address, file)."""
    path = tmp_path / "regions.yaml"
    copy_content(path, CLINIC)
    process = subprocess.Popen(
        [sys.executable, "-m", "bodymap.cli", "edit", str(path), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
        assert ready, "bodymap edit printed no address"
        line = process.stdout.readline()
        yield line, path
    finally:
        os.kill(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        process.stdout.close()


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def fetch(browser, url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with browser.open(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def test_the_address_is_printed_on_one_line_with_a_private_token(running):
    line, _ = running
    match = re.fullmatch(
        r"The editor is at (http://127\.0\.0\.1:(\d+)/edit/\?token=([\w-]{40,}))\n", line
    )
    assert match, line


def test_token_cookie_and_a_save_over_real_http(running):
    line, path = running
    address = line.split()[-1]
    base = address.split("/edit/")[0]
    browser, jar = opener()
    status, page, _ = fetch(browser, address)
    assert status == 200 and "Edit the map" in page
    [cookie] = list(jar)
    assert cookie.path == "/edit" and cookie.has_nonstandard_attr("HttpOnly")
    status, page, _ = fetch(browser, f"{base}/edit/clinic")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"csrf": csrf, "name": "Test Spine Clinic", "phone": "(555) 010-0555"}
    form |= {"booking_url": "https://clinic.example/book/", "site_url": "https://clinic.example/"}
    form |= {"tagline.en": "Backs and necks", "tagline.es": "Espaldas y cuellos"}
    form |= {"disclaimer.en": "General education only.", "action": "save"}
    body = urllib.parse.urlencode(form).encode()
    status, _, _ = fetch(browser, f"{base}/edit/clinic", body, {"Origin": "https://evil.example"})
    assert status == 403  # a cross-site form post, with the victim's cookie
    assert "(555) 010-0200" in path.read_text()
    status, page, _ = fetch(browser, f"{base}/edit/clinic", body, {"Origin": base})
    assert status == 200 and "Saved" in page  # after the redirect
    assert '  phone: "(555) 010-0555"' in path.read_text()
    for _ in range(40):  # the map in the same process reloads the file by itself
        if "(555) 010-0555" in fetch(browser, f"{base}/")[1]:
            break
        time.sleep(0.25)
    else:
        pytest.fail("the map did not show the new phone number")


def test_a_wrong_token_over_real_http(running):
    line, _ = running
    address = line.split()[-1]
    browser, jar = opener()
    status, page, _ = fetch(browser, address[:-4] + "xxxx")
    assert status == 403
    assert "wrong token" in page
    assert not list(jar)
    status, _, _ = fetch(browser, address.split("?")[0])
    assert status == 403

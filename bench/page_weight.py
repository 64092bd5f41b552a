"""Bytes of a first visit to the map and of one region tap, raw and gzip-compressed; then the
pages and fragments of the warning-sign answers, the details form and the summary (issue 17).

Run: .venv/bin/python bench/page_weight.py [regions.yaml]
Renders through the Flask test client (no network), so the figures are the app's own output.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bodymap import create_app  # noqa: E402


def weigh(client, url: str) -> tuple[int, int]:
    with client.get(url) as response:
        assert response.status_code == 200, (url, response.status_code)
        body = response.get_data()
    return len(body), len(gzip.compress(body, compresslevel=6))


def main() -> None:
    app = create_app(sys.argv[1] if len(sys.argv) > 1 else ROOT / "regions.yaml")
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/(?:static/|assets/|theme\.css)[^"]*)"', home)
    rows = [("/ (HTML with both inline SVG views)", *weigh(client, "/"))]
    rows += [(url, *weigh(client, url)) for url in assets]
    first_visit = (sum(r[1] for r in rows), sum(r[2] for r in rows))
    tap = weigh(client, "/fragments/places.html?toggle=lower-back-left")
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'resource':<{width}}{'bytes':>10}{'gzip':>10}")
    for name, raw, packed in rows:
        print(f"{name:<{width}}{raw:>10,}{packed:>10,}")
    print(f"{'first visit, total':<{width}}{first_visit[0]:>10,}{first_visit[1]:>10,}")
    print(f"{'region tap (fragment)':<{width}}{tap[0]:>10,}{tap[1]:>10,}")
    app.config["PUBLIC_URL"] = "https://map.example-clinic.com"  # the summary draws its QR code
    print()
    for name, url in DETAILS_PAGES.items():
        raw, packed = weigh(client, url)
        print(f"{name:<{DETAILS_WIDTH}}{raw:>10,}{packed:>10,}")


TWO = "r=lower-back-left&r=thigh-back-left"
ANSWERS = (
    "&i.lower-back-left=7&k.lower-back-left=burning&k.lower-back-left=shooting"
    "&d.lower-back-left=weeks&i.thigh-back-left=4&d.thigh-back-left=months"
    "&worst=lower-back-left&flags=none"
)
DETAILS_PAGES = {
    "two places, panel fragment (with the question)": f"/fragments/places.html?{TWO}",
    "two places, panel fragment after 'Yes'": f"/fragments/places.html?{TWO}&flags=yes",
    "two places, page after 'Yes'": f"/?{TWO}&flags=yes",
    "details form, two places": f"/details?{TWO}",
    "summary, two places, no answers": f"/summary?{TWO}",
    "summary, two places, every answer, QR code": f"/summary?{TWO}{ANSWERS}",
    "FHIR copy (/summary.json), every answer": f"/summary.json?{TWO}{ANSWERS}",
    "details.css (summary and details pages only)": "/static/details.css",
}
DETAILS_WIDTH = max(len(name) for name in DETAILS_PAGES) + 2


if __name__ == "__main__":
    main()

"""The floor for throughput: a Flask app that returns constant bytes, one route per URL.

bench/throughput.py reads the real app's responses first and writes a manifest (JSON) of
{url: {"file": path, "content_type": ..., "content_encoding": ... or null}}; this app serves
exactly those bytes with those two headers, and does nothing else per request.

Run (by bench/throughput.py, with the app's production command):
    BENCH_MINIMAL_PAGES=/tmp/.../pages.json gunicorn --workers 2 --threads 1 \
        --bind 127.0.0.1:PORT minimal_app:app        # from the bench/ directory
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask, Response


def create_app(manifest: str | os.PathLike) -> Flask:
    app = Flask(__name__)
    pages = json.loads(Path(manifest).read_text())
    for number, (url, page) in enumerate(pages.items()):
        body = Path(page["file"]).read_bytes()
        headers = {"Content-Type": page["content_type"]}
        if page.get("content_encoding"):
            headers["Content-Encoding"] = page["content_encoding"]
            headers["Vary"] = "Accept-Encoding"

        def view(body=body, headers=headers) -> Response:
            return Response(body, headers=headers)

        app.add_url_rule(url, endpoint=f"page{number}", view_func=view)
    return app


app = create_app(os.environ["BENCH_MINIMAL_PAGES"])

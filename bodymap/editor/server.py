"""`bodymap edit`: the editor and the map on 127.0.0.1, opened at a private address."""

from __future__ import annotations

import sys
import threading
import webbrowser

from werkzeug.serving import make_server

from .. import create_app
from . import auth


def hash_password() -> int:
    return auth.prompt_for_hash()


def run(path: str, port: int = 0, browser: bool = True) -> int:
    """Serve until Ctrl+C; the address (with its token) is printed on one line."""
    token = auth.new_token()
    app = create_app(path, PREVIEW=True, EDITOR_TOKEN=token)
    server = make_server("127.0.0.1", port, app, threaded=True)
    address = f"http://127.0.0.1:{server.server_port}/edit/?token={token}"
    print(f"The editor is at {address}", flush=True)
    print("Keep this address private. Stop the editor with Ctrl+C.", file=sys.stderr, flush=True)
    if browser:
        threading.Timer(0.5, webbrowser.open, (address,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0

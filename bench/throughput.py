"""Requests per second and p99 latency: the app against a minimal Flask app and nginx.

Run: .venv/bin/python bench/throughput.py [--rounds 3] [--duration 5] [--regions FILE]
Needs wrk and nginx (scripts/bench.sh installs them: apt-get install wrk nginx-light).

Three servers on free 127.0.0.1 ports, started together and all stopped at the end:
  app      the app under the production command
           gunicorn --workers 2 --threads 1 --bind 127.0.0.1:PORT app:app
  minimal  bench/minimal_app.py under the same command: one Flask route per URL returning the
           exact bytes (and Content-Type / Content-Encoding) the app sent for that URL
  nginx    the static export (`bodymap build DIR`; while that command does not exist, the app's
           own responses saved as files), 2 worker processes, no access log; when the app
           compresses, every text file gets a gzip -9 copy served by gzip_static (nginx-light
           has no brotli), as a static deployment would ship it
Each URL is measured with `wrk -t2 -c50 -dNs --latency -H 'Accept-Encoding: gzip, br'` in
interleaved rounds (the server order rotates every round); the median of the rounds is reported
per server and URL, with the ratios app/minimal and app/nginx. The machine has 2 cores that wrk
and the servers share: compare ratios, not absolute numbers between runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import (
    ACCEPT_ENCODING,
    BENCH,
    HOST,
    ROOT,
    VENV_BIN,
    BenchError,
    Server,
    app_server,
    fetch,
    free_port,
    gunicorn_command,
    run_and_report,
    say,
)

URLS = ["/", "/regions/lower-back-left", "/fragments/regions/lower-back-left.html"]
SERVERS = ["app", "minimal", "nginx"]
ROUNDS = 3
DURATION = 5  # seconds per wrk run
THREADS = 2
CONNECTIONS = 50
WARMUP = 1  # seconds of wrk per server and URL before the rounds
TARGET_RATIO = 0.8  # app throughput >= 0.8 x the minimal Flask app
BUILD_TIMEOUT = 300
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def expected_seconds(rounds: int, duration: float, urls: int = len(URLS)) -> float:
    runs = rounds * urls * len(SERVERS)
    warmups = urls * len(SERVERS)
    return runs * (duration + 0.3) + warmups * (WARMUP + 0.3) + 15  # + start, build, stop


def parse_wrk(output: str) -> dict:
    """req/s, p99 latency (ms), bytes per response and error counts from `wrk --latency`."""

    def number(pattern: str) -> re.Match:
        found = re.search(pattern, output, re.MULTILINE)
        if not found:
            raise BenchError(f"wrk output without {pattern!r}:\n{output}")
        return found

    rps = float(number(r"^Requests/sec:\s+([\d.]+)").group(1))
    p99 = number(r"^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$")
    total = number(r"^\s+(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB|TB) read")
    requests = int(total.group(1))
    read = float(total.group(2)) * SIZES[total.group(3)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)],
        "requests": requests,
        "bytes_per_response": read / requests if requests else 0.0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
    }


def wrk(url: str, duration: float) -> dict:
    return parse_wrk(wrk_output(url, duration))


def wrk_output(
    url: str, duration: float, connections: int = CONNECTIONS, extra=(), slack: float = 30
) -> str:
    """Run wrk with the browser's Accept-Encoding, bounded in time; what it printed."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{duration:g}s",
        "--latency",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
        *extra,
        url,
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + slack, check=False
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk on {url} did not finish within {duration + slack:g} s") from None
    if done.returncode != 0:
        raise BenchError(f"wrk on {url} exited with {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def check_tools() -> None:
    missing = [tool for tool in ("wrk", NGINX) if not shutil.which(tool)]
    if missing:
        raise BenchError(
            f"missing: {', '.join(missing)}: run `bash scripts/bench.sh` (as root it installs"
            " them with apt-get install -y wrk nginx-light) or install them yourself"
        )
    if not (VENV_BIN / "gunicorn").exists():
        raise BenchError("missing .venv/bin/gunicorn: run `bash scripts/install.sh test`")


def save_pages(base: str, folder: Path, headers: dict[str, str]) -> dict[str, dict]:
    """The app's response to each URL (sent with `headers`), saved as files; a manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {}
    for number, url in enumerate(URLS):
        status, reply, body = fetch(base + url, headers)
        if status != 200:
            raise BenchError(f"the app answered {status} to {url}")
        path = folder / f"page{number}.bin"
        path.write_bytes(body)
        pages[url] = {
            "file": str(path),
            "bytes": len(body),
            "content_type": reply.get("Content-Type", "text/html; charset=utf-8"),
            "content_encoding": reply.get("Content-Encoding"),
        }
    return pages


def has_build_command() -> bool:
    done = subprocess.run(
        [str(VENV_BIN / "bodymap"), "build", "--help"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.returncode == 0


def static_site(base: str, site: Path, regions: str | None) -> str:
    """Fill `site` with the static export, or with the app's responses; say which."""
    if has_build_command():
        env = {**os.environ, **({"BODYMAP_REGIONS": regions} if regions else {})}
        done = subprocess.run(
            [str(VENV_BIN / "bodymap"), "build", str(site)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        if done.returncode == 0:
            return "static export (`bodymap build`)"
        output = (done.stdout + done.stderr)[-1500:]
        say(f"`bodymap build` exited with {done.returncode}:\n{output}")
        shutil.rmtree(site, ignore_errors=True)
        how = "the app's responses saved as files (`bodymap build` failed)"
    else:
        how = "the app's responses saved as files (no `bodymap build` command yet)"
    for url in URLS:
        status, _, body = fetch(base + url)  # identity: nginx compresses by itself
        if status != 200:
            raise BenchError(f"the app answered {status} to {url}")
        path = site / (url.strip("/") or "index.html")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    return how


def gzip_static_available() -> bool:
    done = subprocess.run([NGINX, "-V"], capture_output=True, text=True, timeout=30, check=False)
    return "http_gzip_static_module" in done.stderr + done.stdout


def precompress(site: Path) -> None:
    """A .gz beside every text file, as a static deployment would ship (gzip -9)."""
    for file in list(site.rglob("*")):
        if file.is_file() and file.suffix in ("", ".html", ".css", ".js", ".svg", ".json"):
            packed = file.with_name(file.name + ".gz")
            packed.write_bytes(gzip.compress(file.read_bytes(), compresslevel=9))
            packed.chmod(0o644)


def nginx_how(compress: bool) -> str:
    if not compress:
        return "no compression (the app does not compress)"
    if gzip_static_available():
        return "files precompressed with gzip -9 (gzip_static), as the app compresses"
    return "on-the-fly gzip level 6, as the app compresses"


def nginx_server(tmp: Path, site: Path, compress: bool, log: Path) -> Server:
    port = free_port()
    # nginx started as root serves with an unprivileged worker user: it must read the files.
    for folder in [tmp, *(p for p in site.rglob("*") if p.is_dir()), site]:
        folder.chmod(0o755)
    for file in site.rglob("*"):
        if file.is_file():
            file.chmod(0o644)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp / ('nginx-' + kind)};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    compression = ""
    if compress and gzip_static_available():
        precompress(site)
        compression = "    gzip_static on;\n    gzip_vary on;\n"
    elif compress:
        compression = (
            "    gzip on;\n    gzip_comp_level 6;\n    gzip_vary on;\n"
            "    gzip_types text/css application/javascript image/svg+xml application/json;\n"
        )
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""worker_processes 2;
daemon off;
pid {tmp / "nginx.pid"};
error_log {tmp / "nginx-error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
{temp_paths}
    types {{
        text/html html htm;
        text/css css;
        application/javascript js;
        image/svg+xml svg;
        application/json json;
        text/plain txt;
    }}
    default_type text/html;
    sendfile on;
    tcp_nopush on;
{compression}    server {{
        listen {HOST}:{port};
        root {site};
        index index.html;
        location / {{
            try_files $uri $uri.html $uri/index.html =404;
        }}
    }}
}}
"""
    )
    command = [NGINX, "-p", f"{tmp}/", "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
    return Server("nginx", command, port=port, log=log, ready_path="/")


def measure(rounds: int = ROUNDS, duration: float = DURATION, regions: str | None = None) -> dict:
    """Run the whole comparison; every server is stopped before this returns."""
    check_tools()
    say(
        f"throughput: {rounds} rounds x {len(SERVERS)} servers x {len(URLS)} URLs x {duration:g} s"
        f" of wrk; expected about {expected_seconds(rounds, duration):.0f} s"
    )
    runs: dict[str, dict[str, list[dict]]] = {u: {s: [] for s in SERVERS} for u in URLS}
    with tempfile.TemporaryDirectory(prefix="bodymap-throughput-") as name:
        tmp = Path(name)
        servers: dict[str, Server] = {}
        try:
            app = servers["app"] = app_server(tmp / "app.log", regions)
            app.start()
            pages = save_pages(app.base, tmp / "pages", {"Accept-Encoding": ACCEPT_ENCODING})
            manifest = tmp / "pages.json"
            manifest.write_text(json.dumps(pages))
            port = free_port()
            servers["minimal"] = Server(
                "minimal Flask app (gunicorn)",
                gunicorn_command(port, "minimal_app:app"),
                port=port,
                log=tmp / "minimal.log",
                cwd=BENCH,
                env={"BENCH_MINIMAL_PAGES": str(manifest)},
                ready_path=URLS[0],
            )
            servers["minimal"].start()
            site = tmp / "site"
            site.mkdir()
            how = static_site(app.base, site, regions)
            compress = any(page["content_encoding"] for page in pages.values())
            servers["nginx"] = nginx_server(tmp, site, compress, tmp / "nginx.log")
            servers["nginx"].start()
            say(f"nginx serves {how}; {nginx_how(compress)}")
            missing = []
            for url in URLS:
                status, _, _ = fetch(servers["nginx"].base + url)
                if status != 200:
                    missing.append(url)
                    say(f"nginx: {url} answers {status}: the export lacks it; not measured")
            for url in URLS:
                for server in SERVERS:
                    if not (server == "nginx" and url in missing):
                        wrk(servers[server].base + url, WARMUP)
            for number in range(rounds):
                order = SERVERS[number % len(SERVERS) :] + SERVERS[: number % len(SERVERS)]
                for url in URLS:
                    for server in order:
                        if server == "nginx" and url in missing:
                            continue
                        result = wrk(servers[server].base + url, duration)
                        runs[url][server].append(result)
                        say(
                            f"  round {number + 1} {server:<8}{url:<42}"
                            f"{result['rps']:>9.0f} req/s  p99 {result['p99_ms']:.1f} ms"
                        )
        finally:
            for server in servers.values():
                server.stop()
    return summarise(runs, pages, how, compress, rounds, duration)


def summarise(runs, pages, how, compress, rounds, duration) -> dict:
    rows = []
    for url, by_server in runs.items():
        median = {}
        for server, results in by_server.items():
            if results:
                median[server] = {
                    "rps": statistics.median(r["rps"] for r in results),
                    "p99_ms": statistics.median(r["p99_ms"] for r in results),
                    "bytes_per_response": statistics.median(
                        r["bytes_per_response"] for r in results
                    ),
                    "errors": sum(r["non_2xx"] + r["socket_errors"] for r in results),
                    "rounds": [round(r["rps"]) for r in results],
                }
        app = median.get("app", {}).get("rps")
        ratio_minimal = app / median["minimal"]["rps"] if app and "minimal" in median else None
        ratio_nginx = app / median["nginx"]["rps"] if app and "nginx" in median else None
        rows.append(
            {
                "url": url,
                "servers": median,
                "app_body_bytes": pages[url]["bytes"],
                "app_content_encoding": pages[url]["content_encoding"],
                "app_over_minimal": ratio_minimal,
                "app_over_nginx": ratio_nginx,
                "met": ratio_minimal is not None and ratio_minimal >= TARGET_RATIO,
            }
        )
    return {
        "rows": rows,
        "nginx_content": how,
        "nginx_compression": nginx_how(compress),
        "rounds": rounds,
        "duration": duration,
        "command": (
            f"wrk -t{THREADS} -c{CONNECTIONS} -d{duration:g}s --latency"
            f" -H 'Accept-Encoding: {ACCEPT_ENCODING}'"
        ),
    }


def report(result: dict) -> str:
    lines = [
        f"{result['command']}, {result['rounds']} interleaved rounds, median per server and URL",
        f"nginx serves {result['nginx_content']};",
        f"  {result['nginx_compression']}",
        "",
        f"{'URL':<42}{'server':<9}{'req/s':>9}{'p99 ms':>9}{'B/resp':>9}{'err':>5}  rounds (req/s)",
    ]
    for row in result["rows"]:
        for server in SERVERS:
            m = row["servers"].get(server)
            if not m:
                lines.append(f"{row['url']:<42}{server:<9}{'n/a':>9}")
                continue
            rounds = ", ".join(str(r) for r in m["rounds"])
            lines.append(
                f"{row['url']:<42}{server:<9}{m['rps']:>9.0f}{m['p99_ms']:>9.1f}"
                f"{m['bytes_per_response']:>9.0f}{m['errors']:>5}  {rounds}"
            )
    lines += [
        "",
        f"{'URL':<42}{'app body':>10}{'encoding':>10}{'app/minimal':>13}{'app/nginx':>11}",
    ]
    for row in result["rows"]:
        lines.append(
            f"{row['url']:<42}{row['app_body_bytes']:>10,}{row['app_content_encoding'] or '-':>10}"
            f"{fmt_ratio(row['app_over_minimal']):>13}{fmt_ratio(row['app_over_nginx']):>11}"
        )
    lines.append("B/resp: bytes wrk read per response, headers included.")
    return "\n".join(lines)


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, choices=range(1, 10))
    parser.add_argument("--duration", type=float, default=DURATION, help="seconds per wrk run")
    parser.add_argument("--regions", help="content file (default: $BODYMAP_REGIONS)")
    args = parser.parse_args()
    if not 1 <= args.duration <= 30:
        parser.error("--duration must be between 1 and 30 seconds")
    return run_and_report(measure, report, args.rounds, args.duration, args.regions)


if __name__ == "__main__":
    sys.exit(main())

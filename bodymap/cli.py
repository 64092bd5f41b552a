"""The `bodymap` command: serve the map, check regions.yaml, print its JSON Schema.

Problems with the content file become one readable `FILE:LINE:COL: …` line each,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import create_app, regions_path
from .loader import UnreadableFile, load_file
from .models import RegionsFile
from .problems import ContentError


def serve(args) -> int:
    """Run the development server on loopback (production: see docs/deploy.md)."""
    app = create_app(args.regions)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def check(args) -> int:
    """Exit 0 when the file is valid, 1 when it has problems, 2 when it cannot be read."""
    path = regions_path(args.file)
    try:
        loaded = load_file(path)
    except UnreadableFile as error:
        print(error, file=sys.stderr)
        return 2
    except ContentError as error:
        print(error, file=sys.stderr)
        count = len(error.problems)
        print(f"{path}: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    data = loaded.regions_file
    print(
        f"{path}: ok — {len(data.regions)} regions, {len(data.pain_points)} pain points, "
        f"{len(data.articles)} articles, {len(data.red_flags)} red flags"
    )
    return 0


def schema(args) -> int:
    """Print the JSON Schema of regions.yaml (for editors that validate as you type)."""
    document = RegionsFile.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "bodymap regions.yaml"
    print(json.dumps(document, indent=2))
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="bodymap", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="run the map on http://127.0.0.1:5000")
    serve_parser.add_argument(
        "--regions", help="content file (default: $BODYMAP_REGIONS or regions.yaml)"
    )
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=5000)
    serve_parser.add_argument(
        "--debug", action="store_true", help="reload code and show tracebacks"
    )
    serve_parser.set_defaults(handler=serve)

    check_parser = commands.add_parser("check", help="check a regions.yaml file")
    check_parser.add_argument("file", nargs="?", help="default: $BODYMAP_REGIONS or regions.yaml")
    check_parser.set_defaults(handler=check)

    schema_parser = commands.add_parser("schema", help="print the JSON Schema of regions.yaml")
    schema_parser.set_defaults(handler=schema)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

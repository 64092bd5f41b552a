"""The `bodymap` command: serve, check, edit and export the map; where an item is shown.

Problems with the content file become one readable `FILE:LINE:COL: …` line each,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import create_app, regions_path, settings
from .i18n import ENGLISH_NAMES
from .lint import Report, inspect_file
from .loader import UnreadableFile
from .models import Figure, RegionsFile
from .problems import ContentError


def serve(args) -> int:
    """Run the development server on loopback (production: see docs/deploy.md)."""
    app = create_app(args.regions, **({"PREVIEW": True} if args.preview else {}))
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def check(args) -> int:
    """Exit 0 when the file is valid, 1 when it has problems, 2 when it cannot be read."""
    path = regions_path(args.file)
    try:
        return _check(args, path)
    except ContentError:
        raise
    except Exception as error:
        # Never a traceback: a script reads the exit code, a clinician reads one line.
        print(
            f"bodymap check: {path} could not be checked (bodymap failed: "
            f"{type(error).__name__}) — tell whoever looks after the map",
            file=sys.stderr,
        )
        return 2


def _limits() -> tuple[int, str]:
    """The size limit and the figure folder from the settings, for inspect_file."""
    values = settings.read()
    return values["MAX_BYTES"], values["FIGURES"]


def _check(args, path: str) -> int:
    report = inspect_file(path, *_limits())
    code = 2 if report.unreadable else 1 if report.errors else 0
    if not code and report.warnings and args.strict:
        code = 1
    if args.format == "json":
        print(json.dumps(_check_report(report, code), indent=2))
    else:
        _print_check(report, code, args.untranslated)
    return code


def _counts(loaded) -> dict[str, int]:
    data = loaded.regions_file
    return {
        "regions": len(data.regions),
        "pain_points": len(data.pain_points),
        "articles": len(data.articles),
        "red_flags": len(data.red_flags),
    }


def _check_report(report: Report, code: int) -> dict:
    loaded = report.loaded
    return {
        "file": report.path,
        "valid": loaded is not None,
        "exit_code": code,
        "version": loaded.version if loaded else None,
        "counts": _counts(loaded) if loaded else None,
        "errors": [p.as_dict() for p in report.errors],
        "warnings": [p.as_dict() for p in report.warnings],
        "untranslated": {
            language: [p.as_dict() for p in problems]
            for language, problems in report.untranslated.items()
        },
    }


def _print_check(report: Report, code: int, show_untranslated: bool = False) -> None:
    path, loaded, warnings = report.path, report.loaded, report.warnings
    for problem in [*report.errors, *warnings]:
        print(problem, file=sys.stderr)
    if loaded is None:
        if code == 1:
            count = len(report.errors)
            print(f"{path}: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return
    counts = _counts(loaded)
    note = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})" if warnings else ""
    summary = (
        f"{path}: ok — {counts['regions']} regions, {counts['pain_points']} pain points, "
        f"{counts['articles']} articles, {counts['red_flags']} red flags{note}"
    )
    print(summary, file=sys.stderr if code else sys.stdout)
    for language, problems in report.untranslated.items():
        if show_untranslated:
            for problem in problems:
                print(problem, file=sys.stderr)
        if problems:
            name = ENGLISH_NAMES[language]
            print(
                f"{path}: note: {len(problems)} text{'s' if len(problems) != 1 else ''} "
                f"without {name} ({language}) {'is' if len(problems) == 1 else 'are'} shown"
                " in English"
                + ("" if show_untranslated else " — list them: bodymap check --untranslated"),
                file=sys.stderr,
            )


def build(args) -> int:
    """Write the map as static files (exit 1 for an invalid file, as `check` does)."""
    from .export import ExportError, export

    path = regions_path(args.regions)
    try:
        result = export(path, args.outdir, base_path=args.base_path, site_url=args.site_url)
    except UnreadableFile as error:
        _print_check(Report(path, None, error.problems, unreadable=True), 2)
        return 2
    except ContentError as error:
        _print_check(Report(path, None, error.problems), 1)
        return 1
    except ExportError as error:
        print(f"bodymap build: {error}", file=sys.stderr)
        return 2
    for note in result.notes:
        print(f"bodymap build: {note}", file=sys.stderr)
    print(
        f"{args.outdir}: wrote {result.files} files, {result.bytes} bytes "
        f"({result.bytes / 1_000_000:.1f} MB), content version {result.version}"
    )
    return 0


def schema(args) -> int:
    """Print the JSON Schema of regions.yaml, or of a figure file (for editors and checks)."""
    model, title = (Figure, "bodymap figure file") if args.figure else (RegionsFile, "")
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = title or "bodymap regions.yaml"
    print(json.dumps(document, indent=2))
    return 0


def where(args) -> int:
    """Print every place where a patient sees an item (exit 1 if no item has the id)."""
    from . import where as where_used
    from .content import build_content

    path = regions_path(args.file)
    report = inspect_file(path, *_limits())
    if report.loaded is None:
        _print_check(report, 2 if report.unreadable else 1)
        return 2 if report.unreadable else 1
    content = build_content(report.loaded)
    usages = where_used.find(content, args.id)
    if not usages:
        hint = where_used.suggestion(content, args.id)
        print(
            f"{path}: no article, pain point, red flag or area has the id '{args.id}'"
            + (f" — {hint}" if hint else ""),
            file=sys.stderr,
        )
        return 1
    if args.format == "json":
        print(json.dumps([_usage_dict(u) for u in usages], indent=2))
    else:
        print("\n\n".join(_usage_text(u) for u in usages))
    return 0


def _usage_dict(usage) -> dict:
    return {
        "kind": usage.kind,
        "id": usage.id,
        "name": usage.name,
        "places": [
            {"kind": p.kind, "id": p.id, "name": p.name, "why": list(p.why)} for p in usage.places
        ],
    }


def _usage_text(usage) -> str:
    regions, pages = usage.regions, usage.pain_points
    if usage.nowhere:
        return f"{usage.what} ({usage.name}) is shown nowhere: no patient can see it"
    lines = [f"{usage.what} ({usage.name}):"]
    if regions:
        lines.append(f"  on {_count(len(regions), 'place')} of the body:")
        lines += [f"    {p.name} ({p.id}) — {'; '.join(p.why)}" for p in regions]
    if pages:
        lines.append(f"  on the page of {_count(len(pages), 'pain point')}:")
        lines += [f"    {p.name} ({p.id}) — {'; '.join(p.why)}" for p in pages]
    return "\n".join(lines)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number != 1 else ''}"


def edit(args) -> int:
    """Run the office's editor on 127.0.0.1 and open it in the browser (a private address)."""
    from .editor import server

    if args.hash_password:
        return server.hash_password()
    return server.run(regions_path(args.file), port=args.port, browser=not args.no_browser)


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
    serve_parser.add_argument(
        "--preview", action="store_true", help="turn on /preview, for whoever edits regions.yaml"
    )
    serve_parser.set_defaults(handler=serve)

    check_parser = commands.add_parser("check", help="check a regions.yaml file")
    check_parser.add_argument("file", nargs="?", help="default: $BODYMAP_REGIONS or regions.yaml")
    check_parser.add_argument(
        "--strict", action="store_true", help="warnings count as problems (exit 1)"
    )
    check_parser.add_argument("--format", choices=("text", "json"), default="text")
    check_parser.add_argument(
        "--untranslated",
        action="store_true",
        help="list every text that has no translation (shown in English)",
    )
    check_parser.set_defaults(handler=check)

    build_parser = commands.add_parser(
        "build", help="export the map as static files for any static host or CDN"
    )
    build_parser.add_argument("outdir", help="new or empty directory, or an earlier export")
    build_parser.add_argument(
        "--regions", help="content file (default: $BODYMAP_REGIONS or regions.yaml)"
    )
    build_parser.add_argument(
        "--base-path", default="", help="the sub-path it is served under, e.g. /clinic-map"
    )
    build_parser.add_argument(
        "--site-url",
        help="where it is served, e.g. https://map.example-clinic.com: fills in /embed/snippet",
    )
    build_parser.set_defaults(handler=build)

    schema_parser = commands.add_parser("schema", help="print the JSON Schema of regions.yaml")
    schema_parser.add_argument(
        "--figure", action="store_true", help="the schema of a figure file (figures/adult.yaml)"
    )
    schema_parser.set_defaults(handler=schema)

    where_parser = commands.add_parser(
        "where",
        help="list every place where a patient sees an article, pain point, red flag or area",
    )
    where_parser.add_argument("id", help="the id of the item, e.g. physical-therapy")
    where_parser.add_argument("file", nargs="?", help="default: $BODYMAP_REGIONS or regions.yaml")
    where_parser.add_argument("--format", choices=("text", "json"), default="text")
    where_parser.set_defaults(handler=where)

    edit_parser = commands.add_parser(
        "edit", help="edit regions.yaml in the browser (forms; on this computer only)"
    )
    edit_parser.add_argument("file", nargs="?", help="default: $BODYMAP_REGIONS or regions.yaml")
    edit_parser.add_argument("--port", type=int, default=0, help="default: any free port")
    edit_parser.add_argument(
        "--no-browser", action="store_true", help="only print the address; open no browser"
    )
    edit_parser.add_argument(
        "--hash-password",
        action="store_true",
        help="make the hash for BODYMAP_EDITOR_PASSWORD_HASH (the editor on a hosted map)",
    )
    edit_parser.set_defaults(handler=edit)
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

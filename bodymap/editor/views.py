"""The editor's pages, at /edit/…: the sections, a form per item, removal, where, the text."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import where
from ..yamlsource import read_source
from . import auth, changes, forms, saving
from .yamltext import spans

bp = Blueprint("editor", __name__, url_prefix="/edit")
attempts = auth.Attempts()
# The strict policy of every page, and never in a frame, not even the map's own.
POLICY = (
    "default-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
OPEN = ("editor.login", "editor.static_css")  # reachable before signing in


def _document() -> saving.Document:
    store = current_app.extensions["bodymap"]
    return saving.open_document(store.path, current_app.config["MAX_BYTES"], store.figures_dir)


def _mode() -> str:
    return "token" if current_app.config.get("EDITOR_TOKEN") else "password"


def _who() -> str:
    return f"{request.remote_addr} ({_mode()})"


@bp.before_request
def guard():
    """The token or the session on every request; CSRF and origin on every POST."""
    if _mode() == "token" and not auth.local_host():
        abort(403)
    given = request.args.get("token")
    if given is not None and _mode() == "token":
        if attempts.blocked(request.remote_addr):
            return _refused(429, "Too many wrong tries. Wait a minute and open the address again.")
        if not auth.token_matches(given):
            attempts.failed(request.remote_addr)
            return _refused(
                403,
                "This address is not valid (wrong token). Open the address that"
                " `bodymap edit` printed.",
            )
        response = redirect(url_for(request.endpoint, **(request.view_args or {})), 303)
        auth.set_session(response, auth.new_session())
        return response
    if request.endpoint in OPEN:
        return None
    if auth.session_id() is None:
        if request.method == "GET" and _mode() == "password":
            return redirect(url_for("editor.login"), 303)
        return _refused(
            403,
            "Open the editor with the address that `bodymap edit` printed."
            if _mode() == "token"
            else "Sign in first.",
        )
    if request.method == "POST":
        return _check_post()
    return None


def _check_post():
    if not auth.same_origin():
        return _refused(
            403, "This form was not sent from the editor's own page: nothing was changed."
        )
    if not auth.csrf_matches(request.form.get("csrf", "")):
        return _refused(
            403, "This form is out of date (or not from the editor): open the page again."
        )
    return None


@bp.after_request
def editor_headers(response):
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    # Not no-referrer: Chromium then sends "Origin: null" with the forms, which same_origin
    # refuses. same-origin still tells no other site about the editor's addresses.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _refused(status: int, message: str):
    return render_template("editor/refused.html", message=message, status=status), status


@bp.app_context_processor
def editor_globals():
    if request.blueprint != "editor":
        return {}
    return {
        "csrf": auth.csrf_token,
        "kinds": forms.KINDS,
        "new_allowed": forms.NEW_ALLOWED,
        "ordered": forms.ordered,
        "signed_in": auth.session_id() is not None,
    }


@bp.get("/editor.css")
def static_css():
    return current_app.send_static_file("editor.css")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Password mode: a form; token mode: a box to paste the token in."""
    error = ""
    if request.method == "POST":
        if not auth.same_origin():
            return _refused(403, "This form was not sent from the editor's own page.")
        if attempts.blocked(request.remote_addr):
            return _refused(429, "Too many wrong tries. Wait a minute and try again.")
        given = request.form.get("secret", "")
        ok = auth.token_matches(given) if _mode() == "token" else auth.password_matches(given)
        if ok:
            response = redirect(url_for("editor.home"), 303)
            auth.set_session(response, auth.new_session())
            return response
        attempts.failed(request.remote_addr)
        error = "That is not right. Try again."
    return render_template("editor/login.html", mode=_mode(), error=error), 401 if error else 200


@bp.post("/logout")
def logout():
    response = redirect(url_for("editor.login"), 303)
    auth.set_session(response, None)
    return response


@bp.get("/")
def home():
    document = _document()
    data = document.data or {}
    sections = {
        kind: forms._choices(data, section) for kind, (section, _, _) in forms.KINDS.items()
    }
    usages = where.index(document.content) if document.content else {}
    return render_template(
        "editor/home.html",
        document=document,
        sections=sections,
        usages=usages,
        saved=_saved_view(document),
    )


def _kind_or_404(kind: str) -> tuple:
    return forms.KINDS.get(kind) or abort(404)


def _item_or_404(document, kind: str, ident: str) -> dict:
    if document.data is None:
        abort(409)
    section = _kind_or_404(kind)[0]
    return changes.find(document.data, section, ident) or abort(404)


def _place_problems(specs, outcome, section: str, ident: str | None) -> list:
    """Put each problem of a save beside the field it is about; return the others."""
    if outcome is None or outcome.report is None:
        return []
    by_name = {s.name: s for s in specs}
    try:
        lines = _field_lines(outcome.text, section, ident, by_name)
    except Exception:  # the text could not be read back: every problem goes at the top
        lines = {}
    others = []
    for problem in [*outcome.report.errors, *outcome.report.warnings]:
        home = next(
            (n for n, span in lines.items() if span.first < problem.line <= span.last + 1), None
        )
        if home is None and ident and f"'{ident}'" in problem.message:
            # "pain point 'x', summary is missing": a field with no line of its own
            home = next((n for n in by_name if f", {n} " in problem.message), None)
        if home:
            by_name[home].problems.append(problem)
        else:
            others.append(problem)
    return others


def _field_lines(text: str, section: str, ident: str | None, by_name: dict) -> dict:
    """The lines of each field of the item (or of clinic:) in the new text."""
    if section == "clinic":
        prefix = ("clinic",)
    else:
        data = read_source(text).data
        index = next(
            (
                n
                for n, item in enumerate(data.get(section) or [])
                if isinstance(item, dict) and item.get("id") == ident
            ),
            None,
        )
        if index is None:
            return {}
        prefix = (section, index)
    return {
        path[-1]: span
        for path, span in spans(text).items()
        if len(path) == len(prefix) + 1 and path[:-1] == prefix and path[-1] in by_name
    }


def _render_item(kind, document, data, ident, outcome=None, saved=None):
    section, what, _ = forms.KINDS[kind]
    specs = forms.fields(kind, data, ident)
    others = _place_problems(specs, outcome, section, ident)
    exists = bool(ident and document.data and changes.find(document.data, section, ident))
    usage = None
    if exists and document.content:
        usage = where.index(document.content).get((WHERE_KINDS[section], ident))
    return render_template(
        "editor/item.html",
        kind=kind,
        what=what,
        ident=ident if exists else None,
        fields=specs,
        outcome=outcome,
        others=others,
        usage=usage,
        saved=saved,
        document=document,
        references=changes.references(document.data, section, ident) if exists else [],
    ), (422 if outcome and not outcome.saved and outcome.report and outcome.report.errors else 200)


WHERE_KINDS = {
    "articles": "article",
    "pain_points": "pain_point",
    "red_flags": "red_flag",
    "areas": "area",
    "regions": "region",
}


def _saved_view(document):
    """The change a save made: the backup named in ?saved= against the file now."""
    name = request.args.get("saved", "")
    if not name:
        return None
    before = saving.backup_text(document.path, name)
    if before is None:
        return None
    return {"backup": name, "changes": saving.diff(before, document.text, "regions.yaml")}


@bp.route("/<kind>/<ident>", methods=["GET", "POST"])
def item(kind: str, ident: str):
    _kind_or_404(kind)
    document = _document()
    _item_or_404(document, kind, ident)
    if request.method == "GET":
        return _render_item(kind, document, document.data, ident, saved=_saved_view(document))
    return _save_item(kind, document, ident)


@bp.route("/new/<kind>", methods=["GET", "POST"])
def new(kind: str):
    _kind_or_404(kind)
    if kind not in forms.NEW_ALLOWED:
        abort(404)
    document = _document()
    if document.data is None:
        abort(409)
    if request.method == "GET":
        return _render_item(kind, document, document.data, None)
    return _save_item(kind, document, None)


def _save(document, what: str, *, check: bool = True, **new):
    """Save `new` (data= or text=) as this editor's user; only a check when asked for."""
    return saving.save(
        document,
        what=what,
        who=_who(),
        max_bytes=current_app.config["MAX_BYTES"],
        dry_run=check and request.form.get("action") == "check",
        **new,
    )


def _save_item(kind, document, ident):
    _section, what, _ = forms.KINDS[kind]
    data, new_ident = forms.apply(kind, document.data, ident, request.form)
    verb = "changed" if ident else "added"
    outcome = _save(document, f"{what} '{new_ident}' {verb}", data=data)
    if outcome.saved:
        return redirect(
            url_for("editor.item", kind=kind, ident=new_ident, saved=outcome.backup), 303
        )
    return _render_item(kind, document, data, new_ident if ident else None, outcome)


@bp.route("/clinic", methods=["GET", "POST"])
def clinic():
    document = _document()
    if document.data is None:
        abort(409)
    outcome, data = None, document.data
    if request.method == "POST":
        data = forms.apply_clinic(document.data, request.form)
        outcome = _save(document, "clinic's details changed", data=data)
        if outcome.saved:
            return redirect(url_for("editor.clinic", saved=outcome.backup), 303)
    specs = forms.clinic_fields(data)
    others = _place_problems(specs, outcome, "clinic", None)
    status = 422 if outcome and outcome.report and outcome.report.errors else 200
    return render_template(
        "editor/clinic.html",
        fields=specs,
        outcome=outcome,
        others=others,
        document=document,
        saved=_saved_view(document),
    ), status


@bp.route("/<kind>/<ident>/remove", methods=["GET", "POST"])
def remove(kind: str, ident: str):
    section, what, _ = _kind_or_404(kind)
    if kind not in forms.NEW_ALLOWED:
        abort(404)
    document = _document()
    _item_or_404(document, kind, ident)
    references = changes.references(document.data, section, ident)
    outcome = None
    if request.method == "POST":
        drop = set(request.form.getlist("drop"))
        data = changes.remove(document.data, section, ident, drop)
        outcome = _save(
            document, f"{what} '{ident}' removed ({len(drop)} references)", data=data, check=False
        )
        if outcome.saved:
            return redirect(
                url_for("editor.home", saved=outcome.backup, removed=f"{what} '{ident}'"), 303
            )
    return render_template(
        "editor/remove.html",
        kind=kind,
        what=what,
        ident=ident,
        references=references,
        outcome=outcome,
        document=document,
    ), (422 if outcome else 200)


@bp.get("/where")
def where_page():
    """Pick any item: every place a patient sees it."""
    document = _document()
    chosen = request.args.get("item", "")
    usage = None
    if document.content and "/" in chosen:
        kind, _, ident = chosen.partition("/")
        usage = where.index(document.content).get((kind, ident))
    options = []
    if document.content:
        for (kind, ident), found in where.index(document.content).items():
            options.append((f"{kind}/{ident}", where.KINDS[kind], ident, found.name[:90]))
    return render_template(
        "editor/where.html", options=options, chosen=chosen, usage=usage, document=document
    )


@bp.route("/file", methods=["GET", "POST"])
def file():
    """The file as text, with its problems by line; it can be saved from here too."""
    document = _document()
    outcome, text = None, document.text
    if request.method == "POST":
        text = request.form.get("text", "").replace("\r\n", "\n")
        if request.form.get("base") != document.digest:
            return _refused(
                409,
                "The file was changed since this page was opened: nothing was saved."
                " Open the page again.",
            )
        if document.text.endswith("\n") and not text.endswith("\n"):
            text += "\n"
        outcome = _save(document, "file edited as text", text=text)
        if outcome.saved:
            return redirect(url_for("editor.file", saved=outcome.backup), 303)
    report = outcome.report if outcome else document.report
    problems = sorted([*report.errors, *report.warnings])
    return render_template(
        "editor/file.html",
        document=document,
        text=text,
        lines=text.split("\n"),
        problems=problems,
        outcome=outcome,
        saved=_saved_view(document),
    ), (422 if outcome and not outcome.saved else 200)

"""Staff pages of the imports of payments (under /gestion/adhesions/releves/): upload a bank
statement or a HelloAsso export, then confirm the dues each line pays and record them all at
once (``statements.py``). The lines read are kept in the user's session under a random token
between the two pages: nothing is written before the confirmation."""

import secrets
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from maillage.accounts.models import User
from maillage.core.permissions import permission_required
from maillage.directory.import_files import MAX_FILE_SIZE
from maillage.membership import statements
from maillage.membership.models import Dues

PERM = "membership.add_payment"
SESSION_KEY = "membership_statements"
KEPT = 3  # statements kept in a session at once (the oldest is forgotten)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of file"),
        choices=(
            (statements.BANK, gettext_lazy("Bank statement (CSV)")),
            (statements.HELLOASSO, gettext_lazy("HelloAsso payments export (CSV)")),
        ),
        widget=forms.RadioSelect,
        initial=statements.BANK,
    )
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (separated by “;” or “,”, UTF-8 or Windows-1252) or XLSX, up to %(size)s."
        ) % {"size": filesizeformat(MAX_FILE_SIZE)}


class MatchForm(forms.Form):
    """One choice of dues per line that can be recorded."""

    def __init__(
        self, *args: Any, lines: list[statements.Line], candidates: list[Dues], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— Do not record —"))] + [
            (
                str(dues.pk),
                _("%(organisation)s — %(year)s — COT-%(number)s — %(balance)s € due")
                % {
                    "organisation": dues.membership.organisation.name,
                    "year": dues.year.year,
                    "number": dues.pk,
                    "balance": f"{dues.balance:.2f}".replace(".", ","),  # type: ignore[attr-defined]
                },
            )
            for dues in candidates
        ]
        for line in lines:
            self.fields[f"line-{line.line}"] = forms.ChoiceField(
                label=_("Dues paid by line %(line)s") % {"line": line.line}, choices=choices, required=False
            )

    def chosen(self, lines: list[statements.Line], candidates: list[Dues]) -> dict[str, Dues]:
        by_pk = {str(dues.pk): dues for dues in candidates}
        chosen = {}
        for line in lines:
            value = self.cleaned_data.get(f"line-{line.line}")
            if value:
                chosen[line.key] = by_pk[value]
        return chosen


def _stored(request: HttpRequest) -> dict[str, Any]:
    return cast(dict[str, Any], request.session.get(SESSION_KEY, {}))


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(PERM)
def statement_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            lines = statements.statement_read(form.cleaned_data["file"], kind)
        except statements.StatementError as exc:
            form.add_error("file", str(exc))
        else:
            token = secrets.token_urlsafe(16)
            stored = _stored(request)
            for old in sorted(stored, key=lambda key: stored[key]["order"])[: max(0, len(stored) - KEPT + 1)]:
                del stored[old]
            order = max((item["order"] for item in stored.values()), default=0) + 1
            stored[token] = {
                "kind": kind,
                "name": form.cleaned_data["file"].name,
                "lines": statements.lines_dump(lines),
                "order": order,
            }
            request.session[SESSION_KEY] = stored
            return redirect("membership_staff:statement_match", token=token)
    return render(request, "membership/staff/statement_upload.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(PERM)
def statement_match(request: HttpRequest, token: str) -> HttpResponse:
    stored = _stored(request).get(token)
    if stored is None:
        raise Http404
    kind = stored["kind"]
    lines = statements.lines_load(stored["lines"])
    recorded = statements.recorded_keys(lines)
    recordable = [line for line in lines if line.key and line.key not in recorded]
    candidates = list(statements.unpaid_dues())
    suggested = statements.suggestions(recordable, candidates)
    initial = {
        f"line-{line.line}": str(suggested[line.key].dues_id) for line in recordable if line.key in suggested
    }
    form = MatchForm(request.POST or None, initial=initial, lines=recordable, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen(recordable, candidates)
        if not chosen:
            form.add_error(None, _("Choose the dues of at least one line."))
        else:
            try:
                payments = statements.statement_record(
                    kind=kind, lines=recordable, choices=chosen, by=cast(User, request.user)
                )
            except statements.StatementRejected as exc:
                by_key = {line.key: line for line in recordable}
                for key, errors in exc.errors.items():
                    form.add_error(f"line-{by_key[key].line}", errors)
                messages.error(
                    request, _("Some lines are refused: nothing was recorded. Correct them and try again.")
                )
            else:
                remaining = _stored(request)
                remaining.pop(token, None)
                request.session[SESSION_KEY] = remaining
                messages.success(request, _("Payments recorded: %(count)s.") % {"count": len(payments)})
                return redirect("membership_staff:year_list")
    rows = [
        {
            "line": line,
            "recorded": line.key in recorded,
            "suggestion": suggested.get(line.key),
            "field": form[f"line-{line.line}"] if f"line-{line.line}" in form.fields else None,
        }
        for line in lines
    ]
    context = {"form": form, "rows": rows, "name": stored["name"], "kind": kind, "recordable": recordable}
    status = 400 if form.errors else 200
    return render(request, "membership/staff/statement_match.html", context, status=status)

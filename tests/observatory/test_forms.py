"""The project form: the IATI rules break it with their message on the field or the part
concerned, the rows resolve to the directory and the codelists, and it writes through the
service (keeping what it does not show)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.directory.models import Organisation
from maillage.directory.services import organisation_create
from maillage.observatory.forms import ProjectForms
from maillage.observatory.models import OrganisationRole, Project
from maillage.observatory.services import project_save
from tests.observatory.forms_data import form_data


def _forms(actors, project=None, rows=None, **fields):
    return ProjectForms(form_data(rows, **fields), organisation=actors["regional"], project=project)


def test_a_valid_form_writes_the_project_with_its_parts(actors):
    forms = _forms(actors)
    assert forms.is_valid(), forms.error_summary()
    project = forms.save(actors["editor"], provenance=Project.Provenance.MANUAL)
    assert project is not None
    assert project.status == Project.Status.DRAFT
    assert project.reporting_organisation == actors["regional"]
    assert {(p.organisation.name, p.role) for p in project.participations.all()} == {
        ("Solidarité Eau Occitanie", OrganisationRole.ACCOUNTABLE),
        ("Association des femmes de Podor", OrganisationRole.IMPLEMENTING),
    }
    assert [(c.country.code, c.percentage) for c in project.recipient_countries.all()] == [("SN", None)]
    assert sorted((s.code, s.percentage) for s in project.sectors.all()) == [
        ("14030", Decimal(70)),
        ("14081", Decimal(30)),
    ]
    budget = project.budgets.get()
    assert (budget.value, budget.value_date) == (Decimal(45000), datetime.date(2025, 1, 1))
    transaction = project.transactions.get()
    assert (transaction.provider, transaction.receiver, transaction.receiver_name) == (
        actors["funder"],
        None,
        "",
    )
    assert project.beneficiaries == 1200
    assert project.history.get().history_user == actors["editor"]


@pytest.mark.parametrize(
    ("fields", "rows", "field"),
    [
        ({"title": " "}, None, "title"),
        ({"planned_end": "2024-12-31"}, None, "planned_end"),
        ({"actual_start": "2099-01-01", "planned_end": ""}, None, "actual_start"),
        ({"default_currency": "EU"}, None, "default_currency"),
    ],
)
def test_a_broken_rule_of_the_main_fields_is_shown_on_its_field(actors, fields, rows, field):
    forms = _forms(actors, rows=rows, **fields)
    assert not forms.is_valid()
    assert forms.form.errors[field]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("rows", "part", "message"),
    [
        (
            {"countries": [{"country": "SN", "percentage": "60"}, {"country": "ML", "percentage": "30"}]},
            "countries",
            "The percentages of the %(what)s add up to %(total)s%%, not 100%%.",
        ),
        (
            {"countries": [{"country": "SN", "percentage": "60"}, {"country": "ML", "percentage": ""}]},
            "countries",
            "With several %(what)s, give each one its percentage.",
        ),
        (
            {"countries": [{"country": "SN", "percentage": "50"}]},
            "countries",
            "A single %(what)s takes 100%% (or no percentage).",
        ),
        (
            {"sectors": [{"sector": "14030", "percentage": "70"}, {"sector": "14081", "percentage": "20"}]},
            "sectors",
            "The percentages of the %(what)s add up to %(total)s%%, not 100%%.",
        ),
        ({"participations": []}, "participations", "Name at least one participating organisation."),
        (
            {
                "participations": [
                    {"organisation": "Solidarité Eau Occitanie", "role": "2"},
                    {"organisation": "SEO", "role": "2"},
                ]
            },
            "participations",
            "The same organisation is listed twice in the same role.",
        ),
        (
            {"countries": [{"country": "SN", "percentage": ""}, {"country": "SN", "percentage": ""}]},
            "countries",
            "A country is listed twice.",
        ),
        (
            {"budgets": [{"period_start": "2025-01-01", "period_end": "2026-06-30", "value": "1000"}]},
            "budgets",
            "A budget period lasts at most one year: split it by year.",
        ),
        (
            {"budgets": [{"period_start": "2025-06-01", "period_end": "2025-01-01", "value": "1000"}]},
            "budgets",
            "A budget period ends before it starts.",
        ),
        (
            {"sectors": [{"sector": "14030", "percentage": ""}, {"sector": "14030 – Eau", "percentage": ""}]},
            "sectors",
            "A sector is listed twice.",
        ),
    ],
)
def test_a_broken_rule_of_a_part_is_shown_on_the_part(actors, rows, part, message):
    forms = _forms(actors, rows=rows)
    assert not forms.is_valid()
    errors = [str(error) for error in forms.part(part).formset.non_form_errors()]
    shape = _(message).split("%(")[0]  # the message's words, before its values
    shown = [error for error in errors if error.startswith(shape)]
    assert shown, errors
    anchor = forms.part(part).anchor
    assert any(line[0] == anchor and line[2] == shown[0] for line in forms.error_summary())
    assert not Project.objects.exists()


def test_the_messages_are_in_french(actors):
    rows = {"countries": [{"country": "SN", "percentage": "60"}, {"country": "ML", "percentage": "30"}]}
    with translation.override("fr"):
        forms = _forms(actors, rows=rows)
        assert not forms.is_valid()
        message = str(forms.part("countries").formset.non_form_errors()[0])
        assert "90" in message
        assert message == _("The percentages of the %(what)s add up to %(total)s%%, not 100%%.") % {
            "what": _("recipient countries and regions"),
            "total": "90",
        }


def test_a_partly_filled_row_names_what_it_lacks(actors):
    rows = {
        "participations": [{"organisation": "Association des femmes de Podor", "role": ""}],
        "budgets": [{"period_start": "2025-01-01", "period_end": "", "value": "1000"}],
        "transactions": [{"kind": "3", "date": "", "value": "", "provider": "", "receiver": ""}],
    }
    forms = _forms(actors, rows=rows)
    assert not forms.is_valid()
    assert forms.part("participations").formset.forms[0].errors.keys() == {"role"}
    assert forms.part("budgets").formset.forms[0].errors.keys() == {"period_end"}
    assert forms.part("transactions").formset.forms[0].errors.keys() == {"date", "value"}
    anchors = [line[0] for line in forms.error_summary()]
    assert "id_participations-0-role" in anchors and "id_transactions-0-value" in anchors


def test_organisations_resolve_by_name_acronym_siren_or_label_and_homonyms_are_listed(actors):
    second = organisation_create(
        name="Association des femmes de Podor",
        kind=Organisation.Kind.PARTNER,
        college="",
        country="ML",
        status=Organisation.Status.PUBLISHED,
    )
    rows = {"participations": [{"organisation": "Association des femmes de Podor", "role": "4"}]}
    forms = _forms(actors, rows=rows)
    assert not forms.is_valid()
    message = str(forms.part("participations").formset.forms[0].errors["organisation"][0])
    assert "Sénégal" in message or "Senegal" in message
    assert "Mali" in message

    label = "association des femmes de podor (Mali)"  # as listed, case and accents aside
    rows = {
        "participations": [
            {"organisation": label, "role": "4"},
            {"organisation": "seo", "role": "2"},  # the acronym
        ]
    }
    forms = _forms(actors, rows=rows)
    assert forms.is_valid(), forms.error_summary()
    assert [organisation for organisation, _role in forms.project_data().participations] == [
        second,
        actors["regional"],
    ]


def test_an_unknown_organisation_is_refused_with_suggestions_but_a_funder_may_be_outside(actors):
    rows = {
        "participations": [{"organisation": "Eau Occitanie", "role": "2"}],
        "transactions": [
            {
                "kind": "1",
                "date": "2025-03-10",
                "value": "5000",
                "provider": "Agence de l’eau",
                "receiver": "SEO",
            }
        ],
    }
    forms = _forms(actors, rows=rows)
    assert not forms.is_valid()
    message = str(forms.part("participations").formset.forms[0].errors["organisation"][0])
    assert "Solidarité Eau Occitanie (Toulouse)" in message
    assert not forms.part("transactions").formset.forms[0].errors
    forms = _forms(
        actors, rows=rows | {"participations": [{"organisation": "Solidarité Eau Occitanie", "role": "2"}]}
    )
    assert forms.is_valid(), forms.error_summary()
    transaction = forms.project_data().transactions[0]
    assert (transaction["provider"], transaction["provider_name"]) == (None, "Agence de l’eau")
    assert transaction["receiver"] == actors["regional"]


def test_a_draft_organisation_may_name_itself_but_not_another_draft(actors):
    draft = organisation_create(
        name="Jeunes Solidaires Rodez", kind=Organisation.Kind.PARTNER, college="", country="BF"
    )
    other = organisation_create(
        name="Amis de Kaolack", kind=Organisation.Kind.PARTNER, college="", country="SN"
    )
    rows = {
        "participations": [
            {"organisation": "Jeunes Solidaires Rodez", "role": "4"},
            {"organisation": other.name, "role": "1"},
        ]
    }
    forms = ProjectForms(form_data(rows), organisation=draft)
    assert not forms.is_valid()
    row_errors = [row.errors for row in forms.part("participations").formset.forms]
    assert not row_errors[0] and "organisation" in row_errors[1]


def test_sectors_are_chosen_among_the_dac_codes_in_use(actors, reference_data):
    from maillage.core.models import DacSector

    DacSector.objects.filter(code="14081").update(active=False)
    rows = {"sectors": [{"sector": "14081", "percentage": ""}]}
    forms = _forms(actors, rows=rows)
    assert not forms.is_valid()
    assert forms.part("sectors").formset.forms[0].errors["sector"]
    rows = {"sectors": [{"sector": "99999", "percentage": ""}]}
    assert not _forms(actors, rows=rows).is_valid()
    name = DacSector.objects.get(code="14030").name
    forms = _forms(actors, rows={"sectors": [{"sector": name, "percentage": ""}]})
    assert forms.is_valid(), forms.error_summary()
    assert forms.project_data().sectors == [("1", "14030", None)]


def test_editing_keeps_what_the_form_does_not_show(project, actors):
    project.recipient_regions.create(vocabulary="1", code="289", percentage=Decimal(40))
    project.documents.create(
        url="https://example.org/rapport.pdf", title="Rapport", category="A01", format="application/pdf"
    )
    project.sectors.create(vocabulary="99", code="EAU", percentage=None)
    forms = ProjectForms(organisation=actors["regional"], project=project)
    assert not forms.form.is_bound
    assert [row["sector"][:5] for row in forms.part("sectors").formset.initial] == ["14030", "14081"]

    rows = {
        "countries": [{"country": "SN", "percentage": ""}],
        "documents": [{"title": "Rapport final", "url": "https://example.org/rapport.pdf"}],
    }
    regions_share = ProjectForms(form_data(rows), organisation=actors["regional"], project=project)
    assert not regions_share.is_valid()  # the region kept takes 40 %: the country needs its share
    rows["countries"] = [{"country": "Sénégal", "percentage": "60"}]
    forms = ProjectForms(form_data(rows), organisation=actors["regional"], project=project)
    assert forms.is_valid(), forms.error_summary()
    assert forms.save(actors["editor"]) == project
    project.refresh_from_db()
    assert project.recipient_regions.get().code == "289"
    assert project.recipient_countries.get().percentage == Decimal(60)
    document = project.documents.get()
    assert (document.title, document.category, document.format) == ("Rapport final", "A01", "application/pdf")
    assert project.sectors.filter(vocabulary="99").exists()
    assert project.status == Project.Status.SUBMITTED  # published, changed by an editor


def test_the_service_refusal_becomes_form_errors(actors, project_data):
    project_save(project_data(iati_identifier="FR-RNA-000000000-1"))
    taken = project_save(project_data(title="Autre projet"))
    taken.iati_identifier = ""
    forms = ProjectForms(form_data(), organisation=actors["regional"], project=taken)
    assert forms.is_valid()
    forms.base.iati_identifier = "FR-RNA-000000000-1"  # as an import would have set it
    assert forms.save(actors["editor"]) is None
    assert forms.error_summary()


def test_adding_a_row_shows_one_more_row_without_messages(actors):
    data = form_data({"countries": []}, title="")
    data["add_row"] = "countries"
    forms = ProjectForms(data, organisation=actors["regional"])
    assert forms.adding_row
    assert not forms.is_valid()
    assert len(forms.part("countries").formset.forms) == 2
    assert forms.error_summary() == []
    assert not forms.form.errors


def test_a_prefix_keeps_two_forms_apart(actors):
    forms = ProjectForms(form_data(prefix="p"), organisation=actors["regional"], prefix="p")
    assert forms.is_valid(), forms.error_summary()
    assert forms.part("countries").formset.prefix == "p-countries"

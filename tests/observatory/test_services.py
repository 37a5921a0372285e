"""The rules every project keeps, whatever its source (forms, IATI files, spreadsheets, the
survey)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from maillage.observatory.models import OrganisationRole, Project
from maillage.observatory.services import ProjectData, project_errors, project_save


def test_a_valid_project_is_written_with_its_parts(project):
    assert project.participations.count() == 3
    assert [s.code for s in project.sectors.all()] == ["14030", "14081"]
    assert project.budgets.get().value == Decimal("45000.00")
    assert project.transactions.get().currency == "EUR"
    assert " podor " in project.search_text
    assert ProjectData.of(project).sectors == [("1", "14030", Decimal(70)), ("1", "14081", Decimal(30))]


@pytest.mark.parametrize(
    ("fields", "part"),
    [
        ({"title": " "}, "title"),
        ({"planned_end": datetime.date(2024, 1, 1)}, "planned_end"),
        ({"actual_start": datetime.date(2099, 1, 1), "planned_end": None}, "actual_start"),
        ({"participations": []}, "participations"),
        ({"countries": [("SN", Decimal(60)), ("ML", Decimal(30))]}, "countries"),
        ({"countries": [("SN", Decimal(60)), ("ML", None)]}, "countries"),
        ({"countries": [("SN", Decimal(50))]}, "countries"),
        ({"countries": [("XX", None)]}, "countries"),
        ({"sectors": [("1", "14030", Decimal(70))]}, "sectors"),
        ({"sectors": [("1", "140", None)]}, "sectors"),
        ({"default_currency": "euro"}, "default_currency"),
    ],
)
def test_each_broken_rule_is_named_and_nothing_is_written(project_data, fields, part):
    data = project_data(**fields)
    assert part in project_errors(data)
    with pytest.raises(ValidationError) as refused:
        project_save(data)
    assert part in refused.value.message_dict
    assert not Project.objects.exists()


def test_countries_and_regions_share_the_hundred(project_data):
    data = project_data(countries=[("SN", Decimal(60))], regions=[("1", "289", Decimal(40))])
    assert project_errors(data) == {}
    data = project_data(sectors=[("1", "14030", Decimal(70)), ("1", "14081", Decimal(30)), ("99", "X", None)])
    assert project_errors(data) == {}


def test_an_editor_changing_a_published_project_sends_it_back_to_validation(project, project_data, actors):
    project_save(project_data(title="Accès à l’eau à Podor"), project=project, user=actors["editor"])
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED
    assert project.history.filter(history_user=actors["editor"], title="Accès à l’eau à Podor").exists()


def test_saving_the_same_data_again_writes_no_new_part(project, project_data):
    budget = project.budgets.get()
    project_save(project_data(), project=project)
    assert project.budgets.get().pk == budget.pk
    assert project.participations.filter(role=OrganisationRole.FUNDING).count() == 1

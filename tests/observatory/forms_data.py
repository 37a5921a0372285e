"""The POST data of the project form, as a browser sends it (shared by the form's tests and the
pages' tests)."""

from typing import Any

PARTS = ("participations", "countries", "sectors", "budgets", "transactions", "documents")


def form_data(
    rows: dict[str, list[dict[str, Any]]] | None = None, prefix: str = "", **fields: Any
) -> dict[str, Any]:
    """The fields of a valid project of the ``actors`` fixture (``fields`` override the main
    fields, ``rows`` the rows of a part), each part with one empty row more."""
    rows = {
        "participations": [
            {"organisation": "Solidarité Eau Occitanie", "role": "2"},
            {"organisation": "Association des femmes de Podor", "role": "4"},
        ],
        "countries": [{"country": "SN", "percentage": ""}],
        "sectors": [{"sector": "14030", "percentage": "70"}, {"sector": "14081", "percentage": "30"}],
        "budgets": [{"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "45000"}],
        "transactions": [
            {
                "kind": "1",
                "date": "2025-03-10",
                "value": "20000",
                "provider": "Région Occitanie",
                "receiver": "",
            }
        ],
        "documents": [],
    } | (rows or {})
    main = {
        "title": "Accès à l’eau potable à Podor",
        "description": "Forages et comités de gestion de l’eau.",
        "activity_status": "2",
        "planned_start": "2025-01-01",
        "planned_end": "2027-12-31",
        "actual_start": "2025-02-01",
        "actual_end": "",
        "default_currency": "EUR",
        "beneficiaries": "1200",
        "volunteers": "",
    } | fields
    name = (lambda key: f"{prefix}-{key}") if prefix else (lambda key: key)
    data: dict[str, Any] = {name(key): value for key, value in main.items() if value is not None}
    for part in PARTS:
        lines = rows[part]
        data[f"{name(part)}-TOTAL_FORMS"] = str(len(lines) + 1)
        data[f"{name(part)}-INITIAL_FORMS"] = "0"
        for index, line in enumerate(lines):
            for key, value in line.items():
                data[f"{name(part)}-{index}-{key}"] = value
    return data

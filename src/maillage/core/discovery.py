"""Finding a module of the same name in each of the project's apps (``demo``, ``personal_data``…)."""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[tuple[str, ModuleType]]:
    """``(app label, module)`` for each Maillage app that has a module ``name``, in the order of
    INSTALLED_APPS (which follows the dependencies between apps)."""
    return [
        (config.label, import_module(f"{config.name}.{name}"))
        for config in apps.get_app_configs()
        if config.name.startswith("maillage.") and find_spec(f"{config.name}.{name}")
    ]

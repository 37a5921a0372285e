from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "maillage.observatory"
    label = "observatory"
    verbose_name = _("Observatory")

    def ready(self) -> None:
        from maillage.observatory import signals

        signals.connect()  # the cached facets follow every write of a project

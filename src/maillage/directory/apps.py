from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "maillage.directory"
    label = "directory"
    verbose_name = _("Directory of actors")

    def ready(self) -> None:
        from maillage.directory import signals
        from maillage.directory.services import categories_ensure

        signals.connect()  # the cached facets follow every write of an organisation

        # After every migrate and every test flush, the statutory categories exist.
        post_migrate.connect(lambda **kwargs: categories_ensure(), sender=self, weak=False)

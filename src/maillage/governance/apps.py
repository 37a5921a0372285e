from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maillage.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from maillage.governance.services.bodies import bodies_ensure

        post_migrate.connect(lambda sender, **kwargs: bodies_ensure(), sender=self, weak=False)

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "maillage.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from maillage.accounts.services import roles_ensure

        # After every migrate and every test flush, the role groups exist.
        post_migrate.connect(lambda **kwargs: roles_ensure(), sender=self, weak=False)

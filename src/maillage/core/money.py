"""Money in the messages of the services: euros written as in the active language
(« 1 250,00 € » in French)."""

from decimal import Decimal

from django.utils.formats import number_format


def euros(amount: Decimal) -> str:
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)}\N{NO-BREAK SPACE}€"

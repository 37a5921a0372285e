"""Receipt numbers stay gap-free and unique when payments are recorded at the same moment: 20
threads, each with its own database connection, record a payment together (PostgreSQL only:
SQLite serialises every write anyway)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from maillage.membership.models import Dues, Payment, Receipt
from maillage.membership.services.payments import payment_record

THREADS = 20

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is proved on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_twenty_simultaneous_payments_get_receipts_1_to_20(make_member, year, staff):
    dues = [Dues.objects.get(membership=make_member(f"Association {n}")) for n in range(4)]
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def pay(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            payment_record(
                dues=dues[index % len(dues)],
                amount=Decimal("1.00"),
                method=Payment.Method.CASH,
                received_on=timezone.localdate(),
                reference=f"thread {index}",
                by=staff,
            )
        except Exception as exc:  # noqa: BLE001 — reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    year_of_issue = timezone.localdate().year
    numbers = sorted(Receipt.objects.filter(year=year_of_issue).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    assert Payment.objects.count() == THREADS

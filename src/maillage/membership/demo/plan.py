"""What the demo's members did over three membership years, computed in pure Python (no database
access) from the directory's organisations: who joined when, their size figure, their dues and
the payments, credit notes and reminders that followed.

Each organisation draws from its own ``random.Random`` (seeded with its slug), so that its story
does not change when another organisation of the directory changes. The rare stories (a
resignation, a striking off, a bounced cheque…) are given to the first eligible members in a
fixed order, so that each appears exactly as often as planned."""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

SEED = 2026
CENT = Decimal("0.01")

# Members wanted per collège (about 150 in all; associations are the bulk of an RRMA).
TARGETS = {"associative": 96, "public": 32, "economic": 22}

# Per collège: (size from, up to excluded, fee) — population, budget in euros, employees.
SCALES: dict[str, list[tuple[int, int | None, int]]] = {
    "public": [
        (0, 2000, 150),
        (2000, 10000, 350),
        (10000, 50000, 800),
        (50000, 200000, 1500),
        (200000, None, 3000),
    ],
    "associative": [
        (0, 10000, 30),
        (10000, 50000, 60),
        (50000, 200000, 110),
        (200000, 1000000, 180),
        (1000000, None, 250),
    ],
    "economic": [(0, 6, 100), (6, 21, 250), (21, 51, 450), (51, None, 800)],
}
# The current year's scale: the general assembly raised the public and economic fees by 5 %
# (the highest fees, 3 000 € and 800 €, unchanged).
RAISE = {"public": Decimal("1.05"), "associative": Decimal("1"), "economic": Decimal("1.05")}

BUDGET_RANGES = {"<10k": (1500, 9900), "10k-50k": (10000, 49900), "50k-200k": (50000, 199000),
                 "200k-1m": (200000, 990000), ">1m": (1000000, 3200000)}  # fmt: skip
STAFF_RANGES = {"0": (0, 0), "1-5": (1, 5), "6-20": (6, 20), "21-50": (21, 50), "51+": (51, 180)}

# The rare stories, given in this order to the first members who joined before the oldest year.
STORIES = [
    "resigned_last_year", "resigned_this_year", "struck_off", "bounced_cheque", "overpaid",
    "partial_paid", "partial_paid", "partial_open", "partial_open",
    *["lapsed"] * 5, *["late"] * 8, *["slow"] * 16,
]  # fmt: skip

OPEN_APPLICATIONS = ["submitted", "submitted", "submitted", "incomplete", "incomplete", "refused"]

INCOMPLETE_COMMENTS = [
    "Merci de nous transmettre les comptes du dernier exercice clos : le budget déclaré ne figure pas "
    "dans le rapport financier joint.",
    "La personne suppléante n’est pas indiquée ; pouvez-vous en désigner une ?",
]
REFUSAL = (
    "Le Bureau a constaté que la structure ne mène pas d’action de coopération ou de solidarité "
    "internationale (article 5 des statuts). Elle peut renouveler sa demande lorsqu’un projet sera engagé."
)
APPLICATION_MESSAGES = [
    "Nous souhaitons rejoindre le réseau pour échanger avec d’autres acteurs engagés au Sénégal.",
    "Notre conseil d’administration a voté l’adhésion lors de sa dernière réunion.",
    "",
]


@dataclass(frozen=True)
class Candidate:
    """A published regional organisation of the directory, with what its size figure needs."""

    pk: int
    slug: str
    name: str
    acronym: str
    college: str
    category: str
    population: int
    budget: str
    staff: str
    people: tuple[tuple[int, str], ...]  # (person pk, affiliation role), the oldest first


@dataclass
class PaymentPlan:
    kind: str  # payment, cancellation (of the previous payment of the dues) or refund
    amount: Decimal  # signed
    method: str
    received_on: date
    reference: str = ""
    note: str = ""


@dataclass
class DuesPlan:
    year: int
    scale_amount: Decimal
    amount: Decimal
    called_on: date | None
    override_reason: str = ""
    payments: list[PaymentPlan] = field(default_factory=list)
    reminders: list[tuple[int, date]] = field(default_factory=list)  # (offset, day)


@dataclass
class MemberPlan:
    candidate: Candidate
    size: Decimal
    member_since: date
    story: str = "prompt"
    end: str = ""
    ended_on: date | None = None
    end_reason: str = ""
    dues: list[DuesPlan] = field(default_factory=list)


@dataclass
class ApplicationPlan:
    candidate: Candidate
    size: Decimal
    status: str
    submitted_on: date
    message: str = ""
    reason: str = ""


def order_key(slug: str) -> str:
    """A stable pseudo-random order of the organisations."""
    return hashlib.sha256(f"{SEED}:{slug}".encode()).hexdigest()


def fee(college: str, size: Decimal, *, current: bool) -> Decimal:
    for size_from, size_to, amount in SCALES[college]:
        if size >= size_from and (size_to is None or size < size_to):
            return scale_amount(college, amount, current=current)
    raise ValueError(size)


def scale_amount(college: str, amount: int, *, current: bool) -> Decimal:
    """A bracket's fee; the current year's is raised, rounded to 5 €, up to the scale's ceiling."""
    if not current:
        return Decimal(amount).quantize(CENT)
    raised = (Decimal(amount) * RAISE[college] / 5).quantize(Decimal(1), ROUND_HALF_UP) * 5
    ceiling = max(row[2] for row in SCALES[college])
    return min(raised, Decimal(ceiling)).quantize(CENT)


def size_figure(candidate: Candidate, rng: random.Random) -> Decimal:
    """A size figure plausible for the organisation's collège and directory profile."""
    if candidate.college == "public":
        population = candidate.population or rng.randint(800, 6000)
        if candidate.name.startswith("Communauté d’agglomération"):
            population = int(population * rng.uniform(2.5, 5))
        elif candidate.name.startswith("Communauté de communes"):
            population = int(population * rng.uniform(3, 8))
        return Decimal(population)
    if candidate.college == "associative":
        low, high = BUDGET_RANGES.get(candidate.budget, (5000, 40000))
        return Decimal(rng.randint(low // 100, high // 100) * 100)
    low, high = STAFF_RANGES.get(candidate.staff, (1, 10))
    return Decimal(rng.randint(low, high))


def call_day(year: int) -> date:
    """The day the year's call for dues goes out (early February)."""
    return date(year, 2, 3)


class Planner:
    def __init__(self, today: date, reminder_days: list[int]) -> None:
        self.today = today
        self.year = today.year
        self.years = [self.year - 2, self.year - 1, self.year]
        self.reminder_days = sorted(reminder_days)

    def launched(self, year: int) -> date | None:
        day = call_day(year)
        return day if day <= self.today else None

    # --- who joined, when ---
    def member(self, candidate: Candidate, *, story: str = "prompt") -> MemberPlan:
        """A member of the network; ``story`` other than "prompt" keeps it from the rare stories."""
        rng = random.Random(f"{SEED}:{candidate.slug}")  # noqa: S311 (fictitious data, reproducible)
        size = size_figure(candidate, rng)
        roll = rng.random()
        if story != "prompt":
            since = self._day(rng, date(2013, 1, 1), date(self.year - 3, 12, 31))
        elif roll < 0.12:
            since = date(2012, 3, 24)  # a founding member
        elif roll < 0.68:
            since = self._day(rng, date(2012, 4, 1), date(self.year - 3, 12, 31))
        elif roll < 0.80:
            since = self._day(rng, date(self.year - 2, 1, 1), date(self.year - 2, 12, 31))
        elif roll < 0.92:
            since = self._day(rng, date(self.year - 1, 1, 1), date(self.year - 1, 12, 31))
        else:
            since = self._day(rng, date(self.year, 1, 1), self.today)
        return MemberPlan(candidate, size, since, story=story)

    def _day(self, rng: random.Random, first: date, last: date) -> date:
        last = min(last, self.today)
        return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))

    def tell(self, members: list[MemberPlan]) -> None:
        """Give the rare stories, then write every member's dues and payments."""
        stories = iter(STORIES)
        story = next(stories, None)
        for member in members:
            if story is not None and member.member_since.year < self.years[0] and member.story == "prompt":
                member.story, story = story, next(stories, None)
        first_timers = 0
        for member in members:
            self._end(member)
            for year in self.years:
                dues = self._dues(member, year)
                if dues is None:
                    continue
                if (
                    member.member_since.year == year == self.year - 1
                    and first_timers < 2
                    and member.candidate.college == "associative"
                    and member.story == "prompt"
                ):
                    first_timers += 1
                    dues.amount = (dues.scale_amount / 2).quantize(CENT)
                    dues.override_reason = "Première adhésion : demi-tarif accordé par le Bureau."
                self._pay(member, dues)
                self._remind(member, dues)
                member.dues.append(dues)

    def _end(self, member: MemberPlan) -> None:
        year = self.year
        if member.story == "resigned_last_year":
            member.end, member.ended_on = "resigned", date(year - 1, 9, 30)
            member.end_reason = (
                "Dissolution de l’association votée par son assemblée générale extraordinaire ; "
                "démission notifiée par courrier de sa présidente."
            )
        elif member.story == "resigned_this_year":
            member.end, member.ended_on = "resigned", min(date(year, 3, 10), self.today)
            member.end_reason = (
                "Démission : l’organisation recentre ses activités sur son territoire et ne renouvelle "
                "pas son adhésion (courrier du président)."
            )
        elif member.story == "struck_off":
            member.end, member.ended_on = "struck_off", date(year - 1, 11, 18)
            member.end_reason = (
                f"Radiation prononcée par le Grand Conseil du 18 novembre {year - 1} pour non-paiement "
                f"des cotisations {year - 2} et {year - 1}, après deux relances et un courrier recommandé "
                "restés sans réponse (article 8 des statuts)."
            )

    def _dues(self, member: MemberPlan, year: int) -> DuesPlan | None:
        first, last = date(year, 1, 1), date(year, 12, 31)
        if member.member_since > last or (member.ended_on is not None and member.ended_on <= first):
            return None
        launched = self.launched(year)
        joined_this_year = member.member_since.year == year
        if launched is None and not joined_this_year:
            return None  # the call of the year has not gone out yet
        called_on = launched
        if launched is not None and joined_this_year and member.member_since > launched:
            called_on = member.member_since  # a new member's call goes out on its admission
        amount = fee(member.candidate.college, member.size, current=year == self.year)
        dues = DuesPlan(year, amount, amount, called_on)
        if (
            member.end == "resigned"
            and member.ended_on is not None
            and member.ended_on.year == year == self.year
        ):
            dues.amount = Decimal("0.00")
            dues.override_reason = "Démission reçue avant le paiement : le Bureau a renoncé à la cotisation."
        return dues

    # --- payments ---
    def _pay(self, member: MemberPlan, dues: DuesPlan) -> None:
        rng = random.Random(f"{SEED}:{member.candidate.slug}:{dues.year}")  # noqa: S311
        base = dues.called_on or member.member_since
        story, year, amount = member.story, dues.year, dues.amount
        if amount == 0:
            return
        events: list[PaymentPlan] = []
        unpaid = (
            (story == "late" and year == self.year)
            or (story == "lapsed" and year >= self.year - 1)
            or story == "struck_off"
        )
        if unpaid:
            return
        if story == "bounced_cheque" and year == self.year - 1:
            cheque = base + timedelta(days=rng.randint(10, 25))
            events += [
                self._payment(rng, member, year, amount, cheque, method="cheque"),
                PaymentPlan(
                    "cancellation",
                    -amount,
                    "cheque",
                    cheque + timedelta(days=12),
                    note="Chèque rejeté par la banque : provision insuffisante.",
                ),
                self._payment(rng, member, year, amount, cheque + timedelta(days=30), method="transfer"),
            ]
        elif story == "overpaid" and year == self.year - 1:
            day = base + timedelta(days=rng.randint(10, 20))
            events += [
                self._payment(rng, member, year, amount, day, method="transfer"),
                self._payment(rng, member, year, amount, day + timedelta(days=9), method="cheque"),
                PaymentPlan(
                    "refund",
                    -amount,
                    "transfer",
                    day + timedelta(days=35),
                    note="Cotisation réglée deux fois (virement puis chèque) : trop-perçu remboursé.",
                ),
            ]
        elif (story == "partial_paid" and year == self.year - 1) or (
            story == "partial_open" and year == self.year
        ):
            half = (amount / 2).quantize(CENT)
            day = base + timedelta(days=rng.randint(10, 30))
            events.append(self._payment(rng, member, year, half, day, note="Premier versement."))
            if story == "partial_paid":
                rest = day + timedelta(days=rng.randint(50, 90))
                events.append(
                    self._payment(rng, member, year, amount - half, rest, note="Solde de la cotisation.")
                )
        else:
            delay = rng.randint(61, 200) if story == "slow" else rng.randint(3, 60)
            events.append(self._payment(rng, member, year, amount, base + timedelta(days=delay)))
        for event in events:
            if event.received_on > self.today:
                break  # what has not happened yet
            dues.payments.append(event)

    def _payment(
        self,
        rng: random.Random,
        member: MemberPlan,
        year: int,
        amount: Decimal,
        day: date,
        *,
        method: str = "",
        note: str = "",
    ) -> PaymentPlan:
        candidate = member.candidate
        if not method:
            if candidate.college == "public":
                method = "transfer"
            elif candidate.college == "economic":
                method = rng.choices(("transfer", "helloasso", "card"), (60, 25, 15))[0]
            else:
                method = rng.choices(("transfer", "cheque", "helloasso", "card", "cash"), (40, 27, 25, 5, 3))[
                    0
                ]
        label = (candidate.acronym or candidate.name).upper()[:28]
        reference = {
            "transfer": f"VIR {label} COTISATION {year}",
            "cheque": f"Chèque n° {rng.randint(1000000, 9999999)}",
            "helloasso": f"HelloAsso n° {rng.randint(10**7, 10**8 - 1)}",
            "card": "",
            "cash": "Espèces remises lors de l’assemblée générale",
        }[method]
        if candidate.college == "public":
            reference = f"MANDAT {rng.randint(100, 9999)} — COTISATION {year}"
        return PaymentPlan("payment", amount, method, day, reference, note)

    def _remind(self, member: MemberPlan, dues: DuesPlan) -> None:
        """The reminders that went out to members who had not paid at each offset after the call."""
        if dues.called_on is None or dues.amount == 0:
            return
        for offset in self.reminder_days:
            day = dues.called_on + timedelta(days=offset)
            if day > self.today or (member.ended_on is not None and member.ended_on <= day):
                continue
            paid = sum((p.amount for p in dues.payments if p.received_on <= day), Decimal("0.00"))
            if paid < dues.amount:
                dues.reminders.append((offset, day))

    # --- open applications ---
    def application(self, candidate: Candidate, status: str, index: int) -> ApplicationPlan:
        rng = random.Random(f"{SEED}:{candidate.slug}:application")  # noqa: S311
        submitted = max(self.today - timedelta(days=rng.randint(3, 40)), date(self.year, 1, 1))
        plan = ApplicationPlan(
            candidate,
            size_figure(candidate, rng),
            status,
            min(submitted, self.today),
            message=APPLICATION_MESSAGES[index % len(APPLICATION_MESSAGES)],
        )
        if status == "incomplete":
            plan.reason = INCOMPLETE_COMMENTS[index % len(INCOMPLETE_COMMENTS)]
        elif status == "refused":
            plan.reason = REFUSAL
        return plan

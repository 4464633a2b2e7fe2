"""The post's share of a generated history (demo.generate.dossiers): deliveries by post, roster.

* A dossier that came in by post (channel 3) gets the postal item that brought it, as the
  counter records it (`delivery_record_inbound`; the demo's `seed_inbound`).
* A result sent by post gets one delivery per attempt, stepped as `postal.deliveries.services`
  steps it: created → handed to the courier at 16:30 → in transit → delivered, or failed → back
  at the counter and sent once more. The dossier's send_by_post, delivered and delivery_failed
  events fall at the same moments, by the same worker, with the notes the services write; the
  fee comes from the city's tariff of the day and the zone of the address.
* The pilot wards' postal workers get the demo's weekly roster on every past working day of the
  generated years (`demo.generate.roster`).

Listed in `demo.generate.parts.PARTS`.
"""

import bisect

from django.db.models import Max
from django.db.models.functions import Substr

from demo.generate.clock import DAY, HOUR, aware
from demo.generate.dossiers import DossierGenerator
from demo.generate.history import Draft
from demo.generate.parts import GeneratorPart, PartTable
from demo.generate.plan import APPLICANT, POST_OFFICE
from demo.generate.roster import roster_copy, roster_create, roster_plan
from demo.generate.writers import NULL, copy_text
from demo.seed.addresses import OTHER_PLACES, PROVINCE_PLACES, TDM_STREETS, TDM_WARDS
from demo.seed.deliveries import FAILURES
from intake.models import Channel, ReturnMethod
from postal.deliveries.models import S10_WEIGHTS, Delivery, PostalTariff
from postal.deliveries.services import PILOT_TARIFF_FROM, tariff_reference, zone_of

MINUTE = 60
PICKUP = 16 * HOUR + 30 * MINUTE  # the courier collects the day's results
SERIALS = 10**8
DELIVERY_COLUMNS = (
    "dossier_id", "ward_id", "direction", "status", "waybill_code", "zone", "fee",
    "collected_amount", "collection_charge", "tariff_id", "note", "created_at", "created_by_id",
    "handed_at", "handed_by_id", "in_transit_at", "in_transit_by_id", "delivered_at",
    "delivered_by_id", "failed_at", "failed_by_id", "failure_reason", "returned_at",
    "returned_by_id", "request_id", "recipient_name", "recipient_phone", "street", "ward_name",
    "city_name", "province_name",
)  # fmt: skip


class _Tariffs:
    """A city's tariffs by the day they took effect (the pilot's reference before any)."""

    def __init__(self, city):
        tariffs = list(PostalTariff.objects.filter(city=city).order_by("valid_from"))
        self.starts = [t.valid_from.toordinal() for t in tariffs]
        self.tariffs = tariffs
        self.reference = PostalTariff(city=city, valid_from=PILOT_TARIFF_FROM, **tariff_reference())
        self.charges: dict[tuple[int, int], int] = {}

    def on(self, ordinal: int) -> tuple[int, PostalTariff]:
        index = bisect.bisect_right(self.starts, ordinal) - 1
        return index, self.tariffs[index] if index >= 0 else self.reference

    def charge(self, index: int, tariff: PostalTariff, amount: int) -> int:
        key = (index, amount)
        if key not in self.charges:
            self.charges[key] = tariff.collection_charge(amount)
        return self.charges[key]


class _WardPost:
    def __init__(self, ward, tariffs: _Tariffs, text: bool):
        city = ward.city
        esc = copy_text if text else str

        def place(ward_name, city_name, province_name, streets=()):
            zone = zone_of(city=city, city_name=city_name, province_name=province_name)
            return (esc(ward_name), esc(city_name), esc(province_name), zone.value, streets)

        self.tariffs = tariffs
        # The address the applicant wrote on the form (demo.generate.dossiers writes "street, ward,
        # city"), and elsewhere: the city, the province, beyond.
        self.home = place(str(ward), str(city), city.province_name)
        self.elsewhere = [
            [place(f"Phường {name}", f"{city.kind} {city.name}", city.province_name, TDM_STREETS)
             for name in TDM_WARDS],
            [place(ward_name, city_name, city.province_name, streets)
             for city_name, wards in PROVINCE_PLACES for ward_name, streets in wards],
            [place(ward_name, city_name, province, [street])
             for province, city_name, ward_name, street in OTHER_PLACES],
        ]  # fmt: skip


class PostalHistory(GeneratorPart):
    tables = (PartTable("postal_delivery", DELIVERY_COLUMNS, Delivery),)
    analyze = ("postal_assignment", "postal_assignmentchange")

    # --- in the main process ---------------------------------------------------------------

    def prepare(self, generator: DossierGenerator) -> None:
        self.text = generator.text
        self.first_id = generator.first_id
        self.now = generator.now
        self.outbound_base = self._next_serial("EL", generator.count * 2)
        self.inbound_base = self._next_serial("RR", generator.count)
        tariffs = {}
        self.wards = {}
        for ward in generator.wards:
            if ward.city_id not in tariffs:
                tariffs[ward.city_id] = _Tariffs(ward.city)
            self.wards[ward.pk] = _WardPost(ward, tariffs[ward.city_id], self.text)
        self.tariff_ids = {t.pk for city in tariffs.values() for t in city.tariffs}
        self.assignments = roster_plan(generator)

    @staticmethod
    def _next_serial(prefix: str, needed: int) -> int:
        highest = (
            Delivery.objects.filter(waybill_code__startswith=prefix, waybill_code__endswith="VN")
            .aggregate(serial=Max(Substr("waybill_code", 3, 8)))
            .get("serial")
        )
        base = int(highest) + 1 if highest and highest.isdigit() else 1
        if base + needed > SERIALS:
            raise ValueError(f"No {needed} free {prefix} waybill serial numbers left.")
        return base

    def referenced(self) -> dict[str, set[int]]:
        return {"postal_postaltariff": self.tariff_ids}

    def write(self, generator: DossierGenerator) -> None:
        if self.text:
            roster_copy(self.assignments)
        else:
            roster_create(self.assignments)
        generator.stats.assignments += len(self.assignments)

    # --- for each dossier, in the chunk's process --------------------------------------------

    def _place(self, d: Draft, post: _WardPost) -> tuple[str, str, str, str, str]:
        """(street, ward, city, province, zone): mostly where the applicant lives."""
        chunk = d.chunk
        r = chunk.random
        if r() < 0.75:
            ward_name, city_name, province, zone, _streets = post.home
            return d.street, ward_name, city_name, province, zone
        roll = r()
        group = post.elsewhere[0 if roll < 0.4 else 1 if roll < 0.8 else 2]
        ward_name, city_name, province, zone, streets = chunk.pick(group)
        street = f"{1 + int(r() * 400)}/{1 + int(r() * 30)} {chunk.pick(streets)}"
        return street, ward_name, city_name, province, zone

    @staticmethod
    def _waybill(prefix: str, serial: int) -> str:
        high, low = divmod(serial, 10_000)
        check = 11 - (_S10_HIGH[high] + _S10_LOW[low]) % 11
        return f"{prefix}{serial:08d}{0 if check == 10 else 5 if check == 11 else check}VN"

    def received(self, d: Draft) -> None:
        if d.channel != Channel.POSTAL:
            return
        chunk = d.chunk
        post = self.wards[d.ward.id]
        # Recorded a few minutes after the receipt, as the counter opens the envelope.
        created = min(d.received_at + (2 + int(chunk.random() * 14)) * MINUTE, chunk.plan.now - 1)
        street, ward_name, city_name, province, zone = self._place(d, post)
        _index, tariff = post.tariffs.on(d.received_at // DAY)
        self._emit(
            d,
            direction="inbound",
            status="delivered",
            code=self._waybill("RR", self.inbound_base + d.pk - self.first_id),
            zone=zone,
            fee=tariff.fee_for(zone),
            collected=0,
            charge=0,
            tariff=tariff.pk,
            created=(created, d.receiver),
            steps={"delivered": (d.received_at, d.receiver)},
            reason="",
            address=(street, ward_name, city_name, province),
        )

    def send_by_post(self, d: Draft, at: int, sender: tuple[int, str]) -> bool:
        chunk = d.chunk
        r, now, clock = chunk.random, chunk.plan.now, d.ward.clock
        post = self.wards[d.ward.id]
        street, ward_name, city_name, province, zone = self._place(d, post)
        collected = d.procedure.fee if d.procedure.fee and r() < 0.4 else 0
        desk = d.ward.desk(d.received_at)
        for attempt in (0, 1):
            code = self._waybill("EL", self.outbound_base + 2 * (d.pk - self.first_id) + attempt)
            index, tariff = post.tariffs.on(at // DAY)
            d.step(at, "send_by_post", sender,
                   f"Mã bưu gửi {code}, {ward_name}, {city_name}, {province}",
                   units=(desk, POST_OFFICE))  # fmt: skip
            pickup = at // DAY * DAY + PICKUP
            if pickup <= at:
                pickup = clock.add(pickup, 8 * HOUR)
            out = clock.add(pickup, int(chunk.uniform(60, 240) * MINUTE))
            fails = r() < (0.09 if attempt == 0 else 0.02)
            if fails:
                failed = clock.add(out, int(chunk.uniform(60, 600) * MINUTE))
                back = clock.add(failed, int(chunk.uniform(120, 960) * MINUTE))
                reason = chunk.pick(FAILURES)
                plan = [("handed", pickup), ("in_transit", out), ("failed", failed),
                        ("returned", back)]  # fmt: skip
            else:
                reason = ""
                delivered = clock.add(out, int(chunk.uniform(60, 480) * MINUTE))
                plan = [("handed", pickup), ("in_transit", out), ("delivered", delivered)]
            status, steps = "created", {}
            for step, moment in plan:
                if moment >= now:
                    break
                steps[step] = (moment, sender)
                status = STATUS_OF_STEP[step]
                if step == "delivered":
                    d.step(moment, "delivered", sender, f"Mã bưu gửi {code}",
                           units=(POST_OFFICE, APPLICANT))  # fmt: skip
                    d.returned(moment, sender, ReturnMethod.POST.value, chunk.satisfaction())
                elif step == "failed":
                    d.step(moment, "delivery_failed", sender, reason, units=(POST_OFFICE, desk))
            self._emit(
                d,
                direction="outbound",
                status=status,
                code=code,
                zone=zone,
                fee=tariff.fee_for(zone),
                collected=collected,
                charge=post.tariffs.charge(index, tariff, collected),
                tariff=tariff.pk,
                created=(at, sender),
                steps=steps,
                reason=reason if "failed" in steps else "",
                address=(street, ward_name, city_name, province),
            )
            if status != "returned_to_counter" or attempt:
                break
            # The counter phoned the citizen and sends the result again.
            at = clock.add(steps["returned"][0], int(chunk.uniform(60, 600) * MINUTE))
            if at >= now:
                break
        return True

    def _emit(self, d: Draft, *, direction, status, code, zone, fee, collected, charge, tariff,
              created, steps, reason, address) -> None:  # fmt: skip
        chunk = d.chunk
        chunk.stats.deliveries += 1
        rows = chunk.tables["postal_delivery"]
        if not chunk.text:
            times = {}
            for step in STEPS:
                moment, by = steps.get(step, (None, None))
                times[f"{step}_at"] = None if moment is None else aware(moment)
                times[f"{step}_by_id"] = None if by is None else by[0]
            rows.append(
                Delivery(
                    dossier_id=d.pk, ward_id=d.ward.id, direction=direction, status=status,
                    waybill_code=code, zone=zone, fee=fee, collected_amount=collected,
                    collection_charge=charge, tariff_id=tariff, note="",
                    created_at=aware(created[0]), created_by_id=created[1][0],
                    failure_reason=reason, request_id="", recipient_name=d.name,
                    recipient_phone=d.phone, street=address[0], ward_name=address[1],
                    city_name=address[2], province_name=address[3], **times,
                )
            )  # fmt: skip
            return
        ts = chunk.plan.ts
        cells = []
        for step in STEPS:
            moment, by = steps.get(step, (None, None))
            cells.append(NULL if moment is None else ts(moment))
            cells.append(NULL if by is None else str(by[0]))
            if step == "failed":
                cells.append(reason)
        rows.append(
            f"{d.pk}\t{d.ward.id}\t{direction}\t{status}\t{code}\t{zone}\t{fee}\t{collected}\t"
            f"{charge}\t{NULL if tariff is None else tariff}\t\t{ts(created[0])}\t"
            f"{created[1][0]}\t{chr(9).join(cells)}\t\t{d.name}\t{d.phone}\t"
            f"{chr(9).join(address)}\n"
        )


def _weighted_sums(weights: tuple[int, ...]) -> list[int]:
    """S10's weighted digit sum of every four-digit block, for the given four weights."""
    return [
        sum(int(digit) * weight for digit, weight in zip(f"{n:04d}", weights, strict=True))
        for n in range(10_000)
    ]


# The check digit of an eight-digit serial from two table lookups (s10_check_digit's sum).
_S10_HIGH = _weighted_sums(S10_WEIGHTS[:4])
_S10_LOW = _weighted_sums(S10_WEIGHTS[4:])

# Delivery steps in column order, and the status each leaves the delivery in.
STEPS = ("handed", "in_transit", "delivered", "failed", "returned")
STATUS_OF_STEP = {
    "handed": "handed_to_post",
    "in_transit": "in_transit",
    "delivered": "delivered",
    "failed": "failed",
    "returned": "returned_to_counter",
}

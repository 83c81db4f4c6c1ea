"""Demo pilgrims with realistic Pakistani names, valid CNICs and passport MRZs.

Deterministic (seeded), registered through the same service as real pilgrims. The trips
issue grows this to a few hundred; here it fills an organiser's register.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from django_scopes import scopes_disabled

from zaireen.core.errors import ValidationFailed
from zaireen.pilgrims.identity import build_td3
from zaireen.pilgrims.models import PilgrimProfile
from zaireen.pilgrims.services import pilgrim_register
from zaireen.pilgrims.validation import PilgrimInput

MALE = ["MUHAMMAD", "ALI", "HASAN", "HUSSAIN", "ABBAS", "JAFAR", "MEHDI", "RAZA", "TAQI",
        "NAQI", "SAJJAD", "BAQIR", "ASGHAR", "AKBAR", "MUNTAZIR", "QASIM", "ZAIN UL ABIDIN",
        ]  # fmt: skip
FEMALE = ["FATIMA", "ZAINAB", "SAKINA", "KULSOOM", "ZAHRA", "MASOOMA", "RUQAYYA", "NARJIS",
          "BATOOL", "KANEEZ", "SUGHRA", "UMM E LAILA"]  # fmt: skip
FAMILY = ["RIZVI", "NAQVI", "JAFRI", "ZAIDI", "KAZMI", "ABIDI", "BUKHARI", "HAIDER", "SHAH",
          "HUSSAINI", "TIRMIZI", "GARDEZI", "BANGASH", "TURI", "HAZARA"]  # fmt: skip
URDU = {"RIZVI": "رضوی", "NAQVI": "نقوی", "JAFRI": "جعفری", "ZAIDI": "زیدی", "KAZMI": "کاظمی"}
PROVINCES = "3333444116"  # mostly Punjab and Sindh, some KP and Islamabad
HOME_CITIES = ["Lahore", "Karachi", "Islamabad", "Rawalpindi", "Multan", "Peshawar", "Quetta",
               "Parachinar", "Skardu", "Jhang", "Sialkot", "Hyderabad", "Larkana"]  # fmt: skip
RELATIONS = ["son", "daughter", "husband", "wife", "brother"]
BLOOD = ["A+", "B+", "O+", "AB+", "O-", "B-", ""]


def demo_pilgrim(rng: random.Random, today: datetime.date) -> PilgrimInput:
    sex = rng.choice("MF")
    given = rng.choice(MALE if sex == "M" else FEMALE)
    surname = rng.choice(FAMILY)
    last = rng.choice("13579" if sex == "M" else "02468")
    cnic = rng.choice(PROVINCES) + "".join(rng.choice("0123456789") for _ in range(11)) + last
    number = rng.choice(["AB", "AC", "BX", "CK", "DM"]) + f"{rng.randrange(10**7):07d}"
    birth = datetime.date(rng.randint(1942, 2002), rng.randint(1, 12), rng.randint(1, 28))
    expiry = today + datetime.timedelta(days=rng.randint(400, 3000))
    line1, line2 = build_td3(surname=surname, given_names=given, document_number=number,
                             issuing_state="PAK", birth_date=birth, sex=sex,
                             expiry_date=expiry, personal_number=cnic)  # fmt: skip
    kin_given = rng.choice(MALE)
    return PilgrimInput(
        surname=surname,
        given_names=given,
        name_urdu=URDU.get(surname, ""),
        guardian_name=f"{rng.choice(MALE)} {surname}".title(),
        home_city=rng.choice(HOME_CITIES),
        cnic=cnic,
        passport_number=number,
        passport_issuing_state="PAK",
        passport_expiry=expiry,
        birth_date=birth,
        sex=sex,
        phone=f"+923{rng.randint(0, 4)}{rng.randrange(10**8):08d}",
        next_of_kin_name=f"{kin_given} {surname}".title(),
        next_of_kin_relation=rng.choice(RELATIONS),
        next_of_kin_phone=f"+923{rng.randint(0, 4)}{rng.randrange(10**8):08d}",
        needs_wheelchair=birth.year < 1950 and rng.random() < 0.5,
        needs_elderly_care=birth.year < 1955,
        blood_group=rng.choice(BLOOD),
        mrz=f"{line1}\n{line2}",
    )


def pilgrims_demo(*, actor, count: int, seed: int = 1448) -> int:
    """Register up to `count` demo pilgrims for `actor`'s organiser; returns how many exist."""
    with scopes_disabled():
        existing = PilgrimProfile.objects.filter(organiser_id=actor.organiser_id).count()
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    today = timezone.localdate()
    made = 0
    attempts = 0
    while existing + made < count and attempts < count * 3:
        attempts += 1
        data = demo_pilgrim(rng, today)
        try:
            pilgrim_register(actor=actor, data=data, today=today)
        except ValidationFailed:  # a rare random clash (same CNIC drawn twice): draw again
            continue
        made += 1
    return existing + made

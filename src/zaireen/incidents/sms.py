"""The SOS text message a phone sends when it has no data (pure Python, no Django).

`static/incidents/sos.js` builds the same text in the browser, from the pole list it keeps
(`/poles/poles.json`); these functions mirror it line by line so that a test can hold the
two to one wording. Keep them in step: a change here is a change there.

The text, in plain ASCII so that any phone sends it as one short SMS:

    SOS <trip code> card <card code> pole <n> gps <lat>,<lon> <reason> <HH:MM>

`card` falls back to the member's name when no card was issued; `pole` is there only on the
walk (within `ON_WALK_M` of a pole); `gps` only when the phone gave a position.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

EARTH_RADIUS_M = 6_371_000.0
# Farther than this from every pole, a phone is not on the Najaf–Karbala walk.
ON_WALK_M = 3000.0
# The characters encodeURIComponent leaves as they are (besides letters and digits).
URI_COMPONENT_SAFE = "-_.!~*'()"


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough over a few kilometres, and cheap in a loop."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_M * math.sqrt(x * x + y * y)


def nearest_pole(
    poles: Iterable[Sequence[float]], lat: float, lon: float, max_off_m: float = ON_WALK_M
) -> int | None:
    """The number of the pole nearest (lat, lon) among rows `[pole, lat, lon, …]`, or None
    when even the nearest is farther than `max_off_m` (the phone is not on the walk). The
    first of equally near poles wins, as in the browser."""
    best, best_distance = None, math.inf
    for row in poles:
        d = distance_m(lat, lon, row[1], row[2])
        if d < best_distance:
            best, best_distance = int(row[0]), d
    return best if best is not None and best_distance <= max_off_m else None


def _word(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^A-Za-z0-9 .:'-]", "", text or "")).strip()


def sos_sms_body(
    *,
    trip_code: str,
    card_code: str = "",
    name: str = "",
    reason: str = "",
    pole: int | None = None,
    lat: float | None = None,
    lon: float | None = None,
    time: str = "",
) -> str:
    parts = ["SOS", _word(trip_code) or "?"]
    if _word(card_code):
        parts += ["card", _word(card_code).upper()]
    elif _word(name):
        parts.append(_word(name))
    if pole:
        parts += ["pole", str(int(pole))]
    if lat is not None and lon is not None:
        parts += ["gps", f"{lat:.5f},{lon:.5f}"]
    if _word(reason):
        parts.append(_word(reason))
    if _word(time):
        parts.append(_word(time))
    return " ".join(parts)


def hotline_number(phone: str) -> str:
    """`+92 42 3576 1234` → `+924235761234`: digits, and a leading plus if there was one."""
    text = (phone or "").strip()
    digits = re.sub(r"[^0-9]", "", text)
    return ("+" + digits) if text.startswith("+") and digits else digits


def sos_sms_link(hotline: str, body: str) -> str:
    """An `sms:` URI that opens the phone's messages with the number and text filled in;
    the body is encoded as JavaScript's encodeURIComponent does."""
    return "sms:" + hotline_number(hotline) + "?body=" + quote(body, safe=URI_COMPONENT_SAFE)

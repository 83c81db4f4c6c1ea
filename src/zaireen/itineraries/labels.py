"""Words for the planner's codes: rule names, item kinds, warnings, in the interface language
(pages, API) and, fixed, in English and Urdu for the printed plan (`WORDING`).

The printed plan carries its own wording, like the emergency card: it is printed in the
language asked for, whatever the language of the person printing it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zaireen.itineraries.planner import Rule

RULE_NAMES = {
    Rule.HOTEL_NIGHTS: gettext_lazy("hotel nights match the trip"),
    Rule.NIGHT_ROAD: gettext_lazy("no road at night"),
    Rule.ROAD_HOURS: gettext_lazy("road hours a day within the limit"),
    Rule.OPENING_HOURS: gettext_lazy("visits inside opening hours"),
    Rule.OCCASION_ARRIVAL: gettext_lazy("in the occasion's city in time"),
    Rule.WALKING_LIMIT: gettext_lazy("walking within the needs profile's limit"),
    Rule.VEHICLE_STOP: gettext_lazy("vehicles stopped outside the city at the occasion"),
    Rule.OVERLAP: gettext_lazy("one thing at a time"),
    Rule.PLACE: gettext_lazy("the group is where the stop is"),
    Rule.AIRPORT_TIME: gettext_lazy("at the airport in time"),
    Rule.VISIT_TIME: gettext_lazy("visits within the visiting day and the daily limit"),
    Rule.DAY_TRIP: gettext_lazy("within a day trip of a hotel"),
    Rule.REMOVED: gettext_lazy("removed by the organiser"),
    "fixed": gettext_lazy("fixed stop"),
}

KIND_NAMES = {
    "flight_in": gettext_lazy("Landing"),
    "flight_out": gettext_lazy("Flight home"),
    "airport": gettext_lazy("Airport"),
    "wait": gettext_lazy("Waiting"),
    "road": gettext_lazy("Road"),
    "walk": gettext_lazy("Walk"),
    "visit": gettext_lazy("Visit"),
    "rest": gettext_lazy("Check-in and rest"),
    "prayer": gettext_lazy("Prayer"),
    "meal": gettext_lazy("Meal"),
}

LABELS = {
    "fajr": gettext_lazy("Fajr"),
    "dhuhr": gettext_lazy("Dhuhr and Asr"),
    "maghrib": gettext_lazy("Maghrib and Isha"),
    "breakfast": gettext_lazy("Breakfast"),
    "lunch": gettext_lazy("Lunch"),
    "dinner": gettext_lazy("Dinner"),
    "night": gettext_lazy("until the end of the night (no road at night)"),
    "airport": gettext_lazy("at the airport before check-in"),
    "arrival": gettext_lazy("immigration and baggage"),
    "departure": gettext_lazy("check-in for the flight home"),
}

NEEDS_HELP = {
    "standard": gettext_lazy("no special needs"),
    "elderly": gettext_lazy("elderly pilgrims"),
    "wheelchair": gettext_lazy("wheelchair users"),
}


def rule_name(code: str) -> str:
    return str(RULE_NAMES.get(code, code))


def refusal(rule: str, message: str) -> str:
    """A refusal as pages and the API show it: the rule's name, then the planner's detail."""
    return _("Rule “%(rule)s”: %(detail)s") % {"rule": rule_name(rule), "detail": message}


def warning_text(code: str, params: dict, names: dict[str, str]) -> str:
    city = names.get(str(params.get("city", "")), params.get("city", ""))
    if code == "heat":
        return _(
            "%(minutes)s minutes of outdoor walking between %(from)s and %(to)s in %(city)s, "
            "where the month's mean maximum is %(temp)s °C: carry water, shade and rest"
        ) % {
            "minutes": params.get("minutes"),
            "from": params.get("from"),
            "to": params.get("to"),
            "city": city,
            "temp": params.get("mean_max"),
        }
    if code == "squeezed":
        gap = int(params.get("gap", 0))
        prayer = str(LABELS.get(str(params.get("prayer")), params.get("prayer")))
        if gap < 0:
            return _("the visit runs into %(prayer)s") % {"prayer": prayer}
        return _("the visit ends %(gap)s minutes before %(prayer)s") % {
            "gap": gap,
            "prayer": prayer,
        }
    if code == "peak_occasion":
        return _("%(occasion)s in %(city)s: expect very large crowds") % {
            "occasion": params.get("occasion"),
            "city": city,
        }
    if code == "estimate":
        return _("the drive from %(a)s to %(b)s is estimated (no sourced road time)") % {
            "a": names.get(str(params.get("from")), params.get("from")),
            "b": names.get(str(params.get("to")), params.get("to")),
        }
    return code


# --- The printed plan's fixed wording ---------------------------------------------------------

WORDING = {
    "en": {
        "dir": "ltr",
        "title": "Itinerary",
        "day": "Day",
        "time": "Time",
        "what": "What",
        "where": "Where",
        "stays": "Hotels",
        "nights": "nights",
        "warnings": "Take care",
        "unmet": "Not in the plan",
        "needs": "Group",
        "occasion": "Occasion",
        "walk_note": "Walk: vehicles are stopped outside the city",
        "on_the_way": "on the way",
        "minutes": "min",
        "broken": "This plan breaks a rule after a calendar change; ask the organiser.",
        "kinds": {
            "flight_in": "Landing",
            "flight_out": "Flight home",
            "airport": "Airport",
            "wait": "Waiting",
            "road": "Road",
            "walk": "Walk",
            "visit": "Visit",
            "rest": "Check-in and rest",
            "prayer": "Prayer",
            "meal": "Meal",
        },
        "labels": {
            "fajr": "Fajr",
            "dhuhr": "Dhuhr and Asr",
            "maghrib": "Maghrib and Isha",
            "breakfast": "Breakfast",
            "lunch": "Lunch",
            "dinner": "Dinner",
            "night": "until the night ends",
            "airport": "before check-in",
            "arrival": "immigration and baggage",
            "departure": "check-in",
        },
        "warning": {
            "heat": "Outdoor walking in the midday heat ({minutes} min, mean maximum "
            "{mean_max} °C): water, shade, rest",
            "squeezed": "Little time before the prayer",
            "peak_occasion": "{occasion}: very large crowds",
            "estimate": "Drive time is an estimate",
        },
        "needs_names": {
            "standard": "Standard",
            "elderly": "Elderly",
            "wheelchair": "Wheelchair users",
        },
    },
    "ur": {
        "dir": "rtl",
        "title": "سفر کا پروگرام",
        "day": "دن",
        "time": "وقت",
        "what": "سرگرمی",
        "where": "مقام",
        "stays": "ہوٹل",
        "nights": "راتیں",
        "warnings": "احتیاط",
        "unmet": "پروگرام میں شامل نہیں",
        "needs": "گروپ",
        "occasion": "موقع",
        "walk_note": "پیدل: گاڑیاں شہر سے باہر روک دی جاتی ہیں",
        "on_the_way": "راستے میں",
        "minutes": "منٹ",
        "broken": "کیلنڈر کی تبدیلی کے بعد یہ پروگرام ایک اصول توڑتا ہے؛ منتظم سے رابطہ کریں۔",
        "kinds": {
            "flight_in": "آمد (پرواز)",
            "flight_out": "واپسی کی پرواز",
            "airport": "ہوائی اڈہ",
            "wait": "انتظار",
            "road": "سڑک کا سفر",
            "walk": "پیدل سفر",
            "visit": "زیارت",
            "rest": "ہوٹل آمد اور آرام",
            "prayer": "نماز",
            "meal": "کھانا",
        },
        "labels": {
            "fajr": "فجر",
            "dhuhr": "ظہرین",
            "maghrib": "مغربین",
            "breakfast": "ناشتہ",
            "lunch": "دوپہر کا کھانا",
            "dinner": "رات کا کھانا",
            "night": "رات ختم ہونے تک",
            "airport": "چیک اِن سے پہلے",
            "arrival": "امیگریشن اور سامان",
            "departure": "چیک اِن",
        },
        "warning": {
            "heat": "دوپہر کی گرمی میں پیدل سفر ({minutes} منٹ، اوسط زیادہ سے زیادہ درجۂ حرارت "
            "{mean_max} °C): پانی، سایہ اور آرام",
            "squeezed": "نماز سے پہلے وقت کم ہے",
            "peak_occasion": "{occasion}: بہت زیادہ ہجوم",
            "estimate": "سفر کا وقت اندازہ ہے",
        },
        "needs_names": {"standard": "عام", "elderly": "بزرگ", "wheelchair": "وہیل چیئر"},
    },
}

OCCASION_NAMES_UR = {
    "ashura": "عاشورا",
    "arbaeen": "اربعین",
    "mahdi-birth": "ولادتِ امام مہدیؑ (15 شعبان)",
    "kadhim-martyrdom": "شہادتِ امام موسیٰ کاظمؑ",
    "ali-birth": "ولادتِ امام علیؑ",
    "qadr-nights": "شبہائے قدر",
}

CITY_NAMES_UR = {
    "najaf": "نجف اشرف",
    "kufa": "کوفہ",
    "karbala": "کربلا معلیٰ",
    "kadhimiya": "کاظمین",
    "baghdad": "بغداد",
    "samarra": "سامرا",
    "salman-pak": "سلمان پاک (مدائن)",
    "balad": "بلد",
    "basra": "بصرہ",
}

"""The fixed wording of the emergency card, in English, Urdu and Arabic.

Not translated with the interface: the card carries all three languages whatever the language
of the person printing it, so that a pilgrim, a Pakistani official and an Iraqi helper can
each read it. Urdu and Arabic say "pilgrim" in the pilgrim's gender.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    lang: str
    dir: str
    title: str
    intro_m: str
    intro_f: str
    leader: str
    organiser: str
    embassy: str
    blood: str
    code: str

    def intro(self, sex: str) -> str:
        return self.intro_f if sex == "F" else self.intro_m


ENGLISH = Wording(
    lang="en",
    dir="ltr",
    title="Emergency: Pakistani pilgrim",
    intro_m="I am a pilgrim from Pakistan. If I am lost, ill or injured, please call:",
    intro_f="I am a pilgrim from Pakistan. If I am lost, ill or injured, please call:",
    leader="Group leader",
    organiser="Organiser (tour operator)",
    embassy="Embassy of Pakistan, Baghdad",
    blood="Blood group",
    code="Card code",
)
URDU = Wording(
    lang="ur",
    dir="rtl",
    title="ہنگامی کارڈ: پاکستانی زائر",
    intro_m=(
        "میں پاکستان سے آیا ہوا زائر ہوں۔ "
        "اگر میں گم ہو جاؤں، بیمار یا زخمی ہوں تو براہِ کرم ان نمبروں پر فون کریں:"
    ),
    intro_f=(
        "میں پاکستان سے آئی ہوئی زائرہ ہوں۔ "
        "اگر میں گم ہو جاؤں، بیمار یا زخمی ہوں تو براہِ کرم ان نمبروں پر فون کریں:"
    ),
    leader="گروپ لیڈر",
    organiser="منتظم ادارہ (ٹور آپریٹر)",
    embassy="پاکستانی سفارت خانہ، بغداد",
    blood="بلڈ گروپ",
    code="کارڈ کوڈ",
)
ARABIC = Wording(
    lang="ar",
    dir="rtl",
    title="بطاقة طوارئ: زائر من باكستان",
    intro_m="أنا زائر من باكستان. إذا ضعتُ أو مرضتُ أو أُصبتُ، يُرجى الاتصال بأحد هذه الأرقام:",
    intro_f="أنا زائرة من باكستان. إذا ضعتُ أو مرضتُ أو أُصبتُ، يُرجى الاتصال بأحد هذه الأرقام:",
    leader="مسؤول المجموعة",
    organiser="الشركة المنظمة للرحلة",
    embassy="سفارة باكستان في بغداد",
    blood="فصيلة الدم",
    code="رمز البطاقة",
)
WORDINGS = (ENGLISH, URDU, ARABIC)

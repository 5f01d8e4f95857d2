"""The demonstration year planned as pure data: who wrote, when, about what, and how each case goes.

`plan_year` draws, from a seeded `random.Random`, the cases received on each working day
(more on Mondays, fewer on Fridays), each with its topic, office, channel, language and
contact, and a story: the steps staff take, each a number of working days after the
one before it or relative to the due date as it stands then (a reply 2 days before the
due date is in time however the date moved). `feedback/cases/demo_cases.py` plays the
steps through the real handling functions, so due dates and in-time flags are what real
handling gives; steps that would fall after the present are not played, which leaves
the recent cases open.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from feedback.cases.demo_case_texts import (
    ASKS,
    EXTENSION_REASONS,
    NAMES_EN,
    NO_REPLY,
    PLACES,
    SECOND_REPLIES,
    SURNAMES,
    TITLES_ZH,
    TOPICS,
    Topic,
)
from feedback.cases.states import Channel

DAILY_MEAN = 2.9
WEEKDAY_FACTOR = (1.5, 1.1, 1.0, 1.0, 0.8, 0.5, 0.5)  # Monday first; make-up Saturdays are quiet
TREATMENT_PLANT = "XS"
RECENT_DAYS = 20  # the last working days whose cases may still be on the desk, unfinished
# The story of a case and how often it happens (per 1,000). Merges add a second case.
STORIES = (
    ("prompt", 640),
    ("late", 80),
    ("slow", 30),
    ("extended", 60),
    ("waiting", 70),
    ("reopened", 30),
    ("misdirected", 40),
    ("transferred", 20),
    ("no_reply", 15),
    ("merged", 15),
)
CHANNELS_BY_KIND = {
    "complaint": ((Channel.PHONE, 35), (Channel.WEB, 30), (Channel.COUNTER, 13), (Channel.EMAIL, 12), (Channel.LETTER, 10)),
    "suggestion": ((Channel.WEB, 50), (Channel.EMAIL, 25), (Channel.LETTER, 15), (Channel.COUNTER, 10)),
    "inquiry": ((Channel.PHONE, 40), (Channel.WEB, 30), (Channel.EMAIL, 15), (Channel.COUNTER, 15)),
    "commendation": ((Channel.WEB, 40), (Channel.LETTER, 25), (Channel.EMAIL, 20), (Channel.PHONE, 15)),
    "application": ((Channel.COUNTER, 45), (Channel.WEB, 35), (Channel.LETTER, 10), (Channel.EMAIL, 10)),
}  # fmt: skip
KIND_OF_TYPE = {
    "complaint": "complaint",
    "suggestion": "suggestion",
    "inquiry": "inquiry",
    "water-quality": "inquiry",
    "commendation": "commendation",
}
# Districts by how many letters they send (Keelung's districts, Xizhi, the north-east coast).
DISTRICT_WEIGHTS = {
    "基隆市中正區": 9, "基隆市信義區": 9, "基隆市仁愛區": 8, "基隆市中山區": 7, "基隆市安樂區": 10,
    "基隆市暖暖區": 6, "基隆市七堵區": 8, "新北市汐止區": 27, "新北市瑞芳區": 8, "新北市貢寮區": 4,
    "新北市雙溪區": 4,
}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One thing staff do: `after` working days after the previous step, or relative to the due date."""

    action: str  # assign start ask resume extend reply close reopen transfer no_reply merge
    after: int = 0
    due: int | None = None  # working days after (or, negative, before) the due date as it stands
    days: int = 0  # an extension's working days
    text: str = ""  # the reply, the request, the reason or the internal note
    office: str = ""  # where a transfer goes
    reason: str = ""  # a §173 reason


@dataclass(frozen=True)
class Letter:
    """What the citizen sent and how to reach them."""

    type_code: str
    office: str  # where it was first filed
    channel: Channel
    language: str
    district: str
    subject: str
    description: str
    name: str
    email: str | None
    phone: str | None
    address: str | None


@dataclass(frozen=True)
class DemoCase:
    """A planned case: received on `day` at `minute` (Taipei), its letter, and its story."""

    day: date
    minute: int
    letter: Letter
    story: str
    steps: tuple[Step, ...]
    merge_into: int | None = None  # index, in the plan, of the case a duplicate is merged into


def _weighted(rng: random.Random, options: Sequence[tuple[object, int]]) -> object:
    return rng.choices([option for option, _ in options], weights=[weight for _, weight in options])[0]


def _contact(
    rng: random.Random, channel: Channel, language: str, anonymous: bool
) -> tuple[str, str | None, str | None]:
    number = rng.randrange(10_000)
    if language == "en":
        name = rng.choice(NAMES_EN)
        user = name.split()[-1].lower()
    else:
        surname, user = rng.choice(SURNAMES)
        name = surname + rng.choice(TITLES_ZH)
    email = f"{user}.{number}@example.org"
    phone = f"(02) 0{rng.randrange(100, 1000)}-{rng.randrange(10_000):04d}"
    wants_email = channel in {Channel.WEB, Channel.EMAIL} or rng.random() < 0.2
    wants_phone = channel in {Channel.PHONE, Channel.COUNTER} or rng.random() < 0.5
    if anonymous:
        return "", email if channel in {Channel.WEB, Channel.EMAIL} else None, None
    return name, email if wants_email else None, phone if wants_phone else None


def _slots(rng: random.Random, district: str, language: str) -> dict[str, object]:
    _office, district_en, roads = PLACES[district]
    road, road_en = rng.choice(roads)
    place = f"{road_en}, {district_en}" if language == "en" else district + road
    return {
        "place": place,
        "road": road_en if language == "en" else road,
        "floor": rng.randrange(2, 15),
        "days": rng.randrange(2, 11),
        "hours": rng.randrange(3, 9),
        "amount": f"{rng.randrange(60, 200) * 10:,}",
        "units": rng.randrange(18, 70),
    }


def _office_of(rng: random.Random, topic: Topic, district: str) -> str:
    office = PLACES[district][0]
    to_plant = {"yellow-water": 0.35, "chlorine": 0.35, "outage-notice": 0.25}.get(topic.key, 0.0)
    if office in {"KL", "XZ"} and rng.random() < to_plant:
        return TREATMENT_PLANT  # the plant answers for the water it sends to Keelung and Xizhi
    return office


def draw_letter(rng: random.Random, topic: Topic) -> tuple[Letter, dict[str, object]]:
    """A letter about `topic`, and the words that filled it (for the replies)."""
    kind = KIND_OF_TYPE.get(topic.type_code, "application")
    channel = Channel(str(_weighted(rng, CHANNELS_BY_KIND[kind])))
    language = "en" if channel in {Channel.WEB, Channel.EMAIL} and rng.random() < 0.06 else "zh"
    district = str(_weighted(rng, tuple(DISTRICT_WEIGHTS.items())))
    slots = _slots(rng, district, language)
    if language == "en":
        subject, description, _reply = topic.english
    else:
        subject, description = rng.choice(topic.subjects), rng.choice(topic.descriptions)
    name, email, phone = _contact(rng, channel, language, anonymous=False)
    if not email and not phone:
        phone = f"(02) 0{rng.randrange(100, 1000)}-{rng.randrange(10_000):04d}"
    with_address = topic.needs_address or channel is Channel.LETTER
    letter = Letter(
        type_code=topic.type_code,
        office=_office_of(rng, topic, district),
        channel=channel,
        language=language,
        district=district,
        subject=subject.format(**slots),
        description=description.format(**slots),
        name=name,
        email=email,
        phone=phone,
        address=str(slots["place"]) if with_address else None,
    )
    return letter, slots


def reply_of(rng: random.Random, topic: Topic, language: str, slots: dict[str, object]) -> str:
    """The reply staff give to a letter about `topic`."""
    text = topic.english[2] if language == "en" else rng.choice(topic.replies)
    return text.format(**slots)


# Where a case filed at the wrong office belongs instead (a misdirected one is re-routed at once).
ELSEWHERE = {"KL": "XS", "XZ": "XS", "GS": "KL", "XS": "KL"}
WRONG_DESK = {"KL": "XZ", "XZ": "KL", "GS": "KL", "XS": "KL"}


def _answer(rng: random.Random, reply: str, lateness: int | None = None) -> list[Step]:
    """Reply (in time unless `lateness` working days late), then close once the citizen has read it."""
    due = lateness if lateness is not None else -rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4))
    return [Step("reply", due=due, text=reply), Step("close", after=rng.randrange(1, 6))]


def _start(rng: random.Random) -> list[Step]:
    steps = [Step("assign", after=rng.choice((0, 0, 1, 1, 2)))] if rng.random() < 0.75 else []
    return [*steps, Step("start", after=rng.choice((0, 0, 1)))]


def story_steps(rng: random.Random, story: str, letter: Letter, reply: str, pauses: bool) -> list[Step]:
    """The steps of `story` for `letter` (`pauses`: whether waiting for the citizen stops its clock)."""
    language = letter.language
    if story == "late":
        return [*_start(rng), *_answer(rng, reply, lateness=rng.randrange(1, 5))]
    if story == "slow":
        return [*_start(rng), *_answer(rng, reply, lateness=rng.randrange(6, 16))]
    if story == "extended":
        extension = Step(
            "extend", after=rng.randrange(1, 4), days=rng.choice((5, 7, 10)),
            text=rng.choice(EXTENSION_REASONS[language]),
        )  # fmt: skip
        lateness = rng.randrange(1, 3) if rng.random() < 0.15 else None
        return [*_start(rng), extension, *_answer(rng, reply, lateness)]
    if story == "waiting" and pauses:
        ask = Step("ask", after=rng.randrange(1, 3), text=rng.choice(ASKS[language]))
        return [*_start(rng), ask, Step("resume", after=rng.randrange(2, 11)), *_answer(rng, reply)]
    if story == "reopened":
        second = rng.choice(SECOND_REPLIES[language])
        again = [
            Step("reopen", after=rng.randrange(1, 9)),
            Step("reply", after=rng.randrange(1, 4), text=second),
        ]
        return [*_start(rng), *_answer(rng, reply), *again, Step("close", after=rng.randrange(1, 4))]
    if story == "transferred":
        transfer = Step("transfer", after=rng.randrange(2, 4), office=ELSEWHERE[letter.office])
        return [*_start(rng), transfer, Step("assign"), *_answer(rng, reply)]
    return [*_start(rng), *_answer(rng, reply)]


def _misdirected(rng: random.Random, letter: Letter, reply: str) -> tuple[Letter, list[Step]]:
    """The letter filed at the wrong desk, re-routed to its office within one working day."""
    transfer = Step("transfer", after=rng.randrange(0, 2), office=letter.office)
    return replace(letter, office=WRONG_DESK[letter.office]), [transfer, *_start(rng), *_answer(rng, reply)]


def _no_reply(rng: random.Random) -> tuple[Letter, list[Step]]:
    reason, subject, description, note = rng.choice(NO_REPLY)
    channel = (
        Channel.WEB if reason == "anonymous" else rng.choice((Channel.WEB, Channel.LETTER, Channel.EMAIL))
    )
    name, email, phone = _contact(rng, channel, "zh", anonymous=reason == "anonymous")
    district = str(_weighted(rng, tuple(DISTRICT_WEIGHTS.items())))
    letter = Letter(
        "complaint", PLACES[district][0], channel, "zh", district, subject, description, name,
        email, phone, district if channel is Channel.LETTER else None,
    )  # fmt: skip
    return letter, [Step("no_reply", after=rng.randrange(1, 5), reason=reason, text=note)]


def _duplicate(rng: random.Random, original: Letter) -> Letter:
    """The same citizen writing again about the same thing, by another way."""
    channel = rng.choice(
        [channel for channel in (Channel.PHONE, Channel.WEB, Channel.EMAIL) if channel != original.channel]
    )
    again = (
        "I wrote about this a few days ago and nothing has happened yet. "
        if original.language == "en"
        else "前幾天已經反映過，到現在還沒有處理，再次反映："
    )
    email = original.email or (
        None if channel is Channel.PHONE else f"again.{rng.randrange(10_000)}@example.org"
    )
    phone = original.phone or ("(02) 0100-0000" if channel is Channel.PHONE else None)
    return replace(
        original, channel=channel, description=again + original.description, email=email, phone=phone
    )


def _minute(rng: random.Random, channel: Channel) -> int:
    """When in the day it arrived: counters keep office hours, the hotline and the web do not."""
    if channel is Channel.COUNTER:
        return rng.randrange(8 * 60 + 30, 17 * 60 + 15)
    if channel is Channel.LETTER:
        return rng.randrange(9 * 60, 11 * 60 + 30)  # the morning post
    if channel is Channel.PHONE:
        return rng.randrange(7 * 60, 22 * 60)
    return rng.randrange(0, 24 * 60)


def _one(rng: random.Random, day: date, pauses: dict[str, bool]) -> DemoCase:
    story = str(_weighted(rng, STORIES))
    if story == "no_reply":
        letter, steps = _no_reply(rng)
        return DemoCase(day, _minute(rng, letter.channel), letter, story, tuple(steps))
    topic = rng.choices(TOPICS, weights=[topic.weight for topic in TOPICS])[0]
    letter, slots = draw_letter(rng, topic)
    reply = reply_of(rng, topic, letter.language, slots)
    if story == "misdirected":
        letter, steps = _misdirected(rng, letter, reply)
    else:
        steps = story_steps(rng, story, letter, reply, pauses.get(topic.type_code, True))
    return DemoCase(day, _minute(rng, letter.channel), letter, story, tuple(steps))


def _unfinished(rng: random.Random, case: DemoCase, pauses: bool) -> DemoCase:
    """A recent case still on an officer's desk: in the queue, in progress, or waiting for the citizen."""
    head = case.steps[:2] if case.steps[0].action == "assign" else case.steps[:1]  # (assign,) start
    roll = rng.random()
    if pauses and roll < 0.3:
        ask = Step("ask", after=rng.randrange(1, 3), text=rng.choice(ASKS[case.letter.language]))
        steps = (*head, ask)
    elif roll < 0.5:
        steps = head[:-1]  # not started: in the office's queue, or given to an officer only
    else:
        steps = head
    return replace(case, story="unfinished", steps=steps)


def plan_year(rng: random.Random, working_days: Sequence[date], pauses: dict[str, bool]) -> list[DemoCase]:
    """The cases received on `working_days` (in order), with their stories; merged duplicates follow their original.

    `pauses` says, by case type code, whether waiting for the citizen stops the clock. Of the
    cases of the last `RECENT_DAYS` working days, some are left unfinished: the desk's backlog.
    """
    plan: list[DemoCase] = []
    for index, day in enumerate(working_days):
        mean = DAILY_MEAN * WEEKDAY_FACTOR[day.weekday()]
        for _ in range(max(0, round(rng.gauss(mean, 1.3)))):
            case = _one(rng, day, pauses)
            if index >= len(working_days) - RECENT_DAYS and case.story == "prompt" and rng.random() < 0.35:
                case = _unfinished(rng, case, pauses.get(case.letter.type_code, True))
            if case.story == "merged" and index + 2 < len(working_days):
                later = working_days[index + rng.randrange(1, 3)]
                plan.append(replace(case, story="prompt"))
                duplicate = _duplicate(rng, case.letter)
                merge = (Step("merge", after=rng.randrange(0, 2)),)
                plan.append(
                    DemoCase(
                        later, _minute(rng, duplicate.channel), duplicate, "merged", merge, len(plan) - 1
                    )
                )
            elif case.story != "merged":
                plan.append(case)
    return plan

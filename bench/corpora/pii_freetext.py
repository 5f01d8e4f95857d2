"""A corpus of complaint-style free text for measuring how well a personal-data scanner reads it.

What it is: records written the way Taiwanese citizens, call-centre staff and counter
staff write complaints and case notes (「蘇怡萱表示水壓太低」, 「已與葛玉珠聯繫」,
「水號 12-345678-9 5500 0000 0000 0004」), each with the exact character offsets of the
personal data in it. The kinds measured are `name`, `phone` and `card`; `national_id`,
`email` and `address` are marked where a sentence naturally holds one. About two records
in five hold no name at all, and those are full of words, places and agencies that begin
with a surname character (林務局, 高架橋, 周邊, 陳述, 楊梅, 石門), labels with no name
after them, and numbers that are not personal data (case and document numbers, dates,
amounts, meter readings, 水號, postal codes, 1910 and 0800 lines, pipe sizes, times).
Those are never marked, so every finding in them is a false one.

How it was built: the lists (surnames by their rough frequency in Taiwan, several hundred
given names by sex and generation, places, agencies, complaint wording) and the sentence
shapes were written for this corpus alone, from knowledge of Taiwanese names and of how
case notes read, without opening the scanner, its word lists or its tests: a scanner is
not graded here on its own assumptions. Records are combinations of those lists drawn by
a seeded random generator, so a seed always gives the same corpus, and every record is
checked as it is made (`freetext_check`): each span's text is the value that was put
there, phones have real area codes and lengths, cards pass Luhn, identity numbers pass
their check digit, and the unmarked text holds nothing that should have been marked.

Spans are `(kind, start, end)`, end exclusive. A phone span covers the number as
written, from `+886` or the area code's parenthesis to the last digit; an extension
(`#123`, `分機 12`, `轉 8`) after it is not part of the span. A card span covers its
digits and the spaces or dashes between its groups.

Usage (from the repository root):

    .venv/bin/python bench/corpora/pii_freetext.py [--count 4000] [--seed N] [--write FILE]

or, from a benchmark, `from bench.corpora.pii_freetext import SEEDS, generate`.
Nothing under `tests/` imports this module.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpora import freetext_named, freetext_plain  # noqa: E402
from bench.corpora.freetext_check import check_record, has_cue  # noqa: E402
from bench.corpora.freetext_names import COMPOUND_SURNAMES, NameMaker, Person  # noqa: E402
from bench.corpora.freetext_numbers import SPAN_MAKERS, extension, landline, national_id  # noqa: E402
from bench.corpora.freetext_places import (  # noqa: E402
    ISSUES,
    LANDMARKS,
    LOCATIONS,
    ORGANISATIONS,
    ROAD_MENTIONS,
    WORD_MAKERS,
    address,
)
from bench.corpora.freetext_traps import TRAP_MAKERS  # noqa: E402

# The three corpora the benchmark measures on.
SEEDS = (20261201, 48611, 733019)

NAMED_SHARE = 0.6  # records that hold at least one name
CUED_SHARE = 0.25  # of the named sentences, those drawn from the shapes with a title or label

BARE_SHAPES = tuple(freetext_named.BARE.strip().splitlines())
CUED_SHAPES = tuple(freetext_named.CUED.strip().splitlines())
PLAIN_SHAPES = tuple(freetext_plain.PLAIN.strip().splitlines())
TAIL_SHAPES = tuple(freetext_plain.TAILS.strip().splitlines())

_SLOT = re.compile(r"\{([A-Z]+)(\d*)\}")
_NAME_SLOTS = {"N": None, "F": True, "M": False}


@dataclass
class Record:
    """One piece of free text and the personal data in it."""

    text: str
    spans: list[tuple[str, int, int]] = field(default_factory=list)


def _ordinary_text() -> str:
    """Every stretch of wording the corpus writes itself, so that no drawn name equals part of it."""
    shapes = BARE_SHAPES + CUED_SHAPES + PLAIN_SHAPES + TAIL_SHAPES
    literal = "|".join(_SLOT.sub("|", shape) for shape in shapes)
    return "|".join((literal, *LOCATIONS, *LANDMARKS, *ORGANISATIONS, *ROAD_MENTIONS, *ISSUES))


class _Builder:
    """Assembles one record from shapes, keeping each span's offsets and intended text."""

    def __init__(self, rng: random.Random, names: NameMaker) -> None:
        self.rng = rng
        self.names = names
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[str, int, int]] = []
        self.intended: list[str] = []
        self.people: dict[str, Person] = {}
        self.values: dict[str, tuple[str, str, str]] = {}
        self.scope = ""

    def text(self, piece: str) -> None:
        if piece:
            self.parts.append(piece)
            self.length += len(piece)

    def span(self, kind: str, piece: str) -> None:
        self.spans.append((kind, self.length, self.length + len(piece)))
        self.intended.append(piece)
        self.text(piece)

    def sentence(self, shape: str) -> None:
        """Append one shape, joined to what is there the way notes join sentences."""
        last = self.parts[-1][-1] if self.parts else "。"
        if last not in "。？！」":
            # A space between two numbers would read as one longer number.
            self.text(self.rng.choice(("。", "，", "；") if last.isascii() else ("。", "，", "；", " ")))
        # A later sentence speaks of the same people half the time, never of a man as 她.
        self.scope = "" if self._shares(shape) else f"{len(self.parts)}:"
        position = 0
        for slot in _SLOT.finditer(shape):
            self.text(shape[position : slot.start()])
            self._fill(slot.group(1), slot.group(2))
            position = slot.end()
        self.text(shape[position:])

    def _shares(self, shape: str) -> bool:
        if not self.people:
            return True
        for slot, index in _SLOT.findall(shape):
            person = self.people.get(index)
            if person and _NAME_SLOTS.get(slot) is not None and person.female != _NAME_SLOTS[slot]:
                return False
        return self.rng.random() < 0.5

    def _person(self, index: str, female: bool | None) -> Person:
        index = self.scope + index
        if index not in self.people:
            taken = {person.name for person in self.people.values()}
            person = self.names.person(female)
            while person.name in taken:
                person = self.names.person(female)
            self.people[index] = person
        return self.people[index]

    def _fill(self, slot: str, index: str) -> None:
        rng = self.rng
        if slot in _NAME_SLOTS:
            self.span("name", self._person(index, _NAME_SLOTS[slot]).name)
        elif slot in TRAP_MAKERS:
            self.text(TRAP_MAKERS[slot](rng))
        elif slot in WORD_MAKERS:
            self.text(WORD_MAKERS[slot](rng))
        else:
            kind, value, after = self._value(slot, self.scope + slot + index)
            self.span(kind, value)
            self.text(after)

    def _value(self, slot: str, key: str) -> tuple[str, str, str]:
        """The span kind, text and unmarked trailer for a numbered slot; the same key, the same value."""
        if key not in self.values:
            rng = self.rng
            if slot == "PX":
                self.values[key] = ("phone", landline(rng, international=rng.random() < 0.2), extension(rng))
            elif slot == "A":
                self.values[key] = ("address", address(rng), "")
            elif slot == "I":
                # The sex digit agrees with the person of the same number, when there is one.
                person = self.people.get(key.replace("I", "", 1))
                female = person.female if person else None
                self.values[key] = ("national_id", national_id(rng, rng.random() < 0.15, female), "")
            else:
                kind, make = SPAN_MAKERS[slot]
                self.values[key] = (kind, make(rng), "")
        return self.values[key]

    def record(self) -> Record:
        text = "".join(self.parts)
        check_record(text, self.spans, self.intended)
        return Record(text=text, spans=list(self.spans))


def _one(rng: random.Random, names: NameMaker) -> Record:
    builder = _Builder(rng, names)
    if rng.random() < NAMED_SHARE:
        builder.sentence(rng.choice(CUED_SHAPES if rng.random() < CUED_SHARE else BARE_SHAPES))
        if rng.random() < 0.2:
            builder.sentence(rng.choice(BARE_SHAPES if rng.random() < 0.5 else PLAIN_SHAPES))
    else:
        builder.sentence(rng.choice(PLAIN_SHAPES))
        if rng.random() < 0.25:
            builder.sentence(rng.choice(PLAIN_SHAPES))
    for chance in (0.35, 0.1):
        if rng.random() < chance:
            builder.sentence(rng.choice(TAIL_SHAPES))
    return builder.record()


def generate(count: int = 4000, seed: int = 20261201) -> list[Record]:
    """Return `count` records drawn with `seed`; the same arguments always give the same records."""
    rng = random.Random(seed)
    names = NameMaker(rng, _ordinary_text())
    return [_one(rng, names) for _ in range(count)]


def _values(records: list[Record], kind: str) -> list[tuple[str, int, int]]:
    return [(r.text, start, end) for r in records for k, start, end in r.spans if k == kind]


def summary(records: list[Record]) -> dict[str, object]:
    """Figures that describe a corpus: sizes, spans per kind, how many names stand without a cue."""
    kinds = Counter(kind for record in records for kind, _, _ in record.spans)
    names = _values(records, "name")
    written = [text[start:end] for text, start, end in names]
    cards = _values(records, "card")
    phones = [text[start:end] for text, start, end in _values(records, "phone")]
    return {
        "records": len(records),
        "records_without_name": sum(1 for r in records if not any(k == "name" for k, _, _ in r.spans)),
        "records_without_personal_data": sum(1 for r in records if not r.spans),
        "spans": dict(sorted(kinds.items())),
        "names_without_cue": round(sum(not has_cue(*name) for name in names) / max(len(names), 1), 3),
        "name_lengths": dict(sorted(Counter(len(name) for name in written).items())),
        "names_compound_surname": sum(name[:2] in COMPOUND_SURNAMES for name in written),
        "distinct_names": len(set(written)),
        "phones_international": sum(
            phone.startswith(("+", "(+", "(886", "886", "00886")) for phone in phones
        ),
        # A card right after another number or an ID, with one space between: 「0912345678 4111…」.
        "cards_after_a_number": sum(
            start > 1 and re.match(r"[0-9A-Za-z] ", text[start - 2 : start]) is not None
            for text, start, _ in cards
        ),
        "shapes": {
            "named": len(BARE_SHAPES) + len(CUED_SHAPES),
            "plain": len(PLAIN_SHAPES),
            "tails": len(TAIL_SHAPES),
        },
    }


def show(record: Record) -> str:
    """The record's text with each span in brackets and its kind: 「[name:葛玉珠]的帳單有誤」."""
    out, position = [], 0
    for kind, start, end in record.spans:
        out += [record.text[position:start], f"[{kind}:{record.text[start:end]}]"]
        position = end
    return "".join([*out, record.text[position:]])


def main(argv: list[str] | None = None) -> int:
    """Print the summary of one corpus (or of every seed's) and write it as JSON lines on request."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--seed", type=int, help="one seed; by default every seed in SEEDS")
    parser.add_argument("--examples", type=int, default=12, help="records to print with their spans")
    parser.add_argument(
        "--write", type=Path, help="write the corpus of --seed (or the first seed) as JSON lines"
    )
    args = parser.parse_args(argv)
    seeds = (args.seed,) if args.seed is not None else SEEDS
    for seed in seeds:
        records = generate(args.count, seed)
        print(f"== seed {seed}")
        print(json.dumps(summary(records), ensure_ascii=False, indent=1))
    records = generate(args.count, seeds[0])
    for record in records[: args.examples]:
        print(show(record))
    if args.write:
        with args.write.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps({"text": record.text, "spans": record.spans}, ensure_ascii=False) + "\n")
        print(f"wrote {len(records)} records of seed {seeds[0]} to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

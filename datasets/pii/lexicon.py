"""The word and name statistics the name finder weighs against each other.

Read once per process from installed packages and one file of ours:

- jieba's dictionary (about 350,000 words with frequencies and parts of speech, in
  simplified characters): every word's log-probability, with each word's prefixes
  marked so that a segmentation can stop looking as soon as no longer word exists;
  the words that sit beside names (verbs, particles, adverbs, measure words ...) and
  the one-character nouns that bind to the word before them (區, 局, 橋);
- the same dictionary's person-name entries that start with a surname: how often each
  surname and each given-name character occurs in names. Those entries are names, not
  words: all of three characters (陳佩珊), and the rarer ones of two (陳述, a word, is
  frequent);
- `words_tw.txt`: Taiwanese words the dictionary lacks or knows only as rare person
  names (陳情, 會勘, 瑞芳, the townships and the agencies);
- OpenCC's tables, as a one-for-one map from traditional characters to simplified
  ones, so that lookups keep offsets.
"""

from __future__ import annotations

import importlib.util
import math
from collections import Counter
from importlib import resources
from pathlib import Path

__all__ = ["Lexicon", "simplifying_table"]

# Person-name entries of two characters rarer than this are names, not words.
NAME_ENTRY_LIMIT = 50
LONGEST_WORD = 4
LOCAL_WORD_COUNT = 200
# Words of three or four characters this rare, none of them a surname, are left out: they
# cannot stand against a name, and leaving them out saves a third of the memory.
RARE_COUNT = 3
# How much of a given-name character's probability comes from the dictionary's names,
# the rest being spread over every character (so that rare ones, 萱 or 芃, still make names).
LEARNT_WEIGHT = 0.6
CHARACTERS = 8000
# A surname standing alone as a word (黃 yellow, 林 forest) is made this much less likely
# (natural log): the dictionary counts such words across all kinds of writing, while in
# case notes a surname followed by a given name is far more often a name.
SURNAME_WORD_DISCOUNT = -2.0
# Parts of speech (jieba's tags, by first letter) of the words that sit beside names, and
# of the nouns that, as one character, bind to the word before them.
CONTEXT_TAGS = ("v", "p", "c", "u", "d", "r", "t", "y", "e", "m", "q")
NOUN_TAGS = ("n", "s", "f", "j", "g", "b", "z", "i", "l")


def _package_file(package: str, *parts: str) -> Path:
    """A data file of an installed package, found without importing the package (jieba's
    own import takes a third of a second)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {package} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def simplifying_table() -> dict[int, int]:
    """Traditional characters (and Taiwanese variants) to simplified ones, one for one."""
    table: dict[int, int] = {}
    for name in ("TSCharacters.txt", "TWVariantsRev.txt"):
        path = _package_file("opencc", "dictionary", name)
        for line in path.read_text(encoding="utf-8").splitlines():
            source, _tab, targets = line.partition("\t")
            target = targets.split(" ")[0]
            if len(source) == 1 and len(target) == 1 and ord(source) not in table:
                table[ord(source)] = ord(target)
    return table


class Lexicon:
    """Log-probabilities of words, surnames and given-name characters (simplified keys)."""

    def __init__(self, surnames: frozenset[str], simplify: dict[int, int]) -> None:
        self.simplify = simplify
        self.surnames = surnames
        self.words: dict[str, float | None] = {}  # a word's log-probability; None for a prefix only
        self.context_words: set[str] = set()
        self.bound_words: set[str] = set()
        surname_counts, given_counts = self._read_dictionary()
        self._read_local_words()
        for surname in surnames:
            log = self.words.get(surname)
            if log is not None:
                self.words[surname] = log + SURNAME_WORD_DISCOUNT
        self.unknown_log = math.log(0.5) - self.log_total
        flat = (1 - LEARNT_WEIGHT) / CHARACTERS
        self.unseen_given_log = math.log(flat)
        learnt = sum(given_counts.values())
        self.given_logs = {
            character: math.log(LEARNT_WEIGHT * count / learnt + flat)
            for character, count in given_counts.items()
        }
        total = sum(surname_counts.values()) + 2 * len(surnames)
        self.surname_logs = {surname: math.log((surname_counts[surname] + 2) / total) for surname in surnames}

    def _read_dictionary(self) -> tuple[Counter[str], Counter[str]]:
        surname_counts: Counter[str] = Counter()
        given_counts: Counter[str] = Counter()
        total = 0
        words = self.words
        with _package_file("jieba", "dict.txt").open(encoding="utf-8") as handle:
            for line in handle:
                word, frequency, tag = line.split()
                count = int(frequency)
                total += count
                if (
                    tag.startswith("nr")
                    and word[0] in self.surnames
                    and (len(word) == 3 or (len(word) == 2 and count < NAME_ENTRY_LIMIT))
                ):
                    surname_counts[word[0]] += 1
                    given_counts.update(word[1:])
                elif len(word) <= LONGEST_WORD and (
                    count > RARE_COUNT or len(word) <= 2 or not self.surnames.isdisjoint(word)
                ):
                    self._add_word(word, math.log(max(count, 1)), tag)
        # Counts became probabilities only now that the total is known.
        self.log_total = math.log(total)
        for word, log in words.items():
            if log is not None:
                words[word] = log - self.log_total
        return surname_counts, given_counts

    def _add_word(self, word: str, log_count: float, tag: str) -> None:
        words = self.words
        previous = words.get(word)
        if previous is None or log_count > previous:
            words[word] = log_count
        for end in range(1, len(word)):
            words.setdefault(word[:end], None)
        if tag.startswith(CONTEXT_TAGS):
            self.context_words.add(word)
        elif len(word) == 1 and tag.startswith(NOUN_TAGS):
            self.bound_words.add(word)

    def _read_local_words(self) -> None:
        """`word tag` lines in traditional characters, # for comments."""
        text = resources.files("datasets.pii").joinpath("words_tw.txt").read_text(encoding="utf-8")
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                word, tag = line.split()
                self._add_word(
                    word.translate(self.simplify), math.log(LOCAL_WORD_COUNT) - self.log_total, tag
                )

    def given_log(self, characters: str) -> float:
        """Log-probability of a given name's characters (simplified), one by one."""
        logs = self.given_logs
        unseen = self.unseen_given_log
        return sum(logs.get(character, unseen) for character in characters)

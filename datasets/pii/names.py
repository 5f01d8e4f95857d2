"""Personal names in free text, with or without a title or label beside them.

A name is a surname (single, compound such as 張廖 or 司馬, or a married woman's two
surnames, 陳林秀英) followed by one or two given-name characters. Almost every Chinese
text holds characters that are surnames, so the question is always whether 陳述 or 楊梅
is a word and 陳淑惠 a person. It is answered by segmentation, as a reader would
(`lexicon` holds the statistics):

- the best segmentation of a run of Chinese characters into dictionary words is
  compared with the best one that keeps the candidate whole as a name; the candidate's
  own probability is its surname's share of names times its given characters' shares
  of given names;
- the words on each side count: a name is usually followed by a verb, a particle or
  punctuation (表示, 的, 和, 回電, 。) and preceded by one (請, 由, 與, the start), while
  a road, district or village name is followed by 路, 區 or 里, never a person's;
- a title after the candidate (先生, 里長) or a label before it (申請人, 聯絡人) is strong
  evidence, though not proof (民眾陳述意見).

The candidate is a name when keeping it whole is more likely by `THRESHOLD` (natural
log) once its context is counted. Surnames are recognised as written (於, 餘 and 週
simplify to the surnames 于, 余 and 周); everything else is looked up in simplified
characters, one for one, so offsets are those of the text. The model loads once per
process on first use (about a second).
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from typing import cast

from datasets.pii.lexicon import LONGEST_WORD, Lexicon, simplifying_table

__all__ = ["LABELS", "NameModel", "find_names", "name_model"]


def _listed(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Surnames of Taiwan, most common first.
SINGLE_SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高簡朱鍾施游詹沈彭胡余盧潘顏梁趙柯翁魏方孫"
    "戴范宋鄧杜侯曹薛傅丁溫紀蔣歐藍連唐馬董石卓程姚康馮古姜湯汪白田涂鄒巫尤鐘龔嚴韓袁黎金阮陸倪夏童邵柳"
    "錢邢甘饒葛粘佘仉亓豐闕糜尹譚易武賀郝毛雷段車關孔殷崔單符包萬莫祝熊裴左岳時畢秦于伍冉柴魯俞晏龐章"
    "鄺霍凌辛喻管蒲艾寧池喬聶申封狄諸麥利文全官宮席花芮苗舒衛談伊蘭商應季牛奚駱邊酈楚戚樊向湛巴景"
    "閻郁鮑耿卜儲祁虞裘沙滕焦杭任褚鄔雲華平欒宣姬鞏冷容邰米竇習蔚帥查琚羊薄卞扶鈕嵇荊翟閩覃"
    "隋揭項凃塗展房蓋丘冼練賈戎柏鄞鄂樓黨酆郎韋閔寇苟危麻強谷宓竺植廉岑藺勞幸穆尚農繆解宗賁吉滑榮荀"
    "惠甄靳汲邴松井富烏弓牧隗蓬郗班仰秋仲仇厲祖束龍韶郜薊懷屠蒙胥蒼莘貢逄宰雍郤璩桑桂扈燕冀浦瞿慕茹"
    "宦慎戈庾衡弘匡廣祿沃越夔隆晁敖融闞鞠巢蒯逯桓邸栗達鳳盛區"
)
COMPOUND_SURNAMES = _listed(
    "張廖 張簡 范姜 周黃 歐陽 司馬 端木 諸葛 上官 司徒 皇甫 公孫 夏侯 慕容 長孫 令狐 東方 西門 南宮 "
    "尉遲 宇文 軒轅 申屠 淳于 濮陽 太史 鍾離 聞人 呼延 萬俟 赫連 澹台 公羊 宗政"
)
# Titles after a name, labels before one, and roles written on either side (里長王小明, 王小明里長).
TITLES = ("先生", "小姐", "女士", "太太")
LABELS = _listed(
    "聯絡人 申請人 陳情人 用戶 姓名 戶名 代理人 報案人 通報人 來電者 承辦人 負責人 住戶 屋主 民眾"
)
ROLES = _listed("里長 鄰長 議員 立委 主任 經理 老師 醫師 律師 同仁 承辦員 工程師 技術員")
_TITLE = re.compile("|".join(TITLES + ROLES))
_AFTER_LABEL = re.compile(f"(?:{'|'.join(LABELS + ROLES)})(?:為|是)?[ ]*[:：]?[ ]*")
# What follows a road, district or village name, and never a person's; one-character given
# names that are a family, a house or a clan instead (陳家, 黃氏, 林宅).
PLACE_SUFFIXES = frozenset("路街巷弄橋區里村鄉鎮縣站港桥区乡镇县")
NOT_SHORT_GIVEN = frozenset("氏家府宅厝姓")
NOT_GIVEN_FIRST = frozenset("氏")

# How much more likely (natural log) keeping a candidate whole must make its run.
THRESHOLD = 1.0
# Priors: the share of name tokens among words, of one-character given names among names,
# and of compound and married women's double surnames.
NAME_SHARE = 0.001
SHORT_GIVEN_SHARE = 0.15
COMPOUND_SHARE = 0.001
DOUBLE_SURNAME_SHARE = 0.0005
# Context: a title after, a label before; a verb, particle or punctuation beside; the edge
# of a run at a digit or a Latin letter (高雄共2戶); a bound noun after.
TITLE_BONUS = 10.0
LABEL_BONUS = 6.0
RIGHT_BONUS = 2.0
LEFT_BONUS = 1.5
EDGE_BONUS = 0.5
BOUND_PENALTY = 3.0
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"
_HAN_RUN = re.compile(f"{_HAN}{{2,}}")
_ALL_HAN = re.compile(f"{_HAN}+")
_WHOLE = re.compile(f"[ ]*({_HAN}{{2,4}})[ ]*")
MEMO_SIZE = 200_000


@dataclass(frozen=True)
class _Cues:
    """Where labels end and titles start in the text."""

    starts: frozenset[int]
    ends: frozenset[int]


_UNKNOWN = object()


def _is_break(character: str) -> bool:
    """The end of the text, punctuation or a space: not a digit or a Latin letter."""
    return not character.isalnum()


class NameModel:
    """Finds names by weighing each surname-led candidate against the words it would break."""

    def __init__(self) -> None:
        self.simplify = simplifying_table()
        simplified_singles = frozenset(SINGLE_SURNAMES.translate(self.simplify))
        self.lexicon = Lexicon(simplified_singles, self.simplify)
        # Surnames are checked as written: 於 simplifies to the surname 于, 週 to 周.
        self.singles = frozenset(SINGLE_SURNAMES) | simplified_singles
        self.compounds = frozenset(COMPOUND_SURNAMES) | {
            name.translate(self.simplify) for name in COMPOUND_SURNAMES
        }
        self._surname_start = re.compile(
            f"[{''.join(sorted(self.singles | {n[0] for n in self.compounds}))}]"
        )
        self._length_logs = {1: math.log(SHORT_GIVEN_SHARE), 2: math.log(1 - SHORT_GIVEN_SHARE)}
        self._memo: dict[tuple[str, int], tuple[float, float] | None] = {}
        self._window_memo: dict[str, tuple[tuple[int, float], ...]] = {}

    # What a candidate is worth by itself --------------------------------------------

    def _head_log(self, written: str, run: str, surname_length: int) -> float | None:
        """The surname's log-probability, or None when `written` does not start with one."""
        if surname_length == 1:
            return self.lexicon.surname_logs[run[0]] if written[0] in self.singles else None
        logs = []
        if written[:2] in self.compounds:
            logs.append(math.log(COMPOUND_SHARE))
        # Two surnames, unless the pair is a word (何時, 時段).
        if written[0] in self.singles and written[1] in self.singles and run[:2] not in self.lexicon.words:
            logs.append(math.log(DOUBLE_SURNAME_SHARE))
        return max(logs) if logs else None

    def _span_log(self, run: str) -> float:
        """The best segmentation of the candidate's own characters into words."""
        words = self.lexicon.words
        best = [0.0] + [-math.inf] * len(run)
        for left in range(len(run)):
            base = best[left]
            for right in range(left + 1, len(run) + 1):
                log = words.get(run[left:right], False)
                if log is False:
                    break
                if log is not None and base + log > best[right]:
                    best[right] = base + log
            if best[left + 1] == -math.inf:
                best[left + 1] = base + self.lexicon.unknown_log
        return best[-1]

    def _worth(self, written: str, surname_length: int) -> tuple[float, float] | None:
        """The candidate's log-probability as a name, and how much more likely that is than
        the words of its own characters; None when it cannot be a name. Keeping it whole in
        its run can never win by more than the second, so most candidates (陳述, 金額) end
        here. Kept for each span (`_candidates` looks there first)."""
        key = (written, surname_length)
        run = written.translate(self.simplify)
        given = written[surname_length:]
        head = self._head_log(written, run, surname_length) if _ALL_HAN.fullmatch(written) else None
        worth = None
        if not (
            head is None
            or PLACE_SUFFIXES.intersection(given)
            or given[0] in NOT_GIVEN_FIRST
            or (len(given) == 1 and given in NOT_SHORT_GIVEN)
        ):
            name_log = (
                math.log(NAME_SHARE)
                + head
                + self.lexicon.given_log(run[surname_length:])
                + self._length_logs[len(given)]
            )
            worth = (name_log, name_log - self._span_log(run))
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = worth
        return worth

    def _candidates(self, text: str) -> list[tuple[int, int, tuple[float, float]]]:
        """(start, end, worth) of the surname-led spans of the text that could be names."""
        found: list[tuple[int, int, tuple[float, float]]] = []
        length = len(text)
        memo = self._memo
        for match in self._surname_start.finditer(text):
            start = match.start()
            for surname_length in (1, 2):
                for given_length in (1, 2):
                    end = start + surname_length + given_length
                    if end > length:
                        break
                    span = text[start:end]
                    worth = memo.get((span, surname_length), _UNKNOWN)
                    if worth is _UNKNOWN:
                        worth = self._worth(span, surname_length)
                    if worth is not None:
                        found.append((start, end, cast(tuple[float, float], worth)))
        return found

    # What the text around it says --------------------------------------------------

    @staticmethod
    def _cue_log(text: str, span: tuple[int, int], cues: _Cues) -> float | None:
        """A title after the candidate or a label before it; None when a road, district or
        village name follows it (林森路), except a role (王小明里長), or a title is inside it."""
        start, end = span
        titled = end in cues.ends
        if end < len(text) and text[end] in PLACE_SUFFIXES and not titled:
            return None
        if cues.ends and any(inside in cues.ends for inside in range(start + 1, end)):
            return None  # 陳太太 is 陳 and a title
        if titled:
            return TITLE_BONUS
        return LABEL_BONUS if start in cues.starts else 0.0

    def _words_at(self, window: str) -> tuple[tuple[int, float], ...]:
        """The words that start a window of the longest word's length: (length, log-probability),
        one character always among them. Kept for each window, which text repeats."""
        words = self.lexicon.words
        found = [(1, words.get(window[0]) or self.lexicon.unknown_log)]
        for length in range(2, len(window) + 1):
            log = words.get(window[:length], False)
            if log is False:
                break
            if log is not None:
                found.append((length, log))
        result = tuple(found)
        if len(self._window_memo) >= MEMO_SIZE:
            self._window_memo.clear()
        self._window_memo[window] = result
        return result

    def _best_paths(self, run: str) -> tuple[list[float], list[int], list[float], list[int]]:
        """Best scores of every prefix of the run (with where its last word starts) and of
        every suffix (with where its first word ends)."""
        memo = self._window_memo
        longest = LONGEST_WORD
        length = len(run)
        edges = []
        for start in range(length):
            window = run[start : start + longest]
            at = memo.get(window)
            edges.append(at if at is not None else self._words_at(window))
        suffix = [0.0] * (length + 1)
        first_end = [length] * (length + 1)
        for start in range(length - 1, -1, -1):
            best, best_end = -math.inf, length
            for size, log in edges[start]:
                score = log + suffix[start + size]
                if score > best:
                    best, best_end = score, start + size
            suffix[start], first_end[start] = best, best_end
        prefix = [0.0] + [-math.inf] * length
        last_start = [0] * (length + 1)
        for start in range(length):
            base = prefix[start]
            for size, log in edges[start]:
                if base + log > prefix[start + size]:
                    prefix[start + size], last_start[start + size] = base + log, start
        return prefix, last_start, suffix, first_end

    def _run_margins(
        self, text: str, run_span: tuple[int, int], hopeful: list[tuple[int, int, float]]
    ) -> list[tuple[float, int, int]]:
        """The margins of the hopeful candidates of one run of Chinese characters."""
        offset, run_end = run_span
        run = text[offset:run_end].translate(self.simplify)
        prefix, last_start, suffix, first_end = self._best_paths(run)
        boundaries = {0}
        position = 0
        while position < len(run):
            position = first_end[position]
            boundaries.add(position)
        result = []
        for start, end, log in hopeful:
            left, right = start - offset, end - offset
            margin = prefix[left] + log + suffix[right] - suffix[0]
            # Only a word a reader would see counts, not one the candidate's boundary cuts
            # out of a longer word (意 of 意見).
            if left == 0:
                margin += LEFT_BONUS if _is_break(text[offset - 1 : offset]) else EDGE_BONUS
            elif left in boundaries and run[last_start[left] : left] in self.lexicon.context_words:
                margin += LEFT_BONUS
            if right == len(run):
                margin += RIGHT_BONUS if _is_break(text[run_end : run_end + 1]) else EDGE_BONUS
            elif right in boundaries:
                after = run[right : first_end[right]]
                if after in self.lexicon.context_words:
                    margin += RIGHT_BONUS
                elif after in self.lexicon.bound_words:
                    margin -= BOUND_PENALTY
            result.append((margin, start, end))
        return result

    def margins(self, text: str) -> list[tuple[float, int, int]]:
        """The candidates of the text that could be names, each with its margin: how much
        more likely (natural log) its run of Chinese characters is with it kept whole."""
        cues = _Cues(
            frozenset(match.end() for match in _AFTER_LABEL.finditer(text)),
            frozenset(match.start() for match in _TITLE.finditer(text)),
        )
        by_run: dict[tuple[int, int], list[tuple[int, int, float]]] = {}
        runs: list[tuple[int, int]] | None = None
        for start, end, (name_log, worth) in self._candidates(text):
            cue = self._cue_log(text, (start, end), cues)
            if cue is None or worth + cue + LEFT_BONUS + RIGHT_BONUS <= THRESHOLD:
                continue  # most candidates (陳述, 金額) end here, before any segmentation
            if runs is None:
                runs = [match.span() for match in _HAN_RUN.finditer(text)]
            run_span = next(span for span in runs if span[0] <= start and end <= span[1])
            by_run.setdefault(run_span, []).append((start, end, name_log + cue))
        return [
            margin
            for run_span, hopeful in by_run.items()
            for margin in self._run_margins(text, run_span, hopeful)
        ]

    # The whole text ----------------------------------------------------------------

    def find(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the personal names in `text`."""
        spans: list[tuple[int, int]] = []
        for margin, start, end in sorted(self.margins(text), reverse=True):
            if margin <= THRESHOLD:
                break
            if all(end <= taken_start or start >= taken_end for taken_start, taken_end in spans):
                spans.append((start, end))
        # A surname alone before a title (陳太太, 王先生) is a name too.
        for match in _TITLE.finditer(text):
            head = match.start() - 1
            if (
                head >= 0
                and text[head] in self.singles
                and not any(start <= head < end for start, end in spans)
            ):
                spans.append((head, match.start()))
        return sorted(spans)

    def is_whole_name(self, text: str) -> tuple[int, int] | None:
        """The span of `text` when all of it is a name (a cell of a column of names), else None."""
        match = _WHOLE.fullmatch(text)
        if match is None:
            return None
        name = match.group(1)
        if name[0] in self.singles or name[:2] in self.compounds:
            return match.start(1), match.end(1)
        return None


_model: NameModel | None = None
_lock = threading.Lock()


def name_model() -> NameModel:
    """The process's name model, built on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = NameModel()
    return _model


def find_names(text: str) -> list[tuple[int, int]]:
    """Character spans of the personal names in `text`."""
    return name_model().find(text)

"""A synthetic corpus of free-text records with known personal data, for measuring the scanner.

Records read like the notes of a water utility's counter and call centre. Each holds
zero or more pieces of personal data, written the many ways people write them, and
traps that must not be taken for personal data: document numbers, case numbers,
dates, amounts, meter readings, postal codes and the 1910 hotline. `generate()` gives
the same records for the same seed, each with the spans of its personal data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from datasets.pii.identifiers import LETTER_CODES, luhn_ok, national_id_check_digit

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高簡朱鍾施游詹沈彭胡余盧潘顏梁趙柯翁魏方孫戴范宋"
GIVEN = "志明美玲淑芬家豪怡君俊傑雅婷建宏佳穎冠宇欣怡宗翰惠如承恩心怡秀英文雄麗華國強玉蘭金鳳子涵品妍柏翰"
CITIES = ("基隆市", "新北市", "臺北市", "台北市", "桃園市", "宜蘭縣")
DISTRICTS = (
    "中正區",
    "信義區",
    "仁愛區",
    "安樂區",
    "暖暖區",
    "七堵區",
    "汐止區",
    "瑞芳區",
    "板橋區",
    "大安區",
    "礁溪鄉",
)
ROADS = (
    "中正路",
    "信二路",
    "愛三路",
    "基金一路",
    "大同路",
    "忠孝東路",
    "民生路",
    "復興路",
    "長興街",
    "明德街",
    "建國路",
)
VILLAGES = ("八斗里", "中濱里", "長潭里", "東光里", "大坪村", "福隆村")
CHINESE_DIGITS = "一二三四五六七八九"
LABELS = ("聯絡人", "申請人", "陳情人", "用戶", "姓名", "報案人")
TITLES = ("先生", "小姐", "女士", "太太")
KIND_OF_CASE = ("水壓不足", "漏水", "水質異味", "水費疑義", "停水未通知", "表位遷移", "新裝申請")


@dataclass
class Record:
    """A text and the personal data in it: `(kind, start, end)` spans."""

    text: str = ""
    spans: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, text: str, kind: str | None = None) -> None:
        """Append text; a `kind` marks it as personal data."""
        if kind:
            self.spans.append((kind, len(self.text), len(self.text) + len(text)))
        self.text += text


def _full_width(text: str) -> str:
    return "".join(
        chr(ord(character) + 0xFEE0) if "!" <= character <= "~" else character for character in text
    )


def _name(generator: random.Random) -> str:
    given = "".join(generator.choice(GIVEN) for _ in range(generator.choice((1, 2, 2, 2))))
    surname = (
        generator.choice(("歐陽", "張簡", "范姜"))
        if generator.random() < 0.05
        else generator.choice(SURNAMES)
    )
    return surname + given


def _national_id(generator: random.Random) -> str:
    letter = generator.choice(sorted(LETTER_CODES))
    prefix = letter + generator.choice("1289") + f"{generator.randrange(10**7):07d}"
    value = prefix + str(national_id_check_digit(prefix))
    style = generator.random()
    if style < 0.15:
        return value.lower()
    if style < 0.3:
        return _full_width(value)
    return value


def _old_resident_id(generator: random.Random) -> str:
    while True:
        first = generator.choice(sorted(LETTER_CODES))
        second = generator.choice("ABCD")
        digits = f"{generator.randrange(10**8):08d}"
        code = LETTER_CODES[first]
        numbers = [code // 10, code % 10, LETTER_CODES[second] % 10, *map(int, digits)]
        weights = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
        if sum(n * w for n, w in zip(numbers, weights, strict=True)) % 10 == 0:
            return first + second + digits


def _mobile(generator: random.Random) -> str:
    digits = f"09{generator.randrange(0, 9)}{generator.randrange(10)}{generator.randrange(10**6):06d}"
    styles = (
        digits,
        f"{digits[:4]}-{digits[4:7]}-{digits[7:]}",
        f"{digits[:4]} {digits[4:7]} {digits[7:]}",
        f"{digits[:4]}-{digits[4:]}",
        f"+886 {digits[1:4]} {digits[4:7]} {digits[7:]}",
        f"+886-{digits[1:4]}-{digits[4:7]}-{digits[7:]}",
        f"+886{digits[1:]}",
        _full_width(digits),
        f"{digits[:4]}.{digits[4:7]}.{digits[7:]}",
        _full_width(f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"),
    )
    return generator.choice(styles)


def _landline(generator: random.Random) -> str:
    area, length = generator.choice(
        (("02", 8), ("02", 8), ("03", 7), ("037", 6), ("04", 8), ("049", 7), ("07", 7), ("082", 6))
    )
    local = f"{generator.randrange(2, 10)}{generator.randrange(10 ** (length - 1)):0{length - 1}d}"
    split = length - 4
    styles = (
        f"({area}){local[:split]}-{local[split:]}",
        f"{area}-{local}",
        f"{area}-{local[:split]}-{local[split:]}",
        f"{area} {local[:split]} {local[split:]}",
        f"+886-{area[1:]}-{local[:split]}-{local[split:]}",
        f"({area}){local[:split]}-{local[split:]}#{generator.randrange(10, 999)}",
        f"{area}-{local[:split]}-{local[split:]} 分機 {generator.randrange(10, 999)}",
        f"({area}) {local[:split]} {local[split:]}",
        f"{area} {local[:split]}-{local[split:]} ext. {generator.randrange(10, 999)}",
        f"{area}{local}",
    )
    return generator.choice(styles)


def _email(generator: random.Random) -> str:
    user = generator.choice(("wang", "lin", "chen.mei", "a.b_c", "user", "tsai88", "huang-li"))
    domain = generator.choice(("example.com", "mail.example.com.tw", "example.gov.tw", "example.org"))
    return f"{user}{generator.randrange(1000)}@{domain}"


def _card(generator: random.Random) -> str:
    while True:
        prefix = generator.choice(("4", "51", "52", "53", "54", "55", "35"))
        body = prefix + "".join(str(generator.randrange(10)) for _ in range(15 - len(prefix)))
        for check in range(10):
            if luhn_ok(body + str(check)):
                number = body + str(check)
                break
        style = generator.random()
        if style < 0.4:
            return " ".join(number[i : i + 4] for i in range(0, 16, 4))
        if style < 0.7:
            return "-".join(number[i : i + 4] for i in range(0, 16, 4))
        return number


def _numeral(generator: random.Random, high: int) -> str:
    value = generator.randrange(1, high)
    if value < 10 and generator.random() < 0.3:
        return CHINESE_DIGITS[value - 1]
    return str(value)


def _address(generator: random.Random) -> str:
    parts = []
    if generator.random() < 0.7:
        parts.append(generator.choice(CITIES))
    if generator.random() < 0.75 or parts:
        parts.append(generator.choice(DISTRICTS))
    if generator.random() < 0.15:
        parts.append(generator.choice(VILLAGES) + f"{generator.randrange(1, 30)}鄰")
    parts.append(generator.choice(ROADS))
    if generator.random() < 0.3:
        parts.append(f"{CHINESE_DIGITS[generator.randrange(0, 4)]}段")
    if generator.random() < 0.35:
        parts.append(f"{generator.randrange(1, 400)}巷")
    if generator.random() < 0.2:
        parts.append(f"{generator.randrange(1, 30)}弄")
    number = generator.randrange(1, 600)
    style = generator.random()
    if style < 0.15:
        parts.append(f"{number}號之{generator.randrange(1, 9)}")
    elif style < 0.25:
        parts.append(f"{number}之{generator.randrange(1, 9)}號")
    else:
        parts.append(f"{number}號")
    if generator.random() < 0.4:
        parts.append(f"{_numeral(generator, 20)}樓")
    return "".join(parts)


TRAPS = (
    lambda g: f"依台水企字第{g.randrange(10**9, 10**10)}號函辦理",
    lambda g: f"依經水字第{g.randrange(10**8, 10**9)}號公告",
    lambda g: f"案件編號 C{g.randrange(2020, 2027)}{g.randrange(10**7):07d}",
    lambda g: f"受理日期 {g.randrange(2020, 2027)}-{g.randrange(1, 13):02d}-{g.randrange(1, 29):02d}",
    lambda g: f"民國{g.randrange(100, 116)}年{g.randrange(1, 13)}月{g.randrange(1, 29)}日",
    lambda g: f"水費 {g.randrange(100, 99999):,} 元",
    lambda g: f"本期水表讀數 {g.randrange(10**4):05d} 度",
    lambda g: (
        f"郵遞區號 {g.choice(('200', '201', '202', '204', '206', '221', '224'))}{g.choice(('', '01', '58'))}"
    ),
    lambda g: "請撥客服專線 1910",
    lambda g: f"工程長度 {g.randrange(1, 50)} 公里",
    lambda g: f"水號 {g.randrange(10**2):02d}-{g.randrange(10**6):06d}-{g.randrange(10)}",
    lambda g: f"管徑 {g.choice((100, 150, 300, 900))} mm，共 {g.randrange(2, 40)} 處",
    lambda g: f"第{g.randrange(1, 12)}期工程，{g.choice(ROADS)}管線汰換",
    lambda g: "各位先生女士您好",
    lambda g: f"預約時間 {g.randrange(8, 18):02d}:{g.choice(('00', '30'))}",
    lambda g: f"公告日期 {g.randrange(2020, 2027)}/{g.randrange(1, 13)}/{g.randrange(1, 29)}",
    lambda g: f"工程經費 NT${g.randrange(10**5, 10**8):,}",
    lambda g: f"免付費電話 0800-{g.randrange(100, 999)}-{g.randrange(100, 999)}",
    lambda g: f"流量 {g.randrange(1, 9)}.{g.randrange(1000, 9999)} 立方公尺／秒",
    lambda g: f"檔號 {g.randrange(100, 116)}/0{g.randrange(100, 999)}/{g.randrange(1, 99)}",
    lambda g: f"依據第{g.randrange(1, 30)}條第{g.randrange(1, 5)}項規定",
    lambda g: f"公文文號 {g.randrange(10**9, 2 * 10**9)}",
)


def generate(count: int = 3000, seed: int = 1910) -> list[Record]:
    """`count` records with their personal data marked."""
    generator = random.Random(seed)  # noqa: S311 - test data, not secrets
    records = []
    for _ in range(count):
        record = Record()
        pieces = generator.sample(
            ("id", "phone", "email", "card", "address", "name_title", "name_label", "trap", "trap", "none"),
            k=generator.randint(1, 4),
        )
        for piece in pieces:
            if record.text:
                record.add(generator.choice(("，", "；", "。", " ", "、")))
            if piece == "id":
                record.add(generator.choice(("身分證字號", "證號：", "ID ", "統一證號 ")))
                if generator.random() < 0.12:
                    record.add(_old_resident_id(generator), "resident_id")
                else:
                    record.add(_national_id(generator), "national_id")
            elif piece == "phone":
                record.add(generator.choice(("聯絡電話 ", "電話：", "手機", "請回電 ", "tel: ")))
                record.add(_mobile(generator) if generator.random() < 0.6 else _landline(generator), "phone")
            elif piece == "email":
                record.add(generator.choice(("電子郵件 ", "email: ", "來信 ")))
                record.add(_email(generator), "email")
            elif piece == "card":
                record.add(generator.choice(("信用卡號 ", "代扣卡號：", "card ")))
                record.add(_card(generator), "card")
            elif piece == "address":
                record.add(generator.choice(("住址：", "地址 ", "用水地址", "現場位於", "寄送至")))
                record.add(_address(generator), "address")
            elif piece == "name_title":
                record.add(_name(generator), "name")
                record.add(generator.choice(TITLES) + generator.choice(("來電反映", "表示", "到場洽詢")))
                record.add(generator.choice(KIND_OF_CASE))
            elif piece == "name_label":
                record.add(generator.choice(LABELS) + generator.choice(("：", " ", "")))
                record.add(_name(generator), "name")
                record.add(
                    generator.choice(("反映", "申請", "陳情", "詢問")) + generator.choice(KIND_OF_CASE)
                )
            elif piece == "trap":
                record.add(generator.choice(TRAPS)(generator))
            else:
                record.add(generator.choice(KIND_OF_CASE) + "，已派員處理完成")
        records.append(record)
    return records


KIND_GROUPS = {
    "national_id": "id",
    "resident_id": "id",
    "phone": "phone",
    "email": "email",
    "card": "card",
    "address": "address",
    "name": "name",
}


@dataclass
class Evaluation:
    """How the scanner did on a corpus: found and missed spans per kind, and false findings."""

    records: int = 0
    found: dict[str, int] = field(default_factory=dict)
    missed: dict[str, int] = field(default_factory=dict)
    false_findings: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_examples: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, group: str) -> float:
        """Share of the group's spans found."""
        total = self.found.get(group, 0) + self.missed.get(group, 0)
        return self.found.get(group, 0) / total if total else 1.0

    @property
    def false_per_thousand(self) -> float:
        """False findings per 1,000 records."""
        return 1000 * self.false_findings / max(self.records, 1)


def evaluate(records: list[Record], scan: object = None) -> Evaluation:
    """Run the scanner over `records` and compare with what they hold."""
    from datasets.pii import scan_text

    scanner = scan or scan_text
    result = Evaluation(records=len(records))
    for record in records:
        findings = scanner(record.text)  # type: ignore[operator]
        for kind, start, end in record.spans:
            group = KIND_GROUPS[kind]
            hit = any(KIND_GROUPS[f.kind] == group and f.start < end and start < f.end for f in findings)
            bucket = result.found if hit else result.missed
            bucket[group] = bucket.get(group, 0) + 1
            if not hit and len(result.misses) < 50:
                result.misses.append((group, record.text[start:end]))
        for finding in findings:
            group = KIND_GROUPS[finding.kind]
            true = any(
                KIND_GROUPS[kind] == group and start < finding.end and finding.start < end
                for kind, start, end in record.spans
            )
            if not true:
                result.false_findings += 1
                if len(result.false_examples) < 50:
                    result.false_examples.append((finding.kind, record.text))
    return result

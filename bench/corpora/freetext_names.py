"""Taiwanese personal names for the free-text corpus: surnames by frequency, given names by generation.

The surname weights follow the rough order of surnames in Taiwan's household registration
(陳 about one in nine people, 林 one in twelve, and a long tail); rare surnames are raised
to a small floor so that each appears a few times in a corpus of a few thousand records. Given names
are grouped by sex and by the generation that favoured them, and include names that are
ordinary words by themselves (志明, 建國, 美麗, 文化), since those are what a scanner
confuses with plain text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_words = str.split  # the lists below are written as space-separated text

# Surname and weight in people per 10,000 (approximate, from the household-registration order).
_SURNAME_TABLE = """
陳 1110 林 830 黃 600 張 530 李 510 王 410 吳 400 劉 320 蔡 290 楊 270 許 230 鄭 190 謝 180
郭 170 洪 160 曾 140 邱 140 廖 130 賴 130 周 120 徐 110 蘇 110 葉 110 莊 100 呂 100 江 90 何 90
蕭 90 羅 90 高 80 潘 70 簡 70 朱 70 鍾 70 游 60 彭 60 詹 60 施 50 胡 50 沈 50 余 50 盧 50 梁 50
趙 50 顏 50 柯 50 翁 40 魏 40 孫 40 戴 40 范 40 方 40 宋 40 鄧 30 杜 30 傅 30 侯 30 曹 30 薛 30
丁 30 卓 30 阮 25 馬 25 董 25 温 25 唐 25 藍 25 石 25 蔣 25 古 20 紀 20 姚 20 連 20 馮 20 歐 20
程 20 湯 20 田 20 康 20 姜 20 白 15 汪 15 鄒 15 尤 15 巫 15 鐘 15 黎 15 涂 15 龔 15 嚴 12 韓 12
袁 12 金 12 童 10 陸 10 夏 10 柳 10 凃 10 邵 10 錢 8 伍 8 倪 8 溫 8 毛 8 殷 6 雷 6 常 6 武 6
龍 6 甘 6 官 6 易 5 包 5 左 5 管 5 全 5 池 5 花 4 車 4 文 4 孔 4 關 4 單 4 齊 4 萬 4 衛 4 段 4
麥 4 饒 4 祝 4 莫 4 喬 3 賀 3 聶 3 岳 3 畢 3 邢 3 柴 3 華 3 符 3 戚 3 滕 3 焦 3 郝 3 利 3 商 3
伊 3 項 3 宮 3 宣 3 展 3 冷 3 容 3 耿 3 井 3 凌 3 房 3 苗 3 鮑 3 談 3 谷 3 向 3 熊 3 屈 3 尹 3
盛 3 蓋 3 雲 3 仇 3 居 3 駱 3 辜 3 帥 3 蔚 2 葛 2 粘 2 佘 2 仉 2 亓 2 豐 2 闕 2 糜 2 冉 2 卜 2
蒲 2 褚 2 樊 2 甯 2 鄔 2 覃 2 湛 2 闞 2 晏 2 酆 2 隋 2 練 2 牟 2 祁 2 麻 2 封 2 勞 2 扶 2 揭 2
"""

# Compound surnames: the Taiwanese double surnames (張廖, 張簡, 范姜, 周黃) and the classical ones.
_COMPOUND_SURNAMES = _words("張廖 張簡 范姜 周黃 歐陽 司馬 司徒 上官 諸葛 端木 皇甫 公孫 東方 夏侯 鍾離")

_FEMALE_OLDER = """
秀英 淑惠 美玲 麗華 玉珠 月娥 秀蘭 美惠 淑芬 麗珠 玉蘭 素貞 碧霞 春美 秀琴 金蓮 寶玉 淑貞 秋月
麗娟 惠美 月英 玉梅 秀鳳 碧雲 素娥 金花 罔市 招弟 麗卿 淑娟 美珠 秀梅 玉霞 桂英 惠珍 素珍 美雲
麗雲 秀珠 彩雲 瑞蓮 鳳嬌 碧珠 蘭英 阿香 阿滿 玉琴 秀枝 月桂 美娥 麗美 秀霞 淑美 淑卿 秀玉 金鳳
素卿 美鳳 玉鳳 秀菊 春嬌 阿嬌 錦雲 雪梅 淑華 美華 麗玉 寶珠 貴美 惠玲 淑敏 秀蓮 素梅 月霞 美蘭
碧蓮 美娟 滿妹 秀妹 玉妹 金妹 月琴 玉枝 素琴 阿玉 美麗 秀麗 美好 富美 玉葉 菊花 阿桃 梅英
"""

_FEMALE_MIDDLE = """
雅婷 怡君 佳蓉 美君 雅雯 慧玲 玉婷 曉雯 珮君 嘉玲 俐伶 靜宜 惠如 淑萍 婉婷 郁婷 佩君 怡如 雅惠
宜芳 欣儀 家慧 宛如 秀娟 雅琪 美伶 佩珊 淑芳 佳玲 怡伶 惠君 靜怡 雅芳 麗君 婉君 欣怡 詩婷 佳慧
筱婷 育婷 怡婷 雅玲 曉萍 淑玲 惠雯 心怡 佩玲 瑞玲 美琪 嘉惠 韻如 素華 碧玲 湘婷 湘芸 靚雯 瓊慧
鈺婷 郁雯 思穎 詩雅 孟儒 采瑩 姿吟 玟君 琬婷 珊珊 文君 幸福 平安 家和
"""

_FEMALE_YOUNGER = """
怡萱 雅筑 欣妤 佳穎 詩涵 宜蓁 思妤 品妤 子晴 芷晴 語彤 宥蓁 以恩 芯瑜 可馨 筱涵 佩瑜 姿穎 韋婷
亭妤 巧琪 瑋婷 沛蓁 紫涵 昀臻 采潔 詠晴 家瑜 羽彤 苡安 宸瑄 歆妤 芮綺 睿晴 凱婷 翊涵 品萱 芊妤
妤婕 宜庭 思彤 禹彤 詩晴 芸熙 晞妍 語涵 芃妤 芃均 甯安 甯溱 靚妤 湘晴 璿涵 羿彤 宥瑄 瑄妮 妍希
沐恩 恩綺 若瑜 映彤 羽晨 婕妤 依晨 雨潔 庭瑄 宜臻 巧恩 心妍 玟妤 堉婷 翊甯 芃萱
"""

_MALE_OLDER = """
志明 建國 國強 文雄 金生 榮華 清水 火土 萬福 天賜 振興 永福 正雄 明德 文化 忠義 進財 添丁 水木
旺來 春生 德勝 朝陽 炳輝 錦堂 武雄 茂林 長庚 俊雄 榮輝 慶和 世昌 國華 建華 阿土 金水 再興 坤山
福來 進興 阿財 新發 順興 勝利 永吉 天來 瑞祥 源發 榮宗 正義 德福 文彬 明哲 昭雄 耀宗 紹文 宗憲
國雄 英傑 文正 水生 清泉 金城 海山 成功 義雄 光輝 錦松 富貴 金山 永康 國慶
"""

_MALE_MIDDLE = """
志強 志偉 建宏 俊傑 家豪 志豪 建志 文傑 俊宏 宗翰 信宏 國峰 振宇 嘉宏 俊賢 明輝 家銘 育誠 政憲
士傑 冠霖 偉倫 俊廷 志賢 建良 明宏 哲瑋 宏仁 智偉 皓鈞 維哲 柏宏 國維 立偉 承志 信義 仁愛 國泰
民權 中華 自強 光明 和平 大同 忠誠 英明 堉倫 堉豪 志成 民生
"""

_MALE_YOUNGER = """
冠宇 承恩 柏翰 宥廷 品睿 睿恩 翊宸 宇軒 彥廷 子睿 承翰 冠廷 俊霖 皓宇 羿辰 翊豪 宥辰 柏璿 承璿
宇璿 甯翔 芃宇 湘霖 宸睿 恩碩 昱翔 宥勳 孟哲 奕廷 秉宸 博宇 晨睿 家睿 品翰 宸佑 睿哲 宥翔 柏睿
以樂 禹丞 靖元 亦凡 允澤 語澤 楷睿 定謙 丞恩 聿恩 翊凱 堉宸 羿廷
"""

_FEMALE_SINGLE = _words(
    "芳 婷 瑄 妤 琳 萱 寧 娟 玲 敏 蓉 樺 靚 湘 菁 慧 涵 晴 妍 馨 璿 芃 甯 翎 霈 瑩 媛 薇 青"
)
_MALE_SINGLE = _words("偉 傑 明 華 翔 豪 霖 穎 安 強 勇 恩 翊 羿 堉 宏 誠 軍 鈞 杰 凱 睿 斌 剛 峰 嶸 彬")


# Rare surnames are drawn as if this many in 10,000 people bore them, so that each shows up
# a few times in a corpus of a few thousand names instead of almost never.
RARE_FLOOR = 6


def _surname_table() -> tuple[list[str], list[int]]:
    """Split the surname table into parallel lists of surnames and weights."""
    cells = _SURNAME_TABLE.split()
    return cells[0::2], [max(int(weight), RARE_FLOOR) for weight in cells[1::2]]


SURNAMES, SURNAME_WEIGHTS = _surname_table()
COMPOUND_SURNAMES = tuple(_COMPOUND_SURNAMES)
FEMALE_GIVEN = {
    "older": _FEMALE_OLDER.split(),
    "middle": _FEMALE_MIDDLE.split(),
    "younger": _FEMALE_YOUNGER.split(),
}
MALE_GIVEN = {"older": _MALE_OLDER.split(), "middle": _MALE_MIDDLE.split(), "younger": _MALE_YOUNGER.split()}
# Every character that starts a surname, for finding words that begin like a name.
SURNAME_INITIALS = frozenset(SURNAMES) | frozenset(name[0] for name in COMPOUND_SURNAMES)


@dataclass(frozen=True)
class Person:
    """A generated person: the name as written and the sex its given name suggests."""

    name: str
    female: bool


class NameMaker:
    """Draws names that never coincide with a stretch of the corpus's ordinary wording."""

    def __init__(self, rng: random.Random, forbidden_text: str) -> None:
        self._rng = rng
        self._forbidden = forbidden_text

    def person(self, female: bool | None = None) -> Person:
        """Return a new person; `female` None picks the sex at random."""
        if female is None:
            female = self._rng.random() < 0.5
        for _ in range(50):
            name = self._draw(female)
            if name not in self._forbidden:
                return Person(name, female)
        raise RuntimeError("could not draw a name that is not already ordinary text")

    def _surname(self) -> str:
        return self._rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]

    def _given(self, female: bool, generation: str, single: bool) -> str:
        if single:
            return self._rng.choice(_FEMALE_SINGLE if female else _MALE_SINGLE)
        lists = FEMALE_GIVEN if female else MALE_GIVEN
        return self._rng.choice(lists[generation])

    def _draw(self, female: bool) -> str:
        rng = self._rng
        generation = rng.choices(("older", "middle", "younger"), weights=(3, 4, 4))[0]
        shape = rng.random()
        if shape < 0.05:
            return rng.choice(COMPOUND_SURNAMES) + self._given(female, generation, single=rng.random() < 0.2)
        if female and generation == "older" and shape < 0.35:
            # A married woman of that generation often registered as 夫姓 + 本姓 + 名.
            husband = self._surname()
            own = self._surname()
            while own == husband:
                own = self._surname()
            return husband + own + self._given(True, "older", single=False)
        # About one name in ten has a one-character given name (王偉, 林芳).
        return self._surname() + self._given(female, generation, single=rng.random() < 0.10)

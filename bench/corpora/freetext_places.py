"""Places, agencies, water-utility wording and addresses for the free-text corpus.

Most entries begin with a character that is also a surname (林口, 石門, 高架橋, 金額, 陳述,
管線), because those are where a name finder goes wrong. Road names that honour people
(中山路, 中正路, 林森路, 逢甲路) appear either inside an address, which the corpus marks as
an address, or as a bare place in the sentence, which it never marks as a name.
"""

from __future__ import annotations

import random

_words = str.split  # the lists below are written as space-separated text

# Keelung, New Taipei and the rest of Taiwan, chosen for their surname-like first character.
LOCATIONS = _words("""
林口 石門 石碇 金山 萬里 楊梅 高雄 羅東 蘇澳 龍潭 關西 金門 馬祖 田尾 柳營 麻豆 白河 古坑 林內
萬華 文山 左營 林園 車城 萬丹 卓蘭 龍井 田中 石岡 谷關 茂林 江翠 侯硐 金瓜石 黃金博物館 七堵 暖暖
安樂 仁愛 信義 中正 中山 八斗子 和平島 正濱漁港 外木山 武崙 百福 五堵 六堵 友蚋 瑪陵 碇內 深美
新豐 長庚 情人湖 潮境公園 田寮河 石硬港 西定河 旭川河 南榮公園 崁仔頂 廟口 獅球嶺 西勢水庫
汐止 瑞芳 平溪 雙溪 貢寮 深坑 坪林 九份 猴硐 十分 菁桐 野柳 龜吼 福隆 澳底 鼻頭角 水湳洞 翡翠水庫
宜蘭 頭城 礁溪 花蓮 臺東 屏東 嘉義 彰化 南投 苗栗 新竹 桃園 湖口 澎湖 蘭嶼 綠島 潮州 東港 鹿港
清水 大甲 東勢 和美 溪湖 竹山 集集 水里 魚池 埔里 岡山 鳳山 旗山 美濃 甲仙 恆春 梅山 斗六 虎尾
江邊 溫泉區 高架橋 周邊社區 石門水庫 曾文水庫 金山老街 楊梅交流道 林口長庚 高鐵站
""")

# Agencies and the utility's own offices: who a case is passed to.
ORGANISATIONS = _words("""
林務局 林業及自然保育署 水利署 經濟部 衛生局 工務局 養工處 國稅局 財政部 交通部 公路局 高速公路局 警察局
消防局 區公所 里辦公處 中華電信 金管會 勞動部 內政部 法務部 監察院 公共工程委員會 地政事務所 衛福部
教育局 文化局 關務署 中華郵政 石門水庫管理中心 北區水資源分署 翡翠水庫管理局 第一區管理處 基隆服務所
汐止服務所 瑞芳營運所 金山服務所 新山淨水場 暖暖淨水場 八堵淨水場 環保局 建設處 戶政事務所
""")

# Schools, hospitals and landmarks, many named after people or virtues: places, never names.
LANDMARKS = _words("""
馬偕醫院 國泰醫院 長庚醫院 和平醫院 中山大學 中正紀念堂 中正國小 成功國小 仁愛國中 信義國小 建國高中
文化中心 民生社區 自強隧道 光明國小 大同公司 忠孝國中 高架水塔 加壓站 中正公園 逸仙國小 志明汽車
建國市場 國強五金 美麗華 文化局大樓 金山老街 林家花園 陳家古厝 黃氏宗祠 周家豆花
""")

# A road mentioned as a place, not as part of an address: never marked.
ROAD_MENTIONS = _words("""
中山路口 中正路一帶 林森路旁 林森北路巷內 中山一路與中和路口 中正路與信二路口 孫文路邊 逢甲路附近
忠孝東路旁 信義路上 仁愛路口 民生路沿線 光明路轉角 自強路對面 和平路邊坡 成功路橋下 建國路地下道
文化路人行道 大同路二段 愛三路口 孝二路騎樓 義一路下坡 明德一路公車站 新台五路側車道 中興路橋頭
""")

# Complaints and notes in the utility's own words, full of surname-initial words.
ISSUES = _words("""
水壓太低 水質混濁 水表漏水 帳單金額異常 停水未公告 路面挖掘未回填 管線破裂 出現黃水 水有異味
高樓層沒水 水塔溢流 消防栓漏水 人孔蓋鬆動 施工噪音太大 管線施工佔用車道 溫度太高的熱水管
石頭堵住水表箱 水龍頭流出白色沉澱物 馬達一直運轉 水費常常偏高 連續三天停水 江邊步道積水
陳年管線生鏽 黃昏時段水壓不足 周邊工地漏水 方便繳費的管道太少 簡訊通知沒收到 申請程序太複雜
高架橋下方管線滲水 金額與上期差很多 許多住戶沒接到通知 曾經修過又再漏水 葉片卡住表頭
""")

_ADDRESS_AREAS = (
    (
        "基隆市",
        "仁愛區",
        ("愛一路", "愛三路", "仁一路", "仁三路", "忠一路", "孝一路", "孝二路", "南榮路", "龍安街"),
    ),
    ("基隆市", "信義區", ("信二路", "信一路", "義一路", "義二路", "東明路", "深溪路", "東信路", "崇法街")),
    ("基隆市", "中正區", ("中正路", "新豐街", "北寧路", "祥豐街", "中船路", "正榮街")),
    ("基隆市", "中山區", ("中山一路", "中山二路", "中山四路", "中和路", "復興路", "文化路", "西定路")),
    ("基隆市", "安樂區", ("安一路", "基金一路", "麥金路", "武嶺街", "安和一街", "樂利三街")),
    ("基隆市", "暖暖區", ("暖暖街", "源遠路", "八堵路", "碇內街")),
    ("基隆市", "七堵區", ("明德一路", "福五街", "東新街", "光明路")),
    (
        "新北市",
        "汐止區",
        ("大同路二段", "新台五路一段", "中興路", "康寧街", "樟樹一路", "福德一路", "忠孝東路"),
    ),
    ("新北市", "瑞芳區", ("明燈路三段", "逢甲路", "中正路", "龍潭路")),
    ("新北市", "萬里區", ("瑪鋉路",)),
    ("新北市", "金山區", ("中山路", "民生路", "金包里街")),
    ("新北市", "板橋區", ("中山路一段", "文化路一段", "縣民大道二段", "民生路三段")),
    ("臺北市", "中山區", ("林森北路", "中山北路二段", "南京東路二段")),
    ("臺北市", "中正區", ("林森南路", "忠孝西路一段")),
    ("臺中市", "西區", ("林森路",)),
)


def address(rng: random.Random) -> str:
    """A street address: city, district, road, optional lane and alley, number and floor."""
    city, district, roads = rng.choice(_ADDRESS_AREAS)
    parts = [city + district if rng.random() < 0.75 else district, rng.choice(roads)]
    if rng.random() < 0.4:
        parts.append(f"{rng.randint(1, 250)}巷")
        if rng.random() < 0.35:
            parts.append(f"{rng.randint(1, 20)}弄")
    number = f"{rng.randint(1, 350)}號"
    if rng.random() < 0.15:
        number = f"{rng.randint(1, 350)}之{rng.randint(1, 5)}號"
    parts.append(number)
    if rng.random() < 0.5:
        parts.append(f"{rng.randint(2, 15)}樓")
    return "".join(parts)


WORD_MAKERS = {
    "LOC": lambda rng: rng.choice(LOCATIONS) if rng.random() < 0.8 else rng.choice(LANDMARKS),
    "ORG": lambda rng: rng.choice(ORGANISATIONS),
    "ROAD": lambda rng: rng.choice(ROAD_MENTIONS),
    "ISSUE": lambda rng: rng.choice(ISSUES),
}

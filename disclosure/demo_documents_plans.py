"""Demo documents of §7 categories 5 and 6: the service plan, business plan and statistics; budgets and accounts.

The service plan's text is the agency's own, kept in `demo_files/service-plan.txt`
(cleaned of the page furniture of the PDF it was taken from) rather than here.
"""

from __future__ import annotations

from disclosure.demo_documents_types import DemoDocument, DemoFile

SUPPLY_HEADER = ("區域", "供水量（千立方公尺）", "售水量（千立方公尺）", "售水率（%）")
SUPPLY = (
    ("基隆市", "18,420", "14,310", "77.7"),
    ("新北市汐止區", "9,860", "8,020", "81.3"),
    ("新北市瑞芳區", "1,730", "1,290", "74.6"),
    ("新北市貢寮區", "540", "400", "74.1"),
    ("新北市雙溪區", "390", "290", "74.4"),
)
BUDGET_HEADER = ("科目", "金額（千元）", "說明")
BUDGET_115 = (
    ("營業收入", "4,386,000", "水費收入及其他營業收入"),
    ("營業成本", "3,512,000", "淨水、輸配水及用戶服務成本"),
    ("資本支出", "1,240,000", "管線汰換、給水廠及加壓站改善"),
    ("其中：降低漏水", "420,000", "分區計量管網及漏水修復"),
)
FINAL_114 = (
    ("營業收入", "4,301,500", "較預算增加 1.2%，主因售水量增加"),
    ("營業成本", "3,468,200", "電費調漲使成本略增"),
    ("資本支出", "1,156,800", "預算執行率 93.3%"),
    ("其中：降低漏水", "402,600", "汰換管線 38 公里"),
)

DOCUMENTS: tuple[DemoDocument, ...] = (
    # 5. 施政計畫、業務統計及研究報告
    DemoDocument(
        key="service-plan",
        category=5,
        title_zh="108年度提升服務效能執行計畫",
        title_en="Service Performance Improvement Plan, 2019",
        summary_zh="本處提升為民服務效能的執行計畫：基礎服務、服務遞送、服務量能、服務評價及開放創新五個面向的"
        "策略、具體作法與承辦單位。",
        summary_en="How the branch means to improve its service: strategies, measures and the units in charge, "
        "in five areas — basic service, delivery, capacity, evaluation, and openness and innovation.",
        days_ago=2460,
        office_code=None,
        theme_code="600",
        cake_code="E30",
        service_code="I00",
        source_name="",
        source_url="",
        files=(DemoFile("pdf", text_file="service-plan.txt"), DemoFile("odt", text_file="service-plan.txt")),
    ),
    DemoDocument(
        key="business-plan-116",
        category=5,
        title_zh="116年度業務計畫",
        title_en="Business Plan for 2027",
        summary_zh="下一年度的供水目標、漏水率改善、管線汰換長度及用戶服務的重點工作。",
        summary_en="Next year's targets for supply and leakage, the length of pipe to replace, and the main "
        "work on customer service.",
        days_ago=25,
        office_code=None,
        theme_code="760",
        cake_code="E30",
        service_code="I00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "116年度業務計畫",
                    "一、供水目標：確保基隆市及新北市東北角穩定供水，高地社區的供水壓力維持在標準以上。",
                    "二、降低漏水：持續推動分區計量管網，目標將轄區漏水率再降低一個百分點。",
                    "三、管線汰換：汰換老舊鑄鐵管及易漏管材，優先處理搶修頻率高的路段。",
                    "四、用戶服務：擴大網路申辦項目，縮短新裝用水的平均辦理天數。",
                ),
            ),
            DemoFile(
                "odt",
                (
                    "116年度業務計畫",
                    "本計畫依總公司年度經營目標訂定，分為供水、降低漏水、管線汰換及用戶服務四部分。",
                    "各項目標的執行情形，將於每季業務檢討會議追蹤，並公開於本專區。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="supply-statistics-q3",
        category=5,
        title_zh="115年第3季供水統計",
        title_en="Water Supply Statistics, Third Quarter of 2026",
        summary_zh="本季各區的供水量、售水量與售水率。",
        summary_en="Water supplied, water billed and the billed share in each district this quarter.",
        days_ago=55,
        office_code=None,
        theme_code="760",
        cake_code="E30",
        service_code="I00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "ods",
                header=SUPPLY_HEADER,
                rows=SUPPLY,
            ),
            DemoFile(
                "pdf",
                (
                    "115年第3季供水統計",
                    "售水率為售水量占供水量的比率；差額包括管線漏失、消防及公共用水與計量誤差。",
                ),
                header=SUPPLY_HEADER,
                rows=SUPPLY,
            ),
        ),
    ),
    # 6. 預算及決算書
    DemoDocument(
        key="budget-115",
        category=6,
        title_zh="115年度預算書摘要",
        title_en="Budget for 2026: Summary",
        summary_zh="本處年度營業收支與資本支出預算的主要科目。",
        summary_en="The main heads of the branch's operating and capital budget for the year.",
        days_ago=330,
        office_code=None,
        theme_code="600",
        cake_code="E00",
        service_code="800",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "115年度預算書摘要",
                    "本預算經總公司彙編、依法定程序審議通過。下表列出本處主要科目，完整預算書由總公司公開。",
                ),
                header=BUDGET_HEADER,
                rows=BUDGET_115,
            ),
            DemoFile("ods", header=BUDGET_HEADER, rows=BUDGET_115),
        ),
    ),
    DemoDocument(
        key="final-accounts-114",
        category=6,
        title_zh="114年度決算書摘要",
        title_en="Final Accounts for 2025: Summary",
        summary_zh="上一年度營業收支與資本支出的決算結果及與預算的差異。",
        summary_en="Last year's operating and capital accounts, and how they differ from the budget.",
        days_ago=165,
        office_code=None,
        theme_code="600",
        cake_code="E00",
        service_code="800",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "114年度決算書摘要",
                    "決算數經審計機關審定。資本支出未執行部分，主要是兩件管線工程因道路挖掘許可延後。",
                ),
                header=BUDGET_HEADER,
                rows=FINAL_114,
            ),
            DemoFile("ods", header=BUDGET_HEADER, rows=FINAL_114),
        ),
    ),
)

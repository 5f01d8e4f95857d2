"""Demo documents of §7 categories 1–4: regulations, interpretations, organisation, guidance."""

from __future__ import annotations

from disclosure.demo_documents_types import DemoDocument, DemoFile

CONTACTS_HEADER = ("單位", "地址", "電話", "服務時間")
CONTACTS = (
    ("第一區管理處", "基隆市中正區中正路106號", "(02) 2458-2233", "週一至週五 8:30–17:30"),
    ("基隆服務所", "基隆市中正區中正路106號", "(02) 2425-2103", "週一至週五 8:30–17:30"),
    ("汐止營運所", "新北市汐止區長興街一段100號", "(02) 8647-8218", "週一至週五 8:30–17:30"),
    ("貢雙營運所", "新北市貢寮區下雙溪街20號", "", "週一至週五 8:30–17:30"),
    ("新山給水廠", "基隆市安樂區", "(02) 2431-9680", "24 小時供水調度"),
    ("客服專線", "", "1910", "24 小時"),
)
DOCUMENTS: tuple[DemoDocument, ...] = (
    # 1. 法規命令及地方自治法規
    DemoDocument(
        key="water-supply-act",
        category=1,
        title_zh="自來水法",
        title_en="Water Supply Act",
        summary_zh="自來水事業經營、水質水量保護、用戶用水設備及收費的基本法律。本處整理與用戶相關的重點，"
        "完整條文以全國法規資料庫為準。",
        summary_en="The law on running a water utility, protecting water sources, customers' plumbing and "
        "charges. Our summary of what matters to customers; the full text is in the Laws & Regulations Database.",
        days_ago=430,
        office_code=None,
        theme_code="760",
        cake_code="E30",
        service_code="I00",
        source_name="經濟部／全國法規資料庫",
        source_url="https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=J0080001",
        files=(
            DemoFile(
                "pdf",
                (
                    "自來水法　與用戶相關重點摘要",
                    "本摘要由本處整理，協助用戶了解自來水法中與日常用水最相關的規定；"
                    "條文內容與最新修正，請以全國法規資料庫公告為準。",
                    "一、水源保護：自來水水質水量保護區內，禁止可能污染水源或妨害水量的行為，"
                    "主管機關得依法公告並管制。",
                    "二、用戶用水設備：用戶自行裝設的進水管、水表後管線及儲水設備，"
                    "應符合用水設備標準，由合格技術人員施工。",
                    "三、水費及收費：自來水事業依核定的水價收費；用戶對計量有疑義時，得申請校驗水表。",
                    "四、停水：因工程、搶修或天然災害需要停止供水時，自來水事業應事先公告，"
                    "緊急事故則應儘速通知。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="business-regulations",
        category=1,
        title_zh="台灣自來水股份有限公司營業章程",
        title_en="Business Regulations of Taiwan Water Corporation",
        summary_zh="用水申請、裝表、水費計收、停水復水及用戶權利義務的規定，本處轄區一體適用。",
        summary_en="The rules on applying for water, meters, billing, disconnection and reconnection, and "
        "customers' rights and duties; they apply throughout our area.",
        days_ago=120,
        office_code=None,
        theme_code="760",
        cake_code="E30",
        service_code="C00",
        source_name="台灣自來水公司",
        source_url="https://www.water.gov.tw/",
        files=(
            DemoFile(
                "pdf",
                (
                    "營業章程　重點說明",
                    "營業章程規範本公司與用戶之間的供水關係。本次修正後的重點如下：",
                    "一、新裝用水：申請人檢具建物使用證明與設計圖說，經審核、繳費後排定裝表。",
                    "二、過戶與停用：用戶變更或停止用水，應向所轄服務所申請，並結清水費。",
                    "三、水費計收：依抄表度數與核定水價計算，按期寄發或以電子帳單通知。",
                    "四、欠費停水：逾期未繳經催繳仍未繳納者，得停止供水；繳清後即安排復水。",
                ),
            ),
            DemoFile(
                "odt",
                (
                    "營業章程修正對照說明",
                    "本說明逐項列出修正前後的差異，供用戶與代辦業者參考。",
                    "新裝用水的審核改以電子查驗取代紙本謄本，申請人不必再檢附建物登記謄本。",
                    "電子帳單用戶的繳費期限與紙本帳單相同，並可設定到期前提醒。",
                ),
            ),
        ),
    ),
    # 2. 解釋性規定及裁量基準
    DemoDocument(
        key="leak-reduction-criteria",
        category=2,
        title_zh="用戶漏水減免水費認定基準",
        title_en="Criteria for Reducing Water Charges after a Leak",
        summary_zh="用戶內線漏水經修復後，申請減免水費的條件、計算方式與應附資料。",
        summary_en="When a customer whose pipes leaked and were repaired may have the water charges reduced, "
        "how the reduction is worked out, and what to send with the application.",
        days_ago=200,
        office_code=None,
        theme_code="760",
        cake_code="E30",
        service_code="C00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "用戶漏水減免水費認定基準",
                    "一、適用對象：水表後的用戶管線發生不易察覺的暗漏，於發現後一個月內修復完成者。",
                    "二、減免方式：以漏水期間前六期的平均用水度數為基準，超出部分按規定比例減收。",
                    "三、不予減免：明顯可見的漏水、未於期限內修復，或同一處管線重複漏水者。",
                    "四、應附資料：修復前後照片、施工單據，並由服務所派員確認已無漏水。",
                ),
            ),
            DemoFile(
                "odt",
                (
                    "漏水減免申請書填寫說明",
                    "請填寫水號、漏水位置、發現及修復的時間，並勾選所附資料。",
                    "水號印在水費通知單右上方；不確定時，可撥打 1910 客服專線查詢。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="meter-dispute-guidelines",
        category=2,
        title_zh="水表計量疑義處理及校驗作業要點",
        title_en="",
        summary_zh="用戶對水表計量有疑義時的受理、現場檢查、送驗與水費調整原則。",
        summary_en="",
        days_ago=520,
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
                    "水表計量疑義處理及校驗作業要點",
                    "一、受理：用戶以電話、臨櫃或網路提出，服務所於三個工作天內派員現場檢查。",
                    "二、現場檢查：確認水表封印、指針轉動及表後管線有無漏水，並請用戶在場見證。",
                    "三、送驗：用戶仍有疑義者，拆回水表送法定檢定機構校驗，並換裝新表。",
                    "四、調整：校驗結果超出法定公差時，依校驗誤差重新計算疑義期間的水費。",
                ),
            ),
        ),
    ),
    # 3. 組織、職掌及聯絡方式
    DemoDocument(
        key="organisation-and-duties",
        category=3,
        title_zh="第一區管理處組織及職掌",
        title_en="Organisation and Duties of the 1st Branch",
        summary_zh="本處各課室、服務所及給水廠的職掌，以及本處與總公司的隸屬關係。",
        summary_en="What each section, service office and treatment plant of the branch does, and how the "
        "branch belongs to the corporation.",
        days_ago=45,
        office_code=None,
        theme_code="600",
        cake_code="E00",
        service_code="I00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "第一區管理處組織及職掌",
                    "本處隸屬經濟部所屬台灣自來水公司，負責基隆市全區及新北市汐止、瑞芳、貢寮、雙溪等地區的供水。",
                    "業務課：用水申請、抄表收費、用戶服務及陳情案件的處理。",
                    "工務課：管線設計、汰換工程、漏水改善與工程品質管理。",
                    "供水課：水源調度、給水廠及加壓站的操作維護、水質檢驗。",
                    "總務室、人事室、會計室：採購、人事及預算決算事務。",
                    "基隆服務所、汐止營運所、貢雙營運所：轄區用戶的臨櫃服務、管線搶修與停水通知。",
                    "新山給水廠：淨水處理及基隆市、汐止區的供水調度。",
                ),
            ),
            DemoFile(
                "odt",
                (
                    "第一區管理處組織及職掌",
                    "本處下設業務課、工務課、供水課、總務室、人事室及會計室，並轄三個服務（營運）所及新山給水廠。",
                    "各單位的職掌詳見 PDF 版本；本檔供需要編輯或轉載的單位使用。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="office-contacts",
        category=3,
        title_zh="各服務所地址及聯絡電話一覽表",
        title_en="Addresses and Telephone Numbers of the Service Offices",
        summary_zh="本處及各服務所、給水廠的地址、電話與服務時間；用水問題請撥 24 小時客服專線 1910。",
        summary_en="Addresses, telephone numbers and hours of the branch, its offices and its plant; call the "
        "24-hour hotline 1910 about your water.",
        days_ago=45,
        office_code=None,
        theme_code="600",
        cake_code="E00",
        service_code="I00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "ods",
                header=CONTACTS_HEADER,
                rows=CONTACTS,
            ),
            DemoFile(
                "pdf",
                (
                    "各服務所地址及聯絡電話一覽表",
                    "下表為本處及所屬單位的聯絡方式。停水、漏水等緊急事故，請撥 24 小時客服專線 1910。",
                ),
                header=CONTACTS_HEADER,
                rows=CONTACTS[:-1],
            ),
        ),
    ),
    # 4. 行政指導文書
    DemoDocument(
        key="water-saving-guidance",
        category=4,
        title_zh="大用水戶節約用水輔導函",
        title_en="Letter Advising Large Water Users on Saving Water",
        summary_zh="水情吃緊期間，建議每月用水量較大的事業用戶檢查管線、調整製程並回收利用。",
        summary_en="Advice, while water is short, to businesses using the most water: check the pipes, adjust "
        "processes, and reuse water.",
        days_ago=95,
        office_code=None,
        theme_code="760",
        cake_code="E30",
        service_code="600",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "大用水戶節約用水輔導函",
                    "受文者：本處轄區每月用水量一千度以上之事業用戶",
                    "主旨：近期水庫進水偏少，請貴單位配合節約用水，以穩定區域供水。",
                    "說明一：建議檢查廠區管線及水塔，儘速修復漏水；冷卻水與清洗用水宜回收再利用。",
                    "說明二：本處可派員到場提供用水診斷，協助訂定節水措施，費用全免。",
                    "說明三：本函屬行政指導，請貴單位斟酌採行；如有疑問，請洽本處業務課。",
                ),
            ),
            DemoFile(
                "odt",
                (
                    "節約用水自主檢查表",
                    "一、水塔及蓄水池有無溢流。",
                    "二、水表在全部用水設備關閉時是否仍轉動。",
                    "三、冷卻水塔的補水量是否合理，有無回收設備。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="hillside-plumbing-letter",
        category=4,
        title_zh="高地社區用戶內線改善輔導函（掃描檔）",
        title_en="Letter Advising Hillside Communities on Replacing Old Pipes (scanned)",
        summary_zh="建議高地老舊社區管理委員會汰換社區內線並申請代管。本檔為紙本掃描，無法搜尋文字。",
        summary_en="Advice to management committees of old hillside communities to replace their pipes and "
        "hand them over to us. A paper scan: its text cannot be searched.",
        days_ago=300,
        office_code="GS",
        theme_code="760",
        cake_code="E30",
        service_code="C00",
        source_name="",
        source_url="",
        files=(DemoFile("pdf", scanned=True),),
    ),
    DemoDocument(
        key="typhoon-storage-advice",
        category=4,
        title_zh="颱風期間儲水及用水安全建議",
        title_en="Advice on Storing Water and Using It Safely in a Typhoon",
        summary_zh="颱風來襲前的儲水建議、原水濁度升高時的供水調整，以及停水時的取水方式。",
        summary_en="How to store water before a typhoon, how supply changes when raw water turns muddy, and "
        "where to get water during an outage.",
        days_ago=160,
        office_code="KL",
        theme_code="640",
        cake_code="E30",
        service_code="E00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "odt",
                (
                    "颱風期間儲水及用水安全建議",
                    "颱風警報發布後，請每人儲備至少三天的飲用水，並清洗水塔、檢查進水閥。",
                    "豪雨使原水濁度升高時，給水廠可能降壓供水，高樓層及高地用戶請預先儲水。",
                    "停水期間，本處於各區設置臨時供水站，位置公告於本處網站與停水公告系統。",
                ),
            ),
        ),
    ),
)

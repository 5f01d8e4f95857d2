"""Demo documents of §7 categories 7–10: petitions and appeals, contracts, subsidies, minutes.

Petition results and appeal decisions are published with personal data removed: no
names, addresses, identity or telephone numbers of the people concerned.
"""

from __future__ import annotations

from disclosure.demo_documents_types import DemoDocument, DemoFile

PETITION_HEADER = ("類別", "件數", "平均處理天數", "說明")
PETITIONS = (
    ("停水及水壓不足", "126", "2.1", "多為搶修停水，已改善預告通知"),
    ("水費及計量", "84", "4.6", "含水表校驗申請 19 件"),
    ("管線施工及路面", "57", "5.3", "施工後路面修復不良已責成廠商改善"),
    ("水質", "22", "1.4", "現場採樣檢驗均符合飲用水水質標準"),
    ("服務態度", "9", "3.0", "已列入服務禮儀訓練檢討"),
)

DOCUMENTS: tuple[DemoDocument, ...] = (
    # 7. 請願之處理結果及訴願之決定
    DemoDocument(
        key="petition-results-115-h1",
        category=7,
        title_zh="115年上半年陳情及請願案件處理結果",
        title_en="Petitions and Complaints, First Half of 2026: How They Were Handled",
        summary_zh="上半年受理的陳情及請願案件，依類別統計件數、處理天數與改善措施。",
        summary_en="The petitions and complaints received in the first half of the year, by kind: how many, "
        "how long they took, and what was improved.",
        days_ago=140,
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
                    "115年上半年陳情及請願案件處理結果",
                    "本期共受理 298 件，均於處理期限內答復。陳情人的個人資料不予公開。",
                    "民眾聯名請願增設汐止區高地加壓設備一案，經評估後已列入下一年度工程計畫。",
                ),
                header=PETITION_HEADER,
                rows=PETITIONS,
            ),
            DemoFile("ods", header=PETITION_HEADER, rows=PETITIONS),
        ),
    ),
    DemoDocument(
        key="appeal-decision-leak-reduction",
        category=7,
        title_zh="漏水減免水費事件訴願決定書（已去除個人資料）",
        title_en="Appeal Decision on a Refused Reduction of Water Charges after a Leak (personal data removed)",
        summary_zh="用戶不服本處否准漏水減免所提訴願的決定：訴願駁回。",
        summary_en="The decision on a customer's appeal against our refusal to reduce charges after a leak: "
        "the appeal is dismissed.",
        days_ago=75,
        office_code="XZ",
        theme_code="760",
        cake_code="E30",
        service_code="C00",
        source_name="經濟部訴願審議委員會",
        source_url="https://www.moea.gov.tw/",
        files=(
            DemoFile(
                "pdf",
                (
                    "訴願決定書（已去除個人資料）",
                    "訴願人：（個人資料已去除）　原處分機關：台灣自來水公司第一區管理處",
                    "主文：訴願駁回。",
                    "事實：訴願人所有建物的水表後管線漏水，申請減免水費，原處分機關以漏水位置明顯可見、"
                    "不符減免基準為由否准，訴願人不服，提起訴願。",
                    "理由：依現場照片與檢查紀錄，漏水處位於露天水塔進水管，一般注意即可發現，"
                    "原處分機關依減免基準否准，並無違誤。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="appeal-decision-back-billing",
        category=7,
        title_zh="水費追收事件訴願決定書（已去除個人資料）",
        title_en="Appeal Decision on Back-Billed Water Charges (personal data removed)",
        summary_zh="用戶不服水表故障期間水費追收所提訴願的決定：原處分撤銷，由原處分機關另為處分。",
        summary_en="The decision on a customer's appeal against charges billed afterwards for a period when "
        "the meter was faulty: the decision is set aside and is to be made again.",
        days_ago=190,
        office_code="KL",
        theme_code="760",
        cake_code="E30",
        service_code="C00",
        source_name="經濟部訴願審議委員會",
        source_url="https://www.moea.gov.tw/",
        files=(
            DemoFile(
                "pdf",
                (
                    "訴願決定書（已去除個人資料）",
                    "訴願人：（個人資料已去除）　原處分機關：台灣自來水公司第一區管理處",
                    "主文：原處分撤銷，由原處分機關於二個月內另為適法之處分。",
                    "理由：水表故障期間的用水量，應以故障前後正常期間的平均用水量推估；"
                    "原處分僅以單一期別推算，未說明理由，難謂妥適。",
                ),
            ),
        ),
    ),
    # 8. 公共工程及採購契約
    DemoDocument(
        key="pipe-replacement-contract",
        category=8,
        title_zh="115年度基隆市中山區老舊管線汰換工程契約",
        title_en="Contract for Replacing Old Water Mains in Zhongshan District, Keelung (2026)",
        summary_zh="汰換中山區老舊鑄鐵管約 6.2 公里的工程契約重點：工期、金額與履約要求。",
        summary_en="The main terms of the contract to replace about 6.2 km of old cast-iron mains in Zhongshan "
        "District: duration, price and obligations.",
        days_ago=40,
        office_code="KL",
        theme_code="760",
        cake_code="E30",
        service_code="E00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "老舊管線汰換工程契約摘要",
                    "採購方式：公開招標，最低標決標。　決標金額：新臺幣 8,460 萬元。",
                    "工程內容：汰換口徑 100 至 300 公釐老舊鑄鐵管約 6.2 公里，並更新用戶接管。",
                    "工期：開工後 300 日曆天。施工期間須分段停水，並於三日前公告。",
                    "履約要求：夜間施工須符合噪音管制；路面修復依道路主管機關規定辦理。",
                ),
            ),
            DemoFile(
                "odt",
                (
                    "契約條款對照表",
                    "第一條　契約文件及效力；第二條　履約標的；第三條　契約價金之給付。",
                    "第七條　履約期限；第十三條　保險；第十八條　遲延履約之計罰。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="water-meter-procurement",
        category=8,
        title_zh="115年度水表採購契約",
        title_en="Contract for the Purchase of Water Meters (2026)",
        summary_zh="採購口徑 13 至 25 公釐水表共 18,000 只，供定期換表及新裝用戶使用。",
        summary_en="The purchase of 18,000 water meters of 13 to 25 mm, for routine replacement and new "
        "connections.",
        days_ago=70,
        office_code=None,
        theme_code="760",
        cake_code="E30",
        service_code="",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "水表採購契約摘要",
                    "採購方式：公開招標，最有利標決標。　決標金額：新臺幣 1,728 萬元。",
                    "交貨：分三批交貨，每批須附法定檢定合格證明。",
                    "保固：自驗收合格日起五年，期間內計量失準者由廠商免費更換。",
                ),
            ),
            DemoFile(
                "ods",
                header=("口徑（公釐）", "數量（只）", "單價（元）"),
                rows=(("13", "12,000", "820"), ("20", "5,000", "1,050"), ("25", "1,000", "1,530")),
            ),
        ),
    ),
    DemoDocument(
        key="booster-station-maintenance",
        category=8,
        title_zh="汐止區加壓站機電設備維護契約",
        title_en="",
        summary_zh="汐止區各加壓站抽水機、電氣及監控設備的年度維護契約。",
        summary_en="",
        days_ago=180,
        office_code="XZ",
        theme_code="760",
        cake_code="E30",
        service_code="",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "加壓站機電設備維護契約摘要",
                    "採購方式：公開招標，最低標決標。　決標金額：新臺幣 612 萬元。",
                    "維護範圍：轄區加壓站之抽水機組、配電盤及遠端監控設備，每月定期保養一次。",
                    "故障搶修：接獲通知後二小時內到場，並於二十四小時內恢復運轉。",
                ),
            ),
        ),
    ),
    # 9. 支付或接受之補助
    DemoDocument(
        key="hillside-community-subsidy",
        category=9,
        title_zh="高地社區用戶內線改善補助核定情形",
        title_en="Grants Approved for Replacing Pipes in Hillside Communities",
        summary_zh="本處補助高地老舊社區汰換內線的社區數、補助金額與改善長度（受補助社區以區別列出）。",
        summary_en="The grants we paid to old hillside communities to replace their pipes: communities, "
        "amounts and lengths, by district.",
        days_ago=100,
        office_code="GS",
        theme_code="760",
        cake_code="E30",
        service_code="C00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "ods",
                header=("行政區", "社區數", "補助金額（千元）", "改善長度（公尺）"),
                rows=(
                    ("基隆市七堵區", "3", "4,200", "2,350"),
                    ("基隆市暖暖區", "2", "2,860", "1,480"),
                    ("新北市瑞芳區", "4", "5,130", "2,970"),
                    ("新北市汐止區", "2", "3,020", "1,610"),
                ),
            ),
            DemoFile(
                "pdf",
                (
                    "高地社區用戶內線改善補助核定情形",
                    "補助對象為位於高地、內線老舊且漏水頻繁的社區，改善完成後由本處代管供水設備。",
                    "本年度共核定 11 個社區，補助金額合計新臺幣 1,521 萬元。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="leakage-programme-grant",
        category=9,
        title_zh="接受經濟部降低漏水率計畫補助情形",
        title_en="Grant Received under the Ministry of Economic Affairs' Leakage Reduction Programme",
        summary_zh="本處接受中央補助辦理降低漏水工作的金額、用途與執行進度。",
        summary_en="The central government grant we received for reducing leakage: amount, use and progress.",
        days_ago=260,
        office_code=None,
        theme_code="760",
        cake_code="E30",
        service_code="",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "接受經濟部降低漏水率計畫補助情形",
                    "補助金額：新臺幣 2 億 1,000 萬元，用於汰換易漏管線與建置分區計量管網。",
                    "執行進度：已完成管線汰換 24 公里、設置計量區 36 處，進度符合計畫。",
                    "補助款依規定專款專用，收支另設帳目，並接受審計機關查核。",
                ),
            ),
            DemoFile(
                "odt",
                (
                    "補助經費執行說明",
                    "本補助與本處自籌經費合併辦理，工程採購依政府採購法辦理公開招標。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="school-water-education-grant",
        category=9,
        title_zh="補助轄區學校辦理節約用水宣導活動",
        title_en="Grants to Schools for Water-Saving Activities",
        summary_zh="補助轄區國民小學辦理節約用水教育及參觀淨水場活動的校數與金額。",
        summary_en="Grants to primary schools in our area for water-saving lessons and visits to the "
        "treatment plant: how many schools and how much.",
        days_ago=110,
        office_code="XS",
        theme_code="700",
        cake_code="E30",
        service_code="300",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "ods",
                header=("縣市", "學校數", "補助金額（元）", "參加學生（人次）"),
                rows=(("基隆市", "9", "270,000", "1,850"), ("新北市", "6", "180,000", "1,120")),
            ),
        ),
    ),
    # 10. 合議制機關之會議紀錄
    DemoDocument(
        key="service-team-minutes",
        category=10,
        title_zh="服務效能推動小組第2次會議紀錄",
        title_en="Minutes of the Second Meeting of the Service Performance Team",
        summary_zh="檢討上半年臨櫃與客服服務指標，並決議擴大行動辦公室巡迴服務。",
        summary_en="A review of counter and hotline service in the first half of the year; the team decided "
        "to extend the mobile office's rounds.",
        days_ago=150,
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
                    "服務效能推動小組第2次會議紀錄",
                    "主席：處長　出席：各課室及各廠所代表　紀錄：業務課",
                    "報告事項：上半年臨櫃案件於處理時限內完成的比率為 99.2%，1910 客服專線接通率為 93%。",
                    "討論事項一：偏遠地區用戶往返服務所不便，擬擴大行動辦公室巡迴服務。",
                    "決議：照案通過，由貢雙營運所擬訂巡迴地點及時段，下次會議報告。",
                ),
            ),
            DemoFile(
                "odt",
                (
                    "服務效能推動小組第2次會議紀錄",
                    "決議事項追蹤：行動辦公室巡迴服務由貢雙營運所辦理；電子帳單推廣由各所持續辦理。",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="water-quality-committee-minutes",
        category=10,
        title_zh="水質管理委員會會議紀錄",
        title_en="Minutes of the Water Quality Committee",
        summary_zh="檢討各淨水場出水水質及配水管網採樣結果，並決議增加颱風期間的濁度監測頻率。",
        summary_en="A review of treated-water quality and samples from the network; the committee decided to "
        "measure turbidity more often during typhoons.",
        days_ago=240,
        office_code="XS",
        theme_code="760",
        cake_code="E30",
        service_code="E00",
        source_name="",
        source_url="",
        files=(
            DemoFile(
                "pdf",
                (
                    "水質管理委員會會議紀錄",
                    "主席：副處長　出席：供水課、新山給水廠、各營運所及外聘委員",
                    "報告事項：本季各淨水場出水及配水管網採樣，均符合飲用水水質標準。",
                    "討論事項：颱風豪雨期間原水濁度變化快，擬提高監測頻率。",
                    "決議：颱風警報期間改為每小時監測一次，並即時通報供水調度中心。",
                ),
            ),
        ),
    ),
)

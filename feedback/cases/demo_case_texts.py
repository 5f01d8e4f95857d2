"""What the demonstration cases say: letters to a water utility, their replies, and fictitious contacts.

Each `Topic` is one kind of letter the branch receives (low pressure, a leak in the
street, a high bill, a meter check, discoloured water, an outage without notice…), with
a few ways citizens put it, the replies staff give, and an English version for the
cases written in English. `{place}`, `{road}`, `{floor}`, `{days}`, `{hours}`, `{amount}`
and `{units}` are filled in by `feedback/cases/demo_cases.py`. Nothing here is a real
person: names are a surname and a title, e-mail addresses are at `example.org`, and
phone numbers are `(02) 0xxx-xxxx`, which no Taiwanese line can have (a local number
never begins with 0).
"""

from __future__ import annotations

from dataclasses import dataclass

# District -> (office code, English name, roads as (Chinese, English)).
PLACES: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "基隆市中正區": ("KL", "Zhongzheng Dist., Keelung", (("中正路", "Zhongzheng Rd."), ("北寧路", "Beining Rd."),
                                                        ("祥豐街", "Xiangfeng St."))),
    "基隆市信義區": ("KL", "Xinyi Dist., Keelung", (("信二路", "Xin 2nd Rd."), ("東信路", "Dongxin Rd."),
                                                   ("深溪路", "Shenxi Rd."))),
    "基隆市仁愛區": ("KL", "Ren'ai Dist., Keelung", (("愛三路", "Ai 3rd Rd."), ("南榮路", "Nanrong Rd."),
                                                    ("仁一路", "Ren 1st Rd."))),
    "基隆市中山區": ("KL", "Zhongshan Dist., Keelung", (("中山一路", "Zhongshan 1st Rd."), ("文化路", "Wenhua Rd."),
                                                       ("復興路", "Fuxing Rd."))),
    "基隆市安樂區": ("KL", "Anle Dist., Keelung", (("基金一路", "Jijin 1st Rd."), ("安樂路", "Anle Rd."),
                                                  ("麥金路", "Maijin Rd."))),
    "基隆市暖暖區": ("KL", "Nuannuan Dist., Keelung", (("暖暖街", "Nuannuan St."), ("源遠路", "Yuanyuan Rd."),
                                                      ("八堵路", "Badu Rd."))),
    "基隆市七堵區": ("KL", "Qidu Dist., Keelung", (("明德一路", "Mingde 1st Rd."), ("百福路", "Baifu Rd."),
                                                  ("福五街", "Fu 5th St."))),
    "新北市汐止區": ("XZ", "Xizhi Dist., New Taipei", (("大同路二段", "Sec. 2, Datong Rd."),
                                                     ("新台五路一段", "Sec. 1, Xintai 5th Rd."),
                                                     ("康寧街", "Kangning St."), ("樟樹一路", "Zhangshu 1st Rd."))),
    "新北市瑞芳區": ("GS", "Ruifang Dist., New Taipei", (("明燈路三段", "Sec. 3, Mingdeng Rd."),
                                                       ("逢甲路", "Fengjia Rd."))),
    "新北市貢寮區": ("GS", "Gongliao Dist., New Taipei", (("福隆街", "Fulong St."), ("仁愛路", "Ren'ai Rd."))),
    "新北市雙溪區": ("GS", "Shuangxi Dist., New Taipei", (("太平路", "Taiping Rd."), ("中華路", "Zhonghua Rd."))),
}  # fmt: skip

# Surnames with the romanisation the demo's e-mail addresses use.
SURNAMES: tuple[tuple[str, str], ...] = (
    ("陳", "chen"), ("林", "lin"), ("黃", "huang"), ("張", "chang"), ("李", "li"), ("王", "wang"), ("吳", "wu"), ("劉", "liu"),
    ("蔡", "tsai"), ("楊", "yang"), ("許", "hsu"), ("鄭", "cheng"), ("謝", "hsieh"), ("郭", "kuo"), ("洪", "hung"), ("曾", "tseng"),
    ("邱", "chiu"), ("廖", "liao"), ("賴", "lai"), ("周", "chou"), ("徐", "hsu"), ("蘇", "su"), ("葉", "yeh"), ("莊", "chuang"),
    ("呂", "lu"), ("江", "chiang"), ("何", "ho"), ("蕭", "hsiao"), ("羅", "lo"), ("高", "kao"), ("簡", "chien"), ("朱", "chu"),
    ("鍾", "chung"), ("施", "shih"), ("游", "yu"), ("詹", "chan"), ("沈", "shen"), ("彭", "peng"), ("胡", "hu"), ("余", "yu"),
    ("盧", "lu"), ("潘", "pan"), ("顏", "yen"), ("梁", "liang"), ("趙", "chao"), ("柯", "ko"), ("翁", "weng"), ("魏", "wei"),
)  # fmt: skip
TITLES_ZH = ("先生", "小姐", "女士", "太太")
NAMES_EN = (
    "Ms. Carter",
    "Mr. Novak",
    "Ms. Dubois",
    "Mr. Okafor",
    "Ms. Lindqvist",
    "Mr. Haddad",
    "Ms. Moreau",
)


@dataclass(frozen=True)
class Topic:
    """One kind of letter: its case type, how often it comes, its words and its replies."""

    key: str
    type_code: str
    weight: int
    subjects: tuple[str, ...]
    descriptions: tuple[str, ...]
    replies: tuple[str, ...]
    english: tuple[str, str, str]  # subject, description, reply
    needs_address: bool = True


TOPICS: tuple[Topic, ...] = (
    Topic(
        "low-pressure", "complaint", 14,
        ("住家水壓不足", "{road}一帶水壓偏低", "高樓層出水很小"),
        ("我住在{place}的{floor}樓，最近{days}天每到早上七點到九點水壓就變得很小，熱水器常常點不著火，"
         "洗澡很不方便。請問是附近管線有問題嗎？麻煩派人來看看。",
         "{place}這幾週晚上用水高峰時，水龍頭只剩細細的水流，頂樓水塔也補不滿。以前不會這樣，"
         "想請貴處查明原因並改善。"),
        ("您好，本處已派員至{road}附近量測水壓，管網壓力在供水標準範圍內，但尖峰時段用水量大，"
         "高樓層水壓會偏低。建議檢查屋內加壓馬達與水塔浮球閥；如仍有問題，歡迎撥打 1910 與承辦同仁聯繫。",
         "您好，經查{road}配水管的控制閥門開度不足，已於現場調整，水壓已恢復正常，造成不便敬請見諒。"),
        ("Low water pressure at home",
         "For the past {days} days the water pressure in our flat on {place} drops badly every morning "
         "between 7 and 9, and the water heater will not light. Could you please check the mains nearby?",
         "Thank you for your message. Our staff measured the pressure near your address: the mains are "
         "within the supply standard, but demand at peak hours lowers it on upper floors. Please have the "
         "booster pump and the tank's float valve checked, and call 1910 if the problem continues."),
    ),
    Topic(
        "street-leak", "complaint", 12,
        ("{road}路面冒水", "人行道持續漏水", "馬路邊一直有水流出來"),
        ("{place}靠近路口的人行道地磚縫一直冒出清水，已經持續{days}天，旁邊路面都濕了，晚上騎車經過很危險，"
         "請盡快派人搶修。",
         "每天早上經過{place}都看到水表箱旁邊在漏水，水沿著水溝一直流，很浪費水，請派員處理。"),
        ("您好，本處已派員查修，確認為給水支管接頭破損，已於當日完成搶修並恢復路面，感謝您的通報。",
         "您好，經查漏水點位於{road}人行道下方之配水管，已完成修漏；路面將於一週內由承商完成復原。"),
        ("Water leaking from the pavement",
         "Clean water has been coming up between the paving stones near the junction on {place} for "
         "{days} days. The road is wet and it is dangerous for scooters at night. Please repair it.",
         "Thank you for letting us know. Our crew found a broken joint on the service pipe and repaired "
         "it the same day; the pavement has been restored."),
    ),
    Topic(
        "outage-notice", "complaint", 7,
        ("停水沒有事先通知", "{road}無預警停水"),
        ("昨天下午{place}突然停水約{hours}小時，事前沒有看到任何公告，也沒有收到簡訊，家裡有老人和小孩，"
         "很不方便。請說明停水原因，以後能否提前通知？",),
        ("您好，當日停水係因配水管線突發破管，需緊急關閥搶修，未及事前公告，造成您的不便深感抱歉。"
         "本處已加強搶修時的簡訊與網站即時公告，您也可至本處網站訂閱停水通知。",),
        ("No notice before the water was cut",
         "Yesterday afternoon the water on {place} was off for about {hours} hours without any notice or "
         "text message. We have elderly people and children at home. Why was it cut, and can you warn us "
         "in future?",
         "We are sorry for the trouble. A main burst and had to be shut off at once for repair, so there "
         "was no time for a notice. You can subscribe to outage notices on our website."),
    ),
    Topic(
        "bill-high", "complaint", 12,
        ("本期水費突然變高", "水費比平常多很多", "帳單金額有疑義"),
        ("我家只有兩個人住，平常兩個月水費大約{amount}元，這期帳單卻是平常的三倍多，家裡沒有發現漏水，"
         "懷疑是抄表有誤，請幫忙查明。",
         "這期水費{amount}元，用水度數比去年同期多了一倍，家裡用水習慣沒有改變，請派人確認水表讀數。"),
        ("您好，本處已派員複查水表，讀數與帳單相符；檢查時發現屋內馬桶水箱止水閥關閉不良，有持續滲漏情形。"
         "建議請水電業者修復後，檢附修復證明申請漏水水費減免。",
         "您好，經複查本期抄表讀數誤植，已更正帳單並寄送新繳費單，溢收金額將於下期扣抵，造成困擾敬請見諒。"),
        ("A much higher water bill",
         "Only two of us live here and the bill is usually about NT${amount} for two months, but this one "
         "is three times that. We have found no leak. Could the meter reading be wrong?",
         "We checked the meter and the reading matches the bill. A toilet cistern valve in your home was "
         "leaking; once it is repaired you may apply for a leak fee reduction with proof of the repair."),
    ),
    Topic(
        "estimated-reading", "complaint", 5,
        ("水表沒有抄就估算", "連續兩期估計用水量"),
        ("我的帳單上寫著「估計」，連續兩期都沒有人來抄表，水表就在一樓門口，並沒有被擋住。請問為什麼沒有抄表？"
         "估算的水量比實際多。",),
        ("您好，經查兩期均因抄表員按鈴未獲回應且表箱上鎖而以估計方式計費，本處已安排下期實際抄表並多退少補。"
         "如表箱需上鎖，可申請於表箱加裝觀察窗。",),
        ("My meter was not read, the bill was estimated",
         "My bill says 'estimated' for the second time running, yet the meter is by the front door and "
         "easy to reach. Why was it not read? The estimate is higher than what we use.",
         "The reader could not open the locked meter box on both visits. The next reading will be an "
         "actual one and any difference will be settled on that bill."),
    ),
    Topic(
        "roadworks", "complaint", 5,
        ("管線施工後路面未復原", "施工路段坑洞未修補"),
        ("上個月貴處在{place}換裝管線，施工完後路面只用柏油簡單補平，現在已經凹陷，下雨就積水，"
         "機車經過容易滑倒，請盡快改善。",),
        ("您好，本處已通知承商於三日內完成路面刨鋪復原，並於完工後派員驗收，感謝您的反映。",),
        ("The road was not restored after pipe works",
         "Last month you replaced pipes on {place}. The trench was only patched and has now sunk; water "
         "collects there when it rains and scooters skid. Please have it repaired.",
         "The contractor has been told to resurface the trench within three days, and our staff will "
         "inspect it when the work is done."),
    ),
    Topic(
        "service-attitude", "complaint", 3,
        ("電話客服態度不佳", "臨櫃服務等候過久"),
        ("上週打電話詢問帳單問題，接聽人員口氣不耐煩，沒有把問題說清楚就掛電話，希望貴處加強服務態度的訓練。",
         "日前到服務所辦理業務，現場只開一個櫃台，等了將近一個小時，希望尖峰時段能多開櫃台。"),
        ("您好，對於您不愉快的經驗深感抱歉。本處已了解當日情形並與相關同仁檢討，將加強服務禮儀訓練與尖峰時段人力調度。",),
        ("Rude answer on the phone",
         "Last week I called about my bill; the person was impatient and hung up before answering. "
         "Please train your staff better.",
         "We are sorry for your experience. We have looked into the call with the staff concerned and "
         "will improve our training."),
        needs_address=False,
    ),
    Topic(
        "sms-notice", "suggestion", 4,
        ("建議停水以簡訊通知", "停水公告請改用手機推播"),
        ("每次停水都只在社區公布欄貼公告，上班族常常沒看到。建議讓用戶登記手機號碼，停水前以簡訊通知，"
         "也可以在 LINE 上發布。",),
        ("感謝您的建議。本處已提供停水簡訊通知服務，您可至服務所或網站登記手機號碼；LINE 官方帳號推播亦規劃於明年上線。",),
        ("Please announce outages by text message",
         "Outage notices are only posted on the building's notice board and people at work miss them. "
         "Please let customers register a phone number for a text message before each outage.",
         "Thank you for the suggestion. You can already register for outage text messages at any office "
         "or on our website."),
        needs_address=False,
    ),
    Topic(
        "payment", "suggestion", 3,
        ("建議增加繳費方式",),
        ("希望水費可以用更多行動支付繳納，並開放信用卡定期扣繳，長輩也比較不會忘記繳費。",),
        ("感謝您的建議。目前水費已可透過信用卡代繳、超商及多種行動支付繳納，申請方式公布於本處網站「繳費管道」；"
         "您的意見將提供總公司作為增加支付方式的參考。",),
        ("More ways to pay the bill",
         "Could you accept more mobile payment apps and a standing credit-card order, so that older "
         "customers do not forget to pay?",
         "Thank you. Bills can already be paid by standing credit-card order, at convenience stores and "
         "with several mobile payment apps; see 'Ways to pay' on our website."),
        needs_address=False,
    ),
    Topic(
        "pipe-renewal", "suggestion", 2,
        ("建議公布老舊管線汰換進度",),
        ("{place}近年常常破管，想知道附近老舊管線什麼時候會汰換，建議在網站公布各區汰換計畫與進度。",),
        ("感謝您的建議。{road}一帶老舊管線汰換已列入明年度計畫，工程將於施工前公告於本處網站停水訊息專區。",),
        ("Publish the plan for renewing old mains",
         "The mains on {place} burst often. Please publish when old pipes in each area will be replaced.",
         "Thank you. Renewal of the mains in your area is planned for next year and will be announced on "
         "our website before work starts."),
    ),
    Topic(
        "bill-calculation", "inquiry", 6,
        ("水費計算方式", "請問帳單上的費用項目"),
        ("請問兩個月用水{units}度，水費是怎麼算出來的？帳單上的基本費、用水費和代徵費用分別是什麼？",),
        ("您好，水費依水表口徑收取基本費，用水費依用水度數分段累進計算，另依規定代徵污水下水道使用費等費用。"
         "詳細費率請參考本處網站「水價計算」，您也可以提供水號，由承辦同仁協助試算。",),
        ("How is my water bill calculated?",
         "We used {units} cubic metres in two months. How is the bill worked out, and what are the basic "
         "charge, the usage charge and the other fees on it?",
         "The basic charge depends on the meter size; usage is charged in rising bands, plus fees we "
         "collect for others such as the sewerage charge. The rates are on our website."),
        needs_address=False,
    ),
    Topic(
        "outage-time", "inquiry", 5,
        ("停水時間詢問", "{road}停水範圍"),
        ("看到公告說這週{place}一帶要停水，請問確切的停水時間是幾點到幾點？會影響到哪些門牌？",),
        ("您好，本次停水為配合管線汰換工程，預定當日上午9時至下午5時，影響範圍已公布於本處網站停水訊息，"
         "建議事先儲水備用。",),
        ("When will the water be off?",
         "A notice says the water on {place} will be cut this week. At what time exactly, and which "
         "addresses are affected?",
         "The water will be off from 9 a.m. to 5 p.m. for pipe renewal; the affected addresses are listed "
         "under outage notices on our website. Please store some water beforehand."),
    ),
    Topic(
        "how-to-transfer", "inquiry", 4,
        ("如何辦理用戶過戶", "買房後水費帳戶怎麼改名"),
        ("剛買了中古屋，請問水費帳戶要怎麼過戶？需要帶哪些文件？可以線上辦理嗎？",),
        ("您好，過戶可臨櫃或線上申辦，需檢附新所有權人身分證明及建物所有權狀或買賣契約影本。"
         "線上申辦請至本網站「民意信箱與線上申辦」選擇「用戶過戶」。",),
        ("How do I put the account in my name?",
         "I have just bought a flat. How do I transfer the water account, what documents do I need, and "
         "can I do it online?",
         "You can apply at any office or online, with proof of identity and a copy of the title deed or "
         "sales contract; online, choose 'Transfer of the account' under the opinion mailbox."),
        needs_address=False,
    ),
    Topic(
        "drinking", "inquiry", 3,
        ("自來水可以生飲嗎",),
        ("請問家裡的自來水可以直接生飲嗎？需不需要另外裝濾水器？",),
        ("您好，本處出水符合飲用水水質標準，惟建築物水塔及屋內管線的清潔會影響水質，建議煮沸後飲用，"
         "並定期清洗水塔。",),
        ("Can I drink the tap water?",
         "Can the tap water at home be drunk as it is, or do I need a filter?",
         "Our water meets the drinking water standard when it leaves the mains, but tanks and pipes in "
         "buildings affect it: please boil it and have the tank cleaned regularly."),
        needs_address=False,
    ),
    Topic(
        "thanks-crew", "commendation", 3,
        ("感謝搶修人員", "表揚夜間搶修同仁"),
        ("前天晚上{place}水管破裂，搶修人員冒雨連夜施工，隔天一早就恢復供水，非常辛苦，特此表揚。",),
        ("感謝您的肯定與鼓勵，已將您的表揚轉知搶修同仁及其主管，我們會繼續努力。",),
        ("Thanks to the repair crew",
         "When the main on {place} burst the other night, your crew worked through the rain and the water "
         "was back by morning. Thank you.",
         "Thank you for your kind words; we have passed them on to the crew and their supervisor."),
    ),
    Topic(
        "thanks-counter", "commendation", 2,
        ("櫃台同仁服務親切",),
        ("日前到服務所辦理過戶，櫃台同仁很有耐心地說明要準備的文件，還主動幫忙填寫表格，服務很好，值得嘉許。",),
        ("感謝您的肯定，已將您的表揚轉知同仁及其主管。",),
        ("Friendly help at the counter",
         "The staff at the counter explained patiently what I needed for the transfer and helped me fill "
         "in the form. Excellent service.",
         "Thank you; we have passed your praise on to our colleague and their supervisor."),
        needs_address=False,
    ),
    Topic(
        "new-connection", "new-connection", 4,
        ("新建房屋申請接水", "申請新設用水裝表"),
        ("本人在{place}新建透天住宅一棟，建照已核發，申請新設用水裝表，請安排會勘時間。",),
        ("您好，本處已完成會勘並核算裝表工程費用，繳費通知單已寄出，繳費後約十個工作天內完成裝表接水。",),
        ("New water connection",
         "I have built a house on {place} and the building permit has been issued. I apply for a new "
         "connection and meter; please arrange a site survey.",
         "The site has been surveyed and the connection fee calculated; the payment notice is in the "
         "post, and the meter will be fitted within about ten working days of payment."),
    ),
    Topic(
        "ownership", "transfer-of-ownership", 5,
        ("申請用戶過戶",),
        ("房屋已於上月完成買賣過戶，申請將水號用戶名稱變更為新屋主，相關文件已備齊。",),
        ("您好，過戶已辦理完成，下期帳單起將以新用戶名稱寄送。",),
        ("Transfer of the account",
         "The house changed hands last month. I apply to have the water account put in the new owner's name.",
         "The account has been transferred; the next bill will be in the new name."),
    ),
    Topic(
        "leak-reduction", "leak-fee-reduction", 5,
        ("申請漏水水費減免",),
        ("屋內埋在牆壁裡的熱水管破裂，已請水電行修復，本期水費{amount}元明顯偏高，申請漏水減免。",),
        ("您好，經審核符合減免規定，本期超出平均用水量部分已依規定減收，更正後的帳單將另行寄送。",),
        ("Leak fee reduction",
         "A hot-water pipe inside the wall burst and has been repaired. This bill of NT${amount} is far "
         "higher than usual; I apply for the leak reduction.",
         "Your application meets the rules: the water above your usual use has been charged at the reduced "
         "rate, and a corrected bill is on its way."),
    ),
    Topic(
        "meter-check", "meter-check", 4,
        ("申請水表檢驗", "懷疑水表不準"),
        ("家裡最近兩期用水度數突然增加一倍，檢查後沒有漏水，懷疑水表不準，申請拆表檢驗。",),
        ("您好，水表已拆回送驗，檢驗結果誤差在法定公差範圍內，屬合格水表，依規定需負擔檢驗費，將併入下期水費收取。",
         "您好，水表檢驗結果為不合格（計量偏快），已更換新表，並將退還溢收的水費。"),
        ("Meter accuracy check",
         "Our last two bills show twice the usual use, and we have found no leak. I think the meter is "
         "wrong and ask for it to be tested.",
         "The meter was tested and is within the legal tolerance; as the rules say, the test fee will be "
         "added to your next bill."),
    ),
    Topic(
        "yellow-water", "water-quality", 6,
        ("水龍頭流出黃水", "自來水混濁"),
        ("今天早上打開水龍頭流出的水是黃褐色的，放了幾分鐘才慢慢變清，請問水質是否安全？可以派人來檢驗嗎？",),
        ("您好，本處已派員至現場採樣檢驗，濁度與餘氯均符合飲用水水質標準。黃水係附近管線施工後管內沉積物擾動所致，"
         "已於該區排放清洗，如再發生請先放流數分鐘。",),
        ("Brown water from the tap",
         "This morning the water from our taps was brown and only cleared after a few minutes. Is it safe? "
         "Can someone test it?",
         "We took samples at your address: turbidity and chlorine meet the drinking water standard. Works "
         "nearby stirred up sediment in the pipes, which we have flushed."),
    ),
    Topic(
        "chlorine", "water-quality", 3,
        ("自來水有消毒水味",),
        ("最近自來水的漂白水味道很重，家人喝了覺得不舒服，想請貴處檢驗水質。",),
        ("您好，採樣結果自由有效餘氯為每公升0.6毫克，符合標準（0.2至1.0毫克）。氯味可將水煮沸後開蓋續煮數分鐘去除，"
         "本處亦將持續監測。",),
        ("The water smells of chlorine",
         "The tap water has had a strong bleach smell lately. Please test it.",
         "Free chlorine at your tap was 0.6 mg/L, within the standard of 0.2 to 1.0 mg/L. Boiling the "
         "water for a few minutes with the lid off removes the smell."),
    ),
    Topic(
        "suspension", "suspension", 3,
        ("房屋空置申請停水",),
        ("房屋目前無人居住，預計空置一年，申請暫停用水，避免繼續收取基本費。",),
        ("您好，已自申請日起停止供水並拆除水表，停水期間不收取基本費；日後如需復水，請再提出申請。",),
        ("Suspending supply",
         "The house will stand empty for a year. I apply to have the supply suspended.",
         "The supply has been suspended and the meter removed; no basic charge is due meanwhile."),
    ),
    Topic(
        "resumption", "resumption", 3,
        ("申請恢復供水",),
        ("之前因房屋整修申請停水，目前已完工入住，申請恢復供水。",),
        ("您好，已派員完成裝表復水，請確認屋內用水正常。",),
        ("Resuming supply",
         "The supply was suspended while the house was renovated. We have moved back in; please turn it on.",
         "The meter has been fitted again and the water is back on."),
    ),
)  # fmt: skip

# What staff ask for when a case waits for the citizen (a public message), by language.
ASKS = {
    "zh": (
        "請提供水號及最近一期帳單影本，以便查詢。",
        "請補附修復證明及修復前後照片，以便審核。",
        "請告知方便會勘的時間，並留下可聯絡的電話。",
        "請補附建物所有權狀或使用執照影本。",
    ),
    "en": ("Please send us your account number and a copy of your latest bill.",),
}
# Why more time is needed (shown to the citizen), by language.
EXTENSION_REASONS = {
    "zh": (
        "需會同道路主管機關現場會勘，需較長處理時間。",
        "水樣需送外部實驗室檢驗，結果約需兩週。",
        "需調閱過去一年用水紀錄並複查水表。",
        "需協調承商施工排程。",
        "涉及跨單位管線權責，需會商後答覆。",
    ),
    "en": ("The samples are tested by an outside laboratory, which takes about two weeks.",),
}
# The answer after a case was reopened, by language.
SECOND_REPLIES = {
    "zh": (
        "您好，針對您再次反映的情形，本處已再度派員到場確認並完成改善，如仍有問題請隨時與我們聯繫。",
        "您好，依您補充的資料重新查核後，已更正處理結果，詳如上述說明，造成困擾敬請見諒。",
    ),
    "en": ("Following your further message we checked again on site and have put the matter right.",),
}

# Petitions closed without an answer (行政程序法 §173): (reason, subject, description, internal note).
NO_REPLY = (
    ("anonymous", "你們都在混", "每天都停水，水又髒，你們公司根本都在混，自己看著辦。",
     "未具真實姓名與聯絡方式，亦無具體事實與地點，依第173條第1款不予處理。"),
    ("repeated", "再次反映水費問題", "上次的回覆我不接受，水費就是太高，請重新處理。",
     "同一事由已於前案查明並明確答覆，依第173條第2款不再答覆。"),
    ("not_ours", "家門口水溝堵塞", "家門口的排水溝堵塞發臭，下雨就淹水，請派人清理。",
     "陳情人以同一事由同時向市政府陳情，側溝清疏屬市政府權責，依第173條第3款不予答覆。"),
)  # fmt: skip

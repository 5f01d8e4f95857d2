"""Demo content: the branch's offices, staff of each role and the basic pages.

`load_demo()` is idempotent: it adds what is missing and leaves what exists alone,
so running it again after staff edited the demo keeps their edits. Domain packages
add their own demo content with `add_demo_loader()`.

The contact details are the demo's; an administrator confirms or replaces them under
「機關資料」 and 「服務單位」 before the site goes live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import select

from portal import audit
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.auth.services import StaffDetails, create_staff
from portal.db import db
from portal.offices.models import Agency, Office
from portal.pages.models import Page

DemoLoader = Callable[[], Iterable[str]]
_LOADERS_KEY = "portal.demo_loaders"

AGENCY = {
    "name_zh": "台灣自來水公司第一區管理處",
    "name_en": "Taiwan Water Corporation, 1st Branch",
    "parent_zh": "經濟部 台灣自來水公司",
    "parent_en": "Taiwan Water Corporation, Ministry of Economic Affairs",
    "address_zh": "基隆市中正區中正路106號",
    "address_en": "No. 106, Zhongzheng Rd., Zhongzheng Dist., Keelung City",
    "phone": "(02) 2458-2233",
    "fax": "",
    "hotline": "1910",
    "email": "",
    "hours_zh": "週一至週五 8:30–17:30（國定假日除外）；1910 客服專線 24 小時服務",
    "hours_en": "Monday to Friday 8:30–17:30 (except national holidays); hotline 1910 around the clock",
}

OFFICES = (
    {
        "code": "KL",
        "name_zh": "基隆服務所",
        "name_en": "Keelung Service Office",
        "address_zh": "基隆市中正區中正路106號",
        "address_en": "No. 106, Zhongzheng Rd., Zhongzheng Dist., Keelung City",
        "phone": "(02) 2425-2103",
        "hours_zh": "週一至週五 8:30–17:30",
        "hours_en": "Monday to Friday 8:30–17:30",
        "service_area_zh": "基隆市中正區、信義區、仁愛區、中山區、安樂區、暖暖區、七堵區",
        "service_area_en": "Keelung City: Zhongzheng, Xinyi, Ren'ai, Zhongshan, Anle, Nuannuan and Qidu",
        "sort_order": 10,
    },
    {
        "code": "XZ",
        "name_zh": "汐止營運所",
        "name_en": "Xizhi Operations Office",
        "address_zh": "新北市汐止區長興街一段100號",
        "address_en": "No. 100, Sec. 1, Changxing St., Xizhi Dist., New Taipei City",
        "phone": "(02) 8647-8218",
        "hours_zh": "週一至週五 8:30–17:30",
        "hours_en": "Monday to Friday 8:30–17:30",
        "service_area_zh": "新北市汐止區",
        "service_area_en": "New Taipei City: Xizhi",
        "sort_order": 20,
    },
    {
        "code": "GS",
        "name_zh": "貢雙營運所",
        "name_en": "Gongliao–Shuangxi Operations Office",
        "address_zh": "新北市貢寮區下雙溪街20號",
        "address_en": "No. 20, Xiashuangxi St., Gongliao Dist., New Taipei City",
        "phone": "",
        "hours_zh": "週一至週五 8:30–17:30",
        "hours_en": "Monday to Friday 8:30–17:30",
        "service_area_zh": "新北市貢寮區、雙溪區、瑞芳區",
        "service_area_en": "New Taipei City: Gongliao, Shuangxi and Ruifang",
        "sort_order": 30,
    },
    {
        "code": "XS",
        "name_zh": "新山給水廠",
        "name_en": "Xinshan Water Treatment Plant",
        "address_zh": "基隆市安樂區",
        "address_en": "Anle Dist., Keelung City",
        "phone": "(02) 2431-9680",
        "hours_zh": "24 小時供水調度",
        "hours_en": "Water supply control around the clock",
        "service_area_zh": "基隆市及新北市汐止區供水",
        "service_area_en": "Water supply for Keelung City and Xizhi, New Taipei City",
        "sort_order": 40,
    },
)

# Demo passwords only: `make run` prints them. Never load the demo on a live site.
DEMO_STAFF = (
    ("admin", "示範管理員", (Role.ADMINISTRATOR,), None, "harbour-rain-lighthouse-7"),
    ("publisher", "示範發布者", (Role.PUBLISHER,), None, "open-data-river-stone-4"),
    ("officer.kl", "示範承辦人（基隆）", (Role.CASE_OFFICER,), "KL", "keelung-counter-tide-2"),
    ("officer.xz", "示範承辦人（汐止）", (Role.CASE_OFFICER,), "XZ", "xizhi-counter-bridge-5"),
    ("supervisor.kl", "示範主管（基隆）", (Role.SUPERVISOR,), "KL", "keelung-office-head-3"),
    ("analyst", "示範分析人員", (Role.ANALYST,), None, "figures-and-surveys-9"),
)


@dataclass(frozen=True)
class DemoPage:
    """A content page of the demo."""

    slug: str
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    body_zh: str
    body_en: str
    in_footer: bool
    sort_order: int
    theme_code: str = "600"  # 公共資訊
    cake_code: str = "E30"  # 水利
    service_code: str = "I00"  # 公共資訊


PAGES = (
    DemoPage(
        "about",
        "關於本處",
        "About the Branch",
        "第一區管理處負責基隆市與新北市東北角的自來水供應與用戶服務。",
        "The 1st Branch supplies water to Keelung City and the north-east of New Taipei City.",
        "第一區管理處隸屬台灣自來水公司，負責基隆市全區，以及新北市汐止、瑞芳、貢寮、雙溪等地區的"
        "自來水供應、水質管理與用戶服務。\n\n"
        "## 服務項目\n\n"
        "- 用水申請：新裝、過戶、復水、停用\n"
        "- 水費查詢與繳費管道\n"
        "- 漏水報修與停水通知\n"
        "- 水質檢驗結果公開\n\n"
        "## 聯絡方式\n\n"
        "各服務所地址、電話與服務時間請見「服務據點」。用水問題可撥打 24 小時客服專線 1910。",
        "The 1st Branch of Taiwan Water Corporation supplies water to the whole of Keelung City "
        "and to Xizhi, Ruifang, Gongliao and Shuangxi in New Taipei City, manages its quality "
        "and serves its customers.\n\n"
        "## Services\n\n"
        "- Applications: new connections, change of owner, reconnection, disconnection\n"
        "- Water bills and ways to pay\n"
        "- Leak reports and outage notices\n"
        "- Published water-quality results\n\n"
        "## Contact\n\n"
        "The address, phone number and opening hours of each office are under “Service "
        "offices”. Call the 24-hour hotline 1910 about anything to do with your water.",
        in_footer=False,
        sort_order=10,
    ),
    DemoPage(
        "privacy",
        "隱私權保護政策",
        "Privacy Policy",
        "本網站如何蒐集、使用與保護您的個人資料。",
        "How this site collects, uses and protects your personal data.",
        "本網站依《個人資料保護法》蒐集、處理及利用個人資料，並只蒐集提供服務所必需的資料。\n\n"
        "## 蒐集的資料\n\n"
        "- 瀏覽網站時：伺服器紀錄您的 IP 位址、瀏覽時間與頁面，用於系統安全與流量統計，不用於辨識個人。\n"
        "- 使用線上服務時：您填寫的姓名與聯絡方式僅用於回覆與處理您的案件。\n\n"
        "## 保護方式\n\n"
        "- 聯絡資料以加密方式儲存，只有承辦同仁可以查看，每次查看均有紀錄。\n"
        "- 開放資料發布前一律去識別化，不會公開任何可辨識個人的資料。\n"
        "- 依保存期限屆滿後刪除。\n\n"
        "## 您的權利\n\n"
        "您可以向本處查詢、閱覽、請求補充、更正、停止利用或刪除您的個人資料。",
        "This site collects, processes and uses personal data under the Personal Data "
        "Protection Act, and collects only what a service needs.\n\n"
        "## What is collected\n\n"
        "- When you browse: the server records your IP address, the time and the page, for "
        "security and traffic statistics, never to identify you.\n"
        "- When you use an online service: the name and contact details you give are used only "
        "to answer and handle your case.\n\n"
        "## How it is protected\n\n"
        "- Contact details are stored encrypted; only the staff handling your case can see "
        "them, and every look is logged.\n"
        "- Open data are de-identified before publication; nothing that identifies a person "
        "is published.\n"
        "- Data are deleted when their retention period ends.\n\n"
        "## Your rights\n\n"
        "You may ask us to show, copy, complete, correct, stop using or delete your personal data.",
        in_footer=True,
        sort_order=20,
    ),
    DemoPage(
        "security",
        "資訊安全政策",
        "Information Security Policy",
        "本網站的資訊安全措施。",
        "How this site is kept secure.",
        "本處依《資通安全管理法》維護本網站及其資料的安全。\n\n"
        "- 網站全程使用加密連線。\n"
        "- 同仁帳號使用強密碼，多次登入失敗即暫時鎖定，所有資料異動均留有稽核紀錄。\n"
        "- 定期備份資料並演練還原。\n"
        "- 發現安全問題，請來信或撥打總機通知本處。",
        "We keep this site and its data secure under the Cyber Security Management Act.\n\n"
        "- The site is served over encrypted connections only.\n"
        "- Staff accounts use strong passwords and are locked after repeated failed logins; "
        "every change to data is recorded in an audit log.\n"
        "- Data are backed up regularly, and restoring them is rehearsed.\n"
        "- If you find a security problem, please tell us by e-mail or phone.",
        in_footer=True,
        sort_order=30,
    ),
    DemoPage(
        "accessibility",
        "無障礙聲明",
        "Accessibility Statement",
        "本網站依網站無障礙規範（WCAG 2.1 AA）設計。",
        "This site is built to the accessibility guidelines (WCAG 2.1 AA).",
        "本網站依數位發展部《網站無障礙規範》設計，目標為 WCAG 2.1 AA 等級。\n\n"
        "- 每頁提供「跳到主要內容」連結與導盲磚（:::）快速鍵，說明見「網站導覽」。\n"
        "- 所有功能都能只用鍵盤操作，也能在關閉 JavaScript 時使用。\n"
        "- 提供中文與英文版本。\n\n"
        "如果您在使用時遇到困難，請告訴我們，我們會盡快改善。",
        "This site follows the Web Accessibility Guidelines of the Ministry of Digital Affairs, "
        "aiming at WCAG 2.1 level AA.\n\n"
        "- Every page has a “skip to main content” link and the ::: access keys, explained in "
        "the site map.\n"
        "- Everything works with the keyboard alone, and without JavaScript.\n"
        "- The site is offered in Chinese and in English.\n\n"
        "If anything is hard to use, please tell us and we will fix it.",
        in_footer=True,
        sort_order=40,
    ),
)


def add_demo_loader(app: Flask, loader: DemoLoader) -> None:
    """Run `loader` after the portal's demo content; it yields lines to print."""
    app.extensions.setdefault(_LOADERS_KEY, []).append(loader)


def _load_agency() -> None:
    if db.session.scalar(select(Agency.id).limit(1)) is None:
        db.session.add(Agency(**AGENCY))


def _load_offices() -> None:
    existing = set(db.session.scalars(select(Office.code)))
    for values in OFFICES:
        if values["code"] not in existing:
            db.session.add(Office(**values))
    db.session.flush()


def _load_pages() -> None:
    existing = set(db.session.scalars(select(Page.slug)))
    for page in PAGES:
        if page.slug not in existing:
            db.session.add(Page(**page.__dict__))


def _load_staff() -> list[str]:
    offices = {office.code: office.id for office in db.session.scalars(select(Office))}
    lines = []
    for username, name, roles, office_code, password in DEMO_STAFF:
        exists = db.session.scalar(select(Staff.id).where(Staff.username == username))
        if exists is None:
            details = StaffDetails(
                username=username,
                display_name=name,
                email=None,
                office_id=offices.get(office_code) if office_code else None,
                roles=frozenset(roles),
            )
            create_staff(details, password, must_change_password=False)
        role_names = ", ".join(role.value for role in roles)
        lines.append(f"  {username:<12} {password:<28} {role_names}")
    return lines


def load_demo() -> list[str]:
    """Load the demo content and return the lines that describe the demo logins."""
    with audit.acting_as("demo"):
        _load_agency()
        _load_offices()
        _load_pages()
        logins = _load_staff()
        db.session.commit()
        lines = ["Demo staff logins (user name, password, roles):", *logins]
        for loader in current_app.extensions.get(_LOADERS_KEY, []):
            lines.extend(loader())
            db.session.commit()
    return lines

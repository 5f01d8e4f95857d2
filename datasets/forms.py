"""Forms staff use for datasets: catalogue entry, field definitions, and a new release's source."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from datasets.catalogue import FREQUENCIES, LICENCES, PROVISION_TYPES
from datasets.schema import FIELD_TYPES
from portal.forms import LineField, MultilineField, SubmittedForm, select_choices, text_problem
from portal.i18n import _, _l

SOURCE_EXTENSIONS = ["csv", "txt", "tsv", "xlsx", "ods"]


class DatasetForm(SubmittedForm):
    """A dataset's catalogue entry: every data.gov.tw field (a field left out reads as empty)."""

    slug = LineField(
        _l("網址代稱"),
        validators=[
            DataRequired(message=_l("請輸入網址代稱。")),
            Regexp(
                r"^[a-z0-9][a-z0-9-]{1,79}$",
                message=_l("網址代稱只能用小寫英文字母、數字與連字號，2 到 80 字。"),
            ),
        ],
        description=_l("資料集網址與檔名的一部分，例如 water-quality。發布後請勿更改。"),
    )
    title_zh = LineField(
        _l("資料集名稱（中文）"), validators=[DataRequired(message=_l("請輸入中文名稱。")), Length(max=200)]
    )
    title_en = LineField(
        _l("資料集名稱（英文）"), validators=[DataRequired(message=_l("請輸入英文名稱。")), Length(max=300)]
    )
    description_zh = MultilineField(
        _l("資料集描述（中文）"), validators=[DataRequired(message=_l("請輸入中文描述。")), Length(max=5000)]
    )
    description_en = MultilineField(_l("資料集描述（英文）"), validators=[Optional(), Length(max=8000)])
    keywords = LineField(
        _l("關鍵字"),
        validators=[Optional(), Length(max=500)],
        description=_l("以逗號或頓號分隔，例如：水質、餘氯、濁度。"),
    )
    theme_code = SelectField(_l("主題分類"), validators=[Optional()])
    cake_code = SelectField(_l("施政分類"), validators=[Optional()])
    service_code = SelectField(_l("服務分類"), validators=[Optional()])
    office_id = SelectField(_l("提供單位"), validators=[Optional()])
    contact_name = LineField(
        _l("聯絡人姓名"), validators=[DataRequired(message=_l("請輸入聯絡人姓名。")), Length(max=120)]
    )
    contact_phone = LineField(
        _l("聯絡人電話"),
        validators=[
            DataRequired(message=_l("請輸入聯絡人電話。")),
            Regexp(r"^[0-9()+#\- ]{3,40}$", message=_l("電話只能包含數字、空格、括號、加號、連字號與 #。")),
        ],
    )
    contact_email = LineField(
        _l("聯絡人電子郵件"),
        validators=[
            Optional(),
            Email(message=_l("電子郵件格式不正確。"), check_deliverability=False),
            Length(max=254),
        ],
    )
    provision_type = SelectField(
        _l("資料提供屬性"), choices=select_choices((value, value) for value in PROVISION_TYPES)
    )
    update_frequency = SelectField(
        _l("更新頻率"), choices=select_choices((frequency.key, frequency.label) for frequency in FREQUENCIES)
    )
    licence = SelectField(
        _l("授權方式"), choices=select_choices((licence.key, licence.name_zh) for licence in LICENCES)
    )
    cost = LineField(
        _l("計費方式"),
        default="免費",
        validators=[DataRequired(message=_l("請輸入計費方式。")), Length(max=100)],
    )
    temporal_start = DateField(_l("資料時間範圍起日"), validators=[Optional()], format="%Y-%m-%d")
    temporal_end = DateField(_l("資料時間範圍迄日"), validators=[Optional()], format="%Y-%m-%d")
    identifier = LineField(
        _l("資料集識別碼"),
        validators=[Optional(), Length(max=40)],
        description=_l("上架到政府資料開放平臺後取得的編號。"),
    )
    related_url = LineField(
        _l("相關網址"),
        validators=[
            Optional(),
            URL(message=_l("網址格式不正確，請以 http:// 或 https:// 開頭。")),
            Length(max=500),
        ],
    )
    notes = MultilineField(_l("備註"), validators=[Optional(), Length(max=2000)])
    quasi_identifiers = LineField(
        _l("準識別欄位"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "組合起來可能認出個人的欄位（如行政區、年齡層、性別），以逗號分隔。同樣組合少於 k 列的資料不公開。"
        ),
    )
    k_anonymity = IntegerField(
        _l("k 值"),
        default=5,
        validators=[Optional(), NumberRange(min=2, max=1000, message=_l("k 值須為 2 到 1000 的整數。"))],
    )
    published = BooleanField(_l("公開在資料目錄"), default=True)
    submit = SubmitField(_l("儲存"))

    def quasi_identifier_list(self) -> list[str]:
        """The quasi-identifier field names typed, split and cleaned."""
        return [
            name.strip()
            for name in re.split(r"[,，、;；\s]+", self.quasi_identifiers.data or "")
            if name.strip()
        ]

    def validate_temporal_end(self, field: DateField) -> None:
        if field.data and self.temporal_start.data and field.data < self.temporal_start.data:
            raise ValidationError(_("迄日不可早於起日。"))

    def keyword_list(self) -> list[str]:
        """The keywords typed, split and cleaned."""
        return [word.strip() for word in re.split(r"[,，、;；]", self.keywords.data or "") if word.strip()]


DEID_RULE_LABELS = {
    "keep": _l("保留原值"),
    "drop": _l("不公開這個欄位"),
    "mask": _l("遮蔽"),
    "generalise": _l("概化"),
    "pseudonymise": _l("假名化（固定代碼）"),
    "top_code": _l("上限歸併"),
    "bottom_code": _l("下限歸併"),
    "suppress_small": _l("小數值顯示為「<門檻」"),
    "redact": _l("刪除文字中的個人資料"),
}
MASK_KIND_LABELS = {
    "name": _l("姓名（王○明）"),
    "id": _l("證號（A12****789）"),
    "phone": _l("電話（0912-***-678）"),
    "email": _l("電子郵件（w***@example.com）"),
    "text": _l("其他文字"),
}
LEVEL_LABELS = {
    "district": _l("地址到鄉鎮市區"),
    "city": _l("地址到縣市"),
    "village": _l("地址到村里"),
    "month": _l("日期到月"),
    "year": _l("日期到年"),
    "roc_year": _l("日期到民國年"),
    "range": _l("數值到區間"),
}


class FieldForm(Form):
    """One field of the schema."""

    name = HiddenField()
    type = SelectField(_l("型別"), choices=select_choices(FIELD_TYPES.items()))
    title = LineField(
        _l("中文名稱"), validators=[DataRequired(message=_l("請輸入欄位中文名稱。")), Length(max=200)]
    )
    title_en = LineField(_l("英文名稱"), validators=[Optional(), Length(max=200)])
    description = LineField(_l("說明（中文）"), validators=[Optional(), Length(max=1000)])
    description_en = LineField(_l("說明（英文）"), validators=[Optional(), Length(max=1000)])
    unit = LineField(_l("單位"), validators=[Optional(), Length(max=40)])
    required = BooleanField(_l("必填"))
    index = BooleanField(_l("建立索引（可在資料 API 快速篩選）"))
    minimum = LineField(_l("最小值"), validators=[Optional(), Length(max=40)])
    maximum = LineField(_l("最大值"), validators=[Optional(), Length(max=40)])
    max_length = LineField(
        _l("最大長度"), validators=[Optional(), Regexp(r"^\d{1,6}$", message=_l("請輸入整數。"))]
    )
    pattern = LineField(_l("格式（正規表示式）"), validators=[Optional(), Length(max=200)])
    deid_rule = SelectField(_l("去識別化規則"), choices=select_choices(DEID_RULE_LABELS.items()))
    deid_kind = SelectField(_l("遮蔽方式"), choices=select_choices(MASK_KIND_LABELS.items()))
    deid_level = SelectField(_l("概化程度"), choices=select_choices(LEVEL_LABELS.items()))
    deid_value = LineField(
        _l("規則數值"),
        validators=[Optional(), Regexp(r"^\d+(\.\d+)?$", message=_l("請輸入數字。"))],
        description=_l("區間寬度、上下限，或小數值門檻（依規則而定）。"),
    )

    def validate_pattern(self, field: StringField) -> None:
        if field.data:
            try:
                re.compile(field.data)
            except re.error as error:
                raise ValidationError(_("格式不是有效的正規表示式：%(error)s", error=str(error))) from error


class SchemaForm(SubmittedForm):
    """Every field of a dataset's schema, and its primary key."""

    fields = FieldList(FormField(FieldForm))
    primary_key = SelectMultipleField(
        _l("主鍵欄位"),
        validators=[Optional()],
        description=_l("可唯一識別每一列的欄位；用來比對各版本間修改了哪些列。"),
    )
    submit = SubmitField(_l("儲存欄位定義"))


class UploadForm(SubmittedForm):
    """A source file for a new release."""

    source = FileField(
        _l("資料檔案"),
        validators=[
            FileRequired(message=_l("請選擇要上傳的檔案。")),
            FileAllowed(SOURCE_EXTENSIONS, message=_l("只接受 CSV、XLSX 或 ODS 檔。")),
        ],
        description=_l("CSV（UTF-8 或 Big5，任何分隔符號）、XLSX 或 ODS。第一列須為欄位名稱。"),
    )
    sheet = LineField(
        _l("工作表名稱"),
        validators=[Optional(), Length(max=100)],
        description=_l("試算表有多個工作表時填寫；留空則使用第一個。"),
    )
    drop_invalid = BooleanField(
        _l("刪除驗證失敗的列後發布"),
        description=_l("不勾選時，只要有任何一列驗證失敗就不會發布。刪除的列會記錄在版本說明中。"),
    )
    notes_zh = MultilineField(_l("版本說明（中文）"), validators=[Optional(), Length(max=2000)])
    notes_en = MultilineField(_l("版本說明（英文）"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("上傳並發布"))

    def validate_source(self, field: FileField) -> None:
        """The file's name is kept with the release: one line, as every one-line field."""
        problem = text_problem(getattr(field.data, "filename", None))
        if problem:
            raise ValidationError(problem)


def field_form_data(field: dict[str, Any]) -> dict[str, Any]:
    """A schema field as the values of a FieldForm."""
    constraints = field.get("constraints") or {}
    deid = field.get("deid") or {}
    return {
        "name": field["name"],
        "type": field["type"],
        "title": field.get("title") or field["name"],
        "title_en": field.get("title_en", ""),
        "description": field.get("description", ""),
        "description_en": field.get("description_en", ""),
        "unit": field.get("unit", ""),
        "required": bool(constraints.get("required")),
        "index": bool(field.get("index")),
        "minimum": "" if constraints.get("minimum") is None else str(constraints["minimum"]),
        "maximum": "" if constraints.get("maximum") is None else str(constraints["maximum"]),
        "max_length": "" if constraints.get("maxLength") is None else str(constraints["maxLength"]),
        "pattern": constraints.get("pattern", ""),
        "deid_rule": deid.get("rule", "keep"),
        "deid_kind": deid.get("kind", "text"),
        "deid_level": deid.get("level", "district"),
        "deid_value": next((str(deid[key]) for key in ("width", "limit", "threshold") if key in deid), ""),
    }

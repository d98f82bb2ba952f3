"""The columns of 従業員の一括登録 and how a file's titles find them.

A payroll system's export is read as it is: each title is compared without
width, case or spaces (``kit.japanese.plain_header``: 「メール アドレス」,
「ﾒｰﾙｱﾄﾞﾚｽ」, 「E-Mail」), under its usual synonyms (従業員番号, 社員コード →
社員番号; 所属, 部門 → 部署; カナ氏名, 氏名（カナ） → フリガナ …). The company's
own 列の対応 (``Tenant.employee_import_columns``, chosen on the preview) comes
first. A column that matches nothing (基本給, 住所, 備考 …) is not read: the
preview lists it under 「取り込まない列」.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kit.japanese import plain_header

LOGIN_ID, NAME, EMAIL, ADMIN, STATUS = "ログインID", "氏名", "メールアドレス", "会社管理者", "状態"
NUMBER, FURIGANA, DEPARTMENT, JOB_TITLE, HIRED_ON = "社員番号", "フリガナ", "部署", "役職", "入社日"
# The file's columns as the export writes them, in this order (keys of FIELDS).
COLUMNS = [LOGIN_ID, NUMBER, NAME, FURIGANA, EMAIL, DEPARTMENT, JOB_TITLE, HIRED_ON, ADMIN, STATUS]

# The user's field of each column (None: 会社管理者 and 状態 are not plain fields).
FIELDS = {LOGIN_ID: "login_id", NUMBER: "employee_number", NAME: "name", FURIGANA: "furigana",
          EMAIL: "email", DEPARTMENT: "department", JOB_TITLE: "job_title", HIRED_ON: "hired_on",
          ADMIN: None, STATUS: None}
LABELS = {LOGIN_ID: _("ログインID"), NUMBER: _("社員番号"), NAME: _("氏名"), FURIGANA: _("フリガナ"),
          EMAIL: _("メールアドレス"), DEPARTMENT: _("部署"), JOB_TITLE: _("役職"), HIRED_ON: _("入社日"),
          ADMIN: _("会社管理者"), STATUS: _("状態")}
MAX_LENGTH = {LOGIN_ID: 20, NUMBER: 20, NAME: 100, FURIGANA: 100, EMAIL: 254, DEPARTMENT: 100, JOB_TITLE: 100}

SYNONYMS = {
    LOGIN_ID: ["ログインID", "ログインＩＤ", "ログイン名", "ユーザーID", "ユーザID", "login id", "loginid", "login_id"],
    NUMBER: ["社員番号", "従業員番号", "社員No", "社員No.", "社員NO", "従業員No", "従業員No.", "社員コード",
             "従業員コード", "社員CD", "従業員CD", "個人コード", "個人番号（社内）", "社員ID", "従業員ID"],
    NAME: ["氏名", "名前", "氏名（漢字）", "名前（漢字）", "社員名", "従業員名", "従業員氏名", "社員氏名", "name"],
    FURIGANA: ["フリガナ", "ふりがな", "カナ氏名", "氏名カナ", "氏名（カナ）", "氏名（フリガナ）", "フリガナ氏名",
               "氏名フリガナ", "カナ", "名前（カナ）", "ヨミガナ", "よみがな", "カナ名"],
    EMAIL: ["メールアドレス", "メール", "E-mail", "Eメール", "Eメールアドレス", "E-mailアドレス", "email",
            "mail", "mail address", "メールアドレス（会社）", "会社メールアドレス"],
    DEPARTMENT: ["部署", "所属", "部門", "所属部署", "部署名", "所属名", "部門名", "所属部門"],
    JOB_TITLE: ["役職", "役職名", "職位"],
    HIRED_ON: ["入社日", "入社年月日", "入社日付", "入社年月日（西暦）"],
    ADMIN: ["会社管理者", "管理者"],
    STATUS: ["状態", "在籍区分", "在籍状況", "ステータス"],
}
# The upload page's table of columns: the title to write, and how.
COLUMNS_HELP = [
    (LOGIN_ID, _("必須。A または B で始まる半角英数字（全角でも読み込めます）。")),
    (NUMBER, _("会社の中で重ならない番号。空欄でもかまいません。「従業員番号」「社員コード」なども読みます。")),
    (NAME, _("書いたとおりに登録します。「名前」も読みます。")),
    (FURIGANA, _("ひらがな・半角カナでも全角カタカナで登録します。「カナ氏名」「氏名（カナ）」も読みます。")),
    (EMAIL, _("通知の送り先。空欄でもかまいません。")),
    (DEPARTMENT, _("「所属」「部門」も読みます。")),
    (JOB_TITLE, _("役職名。空欄でもかまいません。")),
    (HIRED_ON, _("2024/4/1、2024-04-01、令和6年4月1日 など。Excel の日付もそのまま読めます。")),
    (ADMIN, _("会社管理者にする人は「○」、それ以外は空欄。")),
    (STATUS, _("「在籍」または「退職」。空欄は在籍。退職にするとログインできなくなり、記録は残ります。")),
]
_BY_TITLE = {plain_header(title): column for column, titles in SYNONYMS.items() for title in titles}


@dataclass(frozen=True)
class FileColumn:
    """One column of the file: its title as written, and the column it is read as ("": not read)."""

    index: int
    title: str
    column: str
    chosen: bool = False  # by the company's 列の対応, not by the title

    @property
    def key(self) -> str:
        return plain_header(self.title)


def column_of(title: str, mapping: dict | None = None) -> tuple[str, bool]:
    """The column a title is read as ("" for none) and whether the company chose it."""
    key = plain_header(title)
    if mapping and key in mapping and (mapping[key] in COLUMNS or mapping[key] == ""):
        return mapping[key], True
    return _BY_TITLE.get(key, ""), False


def mapping_from_choices(titles: list[str], choices: list[str], before: dict | None = None) -> dict:
    """The company's 列の対応 after a choice on the preview: only what differs from the title's
    own reading is kept (and what was kept before for titles not in this file)."""
    mapping = {key: value for key, value in (before or {}).items() if isinstance(key, str)}
    for title, choice in zip(titles, choices):
        key = plain_header(title)[:100]
        if not key or (choice and choice not in COLUMNS):
            continue
        if _BY_TITLE.get(key, "") == choice:
            mapping.pop(key, None)
        else:
            mapping[key] = choice
    return dict(list(mapping.items())[-200:])

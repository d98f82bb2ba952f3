"""社員番号, フリガナ, 部署, 役職, 入社日 in the console: searched (kana in either
script and width), filtered, on the change form, one 社員番号 per person
within a company; the import preview's people and its 列の対応."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tests.helpers import add_device, make_user, session_full

USERS = "/admin/accounts/user/"
IMPORT = USERS + "import/"


@pytest.fixture
def console(client, admin_a):
    return session_full(client, admin_a)


def master(user, **fields):
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    return user


@pytest.fixture
def staff(acme, other_tenant):
    master(make_user("B1000301", acme, name="山田 太郎"), employee_number="0301", furigana="やまだ たろう",
           department="営業部", job_title="課長")
    master(make_user("B1000302", acme, name="木村 花子"), employee_number="0302", furigana="ｷﾑﾗ ﾊﾅｺ",
           department="総務部")
    master(make_user("B2000301", other_tenant, name="山田 別人"), employee_number="0301", furigana="ヤマダ ベツジン",
           department="海外事業部")


def listed(console, query: str) -> set[str]:
    page = console.get(USERS + "?" + query).content.decode()
    return set(re.findall(r"[AB][0-9]{7}", page)) - {"A1000001"}


def test_furigana_is_kept_in_full_width_katakana(staff):
    assert User.objects.get(login_id="B1000301").furigana == "ヤマダ\u3000タロウ"
    assert User.objects.get(login_id="B1000302").furigana == "キムラ\u3000ハナコ"


@pytest.mark.parametrize("typed", ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "やまだたろう", "ヤマダ　タロウ"])
def test_kana_search_finds_the_employee_in_either_script_and_width(console, staff, typed):
    assert listed(console, f"q={typed}") == {"B1000301"}  # never the other company's ヤマダ


def test_search_by_employee_number_even_in_full_width_digits(console, staff):
    assert listed(console, "q=0302") == {"B1000302"}
    assert listed(console, "q=０３０２") == {"B1000302"}


def test_the_list_filters_by_department_and_job_title_of_the_own_company(console, staff):
    page = console.get(USERS).content.decode()
    assert "?department=%E5%96%B6%E6%A5%AD%E9%83%A8" in page and "総務部" in page
    assert "海外事業部" not in page  # another company's departments are not offered
    assert listed(console, "department=営業部") == {"B1000301"}
    assert listed(console, "job_title=課長") == {"B1000301"}


def test_the_change_form_shows_and_saves_the_master_fields(console, staff):
    user = User.objects.get(login_id="B1000302")
    page = console.get(f"{USERS}{user.pk}/change/").content.decode()
    assert "社員情報" in page and 'name="employee_number"' in page and 'value="キムラ　ハナコ"' in page
    response = console.post(f"{USERS}{user.pk}/change/", {
        "name": user.name, "email": user.email, "is_active": "on", "employee_number": "０３０９",
        "furigana": "きむら はなこ", "department": "人事部", "job_title": "", "hired_on": "2024-04-01"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.employee_number, user.department, user.hired_on) == ("0309", "人事部", datetime.date(2024, 4, 1))


def test_an_employee_number_is_refused_twice_in_a_company_but_not_across_companies(console, staff):
    user = User.objects.get(login_id="B1000302")
    response = console.post(f"{USERS}{user.pk}/change/", {
        "name": user.name, "email": user.email, "is_active": "on", "employee_number": "0301"})
    assert response.status_code == 200 and "この社員番号は既に使われています。" in response.content.decode()
    assert User.objects.filter(employee_number="0301").count() == 2  # B1000301 and the other company's


def test_the_preview_marks_a_company_admin_change_and_lists_new_people(console, staff):
    body = "社員番号,ログインID,氏名,部署,会社管理者\r\n0301,B1000301,山田 太郎,営業部,○\r\n0310,B1000310,新人 一郎,開発部,\r\n"
    page = console.post(IMPORT, {"file": SimpleUploadedFile("給与.csv", body.encode("cp932"))}).content.decode()
    assert 'class="import-admin-change"' in page and "権限の変更" in page
    assert "会社管理者: 一般 → <strong>会社管理者</strong>" in page
    assert "B1000310" in page and "新人 一郎" in page and "この内容で登録する" in page


def test_a_column_chosen_on_the_preview_is_read_at_once_and_remembered(console, acme, admin_a):
    body = "ログインID,氏名,番号,基本給\r\nB1000320,森 一,E-20,300000\r\n"
    first = console.post(IMPORT, {"file": SimpleUploadedFile("給与.csv", body.encode("cp932"))})
    page = first.content.decode()
    assert "取り込まない列" in page and "「番号」「基本給」" in page
    token = re.search(r'name="token" value="([^"]+)"', page.split("import-columns")[-1]).group(1)
    again = console.post(IMPORT + "columns/", {"token": token, "title": ["ログインID", "氏名", "番号", "基本給"],
                                               "column": ["ログインID", "氏名", "社員番号", ""]})
    page = again.content.decode()
    assert "列の対応を保存しました" in page and "「基本給」" in page and "「番号」" not in page
    acme.refresh_from_db()
    assert acme.employee_import_columns == {"番号": "社員番号"}
    # The next upload of the same kind of file needs no choosing.
    confirm = console.post(IMPORT, {"file": SimpleUploadedFile("給与.csv", body.encode("cp932"))})
    token = re.search(r'name="token" value="([^"]+)"', confirm.content.decode()).group(1)
    console.post(IMPORT + "confirm/", {"token": token})
    assert User.objects.get(login_id="B1000320").employee_number == "E-20"


def test_another_administrators_preview_cannot_be_reread(console, acme, client):
    body = "ログインID,番号\r\nB1000330,1\r\n"
    page = console.post(IMPORT, {"file": SimpleUploadedFile("a.csv", body.encode())}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    other = master(make_user("A1000331", acme, admin=True, device=True))
    client.logout()
    response = session_full(client, other).post(IMPORT + "columns/", {"token": token, "title": ["番号"],
                                                                      "column": ["社員番号"]})
    assert response.status_code == 302 and response["Location"] == IMPORT
    acme.refresh_from_db()
    assert acme.employee_import_columns == {}


def test_an_operator_may_give_the_same_number_in_another_company(client, operator, acme, other_tenant, staff):
    add_device(operator)
    console = session_full(client, operator)
    user = User.objects.get(login_id="B2000301")
    base = {"login_id": user.login_id, "name": user.name, "email": user.email, "is_active": "on",
            "employee_number": "0302"}  # B1000302's number at アクメ
    refused = console.post(f"{USERS}{user.pk}/change/", {**base, "tenant": acme.pk})
    assert "この社員番号は既に使われています。" in refused.content.decode()
    forged = console.post(f"{USERS}{user.pk}/change/", {**base, "tenant": "x"})
    assert forged.status_code == 200  # a form error, not a crash
    kept = console.post(f"{USERS}{user.pk}/change/", {**base, "tenant": other_tenant.pk})
    assert kept.status_code == 302 and User.objects.get(pk=user.pk).employee_number == "0302"


def test_saving_and_clearing_the_columns_are_in_the_security_log(console, acme, admin_a):
    from accounts.models import SecurityEvent

    body = "ログインID,氏名,番号,部署\r\nB1000340,森 二,E-40,営業部\r\n"
    page = console.post(IMPORT, {"file": SimpleUploadedFile("給与.csv", body.encode("cp932"))}).content.decode()
    titles = ["ログインID", "氏名", "番号", "部署"]

    def choose(page, *choices):
        token = re.search(r'name="token" value="([^"]+)"', page.split("import-columns")[-1]).group(1)
        return console.post(IMPORT + "columns/", {"token": token, "title": titles, "column": choices}).content.decode()

    page = choose(page, "ログインID", "氏名", "社員番号", "")  # 番号 read as 社員番号, 部署 not read
    page = choose(page, "ログインID", "氏名", "", "部署")  # both back to what their titles say
    choose(page, "ログインID", "氏名", "", "部署")  # nothing changed: nothing recorded
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.IMPORT_COLUMNS_CHANGED).order_by("pk")
    assert [(e.tenant, e.actor, e.data) for e in events] == [
        (acme, admin_a, {"chosen": 2, "cleared": 0, "kept": 2, "skipped": 1, "actor_login_id": admin_a.login_id}),
        (acme, admin_a, {"chosen": 0, "cleared": 2, "kept": 0, "skipped": 0, "actor_login_id": admin_a.login_id})]
    log = console.get("/admin/accounts/securityevent/", {"kind__exact": "import_columns_changed"}).content.decode()
    assert "一括登録の列の対応の変更" in log
    assert "従業員の一括登録の列の対応を保存：2 列の読み方を選び直し。以後も選んだ読み方 2 列（うち取り込まない 1 列）" in log
    assert "従業員の一括登録の列の対応を保存：2 列を見出しどおりに戻す。以後はすべての列を見出しどおりに読み込み" in log

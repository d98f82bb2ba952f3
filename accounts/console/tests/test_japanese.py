"""The console speaks Japanese: event details as sentences, browsers in words,
django-axes hidden from company administrators and named in Japanese for operators."""

import re

from django.contrib import admin

from accounts.activity.event_text import event_detail_text, user_agent_text
from accounts.models import SecurityEvent
from tests.helpers import add_device, session_full

Kind = SecurityEvent.Kind
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0")


def test_user_agents_in_words():
    assert user_agent_text(IPHONE) == "Mobile Safari 17・iOS 17・スマートフォン"
    assert user_agent_text(EDGE) == "Edge 120・Windows 10・パソコン"
    assert user_agent_text("") == "不明な端末"


def test_details_as_sentences(admin_a, employee_a):
    def text(kind, actor=None, **data):
        return event_detail_text(SecurityEvent(kind=kind, data=data, actor=actor))

    assert text(Kind.MODE_CHOSEN, mode="limited") == "限定モード（就業打刻・明細閲覧のみ）で利用開始"
    assert text(Kind.RESET, admin_a, actor_login_id="A1000001") == "管理 太郎（A1000001）が実行"
    assert text(Kind.RESET, actor_login_id="A1000001") == "A1000001が実行"  # the account since deleted
    assert text(Kind.RESET_DENIED, reason="wrong_password") == "操作した管理者のパスワードの誤り"
    assert text(Kind.EMPLOYEES_IMPORTED, created=3, updated=1, offboarded=2, reactivated=0) == \
        "新規 3 名・更新 1 名・退職 2 名・在籍に戻す 0 名"
    # A row from before the facts whose text was never one of ours: not shown raw in English;
    # a Japanese one as written.
    assert event_detail_text(SecurityEvent(kind=Kind.LOGOUT, detail="something new")) == ""
    assert event_detail_text(SecurityEvent(kind=Kind.LOGOUT, detail="手入力のメモ")) == "手入力のメモ"
    assert event_detail_text(SecurityEvent(kind=Kind.MODE_CHOSEN, detail="full")) == "すべての機能を利用（認証コードへ）"


def test_security_log_page_reads_as_japanese(client, admin_a, employee_a):
    SecurityEvent.objects.create(kind=Kind.MODE_CHOSEN, tenant=admin_a.tenant, user=employee_a,
                                 login_id=employee_a.login_id, data={"mode": "limited"}, user_agent=IPHONE)
    session_full(client, admin_a)
    page = client.get("/admin/accounts/securityevent/", {"kind__exact": Kind.MODE_CHOSEN}).content.decode()
    assert "限定モード（就業打刻・明細閲覧のみ）で利用開始" in page and "Mobile Safari 17・iOS 17・スマートフォン" in page
    assert ">limited<" not in page and "AppleWebKit" not in page
    event = SecurityEvent.objects.get(kind=Kind.MODE_CHOSEN)
    detail = client.get(f"/admin/accounts/securityevent/{event.pk}/change/").content.decode()
    assert "AppleWebKit/605.1.15" in detail  # the full string on the detail page


def test_axes_hidden_from_company_admins_and_japanese_for_operators(client, admin_a, operator):
    session_full(client, admin_a)
    page = client.get("/admin/").content.decode()
    assert "/admin/axes/" not in page
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    add_device(operator)
    session_full(client, operator)
    page = client.get("/admin/").content.decode()
    assert "ログイン制限（django-axes）" in page and "ログイン失敗の記録（ID・IPアドレスごと）" in page
    assert "Access attempts" not in page


def test_licences_named_by_product(client, acme, operator):
    from licensing.models import Licence

    add_device(operator)
    session_full(client, operator)
    page = client.get("/admin/licensing/licence/").content.decode()
    assert "ネット de 受付" in page and ">reception<" not in page and "?product_code=reception" in page
    licence = Licence.objects.get(tenant=acme, product_code="reception")
    assert str(licence) == "アクメ株式会社 ネット de 受付（使用）"
    response = client.post(f"/admin/licensing/licence/{licence.pk}/change/",
                           {"tenant": acme.pk, "product_code": "reception"}, follow=True)
    assert "アクメ株式会社 ネット de 受付（不使用）" in response.content.decode()


def test_console_titles_and_buttons_in_natural_japanese(client, admin_a, employee_a, operator):
    from accounts.console.tests.test_security_log import reachable_admin_pages

    session_full(client, admin_a)
    users = client.get("/admin/accounts/user/").content.decode()
    assert "<h1>ユーザー一覧</h1>" in users and "<title>ユーザー一覧" in users
    assert "選択したユーザーを削除" in users or "delete_selected" not in users
    change = client.get(f"/admin/accounts/user/{employee_a.pk}/change/").content.decode()
    assert "<h1>ユーザーの変更</h1>" in change
    log = client.get("/admin/accounts/securityevent/").content.decode()
    assert "<h1>セキュリティログ一覧</h1>" in log
    # 「選択された ユーザー を変更」「2 セキュリティログ」「ユーザー を選択」: a model's name with spaces around it.
    names = {str(n) for model in admin.site._registry
             for n in (model._meta.verbose_name, model._meta.verbose_name_plural)}
    spaced = re.compile("|".join(rf"(?:[^\s>] {re.escape(n)} |\d {re.escape(n)}|{re.escape(n)} [をのでが])"
                                 for n in sorted(names, key=len, reverse=True)))

    def walk():
        for url in reachable_admin_pages(client):
            page = client.get(url).content.decode()  # the related-object icons' tooltips included
            for stock in ("を 選択", "変更する ", "表示する ", " を変更", " を追加", " を表示", " で絞り込む", " の変更",
                          "object (", 'alt="True"', 'alt="False"', 'alt="Search"', "選択された "):
                assert stock not in page, f"{url}: {stock}"
            assert not spaced.search(page), f"{url}: {spaced.search(page)}"

    walk()
    payslip = client.get("/admin/payslips/payslip/add/").content.decode()  # the related-object icons
    assert 'title="選択したユーザーを変更"' in payslip and 'title="ユーザーを追加"' in payslip
    log = client.get("/admin/accounts/securityevent/").content.decode()
    assert "種類で絞り込む" in log and re.search(r"\n\d+ 件\n", log)
    add_device(operator)  # the operator's pages too: companies, groups, licences
    session_full(client, operator)
    walk()
    group = client.get("/admin/auth/group/add/").content.decode()  # not 「Can add セキュリティログ」 as stored
    assert "アカウント：セキュリティログの閲覧" in group and "Can view" not in group


def test_slips_url_opened_directly_explains_and_leads_on(client, admin_a):
    session_full(client, admin_a)
    response = client.get("/admin/accounts/user/credentials/")
    page = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "仮パスワードを発行した直後の画面から印刷します" in page
    assert 'href="/admin/accounts/user/"' in page and "ユーザー一覧へ" in page


def test_django_wording_catalogue_is_compiled_and_has_no_spaced_names():
    """locale_django (Django's admin msgids reworded): its .mo is the .po compiled, each entry keeps
    Django's placeholders and none puts spaces around one (「選択された %(model)s を変更」)."""
    import gettext
    from pathlib import Path

    from django.conf import settings

    from tests.test_i18n_catalogues import read_po

    locale = Path(settings.BASE_DIR) / "locale_django"
    assert locale in [Path(p) for p in settings.LOCALE_PATHS]
    entries = read_po(locale, "ja")
    with open(locale / "ja" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    placeholder = re.compile(r"%(?:\(\w+\))?[sd]")
    for entry in entries:
        text = entry.get("msgstr", entry.get("msgstr[0]"))
        assert catalogue.gettext(entry["msgid"]) == text if "msgid_plural" not in entry else \
            catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2) == text
        assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(entry["msgid"])), entry["msgid"]
        assert not re.search(r" %(?:\(\w+\))?[sd]|%(?:\(\w+\))?[sd] ", text), entry["msgid"]
    assert len(catalogue._catalog) == len(entries) + 1


def test_the_front_page_greets_in_japanese(client, admin_a):
    """「ようこそ、管理 太郎 さん」, not Django's 「ようこそ 管理 太郎.」; an empty 自分の操作 says 「まだありません」."""
    session_full(client, admin_a)
    page = client.get("/admin/").content.decode()
    assert f"ようこそ、<strong>{admin_a.name}</strong> さん" in page and "</strong>." not in page
    assert "まだありません" in page and "利用不可" not in page

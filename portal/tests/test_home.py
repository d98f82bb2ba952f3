"""The portal: licensed icons in declared order, who and which mode, account
links, phone layout, language switch, help page, constant query counts."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Tenant, User
from licensing.models import Licence
from licensing.services import licence_set
from catalog.registry import products
from tests.helpers import session_full, session_limited


def tile_codes(page):
    return re.findall(r'data-product="([^"]+)"', page)


def test_portal_shows_licensed_icons_in_declared_order(client, employee_b, acme):
    session_full(client, employee_b)
    installed = [p.code for p in products()]
    assert tile_codes(client.get("/").content.decode()) == installed
    assert installed == [p.code for p in sorted(products(), key=lambda p: p.order)]
    licence_set(tenant=acme, product_code=installed[0], in_use=False)
    page = client.get("/").content.decode()
    assert tile_codes(page) == installed[1:]
    assert f'href="/{installed[0]}/' not in page


def test_limited_mode_shows_the_same_icons_with_locked_features_marked(client, employee_b):
    session_limited(client, employee_b)
    response = client.get("/")
    page = response.content.decode()
    assert tile_codes(page) == [p.code for p in products()]
    locked = re.findall(r'<li><a href="([^"]+)">[^<]*</a> <span class="lock">要認証</span>', page)
    limited_urls = {reverse(f.url_name) for p in products() for f in p.features if f.limited}
    every_url = {reverse(f.url_name) for p in products() for f in p.features if not f.admin_only}
    assert locked and sorted(locked) == sorted(every_url - limited_urls)
    for url in locked:  # every locked link leads to the step-up, back to itself
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/verify/?next=")


def test_portal_names_the_user_company_and_mode_and_links_the_account_pages(client, employee_b):
    session_full(client, employee_b)
    page = client.get("/").content.decode()
    assert "アクメ株式会社" in page and "鈴木 花子" in page
    assert 'id="mode">すべての機能<' in page
    for name in ["accounts:security", "accounts:password_change", "portal:help"]:
        assert f'href="{reverse(name)}"' in page, name
    assert f'action="{reverse("accounts:logout")}"' in page
    assert 'href="/admin/"' not in page  # not an administrator


def test_company_admin_gets_the_admin_link(client, admin_a):
    session_full(client, admin_a)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_tenant_without_licences_sees_no_icon_and_a_message(client, employee_b, acme):
    Licence.objects.filter(tenant=acme).update(in_use=False)
    session_full(client, employee_b)
    page = client.get("/").content.decode()
    assert tile_codes(page) == []
    assert "ご利用いただけるアプリがありません" in page


def test_layout_fits_a_320px_phone():
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    content_width = 320 - 2 * 16  # main's side padding
    fixed = re.findall(r"(?<![-\w])(?:min-)?width:\s*(\d+)px", css)
    assert all(int(px) <= content_width for px in fixed), fixed
    assert all(int(px) <= content_width for px in re.findall(r"minmax\((\d+)px", css))
    assert re.search(r"\.tiles\s*{[^}]*grid-template-columns:\s*repeat\(auto-fill", css)
    assert re.search(r"\.site-header \.inner\s*{[^}]*flex-wrap:\s*wrap", css)
    base = (Path(settings.BASE_DIR) / "templates/base.html").read_text()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in base


def test_portal_markup_has_no_fixed_widths(client, employee_b):
    session_full(client, employee_b)
    page = client.get("/").content.decode()
    assert not re.search(r'style="[^"]*width', page)
    assert not re.search(r"<table", page)


def test_japanese_by_default_even_for_an_english_browser(client):
    page = client.get("/help/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja">' in page


def test_language_switch_sets_the_cookie_and_returns(client, employee_b):
    session_full(client, employee_b)
    page = client.get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in page and 'value="en"' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/help/"})
    assert response.status_code == 302 and response["Location"] == "/help/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/help/").content.decode()
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert '<html lang="ja">' in client.get("/help/").content.decode()


def test_language_switch_never_redirects_off_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.com/"})
    assert response.status_code == 302 and response["Location"] == "/"


HELP_ANSWERS = {  # FAQ number → what our answer must say
    1: ["Google Authenticator", "Authenticator", "6桁"],
    2: ["できません"],
    3: ["かかりません"],
    4: ["ご自身のパスワード", "管理者ご自身のパスワード"],
    5: ["キャッシュの削除は不要", "キー"],
    6: ["A で始まる", "B で始まる", "就業打刻・明細閲覧のみ利用する", "すべての機能を利用する"],
    7: ["IDごとに初期設定"],
    8: ["□が4つのマーク", "Google Authenticator"],
    9: ["セットアップキーを入力", "時間ベース"],
    10: ["authenticator.txt", "バックアップのインポート"],
    11: ["パスワードの変更には認証コード"],
    12: ["仮パスワード", "おすすめしません"],
    13: ["それぞれのブラウザ", "バックアップ"],
}


def help_sections(page):
    parts = re.split(r'<h2 id="q(\d+)">', page)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}


def test_help_page_answers_every_faq_question(client):
    response = client.get(reverse("portal:help"))
    assert response.status_code == 200
    sections = help_sections(response.content.decode())
    assert sorted(sections) == list(range(1, 14))
    for number, phrases in HELP_ANSWERS.items():
        for phrase in phrases:
            assert phrase in sections[number], (number, phrase)


def test_help_page_lists_what_the_limited_mode_can_do(client):
    sections = help_sections(client.get(reverse("portal:help")).content.decode())
    for product in products():
        for feature in product.limited_features:
            assert str(feature.name) in sections[6], feature


# --- Constant query counts ---------------------------------------------------

def product_urls(product):
    return sorted({reverse(product.entry_url), *(reverse(f.url_name) for f in product.features)})


def count_queries(client, url):
    client.get(url)  # warm-up: the once-a-minute session write happens here
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response.status_code


def grow(acme, other_tenant):
    """Every product in use plus 47 licence rows for products not installed (50
    rows in the tenant), 50 more tenants with licences, 999 more users in the tenant."""
    for product in products():
        licence_set(tenant=acme, product_code=product.code, in_use=True)
    Licence.objects.bulk_create([Licence(tenant=acme, product_code=f"unused{i}")
                                 for i in range(50 - len(products()))])
    tenants = Tenant.objects.bulk_create([Tenant(code=f"t{i:03d}", name=f"会社{i}") for i in range(49)])
    Licence.objects.bulk_create([Licence(tenant=t, product_code=f"p{n}")
                                 for t in [*tenants, other_tenant] for n in range(50)], ignore_conflicts=True)
    password = make_password("not-used-here-9")
    User.objects.bulk_create([
        User(login_id=f"B7{i:06d}", login_key=f"B7{i:06d}", tenant=acme, name=f"社員{i}", password=password)
        for i in range(999)
    ])
    assert Licence.objects.filter(tenant=acme).count() == 50
    assert User.objects.for_tenant(acme).count() >= 1000


@pytest.mark.parametrize("state", ["full", "limited"])
def test_portal_and_feature_pages_cost_constant_queries(client, admin_a, employee_b, acme, other_tenant, state,
                                                        django_assert_max_num_queries):
    """Measured with one licence row and few users, then with 50 rows and 1,000 users."""
    if state == "full":
        session_full(client, admin_a)  # an administrator reaches the administrators' features too
    else:
        session_limited(client, employee_b)
    baseline = {}
    for product in products():  # one licence row: this product's
        Licence.objects.filter(tenant=acme).delete()
        licence_set(tenant=acme, product_code=product.code, in_use=True)
        baseline["/"] = max(baseline.get("/", (0, 200)), count_queries(client, "/"))
        baseline.update({url: count_queries(client, url) for url in product_urls(product)})
    assert {status for _count, status in baseline.values()} <= {200, 302}
    grow(acme, other_tenant)
    for url, (count, status) in baseline.items():
        client.get(url)
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert response.status_code == status, url


def test_tiles_are_kept_by_mode_and_role_not_by_user(client, employee_b, employee_a, admin_a):
    """Each worker keeps the rendered tiles per licence set, mode, role and
    language: the next user of the same combination gets them, never the
    previous user's name, nor another mode's or role's features."""
    session_limited(client, employee_b)
    page = client.get("/").content.decode()
    assert "要認証" in page  # the limited mode locks the full-mode features
    full = session_full(Client(), employee_a).get("/").content.decode()
    assert "佐藤 一郎" in full and "鈴木 花子" not in full
    assert "要認証" not in full.split('class="tiles"')[1].split("アカウント")[0]
    admin_page = session_full(Client(), admin_a).get("/").content.decode()
    assert admin_page.count("<li>") > full.count("<li>")  # the administrator's features

"""問い合わせ先: the company administrator sets the company's own in the console; it is shown
on the help, the login page's 「パスワードを忘れた場合」 and the ログイン情報のお知らせ."""

from accounts.models import Tenant
from tests.helpers import code_for, post_code, post_login, session_full

CONTACT = "総務部 山田 内線123\nsoumu@example.co.jp"


def contact_url(tenant):
    return f"/admin/accounts/tenant/{tenant.pk}/contact/"


def test_the_company_administrator_sets_the_contact_from_the_front_page(console, admin_a, other_user):
    front = console.get("/admin/").content.decode()
    assert contact_url(admin_a.tenant) in front and "従業員の問い合わせ先" in front and "未設定" in front
    page = console.get(contact_url(admin_a.tenant)).content.decode()
    assert "<h1>問い合わせ先</h1>" in page or "問い合わせ先" in page
    response = console.post(contact_url(admin_a.tenant), {"contact": CONTACT})
    assert response.status_code == 302
    assert Tenant.objects.get(pk=admin_a.tenant_id).contact == CONTACT.replace("\n", "\r\n") or \
        Tenant.objects.get(pk=admin_a.tenant_id).contact == CONTACT
    assert "総務部 山田 内線123" in console.get("/admin/").content.decode()
    # Another company's page is a 404; an employee never reaches the console.
    assert console.get(contact_url(other_user.tenant)).status_code == 404
    assert console.post(contact_url(other_user.tenant), {"contact": "x"}).status_code == 404
    assert Tenant.objects.get(pk=other_user.tenant_id).contact == ""


def test_an_employee_cannot_set_it(client, employee_a):
    session_full(client, employee_a)
    assert client.post(contact_url(employee_a.tenant), {"contact": "x"}).status_code == 403


def test_the_help_shows_the_company_contact_or_a_sensible_text(client, employee_a):
    page = client.get("/help/").content.decode()
    assert "問い合わせ先は、会社の管理者（人事・総務のご担当者）です。" in page  # before a login
    session_full(client, employee_a)
    assert "アクメ株式会社の問い合わせ先" in client.get("/help/").content.decode()
    assert "会社の管理者（人事・総務のご担当者）にお問い合わせください。" in client.get("/help/").content.decode()
    Tenant.objects.filter(pk=employee_a.tenant_id).update(contact=CONTACT)
    page = client.get("/help/").content.decode()
    assert "総務部 山田 内線123<br>soumu@example.co.jp" in page


def test_the_login_page_names_the_contact_of_whoever_logged_in_on_this_browser(client, employee_a, other_user):
    Tenant.objects.filter(pk=employee_a.tenant_id).update(contact=CONTACT)
    Tenant.objects.filter(pk=other_user.tenant_id).update(contact="他社の窓口")
    before = client.get("/accounts/login/").content.decode().split('id="forgot-password"')[1]
    assert "問い合わせ先は、会社の管理者" in before and "総務部" not in before
    post_login(client, employee_a.login_id, trust=True)
    post_code(client, code_for(employee_a.totpdevice_set.get()))
    client.post("/accounts/logout/")
    forgot = client.get("/accounts/login/").content.decode().split('id="forgot-password"')[1]
    assert "アクメ株式会社の問い合わせ先" in forgot and "総務部 山田 内線123" in forgot
    assert "他社の窓口" not in forgot


def test_the_slips_carry_the_contact(console, admin_a, employee_b):
    from accounts.people.services import user_issue_temporary_password

    Tenant.objects.filter(pk=admin_a.tenant_id).update(contact="総務部 山田 内線123")
    employee_b.refresh_from_db()
    password = user_issue_temporary_password(user=employee_b, actor=admin_a)
    slips = console.post("/admin/accounts/user/credentials/",
                         {"credentials": f"{employee_b.login_id}\t{password}", "format": "slips"}).content.decode()
    assert "問い合わせ先: 総務部 山田 内線123" in slips


def test_the_lost_phone_notes_name_the_contact(client, employee_b):
    from tests.helpers import session_limited

    Tenant.objects.filter(pk=employee_b.tenant_id).update(contact="総務部 山田 内線123")
    session_limited(client, employee_b)
    for url in ("/accounts/security/", "/accounts/verify/"):
        page = client.get(url).content.decode()
        assert "アクメ株式会社の問い合わせ先" in page and "総務部 山田 内線123" in page, url

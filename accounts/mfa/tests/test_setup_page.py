"""The setup and code pages: the QR first, the step indicator, and キャンセル back to where the user came from."""

import pytest

from tests.helpers import session_limited, session_password_only


def test_setup_page_does_not_focus_the_code_on_load(client, fresh_a):
    session_password_only(client, fresh_a)
    html = client.get("/accounts/setup/").content.decode()
    assert "autofocus" not in html  # focusing the code would scroll the QR away (FAQ ⑤)
    for step in ("アプリを用意", "読み取り", "コード入力"):
        assert step in html
    assert html.index('id="qr"') < html.index('id="add-to-app"') < html.index('id="setup-key"') \
        < html.index('name="generator-token"')


def test_a_wrong_setup_code_focuses_the_code_field(client, fresh_a):
    session_password_only(client, fresh_a)
    client.get("/accounts/setup/")
    response = client.post("/accounts/setup/", {"setup_view-current_step": "generator",
                                                "generator-token": "000000"})
    assert "autofocus" in response.content.decode()


def test_cancel_on_the_first_setup_ends_the_unfinished_login(client, fresh_a):
    session_password_only(client, fresh_a)
    html = client.get("/accounts/setup/").content.decode()
    assert 'action="/accounts/logout/"' in html.split('id="code-step"')[1]
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["/accounts/setup/?next=/attendance/requests/",
                                 "/accounts/verify/?next=/attendance/requests/"])
def test_cancel_from_the_limited_mode_returns_to_the_portal(client, employee_b, fresh_b, url):
    user = fresh_b if "setup" in url else employee_b
    session_limited(client, user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="btn block secondary" href="/">キャンセル</a>' in html
    assert client.get("/").status_code == 200  # the limited portal is still open

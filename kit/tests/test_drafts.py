"""The drafts script's view of the session (kit/drafts.py, static/js/drafts.js):
every page tells it which login session is open, so drafts of an ended one are
removed on the next page of the site (issue 20 §4; the browser side:
tests/e2e/test_e2e_drafts.py)."""

import re

from django.template.loader import render_to_string

from tests.helpers import code_for, login_full_via_wizard, session_limited

SCRIPT = re.compile(r'<script src="[^"]*drafts\.js"([^>]*)></script>')


def drafts_script(response) -> dict:
    found = SCRIPT.search(response.content.decode())
    assert found, "every page of the site loads the drafts script"
    return dict(re.findall(r'(data-draft-[a-z]+)="([^"]*)"', found.group(1)))


def test_anonymous_pages_say_nobody_is_logged_in(client, db):
    assert drafts_script(client.get("/accounts/login/")) == {"data-draft-session": "", "data-draft-owner": ""}


def test_one_tag_for_the_whole_login_session_through_the_step_up(client, employee_b):
    session_limited(client, employee_b)
    first = drafts_script(client.get("/"))
    assert first["data-draft-owner"] == "B1000001" and len(first["data-draft-session"]) == 16
    device = employee_b.totpdevice_set.get()
    client.post("/accounts/verify/", {"otp_token": code_for(device)})  # a new session key
    assert drafts_script(client.get("/attendance/requests/new/")) == first


def test_a_new_login_session_has_a_new_tag_and_the_console_knows_it(client, admin_a):
    login_full_via_wizard(client, admin_a, admin_a.totpdevice_set.get())
    first = drafts_script(client.get("/"))["data-draft-session"]
    assert drafts_script(client.get("/admin/"))["data-draft-session"] == first
    client.post("/accounts/logout/")
    assert drafts_script(client.get("/accounts/login/"))["data-draft-session"] == ""
    client.logout()
    from tests.helpers import session_full

    session_full(client, admin_a)
    assert drafts_script(client.get("/"))["data-draft-session"] not in ("", first)


def test_a_page_rendered_without_its_request_removes_nothing():
    """The 500 page knows nothing of the session: the script removes only old drafts there."""
    html = render_to_string("500.html")
    assert "drafts.js" in html and "data-draft-session" not in html

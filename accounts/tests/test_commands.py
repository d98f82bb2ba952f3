"""The operator's management commands: create_tenant, create_user, seed_demo."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Tenant, User
from tests.helpers import add_device


def run(*args, stdin=None, monkeypatch=None):
    """Run a command as `manage.py` would: (exit status, stdout, stderr).

    ``manage.py`` turns a CommandError into its one-line message on stderr and
    the error's return code (BaseCommand.run_from_argv, which also closes the
    database connections and so cannot run inside a test transaction).
    """
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), f"CommandError: {error}\n"
    return 0, out.getvalue(), err.getvalue()


def assert_one_line_failure(result):
    status, _out, err = result
    assert status != 0
    assert err.strip() and "\n" not in err.strip(), err
    assert "Traceback" not in err


# --- create_tenant ----------------------------------------------------------

def test_create_tenant(db):
    status, out, _ = run("create_tenant", "kaisha", "株式会社カイシャ")
    assert status == 0 and "kaisha" in out
    assert Tenant.objects.get(code="kaisha").name == "株式会社カイシャ"


@pytest.mark.parametrize("code", ["Bad Code", "x", "会社", "a" * 31])
def test_create_tenant_rejects_a_bad_code(db, code):
    assert_one_line_failure(run("create_tenant", code, "名前"))
    assert not Tenant.objects.exists()


@pytest.mark.parametrize("args", [("ac\x00me", "名前"), ("acme2", "名\x00前")])
def test_create_tenant_rejects_nul(db, args):
    assert_one_line_failure(run("create_tenant", *args))


@pytest.mark.parametrize("args", [("--tenant", "ac\x00me"), ("--tenant", "acme", "--name", "\x00"),
                                  ("--tenant", "acme", "--email", "a\x00@example.com")])
def test_create_user_rejects_nul(acme, args):
    assert_one_line_failure(run("create_user", "A7654321", *args))
    assert not User.objects.exists()


def test_create_tenant_rejects_a_duplicate(acme):
    assert_one_line_failure(run("create_tenant", "acme", "別の会社"))
    assert Tenant.objects.get(code="acme").name == "アクメ株式会社"


# --- create_user ------------------------------------------------------------

def test_create_user_prints_a_temporary_password_once(acme):
    status, out, _ = run("create_user", "b1234567", "--tenant", "acme", "--name", "山田 太郎",
                         "--email", "yamada@example.com")
    assert status == 0
    password = re.search(r"temporary password: (\S+)", out).group(1)
    assert out.count(password) == 1
    user = User.objects.get(login_id="B1234567")  # stored upper-case
    assert user.tenant == acme and user.name == "山田 太郎"
    assert user.check_password(password) and user.password_is_temporary
    assert user.password_expires_at is not None
    assert not user.is_staff


def test_create_admin(acme):
    status, out, _ = run("create_user", "A7654321", "--tenant", "acme", "--admin")
    assert status == 0
    user = User.objects.get(login_id="A7654321")
    assert user.is_staff and user.groups.filter(name="会社管理者").exists()


def test_create_user_with_password_from_stdin(acme, monkeypatch):
    status, out, _ = run("create_user", "A7654321", "--tenant", "acme", "--password-stdin",
                         stdin="Known-pass-for-ci-42\n", monkeypatch=monkeypatch)
    assert status == 0
    assert "Known-pass-for-ci-42" not in out and "temporary" not in out
    user = User.objects.get(login_id="A7654321")
    assert user.check_password("Known-pass-for-ci-42")
    assert not user.password_is_temporary and user.password_expires_at is None


@pytest.mark.parametrize("stdin", ["\n", "", "short\n", "12345678901\n", "password123\n"])
def test_create_user_rejects_a_missing_or_weak_stdin_password(acme, monkeypatch, stdin):
    assert_one_line_failure(run("create_user", "A7654321", "--tenant", "acme", "--password-stdin",
                                stdin=stdin, monkeypatch=monkeypatch))
    assert not User.objects.filter(login_id="A7654321").exists()


def test_create_user_unknown_tenant(db):
    result = run("create_user", "A7654321", "--tenant", "nosuch")
    assert_one_line_failure(result)
    assert "nosuch" in result[2]
    assert not User.objects.exists()


@pytest.mark.parametrize("login_id", [
    "C1234567", "A12", "A" + "1" * 30, "A-123456", "A 123456", "", "Ａ１２３\x00", "12345678", "A１２３４５６７😀",
])
def test_create_user_malformed_login_id(acme, login_id):
    assert_one_line_failure(run("create_user", login_id, "--tenant", "acme"))
    assert not User.objects.exists()


@pytest.mark.parametrize("login_id", ["A1000002", "a1000002", "Ａ１０００００２", "A1OOOOO2", "AIOOOOO2", "A1000OO2"])
def test_create_user_duplicate_or_look_alike(employee_a, login_id):
    result = run("create_user", login_id, "--tenant", "acme")
    assert_one_line_failure(result)
    assert result[2].strip() == "CommandError: このログインIDは既に使われているか、よく似たIDが既にあります。"
    assert User.objects.count() == 1


def test_create_user_bad_email(acme):
    assert_one_line_failure(run("create_user", "A7654321", "--tenant", "acme", "--email", "not-an-email"))


def test_create_user_needs_a_tenant(db):
    status, _out, err = run("create_user", "A7654321")
    assert status != 0 and "--tenant" in err  # argparse's own message
    assert not User.objects.exists()


# --- seed_demo --------------------------------------------------------------

def seeded_logins(out):
    return dict(re.findall(r"^\s+([AB]\d{7})\s+(\S+)", out, re.M))


def test_seed_demo_prints_working_logins_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = seeded_logins(capsys.readouterr().out)
    assert set(first) == {"A0000001", "A0000002", "B0000001", "B0000002", "A9000001"}
    for login_id, password in first.items():
        assert User.objects.get(login_id=login_id).check_password(password)
    assert User.objects.get(login_id="B0000002").password_is_temporary
    assert User.objects.get(login_id="A0000001").is_staff
    assert User.objects.get(login_id="A9000001").is_operator

    demo_admin = User.objects.get(login_id="A0000001")
    add_device(demo_admin)  # set up 2FA between two runs
    counts = (Tenant.objects.count(), User.objects.count())

    call_command("seed_demo")
    second = seeded_logins(capsys.readouterr().out)
    assert (Tenant.objects.count(), User.objects.count()) == counts
    assert set(second) == set(first)
    for login_id, password in second.items():
        assert User.objects.get(login_id=login_id).check_password(password)
    # The same user (same primary key) with the 2FA set up in between.
    assert User.objects.get(login_id="A0000001").pk == demo_admin.pk
    assert TOTPDevice.objects.filter(user=demo_admin).count() == 1


def test_seed_demo_fills_the_employee_master_and_brings_it_back(db, capsys):
    import datetime

    call_command("seed_demo")
    hanako = User.objects.get(login_id="B0000001")
    assert (hanako.employee_number, hanako.furigana, hanako.department, hanako.hired_on) == \
        ("1001", "スズキ\u3000ハナコ", "営業部", datetime.date(2019, 4, 1))
    people = User.objects.filter(tenant__code="demo")
    assert all(u.employee_number and u.furigana and u.department and u.hired_on for u in people)
    assert people.exclude(job_title="").count() == 2  # 部長 and 主任; the others have none
    assert len({u.employee_number for u in people}) == people.count() == 4
    User.objects.filter(pk=hanako.pk).update(department="開発部", employee_number="")
    call_command("seed_demo")  # a re-run puts the demo back as it was
    hanako.refresh_from_db()
    assert (hanako.employee_number, hanako.department) == ("1001", "営業部")
    assert User.objects.filter(tenant__code="demo").count() == 4


def test_look_alike_id_gets_one_readable_error_from_model_validation(acme):
    from django.core.exceptions import ValidationError

    from accounts.models import User
    from tests.helpers import make_user

    make_user("A3000001", acme)
    with pytest.raises(ValidationError) as caught:
        User(login_id="a3ooo001", tenant=acme).full_clean(exclude=["password"])
    assert caught.value.message_dict == {
        "login_id": ["このログインIDは既に使われているか、よく似たIDが既にあります。"]
    }

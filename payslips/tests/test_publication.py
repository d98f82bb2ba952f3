"""公開日: a slip is the employee's from its 公開日 on (list and detail), the console shows it
before; on that day the employee gets one mail that a payslip is available, without amounts."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from payslips.models import Payslip, PayslipNotice
from payslips.notices import payslip_notices_send
from payslips.tests.factories import make_payslip
from payslips.tests.test_admin import _add_form
from tests.helpers import session_full, session_limited

CSV = "ログインID,支給年月,支給日,支給:基本給,控除:所得税\r\nB1000001,2026-12,2026-12-25,250000,5130\r\n"


def import_with(client, admin, published_on: str, csv: str = CSV):
    session_full(client, admin)
    preview = client.post("/payslips/import/", {
        "file": SimpleUploadedFile("payslips.csv", csv.encode("cp932"), content_type="text/csv"),
        "published_on": published_on})
    page = preview.content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    carried = re.search(r'name="published_on" value="([0-9-]+)"', page).group(1)
    assert carried == published_on
    return page, client.post("/payslips/import/", {"confirm": "yes", "digest": digest, "published_on": carried},
                             follow=True)


def test_the_upload_page_offers_todays_date(client, admin_a):
    session_full(client, admin_a)
    page = client.get("/payslips/import/").content.decode()
    assert "公開日" in page and f'value="{timezone.localdate():%Y-%m-%d}"' in page


def test_a_future_publication_hides_the_slip_until_that_day(client, admin_a, employee_b):
    today = timezone.localdate()
    later = today + datetime.timedelta(days=21)
    preview, registered = import_with(client, admin_a, f"{later:%Y-%m-%d}")
    assert f"{later.year}年{later.month}月{later.day}日" in preview and "この日に従業員に公開し" in preview
    assert "に従業員に公開し、その日にメールでお知らせします" in registered.content.decode()
    payslip = Payslip.objects.get(user=employee_b)
    assert payslip.published_on == later
    assert mail.outbox == [], "nothing is announced before the day"
    # The console lists it, with its 公開日.
    console = client.get("/admin/payslips/payslip/").content.decode()
    assert "2026年12月分" in console and f"{later.year}年{later.month}月{later.day}日（公開前）" in console

    session_limited(client, employee_b)
    assert "2026年12月分" not in client.get("/payslips/").content.decode()
    assert client.get(f"/payslips/{payslip.pk}/").status_code == 404
    assert client.get(f"/payslips/{payslip.pk}/print/").status_code == 404

    # The day comes: the daily run announces it, and the employee sees it.
    Payslip.objects.filter(pk=payslip.pk).update(published_on=today)
    call_command("send_payslip_notices", stdout=io.StringIO())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [employee_b.email]
    assert "2026年12月分" in client.get("/payslips/").content.decode()
    assert client.get(f"/payslips/{payslip.pk}/").status_code == 200


def test_a_publication_today_or_past_announces_at_once_without_amounts(client, admin_a, employee_b):
    past = timezone.localdate() - datetime.timedelta(days=3)
    _preview, registered = import_with(client, admin_a, f"{past:%Y-%m-%d}")
    assert "1 名に「明細が公開されました」のメールを送りました" in registered.content.decode()
    [message] = mail.outbox
    assert message.subject == "【ネット de 顧問】給与明細が公開されました"
    assert "2026年12月分" in message.body and "鈴木 花子" in message.body
    assert not re.search(r"\d{1,3},\d{3}|250000|円", message.body), "no amount in a mail"
    session_limited(client, employee_b)
    assert "2026年12月分" in client.get("/payslips/").content.decode()
    call_command("send_payslip_notices", stdout=io.StringIO())
    assert len(mail.outbox) == 1, "the daily run does not announce it again"


def test_a_large_publication_mails_the_first_employees_and_leaves_the_rest_to_the_command(
        client, settings, admin_a, employee_b, employee_a):
    """The administrator does not wait for thousands of mails: past PAYSLIP_NOTICES_IN_REQUEST
    employees the page says how many are left, and the scheduled command mails them."""
    settings.PAYSLIP_NOTICES_IN_REQUEST = 1
    two = CSV + "A1000002,2026-12,2026-12-25,300000,6000\r\n"
    _preview, registered = import_with(client, admin_a, f"{timezone.localdate():%Y-%m-%d}", two)
    page = registered.content.decode()
    assert "1 名に「明細が公開されました」のメールを送りました" in page
    assert "残りの 1 名へのメールは、このあと自動で順に送ります" in page
    assert len(mail.outbox) == 1
    out = io.StringIO()
    call_command("send_payslip_notices", stdout=out)
    assert "1 通送信しました" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([employee_a.email, employee_b.email])


def test_the_notice_command_sends_each_slips_notice_once(acme, employee_b, employee_a):
    today = timezone.localdate()
    for month in (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)):
        make_payslip(employee_b, month)
    make_payslip(employee_a, datetime.date(2026, 11, 1))
    later = make_payslip(employee_a, datetime.date(2026, 12, 1))
    Payslip.objects.filter(pk=later.pk).update(published_on=today + datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("send_payslip_notices", stdout=out)
    assert "2 通送信しました" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([employee_a.email, employee_b.email])
    both = next(m for m in mail.outbox if m.to == [employee_b.email])
    assert "2026年10月分、2026年11月分" in both.body, "one mail names every slip of the day"
    call_command("send_payslip_notices", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    # The next day the December slip is announced, once.
    assert payslip_notices_send(today=today + datetime.timedelta(days=1)) == 1
    assert payslip_notices_send(today=today + datetime.timedelta(days=2)) == 0
    assert PayslipNotice.objects.count() == 4


def test_the_database_refuses_a_second_notice_of_a_slip(employee_b):
    from django.db import IntegrityError, transaction

    payslip = make_payslip(employee_b)
    PayslipNotice.objects.create(payslip=payslip, mailed=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayslipNotice.objects.create(payslip=payslip, mailed=True)


def test_no_address_or_offboarded_sends_nothing(employee_b, employee_a):
    employee_b.email = ""
    employee_b.save(update_fields=["email"])
    employee_a.is_active = False
    employee_a.save(update_fields=["is_active"])
    make_payslip(employee_b)
    make_payslip(employee_a)
    assert payslip_notices_send() == 0 and mail.outbox == []
    assert PayslipNotice.objects.get().mailed is False  # B's slip counts as announced


def test_a_mail_that_could_not_be_sent_is_retried(employee_b, settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    make_payslip(employee_b)

    def refuse(self, messages):
        raise OSError("mail server away")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert payslip_notices_send() == 0 and not PayslipNotice.objects.exists()
    monkeypatch.undo()
    assert payslip_notices_send() == 1 and len(mail.outbox) == 1


def test_a_slip_registered_in_the_console_is_announced_once_and_says_so(client, admin_a, employee_b):
    session_full(client, admin_a)
    response = client.post("/admin/payslips/payslip/add/", _add_form(employee_b))
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [employee_b.email]
    payslip = Payslip.objects.get()
    page = client.get(f"/admin/payslips/payslip/{payslip.pk}/change/").content.decode()
    assert "公開のお知らせ" in page and "に送信しました" in page
    client.post(f"/admin/payslips/payslip/{payslip.pk}/change/", {
        **_add_form(employee_b), "items-TOTAL_FORMS": "0"})
    assert len(mail.outbox) == 1, "saving it again tells nobody twice"


def test_the_daily_run_catches_up_a_month_not_a_history(employee_b):
    old = make_payslip(employee_b, datetime.date(2026, 1, 1))
    recent = make_payslip(employee_b, datetime.date(2026, 2, 1))
    today = timezone.localdate()
    Payslip.objects.filter(pk=old.pk).update(published_on=today - datetime.timedelta(days=40),
                                             created_at=timezone.now() - datetime.timedelta(days=45))
    Payslip.objects.filter(pk=recent.pk).update(published_on=today - datetime.timedelta(days=20))
    assert payslip_notices_send() == 1
    assert "2026年2月分" in mail.outbox[0].body and "2026年1月分" not in mail.outbox[0].body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_runs_at_the_same_moment_announce_each_slip_once(on_postgres, employee_b, employee_a, mailoutbox):
    import threading

    from django.db import connection

    for user in (employee_b, employee_a):
        make_payslip(user)
    for round_ in range(3):  # the race must be lost every time
        PayslipNotice.objects.all().delete()
        mailoutbox.clear()
        barrier = threading.Barrier(4)

        def run():
            try:
                connection.ensure_connection()
                barrier.wait()
                payslip_notices_send()
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(m.to[0] for m in mailoutbox) == sorted([employee_a.email, employee_b.email])
        assert PayslipNotice.objects.count() == 2


def test_slips_registered_lately_with_an_old_publication_date_are_still_announced(acme, employee_b):
    """An import past PAYSLIP_NOTICES_IN_REQUEST leaves the rest to the command, whatever their
    公開日: a back-dated 公開日 (40 days ago) registered today is not outside its catch-up window."""
    slip = make_payslip(employee_b, datetime.date(2026, 10, 1))
    Payslip.objects.filter(pk=slip.pk).update(published_on=timezone.localdate() - datetime.timedelta(days=40))
    out = io.StringIO()
    call_command("send_payslip_notices", stdout=out)
    assert "1 通送信しました" in out.getvalue() and mail.outbox[0].to == [employee_b.email]
    old = make_payslip(employee_b, datetime.date(2026, 9, 1))  # registered and published long ago: not now
    Payslip.objects.filter(pk=old.pk).update(published_on=timezone.localdate() - datetime.timedelta(days=40),
                                             created_at=timezone.now() - datetime.timedelta(days=40))
    call_command("send_payslip_notices", stdout=io.StringIO())
    assert len(mail.outbox) == 1

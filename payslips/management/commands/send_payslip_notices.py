from django.core.management.base import BaseCommand

from payslips.notices import payslip_notices_send


class Command(BaseCommand):
    help = ("公開日を迎えた給与明細を従業員にメールで知らせます（各明細1回だけ。10分ごとに cron / systemd timer で実行）。"
            "Mails each employee whose payslips' publication date has come; each slip once. Run every 10 minutes.")

    def handle(self, **options):
        sent = payslip_notices_send()
        self.stdout.write(f"公開のお知らせを {sent} 通送信しました。")

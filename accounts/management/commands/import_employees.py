import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.people.credentials import credentials_csv
from accounts.people.employee_apply import ImportRefused, employees_import
from kit.spreadsheets import FileProblem
from accounts.models import Tenant


class Command(BaseCommand):
    help = ("従業員の一括登録（CSV または .xlsx）。すべて正しいときだけ登録します。"
            "Imports employees from a CSV or .xlsx file, all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("tenant", help="会社コード")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="確認だけして何も変更しない")
        parser.add_argument("--credentials-out", metavar="FILE",
                            help="新しい仮パスワードの CSV を書き出すファイル（既存のファイルには書きません）")

    def handle(self, tenant, file, dry_run, credentials_out, **options):
        company = Tenant.objects.filter(code=tenant).first()
        if company is None:
            raise CommandError(f"unknown tenant: {tenant}")
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}")
        filename = os.path.basename(file)
        plan, _issued = self._import(company, data, filename, dry_run=True)
        if plan.skipped:
            self.stdout.write(_("取り込まない列: ") + "".join(f"「{column.title}」" for column in plan.skipped))
        if dry_run:
            self.stdout.write(_("確認のみ（変更なし）: ") + self._summary(plan))
            return
        out = None
        if plan.create or plan.reactivate:
            if not credentials_out:
                raise CommandError(_("仮パスワードの出力先を --credentials-out で指定してください。"))
            try:  # created now, readable by its owner only; never overwrites
                out = os.open(credentials_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as error:
                raise CommandError(f"cannot create {credentials_out}: {error.strerror}")
        try:
            plan, issued = self._import(company, data, filename, dry_run=False)
        except CommandError:
            if out is not None:
                os.close(out)
                os.unlink(credentials_out)
            raise
        self.stdout.write(self._summary(plan))
        if out is not None:
            with os.fdopen(out, "wb") as handle:
                handle.write(credentials_csv(issued))
            self.stdout.write(_("仮パスワード %(count)s 件を %(file)s に書き出しました。")
                              % {"count": len(issued), "file": credentials_out})

    def _import(self, company, data, filename, *, dry_run):
        try:
            return employees_import(tenant=company, actor=None, data=data, filename=filename, dry_run=dry_run)
        except FileProblem as error:
            raise CommandError(str(error))
        except ImportRefused as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("エラーが %(count)s 件あります。何も登録していません。")
                               % {"count": len(error.problems)})

    @staticmethod
    def _summary(plan):
        return _("新規 %(create)s 名 / 更新 %(update)s 名 / 退職 %(offboard)s 名 / 在籍に戻す %(reactivate)s 名"
                 " / 変更なし %(unchanged)s 名") % plan.counts()

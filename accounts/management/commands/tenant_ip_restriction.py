from django.core.management.base import BaseCommand, CommandError

from accounts.sessions import office_ip
from accounts.models import Tenant

from .create_tenant import refuse_nul


class Command(BaseCommand):
    help = ("会社の社外からのアクセス制限を設定します。Sets a tenant's office IP restriction: "
            "--allow CIDR [--allow CIDR …] [--allow-limited-anywhere] | --off")

    def add_arguments(self, parser):
        parser.add_argument("tenant_code")
        parser.add_argument("--allow", action="append", default=[], metavar="CIDR",
                            help="許可するIPアドレスまたは範囲（繰り返し指定できます）")
        parser.add_argument("--allow-limited-anywhere", action="store_true",
                            help="就業打刻・明細閲覧は社外からも許可する（B で始まるIDの限定モード）")
        parser.add_argument("--off", action="store_true", help="制限を解除する")

    def handle(self, tenant_code, allow, allow_limited_anywhere, off, **options):
        refuse_nul(tenant_code, *allow)
        if off and (allow or allow_limited_anywhere):
            raise CommandError("--off は --allow・--allow-limited-anywhere と同時に指定できません。")
        if not off and not allow:
            raise CommandError("--allow で許可するアドレスを1つ以上指定するか、--off で制限を解除してください。")
        tenant = Tenant.objects.filter(code=tenant_code).first()
        if tenant is None:
            raise CommandError(f"会社コード {tenant_code} の会社はありません。")
        if off:
            rule = office_ip.rule_of(tenant)
            networks, limited_anywhere = rule.network_lines, rule.limited_anywhere  # kept for the next --allow
        else:
            networks, errors = office_ip.parse_networks(allow)
            if errors:
                raise CommandError(" ".join(f"--allow {allow[i - 1]}: {m}" if i else m for i, m in errors))
            limited_anywhere = allow_limited_anywhere
        rule = office_ip.access_rule_set(tenant=tenant, enabled=not off, networks=networks,
                                         limited_anywhere=limited_anywhere)
        self.stdout.write(describe(rule))


def describe(rule) -> str:
    code = rule.tenant.code
    if not rule.enabled:
        return f"{code} 社外からのアクセス制限: なし"
    lines = [f"{code} 社外からのアクセス制限: あり（{len(rule.network_lines)} 件）"]
    lines += [f"  {line}" for line in rule.network_lines]
    lines.append("  就業打刻・明細閲覧は社外からも許可する: " + ("はい" if rule.limited_anywhere else "いいえ"))
    return "\n".join(lines)

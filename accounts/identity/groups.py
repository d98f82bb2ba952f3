"""The 会社管理者 permission group for company administrators."""

from django.contrib.auth.models import Group, Permission

COMPANY_ADMIN_GROUP = "会社管理者"

# app_label.codename of what a company administrator may do in the admin.
COMPANY_ADMIN_PERMISSIONS = [
    "accounts.view_user", "accounts.add_user", "accounts.change_user",
    "accounts.view_securityevent",
    "accounts.change_tenantaccessrule",  # 社外からのアクセス制限 of their own company
    "accounts.change_tenantloginpolicy",  # ログインの設定 (パスキーだけでのログイン) of their own company
]


def company_admin_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COMPANY_ADMIN_GROUP)
    labels = {tuple(label.split(".")) for label in COMPANY_ADMIN_PERMISSIONS + extra_permissions()}
    candidates = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in labels}, codename__in={code for _, code in labels},
    ).select_related("content_type")  # one query, then the exact pairs
    wanted = [perm for perm in candidates if (perm.content_type.app_label, perm.codename) in labels]
    group.permissions.set(wanted)  # exactly these: nothing granted by hand lingers
    return group


def extra_permissions() -> list[str]:
    """Permissions the layers above grant to company administrators (``company_admin_permissions``)."""
    from accounts.identity.signals import company_admin_permissions  # signals imports this module to sync the group

    return [perm for _receiver, perms in company_admin_permissions.send(sender=None) for perm in perms]

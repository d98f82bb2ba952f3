"""The single sign-on pages: 「会社のアカウントでログイン」 (``find``: the company of the
typed login ID), the start of a login at a company's provider (``start``, also at
/sso/<company code>/login/), the assertion consumer service (``acs``) and this service's
metadata for the company (``metadata``)."""

import logging

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from djangosaml2.cache import OutstandingQueriesCache

from accounts.audit import events
from accounts.models import Tenant, User
from accounts.policy import normalize_login_id
from accounts.views.verify import next_path
from kit.access import Access, access
from sso import policy, saml, signon
from sso.models import SsoSettings

logger = logging.getLogger(__name__)

NO_COMPANY_LOGIN = _("このログインIDでは会社のアカウントでログインできません。IDとパスワードでログインしてください。")
UNAVAILABLE = _("シングルサインオンを現在利用できません。会社の管理者にお問い合わせください。")


def local_path(request, value: str) -> str:
    """``value`` when it is a path on this site ("/…", not "//…"), else ""."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return ""


@access(Access.PUBLIC)
@never_cache
@require_POST
@sensitive_post_parameters()
def find(request):
    """「会社のアカウントでログイン」 on the login page: the company of the typed ID, when it
    uses single sign-on. An unknown ID reads as a company without it."""
    login_id = normalize_login_id(request.POST.get("auth-username") or request.POST.get("login_id") or "")[:40]
    user = User.objects.by_login_id(login_id).only("tenant_id").first() if login_id else None
    found = policy.enabled_settings(user.tenant_id) if user is not None else None
    if found is None:
        messages.error(request, NO_COMPANY_LOGIN)
        return redirect("accounts:login")
    target = f"?{urlencode({'next': next_path(request)})}" if next_path(request) else ""
    return redirect(reverse("sso:start", args=[found.tenant.code]) + target)


def begin(request, sso_settings, *, target: str, test: bool):
    """Send the browser to the provider with a new AuthnRequest, remembered in the session."""
    request_id, location = saml.authn_request(request, sso_settings, relay_state=target)
    OutstandingQueriesCache(request.session).set(
        request_id, {"tenant": sso_settings.tenant.code, "next": target, "test": test})
    return redirect(location)


@access(Access.PUBLIC)
@never_cache
@require_GET
def start(request, code):
    """The company's provider, or (no such company, or it does not use single sign-on) the
    login page with one message: the company codes are not told."""
    tenant = Tenant.objects.filter(code=code).first()
    found = policy.enabled_settings(tenant.pk) if tenant is not None else None
    if found is None or not found.idp_entity_id or saml.xmlsec_binary() is None:
        messages.error(request, signon.NOT_ENABLED if found is None else UNAVAILABLE)
        return redirect("accounts:login")
    return begin(request, found, target=next_path(request), test=False)


@access(Access.PUBLIC)
@never_cache
@require_GET
def metadata(request, code):
    """This service's metadata for a company whose administrator opened シングルサインオン."""
    found = get_object_or_404(SsoSettings.objects.select_related("tenant"), tenant__code=code)
    tenant = found.tenant
    return HttpResponse(saml.sp_metadata(request, tenant), content_type="application/samlmetadata+xml")


@access(Access.PUBLIC)
@never_cache
@csrf_exempt  # posted by the provider's page; InResponseTo ties it to this session's own request
@require_POST
@sensitive_post_parameters("SAMLResponse")
def acs(request, code):
    tenant = get_object_or_404(Tenant, code=code)
    sso_settings = SsoSettings.objects.filter(tenant=tenant).exclude(idp_entity_id="").first()
    if sso_settings is None:
        raise Http404
    cache = OutstandingQueriesCache(request.session)
    outstanding = cache.outstanding_queries()
    if not outstanding and not request.POST.get("hop"):
        # Posted across sites, the session cookie (SameSite=Lax) stayed behind: the same
        # answer is posted again from this site, with the cookie.
        return render(request, "sso/repost.html", {
            "saml_response": request.POST.get("SAMLResponse", ""), "relay_state": request.POST.get("RelayState", "")})
    try:
        response = saml.verified_response(request, sso_settings, request.POST.get("SAMLResponse", ""), outstanding)
        entry = outstanding.get(response.in_response_to) or {}
        cache.delete(response.in_response_to)
        if entry.get("tenant") != tenant.code:  # started for another company (pysaml2 checked it is ours)
            raise saml.Refused("invalid", "tenant")
        saml.consume(response, tenant)
    except saml.Refused as refusal:
        logger.info("single sign-on answer refused: company=%s reason=%s (%s)", tenant.code, refusal.reason,
                    refusal.detail)  # which check failed, for the operator: never the answer itself
        events.record(request, events.Kind.SSO_REFUSED, tenant=tenant, reason=refusal.reason)
        messages.error(request, signon.INVALID)
        return redirect("accounts:login")
    target = local_path(request, request.POST.get("RelayState", "")) or entry.get("next", "")
    if entry.get("test"):
        return connection_tested(request, sso_settings, response)
    try:
        if not sso_settings.enabled:
            raise signon.LoginRefused(signon.NOT_ENABLED, "not_enabled")
        return signon.log_in(request, sso_settings, response, target)
    except signon.LoginRefused as refusal:
        signon.refuse(request, refusal, tenant)
        messages.error(request, refusal.message)
        return redirect("accounts:login")


def connection_tested(request, sso_settings, response):
    """The console's 「接続テスト」 came back: who the provider named, nobody logged in."""
    admin = request.user
    if not (admin.is_authenticated and admin.is_staff and admin.tenant_id == sso_settings.tenant_id):
        raise Http404
    try:
        named = signon.user_of(sso_settings, response)
    except signon.LoginRefused as refusal:
        events.record(request, events.Kind.SSO_TESTED, actor=admin, tenant=sso_settings.tenant, outcome="failed")
        messages.error(request, _("接続テスト: IDプロバイダの応答は正しく確認できましたが、%(problem)s") % {
            "problem": refusal.message})
    else:
        SsoSettings.objects.filter(pk=sso_settings.pk).update(tested_at=timezone.now())
        events.record(request, events.Kind.SSO_TESTED, actor=admin, tenant=sso_settings.tenant, outcome="passed")
        messages.success(request, _("接続テストに成功しました: %(name)s（%(login_id)s）として確認できました。") % {
            "name": named.get_full_name(), "login_id": named.login_id})
    return redirect("admin:sso_ssosettings_changelist")

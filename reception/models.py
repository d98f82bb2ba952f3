"""Forms employees send to their company (各種届出) and their processing status."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from kit.tenancy import TenantManager, TenantQuerySet

from . import validators


class SubmissionQuerySet(TenantQuerySet):
    def of_user(self, user):
        return self.filter(user=user)

    def with_details(self):
        return self.select_related("address_change", "dependant_change", "bank_change")


class Submission(models.Model):
    class Kind(models.TextChoices):
        ADDRESS = "address", _("住所変更")
        DEPENDANT = "dependant", _("扶養家族の変更")
        BANK = "bank", _("口座変更")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("提出済")
        ACCEPTED = "accepted", _("受理")
        RETURNED = "returned", _("差戻し")
        COMPLETED = "completed", _("完了")

    # Which status may follow which (受理 → 完了; 差戻し ends the submission).
    TRANSITIONS = {
        Status.SUBMITTED: {Status.ACCEPTED, Status.RETURNED, Status.COMPLETED},
        Status.ACCEPTED: {Status.RETURNED, Status.COMPLETED},
        Status.RETURNED: set(),
        Status.COMPLETED: set(),
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申請者"),
                             on_delete=models.CASCADE, related_name="reception_submissions")
    kind = models.CharField(_("届出の種類"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状況"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("提出日時"), default=timezone.now)
    processed_at = models.DateTimeField(_("処理日時"), null=True, blank=True)
    processed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("処理者"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    admin_comment = models.CharField(_("管理者からのコメント"), max_length=300, blank=True,
                                     help_text=_("差戻しの理由などを書くと、申請者に表示されます。"))
    # The one-time token of the form that sent it (kit.form_tokens): a double
    # click or a resent form cannot make a second submission (nor a second mail).
    # Nullable on purpose: submissions from before tokens existed, the demo data
    # and the admin have none, and NULLs never collide; the constraint's condition
    # says so explicitly (a partial unique index).
    token = models.CharField(max_length=32, null=True, editable=False)

    tenant_path = "user__tenant"
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("届出")
        verbose_name_plural = _("届出")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["user", "-submitted_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], condition=models.Q(token__isnull=False),
                                    name="reception_submission_once_per_token"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.user} ({self.get_status_display()})"

    def may_become(self, status) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    @property
    def detail(self):
        """The form's content (one of the three one-to-one rows)."""
        name = {self.Kind.ADDRESS: "address_change", self.Kind.DEPENDANT: "dependant_change",
                self.Kind.BANK: "bank_change"}[self.Kind(self.kind)]
        return getattr(self, name, None)


class _Detail(models.Model):
    tenant_path = "submission__user__tenant"
    objects = TenantManager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.summary()  # the console's inline heading (not 「AddressChange object (2)」)


class AddressChange(_Detail):
    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, primary_key=True,
                                      related_name="address_change", verbose_name=_("届出"))
    postal_code = models.CharField(_("郵便番号"), max_length=8, validators=[validators.validate_postal_code])
    # The form fills 都道府県 / 市区町村 (and the 町域 into 町名・番地) from the postal code;
    # forms sent before that hold the whole address in ``address``, with these empty.
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True)
    city = models.CharField(_("市区町村"), max_length=60, blank=True)
    address = models.CharField(_("町名・番地"), max_length=200)
    building = models.CharField(_("建物名・部屋番号"), max_length=100, blank=True)
    address_kana = models.CharField(_("住所（フリガナ）"), max_length=300, blank=True,
                                    validators=[validators.validate_address_kana])
    previous_address = models.CharField(_("変更前の住所"), max_length=320, blank=True)
    moved_on = models.DateField(_("転居日"))

    class Meta:
        verbose_name = _("住所変更")
        verbose_name_plural = _("住所変更")

    def __str__(self):
        return self.summary()

    @property
    def new_address(self) -> str:
        """The whole new address: 「東京都千代田区千代田1-1 テストマンション101」."""
        return " ".join(part for part in (f"{self.prefecture}{self.city}{self.address}", self.building) if part)

    def summary(self):
        return f"〒{self.postal_code} {self.new_address}"

    def rows(self) -> list[tuple[str, str]]:
        """What the employee's 届出 page shows: the new address in one line, then the rest."""
        rows = [(gettext("新しい住所"), self.summary())]
        if self.address_kana:
            rows.append((self._meta.get_field("address_kana").verbose_name, self.address_kana))
        if self.previous_address:
            rows.append((self._meta.get_field("previous_address").verbose_name, self.previous_address))
        return rows + [(self._meta.get_field("moved_on").verbose_name, self.moved_on)]


class DependantChange(_Detail):
    class Action(models.TextChoices):
        ADD = "add", _("追加")
        REMOVE = "remove", _("削除")

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("配偶者")
        CHILD = "child", _("子")
        FATHER = "father", _("父")
        MOTHER = "mother", _("母")
        GRANDPARENT = "grandparent", _("祖父母")
        SIBLING = "sibling", _("兄弟姉妹")
        OTHER = "other", _("その他")

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, primary_key=True,
                                      related_name="dependant_change", verbose_name=_("届出"))
    action = models.CharField(_("追加・削除"), max_length=10, choices=Action.choices)
    name = models.CharField(_("氏名"), max_length=100)
    relationship = models.CharField(_("続柄"), max_length=20, choices=Relationship.choices)
    birth_date = models.DateField(_("生年月日"))
    effective_on = models.DateField(_("異動日"))

    class Meta:
        verbose_name = _("扶養家族の変更")
        verbose_name_plural = _("扶養家族の変更")

    def summary(self):
        return f"{self.get_action_display()}: {self.name}（{self.get_relationship_display()}）"


class BankAccountChange(_Detail):
    class AccountType(models.TextChoices):
        ORDINARY = "ordinary", _("普通")
        CURRENT = "current", _("当座")

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, primary_key=True,
                                      related_name="bank_change", verbose_name=_("届出"))
    bank_code = models.CharField(_("金融機関コード"), max_length=4, validators=[validators.validate_bank_code])
    bank_name = models.CharField(_("金融機関名"), max_length=60)
    branch_code = models.CharField(_("支店コード"), max_length=3, validators=[validators.validate_branch_code])
    branch_name = models.CharField(_("支店名"), max_length=60)
    account_type = models.CharField(_("預金種目"), max_length=10, choices=AccountType.choices,
                                    default=AccountType.ORDINARY)
    account_number = models.CharField(_("口座番号"), max_length=7,
                                      validators=[validators.validate_account_number])
    holder_kana = models.CharField(_("口座名義（カナ）"), max_length=60, validators=[validators.validate_katakana])

    class Meta:
        verbose_name = _("口座変更")
        verbose_name_plural = _("口座変更")

    def summary(self):
        return f"{self.bank_name} {self.branch_name} {self.get_account_type_display()} ***{self.account_number[-4:]}"

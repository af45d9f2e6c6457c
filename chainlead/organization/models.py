"""Units (a tree), people and their role × unit grants."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core.models import ChangeLoggedModel, PrimaryModel
from chainlead.organization.choices import ROLE_COLORS, UNIT_KIND_COLORS, Role, UnitKind
from chainlead.utilities.querysets import RestrictedQuerySet

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def validate_phone(value: str) -> None:
    """A mainland mobile number (11 digits) or a landline with area code (0532-86981234)."""
    if value and not PHONE_RE.match(value.replace(" ", "")):
        raise ValidationError(
            _("电话号码“%(value)s”格式不正确：手机号应为以1开头的11位数字，座机应带区号，如 0532-86981234。"),
            params={"value": value},
            code="phone",
        )


class UnitQuerySet(RestrictedQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk-created units get their tree path too (save() is not called for them)."""
        created = super().bulk_create(objs, *args, **kwargs)
        for unit in created:
            if unit.pk is not None:
                unit.path = unit._compute_path()
                models.QuerySet(Unit).filter(pk=unit.pk).update(path=unit.path)
        return created

    def descendants_of(self, unit, include_self: bool = True):
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class Unit(PrimaryModel):
    """An organisational unit: the office, a department, an area, a battle zone, a street or an
    enterprise. Units form a tree; a role granted on a unit covers the units below it."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    #: "/000001/000012/": ids from the root down, zero-padded so that ordering by path lists the tree.
    path = models.CharField(_("层级路径"), max_length=255, editable=False, db_index=True, default="")
    code = models.CharField(_("单位代码"), max_length=30, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = models.Manager.from_queryset(UnitQuerySet)()
    KIND_COLORS = UNIT_KIND_COLORS

    unit_paths = ("pk",)
    permission_roles = {
        "add": {Role.OFFICE_ADMIN},
        "change": {Role.OFFICE_ADMIN, Role.UNIT_HEAD},
        "delete": {Role.OFFICE_ADMIN},
    }

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = pgettext_lazy("plural", "单位")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="unit_unique_name_under_parent",
                violation_error_message=_("同一上级单位下已有同名单位。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:unit_detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return max(0, self.path.count("/") - 2)

    def clean(self):
        super().clean()
        if self.parent_id and self.pk:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("上级单位不能是本单位自己。")})
            parent = Unit.objects.filter(pk=self.parent_id).first()
            if parent and f"/{self.pk:06d}/" in parent.path:
                raise ValidationError({"parent": _("上级单位不能是本单位的下级单位（会形成循环）。")})

    def _compute_path(self) -> str:
        parent_path = ""
        if self.parent_id:
            parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
        return f"{parent_path or '/'}{self.pk:06d}/"

    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = self._compute_path()
        if new_path != old_path:
            # The path is derived from the parent chain, so it is maintained without a log entry.
            models.QuerySet(Unit).filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:
                for child in models.QuerySet(Unit).filter(path__startswith=old_path).exclude(pk=self.pk):
                    models.QuerySet(Unit).filter(pk=child.pk).update(
                        path=new_path + child.path[len(old_path) :]
                    )


class ChainleadUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    """create_user/create_superuser plus restrict()."""


class User(AbstractUser, ChangeLoggedModel):
    """A person who signs in: office staff, leaders, department staff or an enterprise contact."""

    first_name = None
    last_name = None
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=30, blank=True, validators=[validate_phone])
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    must_change_password = models.BooleanField(
        _("首次登录须改密码"),
        default=False,
        help_text=_("由办公室创建或重置密码的账户，登录后必须先修改密码。"),
    )
    failed_login_count = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0, editable=False)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)

    objects = ChainleadUserManager()

    REQUIRED_FIELDS = ["name"]
    unit_paths = ("unit",)
    permission_roles = {
        "add": {Role.OFFICE_ADMIN},
        "change": {Role.OFFICE_ADMIN},
        "delete": {Role.OFFICE_ADMIN},
    }
    changelog_exclude = ("password",)
    #: Sign-in bookkeeping. It is audited as login events, not versioned as an edit of the person.
    SECURITY_FIELDS = frozenset({"last_login", "failed_login_count", "locked_until"})

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("plural", "用户")
        ordering = ["unit__path", "username"]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:user_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= self.SECURITY_FIELDS:
            models.Model.save(self, *args, **kwargs)
            return
        super().save(*args, **kwargs)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())

    def role_grants(self):
        return self.grants.select_related("unit")


class RoleGrant(PrimaryModel):
    """``user`` holds ``role`` in ``unit`` (and every unit below it)."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="grants")

    ROLE_COLORS = ROLE_COLORS

    unit_paths = ("unit",)
    permission_roles = {
        "add": {Role.OFFICE_ADMIN},
        "change": {Role.OFFICE_ADMIN},
        "delete": {Role.OFFICE_ADMIN},
    }

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = pgettext_lazy("plural", "角色授权")
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="rolegrant_unique",
                violation_error_message=_("该用户在此单位已有这个角色。"),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def get_absolute_url(self):
        return reverse("organization:rolegrant_detail", args=[self.pk])

    def changelog_parent(self):
        return self.user

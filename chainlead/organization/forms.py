"""Forms of the organisation app."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chainlead.organization.auth import find_user, minutes_left
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import RoleGrant, Unit, User
from chainlead.utilities.forms import BulkEditForm, ChainleadModelForm, StyledFormMixin


class LoginForm(AuthenticationForm):
    """Sign-in that explains a lock (with the time left) and counts wrong passwords."""

    error_messages = {
        "invalid_login": gettext_lazy(
            "用户名或密码不正确。注意：连续输错 %(max)s 次，账户将被锁定 %(minutes)s 分钟。"
        ),
        "inactive": gettext_lazy("该账户已停用，请联系领导小组办公室。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        user = find_user(username)
        if user is not None and user.is_locked:
            raise forms.ValidationError(
                _("该账户因连续登录失败已被锁定，请在 {} 分钟后重试，或联系领导小组办公室解锁。").format(
                    minutes_left(user)
                ),
                code="locked",
            )
        return super().clean()

    def get_invalid_login_error(self):
        user = find_user(self.cleaned_data.get("username"))
        if user is not None and user.is_locked:
            return forms.ValidationError(
                _("密码连续输错 {} 次，账户已被锁定，请在 {} 分钟后重试。").format(
                    settings.LOGIN_MAX_FAILURES, minutes_left(user)
                ),
                code="locked",
            )
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"max": settings.LOGIN_MAX_FAILURES, "minutes": settings.LOGIN_LOCK_MINUTES},
        )


class ChainleadPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = False
        if commit:
            user.save()
        return user


class UnitForm(ChainleadModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "code",
            "phone",
            "address",
            "sort_order",
            "is_active",
            "comments",
        ]
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}


class UserForm(ChainleadModelForm):
    """Create or edit a person. A new user gets the initial password typed here and must change
    it at first sign-in."""

    initial_password = forms.CharField(
        label=gettext_lazy("初始密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("新建用户时必填；用户首次登录后必须修改。修改已有用户时填写则重置密码。"),
    )

    class Meta:
        model = User
        fields = ["username", "name", "phone", "email", "unit", "title", "is_active"]

    def clean_initial_password(self):
        password = self.cleaned_data.get("initial_password")
        if not self.instance.pk and not password:
            raise forms.ValidationError(_("新建用户时必须设置初始密码。"))
        if password:
            password_validation.validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        password = self.cleaned_data.get("initial_password")
        if password:
            user.set_password(password)
            user.must_change_password = True
        if commit:
            user.save()
        return user


class RoleGrantForm(ChainleadModelForm):
    class Meta:
        model = RoleGrant
        fields = ["user", "role", "unit", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}


class UnitBulkEditForm(BulkEditForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"), choices=[("", "—"), *UnitKind.choices], required=False
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("上级单位"), queryset=Unit.objects.all(), required=False
    )
    is_active = forms.NullBooleanField(label=gettext_lazy("启用"), required=False)


class UserBulkEditForm(BulkEditForm):
    unit = forms.ModelChoiceField(label=gettext_lazy("所属单位"), queryset=Unit.objects.all(), required=False)
    title = forms.CharField(label=gettext_lazy("职务"), required=False)
    is_active = forms.NullBooleanField(label=gettext_lazy("启用"), required=False)


class RoleGrantBulkEditForm(BulkEditForm):
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[("", "—"), *Role.choices], required=False)

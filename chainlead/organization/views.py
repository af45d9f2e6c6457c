"""Pages of the organisation app: units, users, role grants, sign-in and the user's profile."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse_lazy

from chainlead.core.audit import record_event
from chainlead.organization import filtersets, forms, tables
from chainlead.organization.models import RoleGrant, Unit, User
from chainlead.utilities import views as generic


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(max_failures=settings.LOGIN_MAX_FAILURES, lock_minutes=settings.LOGIN_LOCK_MINUTES)
        return ctx


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.ChainleadPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(self.request.user, "password_changed", by=self.request.user)
        return response


@login_required
def profile(request):
    grants = request.user.grants.select_related("unit")
    return render(request, "organization/profile.html", {"grants": grants})


# --- Units ----------------------------------------------------------------------------------------
class UnitListView(generic.ObjectListView):
    queryset = Unit.objects.select_related("parent").annotate(member_count=Count("members"))
    filterset_class = filtersets.UnitFilterSet
    table_class = tables.UnitTable


class UnitView(generic.ObjectDetailView):
    queryset = Unit.objects.select_related("parent")

    def get_extra_context(self, request, obj):
        return {
            "children": obj.children.all(),
            "members": User.objects.restrict(request.user).filter(unit=obj).order_by("username"),
            "grants": RoleGrant.objects.restrict(request.user).filter(unit=obj).select_related("user"),
        }


class UnitEditView(generic.ObjectEditView):
    queryset = Unit.objects.all()
    form_class = forms.UnitForm


class UnitDeleteView(generic.ObjectDeleteView):
    queryset = Unit.objects.all()


class UnitBulkEditView(generic.BulkEditView):
    queryset = Unit.objects.all()
    form_class = forms.UnitBulkEditForm


class UnitBulkDeleteView(generic.BulkDeleteView):
    queryset = Unit.objects.all()


# --- Users ----------------------------------------------------------------------------------------
class UserListView(generic.ObjectListView):
    queryset = User.objects.select_related("unit")
    filterset_class = filtersets.UserFilterSet
    table_class = tables.UserTable


class UserView(generic.ObjectDetailView):
    queryset = User.objects.select_related("unit")

    def get_extra_context(self, request, obj):
        return {"grants": obj.grants.select_related("unit")}


class UserEditView(generic.ObjectEditView):
    queryset = User.objects.all()
    form_class = forms.UserForm

    def save(self, request, form):
        resetting = bool(form.instance.pk and form.cleaned_data.get("initial_password"))
        user = form.save()
        if resetting:
            record_event(user, "password_reset", by=request.user)
        return user


class UserDeleteView(generic.ObjectDeleteView):
    queryset = User.objects.all()


class UserBulkEditView(generic.BulkEditView):
    queryset = User.objects.all()
    form_class = forms.UserBulkEditForm


class UserBulkDeleteView(generic.BulkDeleteView):
    queryset = User.objects.all()


# --- Role grants ----------------------------------------------------------------------------------
class RoleGrantListView(generic.ObjectListView):
    queryset = RoleGrant.objects.select_related("user", "unit")
    filterset_class = filtersets.RoleGrantFilterSet
    table_class = tables.RoleGrantTable


class RoleGrantView(generic.ObjectDetailView):
    queryset = RoleGrant.objects.select_related("user", "unit")


class RoleGrantEditView(generic.ObjectEditView):
    queryset = RoleGrant.objects.all()
    form_class = forms.RoleGrantForm


class RoleGrantDeleteView(generic.ObjectDeleteView):
    queryset = RoleGrant.objects.all()


class RoleGrantBulkEditView(generic.BulkEditView):
    queryset = RoleGrant.objects.all()
    form_class = forms.RoleGrantBulkEditForm


class RoleGrantBulkDeleteView(generic.BulkDeleteView):
    queryset = RoleGrant.objects.all()

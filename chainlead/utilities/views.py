"""Generic views. A model's views are a few lines of declaration::

    class KeyProjectListView(ObjectListView):
        queryset = KeyProject.objects.select_related("chain")
        filterset_class = KeyProjectFilterSet
        table_class = KeyProjectTable

Permissions are checked here once: a model-level check (no role grants the action → 403) and an
object-level check (object outside the user's units → 404; visible but not changeable → 403).
Every write runs in one transaction; a version conflict or a validation error re-shows the form
with the user's input and a plain message, and nothing is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from chainlead.core.exceptions import ConflictError, ServiceError
from chainlead.organization.permissions import get_scope
from chainlead.utilities.export import export_table
from chainlead.utilities.forms import ColumnChooserForm
from chainlead.utilities.tables import CappedPaginator

PER_PAGE_CHOICES = (25, 50, 100, 200)


def model_url(model, action: str, *args) -> str | None:
    """``<app>:<model>_<action>`` for a model, or None when the app has no such page."""
    name = f"{model._meta.app_label}:{model._meta.model_name}_{action}"
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def protected_message(exc) -> str:
    objs = list(getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or [])
    names = "、".join(f"{o._meta.verbose_name}“{o}”" for o in objs[:5])
    more = _("等{}项").format(len(objs)) if len(objs) > 5 else ""
    return _("无法删除：仍被 {}{} 引用。请先解除这些关联。").format(names, more)


class BaseObjectView(LoginRequiredMixin, View):
    """Shared helpers: the model, the user's scope and the permission checks."""

    queryset = None
    action = "view"

    @property
    def model(self):
        return self.queryset.model

    def get_queryset(self, request):
        return self.queryset.all()

    @property
    def scope(self):
        return get_scope(self.request.user)

    def require_model_permission(self, action: str) -> None:
        if not self.scope.can(self.model, action):
            raise PermissionDenied(
                _("您没有{}{}的权限。").format(action_label(action), self.model._meta.verbose_name)
            )

    def get_object(self, request, action: str = "view", **kwargs):
        """The object, if visible (else 404) and actionable (else 403)."""
        self.require_model_permission("view")
        visible = self.get_queryset(request).restrict(request.user, "view")
        obj = get_object_or_404(visible, pk=kwargs["pk"])
        if action != "view":
            self.require_model_permission(action)
            if not self.get_queryset(request).restrict(request.user, action).filter(pk=obj.pk).exists():
                raise PermissionDenied(
                    _("您可以查看但不能{}这条{}。").format(
                        action_label(action), self.model._meta.verbose_name
                    )
                )
        return obj

    def base_context(self, **extra):
        meta = self.model._meta
        ctx = {
            "model": self.model,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": model_url(self.model, "list"),
            "add_url": model_url(self.model, "add") if self.scope.can(self.model, "add") else None,
        }
        ctx.update(extra)
        return ctx

    def return_url(self, request, obj=None) -> str:
        candidate = request.POST.get("return_url") or request.GET.get("return_url")
        if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}):
            return candidate
        if obj is not None and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return model_url(self.model, "list") or reverse("home")


def action_label(action: str) -> str:
    from chainlead.organization.choices import Action

    try:
        return str(Action(action).label)
    except ValueError:
        return action


class ObjectListView(BaseObjectView):
    """Filtered, sortable, paginated list with a column chooser, bulk actions and .xlsx export."""

    filterset_class = None
    table_class = None
    template_name = "chainlead/object_list.html"
    bulk_actions = ("bulk_edit", "bulk_delete")
    export_name: str | None = None

    def session_key(self) -> str:
        return f"columns:{self.table_class.__module__}.{self.table_class.__name__}"

    def get_extra_context(self, request) -> dict:
        """Hook: more context for the list page."""
        return {}

    def get(self, request):
        self.require_model_permission("view")
        qs = self.get_queryset(request).restrict(request.user, "view")
        filterset = (
            self.filterset_class(request.GET or None, queryset=qs, request=request)
            if self.filterset_class
            else None
        )
        if filterset is not None:
            qs = (
                filterset.qs
                if filterset.is_bound and filterset.is_valid()
                else (qs if not filterset.is_bound else qs.none())
            )
        selected = request.session.get(self.session_key())
        table = self.table_class(qs, user=request.user, selected_columns=selected)
        if request.GET.get("export") == "xlsx":
            RequestConfig(request, paginate=False).configure(table)
            name = self.export_name or str(self.model._meta.verbose_name_plural)
            return export_table(table, f"{name}.xlsx", name)
        per_page = request.GET.get("per_page")
        per_page = (
            int(per_page) if per_page and per_page.isdigit() and int(per_page) in PER_PAGE_CHOICES else 50
        )
        RequestConfig(request, paginate={"per_page": per_page, "paginator_class": CappedPaginator}).configure(
            table
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = self.base_context(
            table=table,
            filterset=filterset,
            filter_form=filterset.form if filterset else None,
            column_form=ColumnChooserForm(self.table_class, initial={"columns": table.visible_columns()}),
            bulk_edit_url=model_url(self.model, "bulk_edit")
            if "bulk_edit" in self.bulk_actions and self.scope.can(self.model, "change")
            else None,
            bulk_delete_url=model_url(self.model, "bulk_delete")
            if "bulk_delete" in self.bulk_actions and self.scope.can(self.model, "delete")
            else None,
            export_query=query.urlencode(),
            per_page=per_page,
            per_page_choices=PER_PAGE_CHOICES,
            filters_active=bool(
                filterset
                and filterset.is_bound
                and any(v for k, v in request.GET.items() if k not in ("page", "per_page", "sort"))
            ),
        )
        context.update(self.get_extra_context(request))
        template = self.template_name
        if request.htmx and request.htmx.target == "object-list":
            template = f"{template}#object-list"
        return render(request, template, context)

    def post(self, request):
        """Save the column choice for this table in the session."""
        self.require_model_permission("view")
        form = ColumnChooserForm(self.table_class, request.POST)
        if form.is_valid():
            if request.POST.get("reset"):
                request.session.pop(self.session_key(), None)
            else:
                request.session[self.session_key()] = form.cleaned_data["columns"]
        return redirect(request.get_full_path())


class ObjectDetailView(BaseObjectView):
    """An object's page with tabs: overview (the model's own template), timeline, history."""

    template_name = None  # default: <app>/<model>.html
    tabs = ("overview", "history")

    def get_template_names(self):
        meta = self.model._meta
        return [self.template_name or f"{meta.app_label}/{meta.model_name}.html"]

    def get_extra_context(self, request, obj) -> dict:
        return {}

    def get(self, request, **kwargs):
        obj = self.get_object(request, "view", **kwargs)
        context = self.base_context(
            object=obj,
            edit_url=model_url(self.model, "edit", obj.pk) if self.scope.has_perm(obj, "change") else None,
            delete_url=model_url(self.model, "delete", obj.pk)
            if self.scope.has_perm(obj, "delete")
            else None,
            history_url=reverse("core:object_history", args=[_ct_id(self.model), obj.pk]),
            active_tab="overview",
        )
        context.update(self.get_extra_context(request, obj))
        return render(request, self.get_template_names(), context)


def _ct_id(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model, for_concrete_model=True).pk


class ObjectEditView(BaseObjectView):
    """Create (no pk) or edit (pk) one object through its model form."""

    form_class = None
    template_name = "chainlead/object_edit.html"

    def get_form_kwargs(self, request, obj) -> dict:
        return {}

    def get_initial(self, request) -> dict:
        return {k: v for k, v in request.GET.items() if k != "return_url"}

    def _form(self, request, obj, data=None, files=None):
        kwargs = self.get_form_kwargs(request, obj)
        if obj.pk is None and data is None:
            kwargs["initial"] = self.get_initial(request)
        return self.form_class(data=data, files=files, instance=obj, **kwargs)

    def _object(self, request, kwargs):
        if "pk" in kwargs:
            return self.get_object(request, "change", **kwargs)
        self.require_model_permission("add")
        return self.model()

    def render_form(self, request, form, obj, status=200):
        explicit = request.POST.get("return_url") or request.GET.get("return_url") or ""
        context = self.base_context(
            object=obj,
            form=form,
            is_new=obj.pk is None,
            # Only an explicit return_url is carried: otherwise a new object opens its own page.
            return_url=explicit if url_has_allowed_host_and_scheme(explicit, {request.get_host()}) else "",
            cancel_url=self.return_url(request, obj if obj.pk else None),
        )
        return render(request, self.template_name, context, status=status)

    def get(self, request, **kwargs):
        obj = self._object(request, kwargs)
        return self.render_form(request, self._form(request, obj), obj)

    def save(self, request, form):
        """Hook: save the form (a model may route this through a service)."""
        return form.save()

    def post(self, request, **kwargs):
        obj = self._object(request, kwargs)
        is_new = obj.pk is None
        form = self._form(request, obj, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = self.save(request, form)
                    if (
                        is_new
                        and not self.model._default_manager.restrict(request.user, "add")
                        .filter(pk=obj.pk)
                        .exists()
                    ):
                        raise ServiceError(
                            _("您只能在自己负责的单位范围内新建{}。").format(self.model._meta.verbose_name)
                        )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            except ValidationError as exc:
                _add_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已新建{}“{}”。").format(self.model._meta.verbose_name, obj)
                    if is_new
                    else _("已保存{}“{}”。").format(self.model._meta.verbose_name, obj),
                )
                return HttpResponseRedirect(self.return_url(request, obj))
            if is_new:
                obj.pk = None
                obj._state.adding = True
        return self.render_form(request, form, obj, status=422 if request.htmx else 200)


def out_of_scope_message(model, is_new: bool) -> str:
    """A save may not put an object outside the units the user acts for."""
    if is_new:
        return _("您只能在自己负责的单位范围内新建{}。").format(model._meta.verbose_name)
    return _("保存后这条{}将不在您负责的单位范围内；如需移交给其他单位，请联系领导小组办公室。").format(
        model._meta.verbose_name
    )


def _add_validation_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ObjectDeleteView(BaseObjectView):
    template_name = "chainlead/object_delete.html"

    def get(self, request, **kwargs):
        obj = self.get_object(request, "delete", **kwargs)
        return render(
            request,
            self.template_name,
            self.base_context(object=obj, return_url=self.return_url(request, obj)),
        )

    def post(self, request, **kwargs):
        obj = self.get_object(request, "delete", **kwargs)
        name = str(obj)
        try:
            with transaction.atomic():
                obj.delete()
        except (ProtectedError, RestrictedError) as exc:
            messages.error(request, protected_message(exc))
            return redirect(obj.get_absolute_url())
        messages.success(request, _("已删除{}“{}”。").format(self.model._meta.verbose_name, name))
        candidate = request.POST.get("return_url") or request.GET.get("return_url")
        if (
            candidate
            and url_has_allowed_host_and_scheme(candidate, {request.get_host()})
            and candidate != obj.get_absolute_url()
        ):
            return redirect(candidate)
        return redirect(model_url(self.model, "list") or "home")


class BulkEditView(BaseObjectView):
    """Apply the filled-in fields to every selected object, all or nothing."""

    form_class = None  # a BulkEditForm subclass
    template_name = "chainlead/bulk_edit.html"

    def post(self, request):
        self.require_model_permission("change")
        pks = request.POST.getlist("pk")
        allowed = self.get_queryset(request).restrict(request.user, "change").filter(pk__in=pks)
        if len(set(pks)) != allowed.count():
            raise Http404(_("所选记录中有您无权修改或不存在的记录。"))
        form = self.form_class(
            self.model, request.POST if "_apply" in request.POST else None, initial={"pk": pks}
        )
        if "_apply" in request.POST and form.is_valid():
            values = form.changed_values()
            if not values:
                form.add_error(None, _("请至少填写一个要修改的字段。"))
            else:
                try:
                    with transaction.atomic():
                        for obj in allowed:
                            for name, value in values.items():
                                setattr(obj, name, value)
                            obj.full_clean()
                            obj.save()
                        still = (
                            self.get_queryset(request)
                            .restrict(request.user, "change")
                            .filter(pk__in=pks)
                            .count()
                        )
                        if still != len(set(pks)):
                            raise ServiceError(out_of_scope_message(self.model, False))
                except ValidationError as exc:
                    form.add_error(None, _("“{}”：{}").format(obj, "；".join(exc.messages)))
                except ConflictError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(
                        request, _("已批量修改 {} 条{}。").format(len(pks), self.model._meta.verbose_name)
                    )
                    return redirect(self.return_url(request))
        return render(
            request,
            self.template_name,
            self.base_context(form=form, objects=allowed, return_url=self.return_url(request)),
        )


class BulkDeleteView(BaseObjectView):
    template_name = "chainlead/bulk_delete.html"

    def post(self, request):
        self.require_model_permission("delete")
        pks = request.POST.getlist("pk")
        allowed = self.get_queryset(request).restrict(request.user, "delete").filter(pk__in=pks)
        if len(set(pks)) != allowed.count():
            raise Http404(_("所选记录中有您无权删除或不存在的记录。"))
        if "_confirm" in request.POST:
            try:
                with transaction.atomic():
                    count = len(pks)
                    for obj in allowed:
                        obj.delete()
            except (ProtectedError, RestrictedError) as exc:
                messages.error(request, protected_message(exc))
            else:
                messages.success(request, _("已删除 {} 条{}。").format(count, self.model._meta.verbose_name))
            return redirect(self.return_url(request))
        return render(
            request,
            self.template_name,
            self.base_context(objects=allowed, return_url=self.return_url(request)),
        )

"""The navigation follows the mechanism: 产业链 · 项目 · 攻坚目标 · 调度 · 督查通报 · 考核 · 驾驶舱.

Apps add their pages in ``AppConfig.ready`` with ``register(group, label, url_name, ...)``; a
group with no pages yet is shown greyed out so the whole mechanism stays visible."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass
class MenuItem:
    label: str
    url_name: str
    model: str | None = None  # "app_label.ModelName": shown only if the user may view it
    office_only: bool = False

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


@dataclass
class MenuGroup:
    key: str
    label: str
    items: list[MenuItem] = field(default_factory=list)


MENU: list[MenuGroup] = [
    MenuGroup("chains", _("产业链")),
    MenuGroup("projects", _("项目")),
    MenuGroup("targets", _("攻坚目标")),
    MenuGroup("dispatch", _("调度")),
    MenuGroup("supervision", _("督查通报")),
    MenuGroup("assessment", _("考核")),
    MenuGroup("dashboard", _("驾驶舱")),
    MenuGroup("system", _("系统")),
]


def register(
    group: str, label, url_name: str, *, model: str | None = None, office_only: bool = False
) -> None:
    for g in MENU:
        if g.key == group:
            if not any(i.url_name == url_name for i in g.items):
                g.items.append(MenuItem(label, url_name, model, office_only))
            return
    raise KeyError(group)


def menu_for(user) -> list[dict]:
    """The menu as the user may see it."""
    from django.apps import apps

    from chainlead.organization.permissions import get_scope

    scope = get_scope(user) if user.is_authenticated else None
    out = []
    for group in MENU:
        items = []
        for item in group.items:
            if scope is None:
                continue
            if item.office_only and not scope.is_office:
                continue
            if item.model:
                model = apps.get_model(item.model)
                if not scope.can(model, "view"):
                    continue
            url = item.url
            if url:
                items.append({"label": item.label, "url": url})
        out.append({"key": group.key, "label": group.label, "items": items})
    return out

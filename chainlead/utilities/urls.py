"""URL helpers: the seven standard pages of a model from its views module."""

from django.urls import path


def model_urls(prefix: str, model_name: str, views_module, class_prefix: str):
    """``<prefix>/``, ``add/``, ``<pk>/``, ``<pk>/edit/``, ``<pk>/delete/``, ``bulk-edit/``,
    ``bulk-delete/`` named ``<model>_list`` … ``<model>_bulk_delete``."""
    v = lambda suffix: getattr(views_module, f"{class_prefix}{suffix}", None)  # noqa: E731
    patterns = [
        (f"{prefix}/", v("ListView"), "list"),
        (f"{prefix}/add/", v("EditView"), "add"),
        (f"{prefix}/bulk-edit/", v("BulkEditView"), "bulk_edit"),
        (f"{prefix}/bulk-delete/", v("BulkDeleteView"), "bulk_delete"),
        (f"{prefix}/<int:pk>/", v("View"), "detail"),
        (f"{prefix}/<int:pk>/edit/", v("EditView"), "edit"),
        (f"{prefix}/<int:pk>/delete/", v("DeleteView"), "delete"),
    ]
    return [
        path(route, view.as_view(), name=f"{model_name}_{name}")
        for route, view, name in patterns
        if view is not None
    ]

"""Template helpers of the chains app."""

from django import template
from django.urls import NoReverseMatch

register = template.Library()


def url_of(obj) -> str | None:
    """``obj.get_absolute_url()``, or None while the page it points to does not exist yet (the
    projects and enterprises pages are built in parallel with this app)."""
    if obj is None:
        return None
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


@register.filter
def url_or_none(obj):
    """{% with url=project|url_or_none %}{% if url %}<a href="{{ url }}">…{% endif %}{% endwith %}"""
    return url_of(obj)

"""Template helpers of the enterprises app: source tags as coloured badges."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from chainlead.enterprises.choices import SOURCE_TAG_COLORS, SourceTag

register = template.Library()

_LABELS = dict(SourceTag.choices)


def source_tag_badges(tags) -> str:
    """``["listed", "foreign"]`` → two coloured badges, in the order of the tag list."""
    if not tags:
        return mark_safe("")
    return format_html_join(
        " ",
        '<span class="badge bg-{}-lt" data-tag="{}">{}</span>',
        ((SOURCE_TAG_COLORS.get(t, "secondary"), t, _LABELS.get(t, t)) for t in tags),
    )


@register.filter(name="source_tags")
def source_tags_filter(tags):
    """{{ enterprise.source_tags|source_tags }}"""
    return source_tag_badges(tags)


@register.filter
def tag_badge(code, label):
    """One source tag's badge: {{ code|tag_badge:label }}"""
    return format_html(
        '<span class="badge bg-{}-lt">{}</span>', SOURCE_TAG_COLORS.get(code, "secondary"), label
    )

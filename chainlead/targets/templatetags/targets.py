"""Template filters of the targets pages: ``{% load targets %}``."""

from django import template

from chainlead.targets.formatting import format_quantity, format_rate

register = template.Library()


@register.filter
def qty(value):
    """12.00 → 12, 1250.50 → 1,250.5"""
    return format_quantity(value)


@register.filter
def rate(value):
    """85.04 → 85.0%"""
    return format_rate(value)


@register.filter
def target_status(target):
    """The status badge of a target; an overdue one reads "逾期" in red."""
    from chainlead.targets.tables import status_badge

    return status_badge(target)

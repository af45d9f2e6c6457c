from django.conf import settings

import chainlead


def platform(request):
    context = {
        "platform_name": settings.PLATFORM_NAME,
        "chainlead_version": chainlead.__version__,
        "business_date": settings.CHAINLEAD_TODAY,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from django.utils.functional import SimpleLazyObject

        from chainlead.core.models import Notification

        context["unread_notifications"] = SimpleLazyObject(
            lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
        )
    return context

from django.conf import settings

import chainlead


def platform(request):
    return {"platform_name": settings.PLATFORM_NAME, "chainlead_version": chainlead.__version__}

"""Password changes clear the must-change flag."""

from django.contrib.auth.signals import user_logged_in  # noqa: F401  (auth receivers live in .auth)

from chainlead.organization import auth  # noqa: F401  (connect the lockout receivers)

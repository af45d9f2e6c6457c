"""Exceptions the services and views share."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class ConflictError(Exception):
    """Someone else saved the object after this user opened it (optimistic locking)."""

    def __init__(self, obj=None, message: str | None = None):
        self.obj = obj
        self.message = message or _(
            "保存失败：该记录在您打开之后已被他人修改。您的修改尚未保存，请刷新页面查看最新内容后重新填写。"
        )
        super().__init__(self.message)


class ServiceError(Exception):
    """A workflow verb refused: the message says what is wrong in plain words, ``field`` where."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        self.message = message
        self.field = field
        self.code = code
        super().__init__(message)


class ForbiddenAction(PermissionDenied):
    """The user may see the object but not do this to it (answers 403)."""

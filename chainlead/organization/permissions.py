"""Role × unit grants → what a user may do where.

A user holds roles in units (``RoleGrant``). Each role grants a set of actions; a grant covers
its unit and every unit below it in the tree. The oversight roles see everything: the office
(办公室管理员) may do anything anywhere, the leaders (区领导, 链长) may view everything.

A model narrows this with ``permission_roles`` (e.g. only the office may create units) and says
where its unit is with ``unit_paths``. ``RestrictedQuerySet.restrict(user, action)`` uses
``get_scope(user).units_for(model, action)``: ``None`` means unrestricted, otherwise the set of
unit ids the rows must belong to.
"""

from __future__ import annotations

from collections import defaultdict

from chainlead.organization.choices import Action, Role

ALL_ACTIONS = frozenset(Action.values)

#: What each role may do, inside its granted units.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICE_ADMIN: ALL_ACTIONS,
    Role.LEADER: frozenset({Action.VIEW, Action.APPROVE}),
    Role.CHAIN_LEADER: frozenset({Action.VIEW, Action.CHANGE, Action.APPROVE}),
    Role.UNIT_HEAD: frozenset(
        {Action.VIEW, Action.ADD, Action.CHANGE, Action.DELETE, Action.SUBMIT, Action.APPROVE}
    ),
    Role.REPORTER: frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.SUBMIT}),
    Role.VIEWER: frozenset({Action.VIEW}),
}

#: Actions a role may do everywhere, whatever unit the grant names (the oversight roles).
GLOBAL_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICE_ADMIN: ALL_ACTIONS,
    Role.LEADER: frozenset({Action.VIEW, Action.APPROVE}),
    Role.CHAIN_LEADER: frozenset({Action.VIEW}),
}

OVERSIGHT_ROLES = frozenset({Role.OFFICE_ADMIN, Role.LEADER, Role.CHAIN_LEADER})


def roles_for(model, action: str) -> frozenset[str]:
    """Roles that may do ``action`` on ``model`` at all."""
    roles = frozenset(r for r, actions in ROLE_ACTIONS.items() if action in actions)
    limits = getattr(model, "permission_roles", None) or {}
    if action in limits:
        roles &= frozenset(limits[action])
    return roles


class UserScope:
    """A user's grants, resolved once per request (cached on the user object)."""

    def __init__(self, user):
        from chainlead.organization.models import RoleGrant

        self.user = user
        self.is_superuser = bool(user.is_superuser)
        self.grants: list[tuple[str, int]] = list(
            RoleGrant.objects.filter(user_id=user.pk, unit__is_active=True).values_list("role", "unit_id")
        )
        self._subtrees: dict[int, frozenset[int]] = {}
        self._children: dict[int, list[int]] | None = None
        self._cache: dict[tuple, frozenset[int] | None] = {}

    @property
    def roles(self) -> set[str]:
        return {role for role, _unit in self.grants}

    @property
    def is_office(self) -> bool:
        return self.is_superuser or Role.OFFICE_ADMIN in self.roles

    @property
    def is_oversight(self) -> bool:
        return self.is_superuser or bool(self.roles & OVERSIGHT_ROLES)

    def unit_ids(self) -> set[int]:
        return {unit for _role, unit in self.grants}

    def _subtree(self, unit_id: int) -> frozenset[int]:
        if unit_id not in self._subtrees:
            if self._children is None:
                from chainlead.organization.models import Unit

                children: dict[int, list[int]] = defaultdict(list)
                for pk, parent in Unit.objects.filter(is_active=True).values_list("pk", "parent_id"):
                    children[parent].append(pk)
                self._children = children
            seen, stack = set(), [unit_id]
            while stack:
                node = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                stack.extend(self._children.get(node, ()))
            self._subtrees[unit_id] = frozenset(seen)
        return self._subtrees[unit_id]

    def can(self, model, action: str) -> bool:
        """May the user do ``action`` on some object of ``model`` (model-level check → 403)?"""
        if self.is_superuser:
            return True
        if self.grants and action in getattr(model, "public_actions", ()):
            return True  # open to everyone who holds some role (e.g. looking up an enterprise)
        allowed = roles_for(model, action)
        return any(role in allowed for role, _unit in self.grants)

    def units_for(self, model, action: str) -> frozenset[int] | None:
        """Unit ids whose objects the user may ``action``; ``None`` means all."""
        if self.is_superuser:
            return None
        if self.grants and action in getattr(model, "public_actions", ()):
            return None
        key = (model, action)
        if key not in self._cache:
            allowed = roles_for(model, action)
            result: frozenset[int] | None
            if any(role in allowed and action in GLOBAL_ACTIONS.get(role, ()) for role, _u in self.grants):
                result = None
            else:
                ids: set[int] = set()
                for role, unit in self.grants:
                    if role in allowed:
                        ids |= self._subtree(unit)
                result = frozenset(ids)
            self._cache[key] = result
        return self._cache[key]

    def has_perm(self, obj, action: str) -> bool:
        """May the user do ``action`` to this object?"""
        if not self.can(type(obj), action):
            return False
        units = self.units_for(type(obj), action)
        if units is None:
            return True
        return type(obj)._default_manager.restrict(self.user, action).filter(pk=obj.pk).exists()


def get_scope(user) -> UserScope:
    """The user's resolved grants, cached on the user object for the rest of the request."""
    scope = getattr(user, "_chainlead_scope", None)
    if scope is None:
        scope = UserScope(user)
        user._chainlead_scope = scope
    return scope


def invalidate_scope(user) -> None:
    if hasattr(user, "_chainlead_scope"):
        del user._chainlead_scope

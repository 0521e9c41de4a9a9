"""What each city role may do in the back office, as Django groups kept in step with code.

Object-level rules (who may change *this* organization) live in each app's rules.py; these
groups only open the back office to city staff. Apps are named by label, so accounts does
not import the apps above it.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import User

# role → (group name, {app label: actions})
ROLE_GROUPS = {
    User.Role.OFFICIAL: (
        "Urzędnicy",
        {
            "organizations": {"view", "change"},
            "city": {"view"},
            "pages": {"view"},
            "core": {"view"},
        },
    ),
    User.Role.COORDINATOR: (
        "Koordynatorzy",
        {
            "organizations": {"view", "change"},
            "city": {"view", "change"},
            "pages": {"view", "change"},
            "core": {"view"},
        },
    ),
}


def sync_role_groups():
    """Create the groups and give them exactly the permissions listed above."""
    for group_name, grants in ROLE_GROUPS.values():
        group, _ = Group.objects.get_or_create(name=group_name)
        query = Q(pk__in=[])
        for app_label, actions in grants.items():
            for action in actions:
                query |= Q(content_type__app_label=app_label, codename__startswith=f"{action}_")
        group.permissions.set(Permission.objects.filter(query))


def apply_role(user):
    """Staff roles open the back office with their group; other roles close it."""
    staff_groups = {name for name, _ in ROLE_GROUPS.values()}
    user.groups.remove(*Group.objects.filter(name__in=staff_groups))
    if user.role in ROLE_GROUPS:
        group_name, _ = ROLE_GROUPS[user.role]
        group, _ = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
    user.is_staff = user.role in ROLE_GROUPS or user.role == User.Role.PLATFORM_ADMIN
    user.is_superuser = user.role == User.Role.PLATFORM_ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])

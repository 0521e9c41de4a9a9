"""What each city role may do in the back office, as Django groups kept in step with code.

`manage.py sync_roles` gives each group exactly the permissions listed in ROLE_GROUPS,
model by model; the back office follows them (Django checks `<app>.<action>_<model>`
on every page, inline and action). Platform administrators are superusers and may do
everything.

What the site leaves to an organization itself or to platform administrators is not
given to any staff role, and the admin classes of those models refuse it even if a
group were given it by hand (`PlatformAdminOnlyMixin` in core.admin):

- memberships, invitations and claim requests: an organization's admins invite, hand
  over administration and decide claims on the site, with their own audit entries; an
  official who could edit them could make themselves an organization's administrator;
- verification of an organization (the verify/reject actions and the field): platform
  administrators, `organizations.verify_organization` in organizations/rules.py;
- user accounts and roles, the audit trail (read-only for everyone), KRS watch runs
  (written by the nightly job);
- which department a staff account acts for (`city.Official`), which decides whose
  calls and schedule entries it may change; and the numbers the law sets
  (`competitions.LegalRules`).

Object-level rules (who may change *this* organization on the site) live in each app's
rules.py. Apps and models are named by label, so accounts does not import the apps
above it.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import User

VIEW = {"view"}
CHANGE = {"view", "change"}

# Models only platform administrators add, change or delete (see above). A grant of
# anything but "view" on them is refused by sync_role_groups.
RESERVED_MODELS = {
    "accounts.user",
    "core.auditentry",
    "organizations.membership",
    "organizations.invitation",
    "organizations.claimrequest",
    "organizations.krswatchrun",
    "city.official",
    "competitions.legalrules",
    # Subscribers' addresses are for platform admins only (newsletter/admin.py).
    "newsletter.subscriber",
    "newsletter.digestdelivery",
}

# role → (group name, {"app_label.model": actions})
ROLE_GROUPS = {
    # Officials keep the directory right: they review records (the KRS watch's hidden
    # ones too) and correct their data; everything else they may only look at.
    User.Role.OFFICIAL: (
        "Urzędnicy",
        {
            "organizations.organization": CHANGE,
            "organizations.membership": VIEW,
            "organizations.invitation": VIEW,
            "organizations.claimrequest": VIEW,
            "organizations.krswatchrun": VIEW,
            "organizations.publicbenefitarea": VIEW,
            "organizations.district": VIEW,
            "organizations.targetgroup": VIEW,
            "city.department": VIEW,
            "city.coordinator": VIEW,
            "city.official": VIEW,
            "city.trainingtopic": VIEW,
            # Dialogue bodies are kept on the site by their keepers (city/rules.py).
            "city.dialoguebody": VIEW,
            "city.bodymember": VIEW,
            "city.bodymeeting": VIEW,
            "city.opinion": VIEW,
            "city.opinionrequest": VIEW,
            # Studies are submitted, moderated and hidden on the site (library/views.py);
            # the back office corrects a study's description, audited. Topics: read only.
            "library.study": CHANGE,
            "library.researchtopic": VIEW,
            "pages.page": VIEW,
            "pages.accessibilitydeclaration": VIEW,
            "core.auditentry": VIEW,
            # Their own department's entries only (competitions/admin.py, rules.py).
            "competitions.plannedcall": {"view", "add", "change", "delete"},
            "competitions.callschedule": VIEW,
            "competitions.legalrules": VIEW,
            # Requests to their own department only (competitions/request_admin.py): they
            # read them and answer them; nobody edits what an organization wrote.
            "competitions.cityrequest": CHANGE,
            # Calls of their own department: drafts deleted, published ones annulled.
            "competitions.call": {"view", "add", "change", "delete", "publish"},
            "competitions.criterion": {"view", "add", "change", "delete"},
            "competitions.callattachment": {"view", "add", "change", "delete"},
            "competitions.callversion": VIEW,
            "competitions.callquestion": CHANGE,
            # Submitted offers to their department (offers/admin.py): read only.
            "offers.offer": VIEW,
            "offers.offercomment": VIEW,
            # Rooms are decided on the site by their managers; the back office shows them.
            "venues.building": VIEW,
            "venues.room": VIEW,
            "venues.booking": VIEW,
            "venues.supportplace": VIEW,
            "newsletter.digest": VIEW,
            # Events are moderated on the site (events/views.py); the back office shows them.
            "events.event": VIEW,
            "events.registration": VIEW,
            "events.mentor": VIEW,
            "events.mentoringslot": VIEW,
            "events.mentoringbooking": VIEW,
        },
    ),
    # Coordinators also keep the city's own content: departments and coordinators, the
    # editable pages, and the plain-language names and search synonyms of the areas and
    # target groups. Districts and the statute's areas are added by platform admins.
    User.Role.COORDINATOR: (
        "Koordynatorzy",
        {
            "organizations.organization": CHANGE,
            "organizations.membership": VIEW,
            "organizations.invitation": VIEW,
            "organizations.claimrequest": VIEW,
            "organizations.krswatchrun": VIEW,
            "organizations.publicbenefitarea": CHANGE,
            "organizations.district": VIEW,
            "organizations.targetgroup": CHANGE,
            "city.department": CHANGE,
            "city.coordinator": CHANGE,
            "city.official": VIEW,
            # The topics the training-needs survey asks about and trainings are tagged with.
            "city.trainingtopic": {"view", "add", "change", "delete"},
            # The council and the commissions: their composition and records.
            "city.dialoguebody": {"view", "add", "change"},
            "city.bodymember": {"view", "add", "change", "delete"},
            "city.bodymeeting": {"view", "add", "change", "delete"},
            "city.opinion": CHANGE,
            "city.opinionrequest": CHANGE,
            "library.study": CHANGE,
            "library.researchtopic": VIEW,
            "pages.page": CHANGE,
            "pages.accessibilitydeclaration": CHANGE,
            "core.auditentry": VIEW,
            # A coordinator gathers the departments' plans into the year's schedule and
            # publishes it; entries of their own department only, like officials.
            "competitions.plannedcall": {"view", "add", "change", "delete"},
            "competitions.callschedule": {"view", "add", "change"},
            "competitions.legalrules": VIEW,
            "competitions.cityrequest": CHANGE,
            "competitions.call": {"view", "add", "change", "delete", "publish"},
            "competitions.criterion": {"view", "add", "change", "delete"},
            "competitions.callattachment": {"view", "add", "change", "delete"},
            "competitions.callversion": VIEW,
            "competitions.callquestion": CHANGE,
            # Submitted offers to their department (offers/admin.py): read only.
            "offers.offer": VIEW,
            "offers.offercomment": VIEW,
            # The city's buildings, rooms (with their managers) and support places; the
            # bookings themselves are decided on the site by the rooms' managers.
            "venues.building": {"view", "add", "change"},
            "venues.room": {"view", "add", "change"},
            "venues.booking": VIEW,
            "venues.supportplace": {"view", "add", "change", "delete"},
            # Their hours, photos and blocked periods are edited on the same pages.
            "venues.buildinghours": {"view", "add", "change", "delete"},
            "venues.roomhours": {"view", "add", "change", "delete"},
            "venues.roomphoto": {"view", "add", "change", "delete"},
            "venues.blockedperiod": {"view", "add", "change", "delete"},
            "venues.supportplacehours": {"view", "add", "change", "delete"},
            # The newsletter's news and its send log (counts only, no addresses).
            "newsletter.digest": VIEW,
            "newsletter.news": {"view", "add", "change", "delete"},
            "events.event": VIEW,
            "events.registration": VIEW,
            # Who may publish consultation slots besides staff (events.Mentor).
            "events.mentor": {"view", "add", "change"},
            "events.mentoringslot": VIEW,
            "events.mentoringbooking": VIEW,
        },
    ),
}


def _check_reserved():
    for group_name, grants in ROLE_GROUPS.values():
        for model, actions in grants.items():
            if model in RESERVED_MODELS and actions - VIEW:
                raise ValueError(f"{group_name} may only view {model}")


def sync_role_groups():
    """Create the groups and give them exactly the permissions listed above."""
    _check_reserved()
    for group_name, grants in ROLE_GROUPS.values():
        group, _ = Group.objects.get_or_create(name=group_name)
        query = Q(pk__in=[])
        for model, actions in grants.items():
            app_label, model_name = model.split(".")
            for action in actions:
                query |= Q(content_type__app_label=app_label, codename=f"{action}_{model_name}")
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

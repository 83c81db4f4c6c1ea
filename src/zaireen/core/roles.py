"""The roles people hold in Zaireen (DESIGN.md, "Users and what each may do")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    CONSULAR_OFFICER = "consular_officer", _("Consular officer")
    ORGANISER_ADMIN = "organiser_admin", _("Organiser admin")
    ORGANISER_STAFF = "organiser_staff", _("Organiser staff")
    GROUP_LEADER = "group_leader", _("Group leader")
    PILGRIM = "pilgrim", _("Pilgrim")
    CROWD_PLANNER = "crowd_planner", _("Crowd planner")


# Roles that work for one organiser and see only that organiser's data.
ORGANISER_ROLES = frozenset({Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF, Role.GROUP_LEADER})
# Officials of the state, who see across organisers.
OFFICIAL_ROLES = frozenset({Role.MINISTRY_OFFICER, Role.CONSULAR_OFFICER})
# Roles that sign in with a phone number and a one-time code instead of a password.
PHONE_LOGIN_ROLES = frozenset({Role.GROUP_LEADER, Role.PILGRIM})

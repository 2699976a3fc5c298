"""Names shared by the per-app permission tables."""

from calldesk.apps.accounts.roles import Role

R = Role
STAFF = frozenset(r for r in Role if r != Role.CLIENT)
EVERYONE = frozenset(Role)
PUBLIC = "public"
# A third element "post" marks a view that answers POST only (tested with and without CSRF).

"""The home page (/): each signed-in role's own home (portal.homes), the public portal (portal.public) for the
public and anonymous visitors."""

from leitai.portal.homes.views import page_for
from leitai.portal.public import views as public_views


def home(request):
    """Organizers, reporters, judges and citizen supervisors get their home; everyone else the public portal."""
    page = page_for(request)
    if page is not None:
        return page
    return public_views.home(request)  # the public portal (portal/public/)

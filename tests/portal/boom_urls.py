"""The site's URLconf with one view that fails, for the 500 page's tests (handler500 is the site's own)."""

from django.urls import path

from leitai.config.urls import handler500
from leitai.config.urls import urlpatterns as site

__all__ = ["handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *site]

"""URL map: pages per app, the JSON API under /api/v1/, admin, language switch."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from leitai.config.api import api

admin.site.site_header = _("擂台 Leitai 管理后台")
admin.site.site_title = _("擂台 Leitai")
admin.site.index_title = _("考核办设置")

urlpatterns = [
    path("", include("leitai.portal.urls")),
    path("accounts/", include("leitai.accounts.urls")),
    path("units/", include("leitai.portal.profiles.urls")),
    path("public/", include("leitai.portal.public.urls")),
    path("data/", include("leitai.indicators.urls")),
    path("rankings/", include("leitai.rankings.urls")),
    path("arena/", include("leitai.arena.urls")),
    path("tracking/", include("leitai.tracking.urls")),
    path("assessment/", include("leitai.assessment.urls")),
    path("awards/", include("leitai.awards.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# 403 and 404: Django's handlers with templates/403.html and 404.html; 500 without the request's context processors.
handler500 = "leitai.portal.errors.server_error"
# Nothing under MEDIA_ROOT is served directly: each uploaded file has a view that checks who may see it
# (leitai.uploads).

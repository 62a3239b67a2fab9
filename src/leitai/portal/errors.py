"""The 500 page (handler500 in config.urls): the site's layout in the visitor's language, rendered without the
request's context processors — a failing database, a failing processor must not stop the error page itself.
403 and 404 are Django's own handlers with templates/403.html and templates/404.html."""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def server_error(request):
    try:
        body = loader.get_template("500.html").render({})  # no request: no context processors
    except Exception:  # the layout itself failed: a bare page still says what happened
        log.exception("the 500 page could not be rendered")
        body = f"<!doctype html><meta charset=utf-8><h1>{_('服务器出错')}</h1><p><a href=\"/\">{_('返回首页')}</a></p>"
    return HttpResponseServerError(body)

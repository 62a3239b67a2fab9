"""Inputs no database can store: a NUL character (\\0) in a query parameter, a form field or a JSON string.
PostgreSQL refuses such text outright (a server error deep in a query), SQLite stores it; either way it is
never a real value. The request is refused up front, naming the field: 422 {"detail": …} on the API, 400 on
pages — the same on both engines."""

from __future__ import annotations

import json

from django.http import HttpResponseBadRequest, JsonResponse

from leitai.lang import pick

NUL = "\x00"


def _in_json(value, path: str = "") -> str | None:
    """The first field (dotted path) of parsed JSON whose key or text holds a NUL, or None."""
    if isinstance(value, str):
        return path or "body" if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return where
            found = _in_json(item, where)
            if found:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _in_json(item, f"{path}[{i}]")
            if found:
                return found
    return None


def nul_field(request) -> str | None:
    """The name of the first input of the request that holds a NUL character, or None."""
    # The API reads JSON bodies only (no endpoint takes a form): parsing one as a form here would consume the
    # stream the API then reads its body from (a form-encoded POST to the API answered 500 instead of 422).
    form = request.method == "POST" and not request.path.startswith("/api/")
    for data in (request.GET, request.POST) if form else (request.GET,):
        for key, values in data.lists():
            if NUL in key or any(NUL in v for v in values):
                return key.replace(NUL, "\\0")
    if request.content_type == "application/json" and b"\\u0000" in request.body:
        try:
            return _in_json(json.loads(request.body))
        except ValueError:
            return None  # not JSON: the view says so
    return None


class RefuseNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = nul_field(request)
        if field is None:
            return self.get_response(request)
        message = pick(f"“{field}”含有空字符（\\0），不是有效的输入", f"{field} holds a NUL character (\\0): not a valid input")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=422, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

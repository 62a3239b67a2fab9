"""The JSON API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs): one router per app."""

from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from leitai.core.errors import LeitaiError

# Every answer's body is {"detail": text}; an operation with inputs may answer 422 with the field it refused.
ERROR_BODY = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
WHERE = {"path": ("路径", "path"), "query": ("查询参数", "query parameter"), "body": ("请求体", "body"),
         "form": ("表单", "form"), "file": ("文件", "file"), "header": ("请求头", "header"),
         "cookie": ("Cookie", "cookie")}
PROBLEM = {"missing": ("缺少此项", "is missing"), "int_parsing": ("应为整数", "must be an integer"),
           "float_parsing": ("应为数字", "must be a number"), "bool_parsing": ("应为 true 或 false", "must be true or false"),
           "date_from_datetime_parsing": ("应为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)"),
           "date_parsing": ("应为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)"),
           "enum": ("应为以下之一：%s", "must be one of: %s"), "string_type": ("应为文本", "must be text"),
           "int_type": ("应为整数", "must be an integer"), "dict_type": ("应为对象", "must be an object"),
           "list_type": ("应为列表", "must be a list"), "model_attributes_type": ("应为对象", "must be an object"),
           "json_invalid": ("不是有效的 JSON", "is not valid JSON"),
           "less_than_equal": ("不能大于 %s", "must be at most %s"), "greater_than_equal": ("不能小于 %s", "must be at least %s")}


class LeitaiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The published schema says what every operation with inputs may answer when they are invalid."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if (operation.get("parameters") or operation.get("requestBody")) and not {422, "422"} & set(responses):
                    responses[422] = {
                        "description": "Invalid input (the field and why, in the caller's language)",
                        "content": {"application/json": {"schema": ERROR_BODY}}}
                # Ninja numbers the status codes: a second "422" beside 422 would be a duplicate key in the JSON.
                if operation.get("requestBody") and not {400, "400"} & set(responses):
                    responses[400] = {
                        "description": "The body cannot be read (not JSON)",
                        "content": {"application/json": {"schema": ERROR_BODY}}}
        return schema


api = LeitaiAPI(title="Leitai 擂台 API", version="1", urls_namespace="api")


def describe_invalid(errors: list[dict], lang: str) -> str:
    """Ninja's list of refused inputs as one sentence in the caller's language, naming each field."""
    english = lang.startswith("en")
    parts = []
    for error in errors[:5]:
        loc = [str(x) for x in error.get("loc", ())]
        where = WHERE.get(loc[0], (loc[0], loc[0]))[english] if loc else ""
        field = ".".join(loc[1:]) or where
        zh_en = PROBLEM.get(error.get("type", ""))
        if zh_en is None:
            problem = "is not valid" if english else "无效"
        else:
            problem = zh_en[english]
            if "%s" in problem:
                ctx = error.get("ctx") or {}
                problem %= ctx.get("expected") or ctx.get("le") or ctx.get("ge") or ""
        parts.append(f"{where} {field} {problem}" if english else f"{where}“{field}”{problem}")
    return ("; " if english else "；").join(parts)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """Ninja's own refusals; an unreadable body is said in the caller's language like every other error."""
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        english = getattr(request, "LANGUAGE_CODE", "zh-hans").startswith("en")
        message = "The request body cannot be read: it must be JSON" if english else "请求体无法读取：应为 JSON"
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    lang = getattr(request, "LANGUAGE_CODE", "zh-hans")
    return api.create_response(request, {"detail": describe_invalid(exc.errors, lang)}, status=422)


@api.exception_handler(LeitaiError)
def domain_error(request, exc: LeitaiError):
    lang = getattr(request, "LANGUAGE_CODE", "zh-hans")
    return api.create_response(request, {"detail": exc.message(lang)}, status=422)


def _mount() -> None:
    from leitai.arena.api import router as arena_router
    from leitai.assessment.api import router as assessment_router
    from leitai.awards.api import router as awards_router
    from leitai.indicators.api import router as indicators_router
    from leitai.portal.profiles.api import router as profile_router
    from leitai.rankings.api import router as rankings_router
    from leitai.tracking.api import router as tracking_router
    from leitai.units.api import router as units_router

    api.add_router("/units/", units_router)
    api.add_router("/units/", profile_router)
    api.add_router("/data/", indicators_router)
    api.add_router("/rankings/", rankings_router)
    api.add_router("/arena/", arena_router)
    api.add_router("/tracking/", tracking_router)
    api.add_router("/assessment/", assessment_router)
    api.add_router("/awards/", awards_router)


_mount()

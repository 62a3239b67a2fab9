"""The JSON API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs): one router per app."""

from ninja import NinjaAPI

from leitai.core.errors import LeitaiError

api = NinjaAPI(title="Leitai 擂台 API", version="1", urls_namespace="api")


@api.exception_handler(LeitaiError)
def domain_error(request, exc: LeitaiError):
    lang = getattr(request, "LANGUAGE_CODE", "zh-hans")
    return api.create_response(request, {"detail": exc.message(lang)}, status=422)


def _mount() -> None:
    from leitai.arena.api import router as arena_router
    from leitai.assessment.api import router as assessment_router
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


_mount()

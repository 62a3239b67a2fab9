"""Rubric templates (评分规则模板) and the default panel: what a new arena starts with.

Every criterion is out of 10 with a step of 0.5, so a judge's total (the weighted mean) is a mark out of
10 whatever the template. The organizer edits criteria, weights and groups before the day
(services.update_rubric); once a sheet exists the rubric is frozen.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Wenzhou's six comparisons (六比) and Weifang's four aspects (站位、重点、措施、成效): docs/arena.md, 评分规则.
RUBRIC_TEMPLATES: dict[str, list[dict]] = {
    "liubi": [
        {"code": "quality", "name": "比质量", "weight": 1, "max": 10, "step": 0.5},
        {"code": "position", "name": "比位次", "weight": 1, "max": 10, "step": 0.5},
        {"code": "innovation", "name": "比创新", "weight": 1, "max": 10, "step": 0.5},
        {"code": "project", "name": "比项目", "weight": 1, "max": 10, "step": 0.5},
        {"code": "environment", "name": "比环境", "weight": 1, "max": 10, "step": 0.5},
        {"code": "responsibility", "name": "比担当", "weight": 1, "max": 10, "step": 0.5},
    ],
    "four": [
        {"code": "stance", "name": "站位", "weight": 1, "max": 10, "step": 0.5},
        {"code": "focus", "name": "重点", "weight": 1, "max": 10, "step": 0.5},
        {"code": "measures", "name": "措施", "weight": 1, "max": 10, "step": 0.5},
        {"code": "results", "name": "成效", "weight": 1, "max": 10, "step": 0.5},
    ],
}

TEMPLATE_NAMES = {"liubi": _("六比（质量、位次、创新、项目、环境、担当）"), "four": _("站位、重点、措施、成效")}

# The panel (考官团): city leaders weigh more and lose one top and one bottom sheet; the larger group of
# representatives of society loses two of each.
DEFAULT_GROUPS: list[dict] = [
    {"code": "leaders", "name": "市领导", "weight": 0.6, "trim": 1},
    {"code": "public", "name": "社会各界代表", "weight": 0.4, "trim": 2},
]

# Ties in the final score are broken by the leaders' group score.
DEFAULT_TIE_BREAK = ["leaders"]


def template_criteria(template: str) -> list[dict]:
    """A fresh copy of a template's criteria (KeyError for an unknown template)."""
    return [dict(c) for c in RUBRIC_TEMPLATES[template]]

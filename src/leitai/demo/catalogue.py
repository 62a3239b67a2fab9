"""The demo's indicator catalogue and assessment plans, with the parameters the generator draws values from.

Generation parameters (`gen`):
  growth / rate / level: mean (a county's typical value), sd (spread between units), noise (month-to-month,
    autocorrelated), trend (change per year), season ("winter": high in winter; "ramp": builds up over the
    year, e.g. the share of key projects started), count (a whole number drawn around the mean)
  ytd: annual (a county's typical full-year total), cv (spread between units), growth (yearly growth of the
    total), season ("normal" or "late": most of it lands in Q4), count (whole numbers)
Amounts (ytd, and counts) scale with the unit kind: a zone is smaller than a county, a town much smaller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = [
    ("econ", "经济发展", 1),
    ("project", "项目建设", 2),
    ("innov", "创新开放", 3),
    ("people", "民生与生态", 4),
    ("service", "营商环境", 5),
]

KIND_SCALE = {"county": 1.0, "zone": 0.7, "town": 0.1, "department": 1.0}

CZ = ("county", "zone")


@dataclass(frozen=True)
class IndicatorDef:
    """An indicator of the demo catalogue and how its values are generated."""

    code: str
    name: str
    name_en: str
    measure: str
    direction: int
    category: str
    value_type: str
    lo: float
    hi: float
    decimals: int
    applies_to: tuple[str, ...]
    gen: dict = field(default_factory=dict)


def _i(code, name, name_en, measure, direction, category, value_type, lo, hi, decimals, applies_to, **gen):
    return IndicatorDef(code, name, name_en, measure, direction, category, value_type, lo, hi, decimals,
                        tuple(applies_to), gen)


INDICATORS: list[IndicatorDef] = [
    # 经济发展
    _i("gdp_growth", "地区生产总值增速", "GDP growth", "%", 1, "econ", "growth", -20, 30, 1, CZ,
       mean=5.4, sd=1.2, noise=0.3, trend=-0.2),
    _i("ind_va_growth", "规上工业增加值增速", "Value added of large industry, growth", "%", 1, "econ", "growth",
       -30, 50, 1, CZ, mean=6.8, sd=2.6, noise=0.9),
    _i("fai_growth", "固定资产投资增速", "Fixed-asset investment growth", "%", 1, "econ", "growth", -50, 80, 1, CZ,
       mean=4.5, sd=4.0, noise=1.5, trend=-1.0),
    _i("retail_growth", "社会消费品零售总额增速", "Retail sales growth", "%", 1, "econ", "growth", -30, 50, 1, CZ,
       mean=6.0, sd=1.5, noise=0.7, trend=-0.8),
    _i("budget_rev_growth", "一般公共预算收入增长", "Budget revenue growth", "%", 1, "econ", "growth", -50, 80, 1, CZ,
       mean=4.2, sd=3.2, noise=1.4),
    _i("tax_share", "税收占比", "Tax share of budget revenue", "%", 1, "econ", "rate", 30, 100, 1, CZ,
       mean=72.0, sd=7.0, noise=1.0, trend=0.8),
    _i("wholesale_growth", "限上批发业销售额增速", "Wholesale sales growth (above threshold)", "%", 1, "econ", "growth",
       -50, 80, 1, CZ, mean=8.0, sd=4.0, noise=2.0),
    _i("service_rev_growth", "规上服务业营业收入增速", "Revenue growth of large service firms", "%", 1, "econ", "growth",
       -50, 80, 1, CZ, mean=7.5, sd=3.0, noise=1.5),
    _i("ind_output", "规上工业总产值", "Output of large industry", "亿元", 1, "econ", "ytd", 0, 20000, 1, CZ,
       annual=620.0, cv=0.55, growth=0.06),
    _i("budget_rev", "一般公共预算收入", "Budget revenue", "亿元", 1, "econ", "ytd", 0, 2000, 2, CZ,
       annual=46.0, cv=0.5, growth=0.04),
    _i("marine_share", "海洋生产总值占比", "Marine economy share of GDP", "%", 1, "econ", "rate", 0, 80, 1, CZ,
       mean=14.0, sd=4.0, noise=0.3, trend=0.5),
    _i("business_climate", "企业景气指数", "Business climate index", "点", 1, "econ", "level", 50, 200, 1, CZ,
       mean=118.0, sd=5.0, noise=2.0, trend=1.0),
    _i("confidence", "企业家信心指数", "Entrepreneur confidence index", "点", 1, "econ", "level", 50, 200, 1, CZ,
       mean=122.0, sd=5.0, noise=2.0, trend=1.2),
    _i("npl_ratio", "不良贷款率", "Non-performing loan ratio", "%", -1, "econ", "rate", 0, 10, 2, CZ,
       mean=1.25, sd=0.35, noise=0.05, trend=-0.08),
    _i("loan_growth", "金融机构贷款余额增速", "Loan balance growth", "%", 1, "econ", "growth", -20, 50, 1, CZ,
       mean=10.5, sd=2.2, noise=0.5, trend=-0.6),
    _i("new_product_growth", "新产品产值增速", "New-product output growth", "%", 1, "econ", "growth", -50, 100, 1, CZ,
       mean=12.0, sd=5.0, noise=2.0),
    _i("tax_buildings", "新增税收亿元楼", "New buildings paying over 100 million yuan in tax", "个", 1, "econ", "ytd",
       0, 50, 0, CZ, annual=1.6, cv=0.7, season="late", count=True),
    # 项目建设
    _i("key_project_start", "重点项目开工率", "Key-project start rate", "%", 1, "project", "rate", 0, 100, 1, CZ,
       mean=93.0, sd=4.0, noise=1.5, season="ramp"),
    _i("key_project_invest", "重点项目完成投资", "Investment completed in key projects", "亿元", 1, "project", "ytd",
       0, 3000, 1, CZ, annual=125.0, cv=0.5, growth=0.05),
    _i("fai", "完成固定资产投资", "Fixed-asset investment completed", "亿元", 1, "project", "ytd", 0, 5000, 1,
       ("county", "zone", "town"), annual=380.0, cv=0.45, growth=0.04),
    _i("upgrade_invest_growth", "工业技改投资增速", "Industrial upgrade investment growth", "%", 1, "project", "growth",
       -60, 100, 1, CZ, mean=10.0, sd=6.0, noise=2.5),
    _i("ind_projects_started", "新开工工业项目", "Industrial projects started", "个", 1, "project", "ytd", 0, 500, 0, CZ,
       annual=32.0, cv=0.45, count=True),
    _i("ind_projects_done", "竣工投产工业项目", "Industrial projects completed and producing", "个", 1, "project", "ytd",
       0, 500, 0, CZ, annual=24.0, cv=0.45, season="late", count=True),
    _i("projects_over_05bn", "新引进过5亿元项目", "New projects over 0.5 billion yuan", "个", 1, "project", "ytd",
       0, 200, 0, CZ, annual=6.0, cv=0.6, count=True),
    _i("projects_over_5bn", "新引进过50亿元项目", "New projects over 5 billion yuan", "个", 1, "project", "ytd",
       0, 50, 0, CZ, annual=0.8, cv=0.8, count=True),
    _i("signed_over_01bn", "新签约投资过亿元项目", "New signed projects over 100 million yuan", "个", 1, "project", "ytd",
       0, 500, 0, CZ, annual=26.0, cv=0.5, count=True),
    _i("projects_signed", "签约项目数", "Projects signed", "个", 1, "project", "ytd", 0, 1000, 0,
       ("county", "zone", "town"), annual=42.0, cv=0.45, count=True),
    _i("promotion_trips", "外出招商次数", "Investment-promotion trips", "次", 1, "project", "ytd", 0, 1000, 0, CZ,
       annual=64.0, cv=0.35, count=True),
    _i("higher_funds", "争取上级资金", "Higher-level funds won", "亿元", 1, "project", "ytd", 0, 500, 2, CZ,
       annual=12.5, cv=0.5, season="late"),
    _i("urban_renewal", "城市更新项目推进数", "Urban-renewal projects advanced", "个", 1, "project", "ytd", 0, 200, 0, CZ,
       annual=9.0, cv=0.5, count=True),
    _i("villages_cleared", "城中村清零", "Villages-in-city cleared", "个", 1, "project", "ytd", 0, 100, 0, CZ,
       annual=3.0, cv=0.6, season="late", count=True),
    _i("bond_spending", "专项债券资金支出进度", "Special-bond spending progress", "%", 1, "project", "rate", 0, 100, 1, CZ,
       mean=95.0, sd=3.0, noise=2.0, season="ramp"),
    # 创新开放
    _i("digital_coverage", "规上企业数转智改覆盖率", "Digital-transformation coverage of large firms", "%", 1, "innov",
       "rate", 0, 100, 1, CZ, mean=56.0, sd=11.0, noise=0.6, trend=7.5),
    _i("smart_factories", "新培育智能工厂、数字车间", "New smart factories and digital workshops", "个", 1, "innov", "ytd",
       0, 200, 0, CZ, annual=9.0, cv=0.55, season="late", count=True),
    _i("high_tech_share", "高新技术产业增加值占比", "High-tech industry share of value added", "%", 1, "innov", "rate",
       0, 100, 1, CZ, mean=49.0, sd=9.0, noise=0.8, trend=1.2),
    _i("rd_growth", "研发经费投入增速", "R&D spending growth", "%", 1, "innov", "growth", -50, 100, 1, CZ,
       mean=12.5, sd=4.5, noise=1.8),
    _i("high_tech_firms", "新认定高新技术企业", "Newly certified high-tech firms", "家", 1, "innov", "ytd", 0, 1000, 0, CZ,
       annual=42.0, cv=0.5, season="late", count=True),
    _i("fdi", "实际使用外资", "Foreign investment actually used", "万美元", 1, "innov", "ytd", 0, 500000, 0, CZ,
       annual=8200.0, cv=0.7, growth=-0.03),
    _i("fdi_projects", "新招引落地外资项目", "New foreign-invested projects landed", "个", 1, "innov", "ytd", 0, 200, 0, CZ,
       annual=8.0, cv=0.55, count=True),
    _i("trade_growth", "进出口总额增速", "Import and export growth", "%", 1, "innov", "growth", -60, 100, 1, CZ,
       mean=4.0, sd=6.0, noise=2.5),
    _i("export_growth", "出口总额增速", "Export growth", "%", 1, "innov", "growth", -60, 100, 1, CZ,
       mean=5.5, sd=6.0, noise=2.5),
    _i("freight_trains", "中欧班列开行列数", "China–Europe freight trains run", "列", 1, "innov", "ytd", 0, 2000, 0, CZ,
       annual=36.0, cv=1.1, growth=0.12, count=True),
    _i("talents", "新引进高层次人才", "High-level talent recruited", "人", 1, "innov", "ytd", 0, 5000, 0, CZ,
       annual=65.0, cv=0.5, count=True),
    _i("patents", "每万人高价值发明专利拥有量", "High-value invention patents per 10,000 people", "件", 1, "innov",
       "level", 0, 200, 2, CZ, mean=12.0, sd=3.2, noise=0.1, trend=1.4),
    # 民生与生态
    _i("income_growth", "城乡居民人均可支配收入增速", "Per-capita disposable income growth", "%", 1, "people", "growth",
       -10, 30, 1, CZ, mean=5.9, sd=0.6, noise=0.2, trend=-0.2),
    _i("tourist_growth", "游客接待量增长", "Tourist arrivals growth", "%", 1, "people", "growth", -80, 200, 1, CZ,
       mean=9.0, sd=6.0, noise=3.0, trend=-6.0),
    _i("tourism_rev_growth", "旅游总收入增长", "Tourism revenue growth", "%", 1, "people", "growth", -80, 200, 1, CZ,
       mean=11.0, sd=6.0, noise=3.0, trend=-6.0),
    _i("employment", "城镇新增就业", "New urban jobs", "人", 1, "people", "ytd", 0, 500000, 0, CZ,
       annual=9200.0, cv=0.4),
    _i("unemployment", "城镇调查失业率", "Surveyed urban unemployment rate", "%", -1, "people", "rate", 0, 20, 1, CZ,
       mean=5.1, sd=0.3, noise=0.1, trend=-0.05),
    _i("pm25", "PM2.5 平均浓度", "PM2.5 concentration", "微克/立方米", -1, "people", "level", 0, 300, 0, CZ,
       mean=30.0, sd=5.0, noise=2.5, trend=-1.5, season="winter"),
    _i("good_air_days", "空气质量优良天数比例", "Share of days with good air", "%", 1, "people", "rate", 0, 100, 1, CZ,
       mean=88.0, sd=4.0, noise=1.5, trend=0.8),
    _i("water_quality", "地表水水质优良比例", "Share of surface water of good quality", "%", 1, "people", "rate",
       0, 100, 1, CZ, mean=86.0, sd=7.0, noise=1.5, trend=1.0),
    _i("safety_accidents", "安全生产事故起数", "Work-safety accidents", "起", -1, "people", "level", 0, 500, 0, CZ, mean=2.2, sd=0.8, count=True),
    _i("petitions", "信访总量", "Petitions (letters and visits)", "件", -1, "people", "level", 0, 10000, 0,
       ("county", "zone", "town"), mean=120.0, sd=35.0, noise=10.0, trend=-6.0, count=True),
    _i("hotline_rate", "12345热线按期办结率", "12345 hotline cases closed on time", "%", 1, "people", "rate", 0, 100, 1,
       ("county", "zone", "town", "department"), mean=96.0, sd=1.8, noise=0.8, trend=0.4),
    # Towns (乡镇街道)
    _i("town_tax_growth", "税收收入增速", "Tax revenue growth", "%", 1, "econ", "growth", -60, 100, 1, ("town",),
       mean=4.0, sd=5.0, noise=2.5),
    _i("new_large_firms", "新增规上企业数", "New firms above the size threshold", "家", 1, "econ", "ytd", 0, 200, 0,
       ("town",), annual=40.0, cv=0.5, season="late", count=True),
    _i("grid_closure", "基层网格事件办结率", "Grid incidents closed", "%", 1, "people", "rate", 0, 100, 1, ("town",),
       mean=95.5, sd=2.0, noise=1.0, trend=0.3),
    _i("env_complaints", "环境信访投诉件数", "Environmental complaints", "件", -1, "people", "level", 0, 1000, 0,
       ("town",), mean=80.0, sd=25.0, noise=6.0, trend=-4.0, count=True),
    # City departments (市直部门)
    _i("help_resolution", "助企服务问题化解率", "Business-help issues resolved", "%", 1, "service", "rate", 0, 100, 1,
       ("department",), mean=95.0, sd=2.4, noise=1.0, trend=0.6),
    _i("service_praise", "政务服务好评率", "Positive ratings of government services", "%", 1, "service", "rate",
       0, 100, 2, ("department",), mean=98.6, sd=0.6, noise=0.25, trend=0.2),
    _i("task_completion", "重点工作任务完成率", "Key tasks completed", "%", 1, "service", "rate", 0, 100, 1,
       ("department",), mean=97.0, sd=2.0, noise=1.5, season="ramp"),
    _i("proposal_satisfaction", "建议提案办理满意率", "Satisfaction with proposals handled", "%", 1, "service", "rate",
       0, 100, 1, ("department",), mean=97.2, sd=1.4, noise=0.5),
    _i("budget_execution", "预算执行进度", "Budget execution progress", "%", 1, "service", "rate", 0, 100, 1,
       ("department",), mean=96.0, sd=2.5, noise=2.0, season="ramp"),
    _i("approval_days", "行政审批平均办理时限", "Average approval time", "工作日", -1, "service", "level", 0, 60, 1,
       ("department",), mean=5.2, sd=1.4, noise=0.3, trend=-0.4),
    _i("supervision_closure", "督办事项按期办结率", "Supervised matters closed on time", "%", 1, "service", "rate",
       0, 100, 1, ("department",), mean=94.0, sd=3.0, noise=1.2, trend=0.5),
]

# Indicators that count double in the county plan: the ones the seeds put first.
HEAVY = {"gdp_growth", "key_project_start", "fai_growth", "digital_coverage", "tax_share", "fdi_projects",
         "ind_va_growth", "safety_accidents"}


def _spec(indicators, groups, *, scale, star_top_k, red, yellow, category_flags=True) -> dict:
    return {
        "normalization": "minmax",
        "scale": list(scale),
        "aggregation": "arithmetic",
        "indicators": [
            {"code": d.code, "direction": d.direction, "weight": 2.0 if d.code in HEAVY else 1.0,
             **({"group": d.category} if groups else {}), "name": d.name}
            for d in indicators
        ],
        "groups": [{"code": code, "weight": w, "name": name} for code, w, name in groups],
        "awards": {"star_top_k": star_top_k, "category_flags": category_flags and bool(groups),
                   "red_flags": red, "yellow_flags": yellow},
        "weak_k": 3,
    }


def plans() -> list[dict]:
    """The demo's assessment plans: counties and zones monthly, towns monthly, departments monthly."""
    names = {code: name for code, name, _ in CATEGORIES}
    county = [d for d in INDICATORS if "county" in d.applies_to and "zone" in d.applies_to]
    town = [d for d in INDICATORS if "town" in d.applies_to]
    dept = [d for d in INDICATORS if "department" in d.applies_to]
    county_groups = [("econ", 0.35, names["econ"]), ("project", 0.25, names["project"]),
                     ("innov", 0.2, names["innov"]), ("people", 0.2, names["people"])]
    town_groups = [("econ", 0.4, names["econ"]), ("project", 0.3, names["project"]), ("people", 0.3, names["people"])]
    return [
        {"code": "county-hq", "name": "县市区高质量发展综合考核", "unit_kinds": ["county", "zone"],
         "description": "月月大比拼：县市区和功能区按经济发展、项目建设、创新开放、民生与生态四大类指标逐月排位，摘星夺旗。",
         "spec": _spec(county, county_groups, scale=(60, 100), star_top_k=3, red=3, yellow=2)},
        {"code": "town-monthly", "name": "乡镇街道月度比拼", "unit_kinds": ["town"],
         "description": "镇街亮绩：全市乡镇街道按月比拼招商、投资、治理和安全。",
         "spec": _spec(town, town_groups, scale=(60, 100), star_top_k=5, red=5, yellow=5)},
        {"code": "dept-service", "name": "市直部门服务效能考评", "unit_kinds": ["department"],
         "description": "局长问政：市直部门按助企服务、政务服务和重点工作落实情况逐月考评。",
         "spec": _spec(dept, [], scale=(0, 100), star_top_k=3, red=3, yellow=3)},
    ]

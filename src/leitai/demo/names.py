"""Names of the fictional city 海川市: its counties, zones, towns, departments, sections and people."""

from __future__ import annotations

CITY = ("haichuan", "海川市", "海川", "Haichuan City")

# (code, name, short name, English name, head's title); districts first, then counties and a county-level city.
COUNTIES = [
    ("donggang", "东港区", "东港", "Donggang District", "区委书记"),
    ("xihu", "西湖区", "西湖", "Xihu District", "区委书记"),
    ("nanshan", "南山区", "南山", "Nanshan District", "区委书记"),
    ("beitang", "北塘区", "北塘", "Beitang District", "区委书记"),
    ("wanghai", "望海区", "望海", "Wanghai District", "区委书记"),
    ("linchuan", "临川县", "临川", "Linchuan County", "县委书记"),
    ("qingyang", "青阳县", "青阳", "Qingyang County", "县委书记"),
    ("yunxi", "云溪县", "云溪", "Yunxi County", "县委书记"),
    ("baisha", "白沙市", "白沙", "Baisha City", "市委书记"),
    ("qinghe", "清河县", "清河", "Qinghe County", "县委书记"),
    ("shiqiao", "石桥县", "石桥", "Shiqiao County", "县委书记"),
    ("songling", "松岭县", "松岭", "Songling County", "县委书记"),
]

ZONES = [
    ("gaoxin", "海川高新技术产业开发区", "高新区", "Haichuan High-tech Industrial Development Zone", "党工委书记"),
    ("lingang", "海川临港经济开发区", "临港区", "Haichuan Lingang Economic Development Zone", "党工委书记"),
    ("zonghe", "海川综合保税区", "综保区", "Haichuan Comprehensive Bonded Zone", "党工委书记"),
]

# Six towns or streets (街道) per county, in the order of COUNTIES.
TOWNS = {
    "donggang": ["东港街道", "海滨街道", "港城街道", "渔湾街道", "金沙街道", "盐田街道"],
    "xihu": ["西湖街道", "湖滨街道", "柳岸街道", "荷塘街道", "文澜街道", "翠屏街道"],
    "nanshan": ["南山街道", "桃源街道", "松涛街道", "竹林街道", "南苑街道", "紫荆街道"],
    "beitang": ["北塘街道", "河口街道", "鹤鸣街道", "银杏街道", "北辰街道", "长堤街道"],
    "wanghai": ["望海街道", "观澜街道", "潮音街道", "听涛街道", "云帆街道", "朝阳街道"],
    "linchuan": ["临川镇", "上河镇", "田坪镇", "石门乡", "清溪镇", "龙潭镇"],
    "qingyang": ["青阳镇", "黄岭镇", "枫林镇", "杏花乡", "双溪镇", "茶园乡"],
    "yunxi": ["云溪镇", "白云镇", "梅岭镇", "溪口镇", "桂花乡", "岩头镇"],
    "baisha": ["白沙街道", "沙洲街道", "凤凰镇", "长乐镇", "大桥镇", "太平镇"],
    "qinghe": ["清河镇", "新河镇", "柳林镇", "高桥乡", "马店镇", "五里镇"],
    "shiqiao": ["石桥镇", "花桥镇", "石塘镇", "溪头乡", "安仁镇", "横山镇"],
    "songling": ["松岭镇", "松溪镇", "林场乡", "岭头镇", "桃林镇", "柏树镇"],
}

# (code, name, short name, English name, head's title)
DEPARTMENTS = [
    ("fgw", "市发展改革委", "发展改革委", "Development and Reform Commission", "主任"),
    ("gxj", "市工业和信息化局", "工业和信息化局", "Bureau of Industry and Information Technology", "局长"),
    ("swj", "市商务局", "商务局", "Bureau of Commerce", "局长"),
    ("czj", "市财政局", "财政局", "Finance Bureau", "局长"),
    ("sthjj", "市生态环境局", "生态环境局", "Ecology and Environment Bureau", "局长"),
    ("wlj", "市文化和旅游局", "文化和旅游局", "Culture and Tourism Bureau", "局长"),
    ("kjj", "市科学技术局", "科学技术局", "Science and Technology Bureau", "局长"),
    ("tcj", "市投资促进局", "投资促进局", "Investment Promotion Bureau", "局长"),
    ("spj", "市行政审批服务局", "行政审批服务局", "Administrative Approval Service Bureau", "局长"),
    ("zjj", "市住房和城乡建设局", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau", "局长"),
    ("zrzyj", "市自然资源和规划局", "自然资源和规划局", "Natural Resources and Planning Bureau", "局长"),
    ("jtj", "市交通运输局", "交通运输局", "Transport Bureau", "局长"),
    ("nyncj", "市农业农村局", "农业农村局", "Agriculture and Rural Affairs Bureau", "局长"),
    ("slj", "市水利局", "水利局", "Water Resources Bureau", "局长"),
    ("rsj", "市人力资源和社会保障局", "人力资源和社会保障局", "Human Resources and Social Security Bureau", "局长"),
    ("jyj", "市教育局", "教育局", "Education Bureau", "局长"),
    ("wjw", "市卫生健康委", "卫生健康委", "Health Commission", "主任"),
    ("mzj", "市民政局", "民政局", "Civil Affairs Bureau", "局长"),
    ("yjglj", "市应急管理局", "应急管理局", "Emergency Management Bureau", "局长"),
    ("scjgj", "市市场监督管理局", "市场监督管理局", "Market Supervision Administration", "局长"),
    ("tjj", "市统计局", "统计局", "Statistics Bureau", "局长"),
    ("sjj", "市审计局", "审计局", "Audit Bureau", "局长"),
    ("sfj", "市司法局", "司法局", "Justice Bureau", "局长"),
    ("ybj", "市医疗保障局", "医疗保障局", "Healthcare Security Bureau", "局长"),
    ("cgj", "市城市管理局", "城市管理局", "Urban Management Bureau", "局长"),
    ("dsjj", "市大数据发展管理局", "大数据发展管理局", "Big Data Development Bureau", "局长"),
    ("hyj", "市海洋发展局", "海洋发展局", "Ocean Development Bureau", "局长"),
    ("jrj", "市地方金融管理局", "地方金融管理局", "Local Financial Regulatory Bureau", "局长"),
    ("gzw", "市国资委", "国资委", "State-owned Assets Commission", "主任"),
    ("xfj", "市信访局", "信访局", "Public Complaints and Proposals Bureau", "局长"),
    ("tyjrj", "市退役军人事务局", "退役军人事务局", "Veterans Affairs Bureau", "局长"),
    ("ksj", "市口岸办", "口岸办", "Port Office", "主任"),
]

# (department code, section code suffix, section name, English name)
SECTIONS = [
    ("fgw", "tzk", "市发展改革委投资科", "Investment Section"),
    ("fgw", "zdxm", "市发展改革委重大项目办", "Major Projects Office"),
    ("gxj", "szjj", "市工业和信息化局数字经济科", "Digital Economy Section"),
    ("swj", "wzk", "市商务局外资科", "Foreign Investment Section"),
    ("spj", "zwfw", "市行政审批服务局政务服务科", "Government Services Section"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
)
GIVEN = "建国华明伟强军平海涛志刚永东晓春立新宏文斌敏静丽燕红玲霞俊杰鹏飞宇浩然振兴国庆德光辉云峰林森博远晨阳"


def town_title(name: str) -> str:
    """The head's title of a town or street: 街道 have a 党工委, towns and townships a 党委."""
    return "党工委书记" if name.endswith("街道") else "党委书记"

"""Every amount the seed (2020 budget of 罗湖区科技创新局, text from its PDF) prints in its
tables, as printed, by table, row key (docs/disclosure-conventions.md) and column.

Written from the seed by hand, not from the importer: the import test compares the two.
"""

from __future__ import annotations

# 表1 / 表6: (row key, printed income amount or None, printed spending amount or None)
_RIGHT = [
    ("201", "303.18"), ("20132", "303.18"), ("2013299", "303.18"),
    ("206", "16,633.82"), ("20601", "600.71"), ("2060101", "511.71"), ("2060102", "89.00"),
    ("20604", "15,567.80"), ("2060499", "15,567.80"), ("20607", "410.00"), ("2060702", "410.00"),
    ("20608", "45.00"), ("2060899", "45.00"), ("20699", "10.32"), ("2069999", "10.32"),
    ("208", "100.70"), ("20805", "100.70"), ("2080501", "43.80"), ("2080505", "37.94"), ("2080506", "18.97"),
    ("210", "16.04"), ("21011", "16.04"), ("2101101", "16.04"),
    ("221", "90.38"), ("22102", "90.38"), ("2210201", "60.22"), ("2210203", "30.16"),
]
T1_LEFT = [("fiscal", "17,144.13"), ("general_budget", "17,144.13"), ("general_funds", "17,133.81"),
           ("special_funds", ""), ("investment", "10.32"), ("gov_fund", ""), ("special_account", ""),
           ("operating", ""), ("business", ""), ("other", "")]
T6_LEFT = [("general_budget", "17,144.13"), ("general_funds", "17,133.81"), ("special_funds", ""),
           ("investment", "10.32"), ("gov_fund", ""), ("special_account", "")]
# footers: (income amount, spending amount or None where the right side holds no amount)
T1_FOOTER: dict[str, tuple[str, str | None]] = {
    "income=this_year;exp=total": ("17,144.13", "17,144.13"),
    "income=superior_subsidy;exp=none": ("", None),
    "income=affiliated;exp=none": ("", None),
    "income=career_fund;exp=none": ("", None),
    "income=carryover;exp=blank": ("", None),
    "income=all;exp=total": ("17,144.13", "17,144.13"),
}
T6_FOOTER: dict[str, tuple[str, str | None]] = {
    "income=this_year;exp=total": ("17,144.13", "17,144.13"),
    "income=carryover;exp=none": ("", None),
    "income=this_year_and_carryover;exp=total": ("17,144.13", "17,144.13"),
}


def two_sided(left: list[tuple[str, str]], footer: dict[str, tuple[str, str | None]]) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for index in range(max(len(left), len(_RIGHT))):
        income, in_amount = left[index] if index < len(left) else ("", "")
        code, exp_amount = _RIGHT[index] if index < len(_RIGHT) else ("", "")
        cells = {"exp_amount": exp_amount}
        if income:
            cells["income_amount"] = in_amount
        rows[f"income={income};exp={code}"] = cells
    for key, (in_amount, exp_amount) in footer.items():
        rows[key] = {"income_amount": in_amount} if exp_amount is None else {"income_amount": in_amount,
                                                                               "exp_amount": exp_amount}
    return rows


# 表4: every row prints the same figure under 总计, 财政预算拨款小计, 一般公共预算拨款小计, 一般性经费拨款
_T4 = [
    ("total", "718.83"), ("301", "619.37"), ("30101", "66.87"), ("30102", "394.36"), ("30103", "5.57"),
    ("30108", "37.94"), ("30109", "18.97"), ("30110", "14.80"), ("30112", "1.24"), ("30113", "60.22"),
    ("30199", "19.39"), ("302", "55.67"), ("30201", "10.15"), ("30202", "0.68"), ("30203", "0.68"),
    ("30204", "0.34"), ("30207", "2.03"), ("30211", "3.38"), ("30213", "2.37"), ("30216", "1.35"),
    ("30226", "3.38"), ("30227", "6.77"), ("30228", "4.90"), ("30229", "0.96"), ("30231", "3.15"),
    ("30239", "12.83"), ("30299", "2.37"), ("31002", "0.34"), ("303", "43.80"), ("30302", "43.80"),
]

# 表7: (code, 支出总计, 基本支出, 项目支出)
_T7 = [
    ("total", "17,144.13", "718.83", "16,425.30"),
    ("201", "303.18", "", "303.18"), ("20132", "303.18", "", "303.18"), ("2013299", "303.18", "", "303.18"),
    ("206", "16,633.82", "511.71", "16,122.12"), ("20601", "600.71", "511.71", "89.00"),
    ("2060101", "511.71", "511.71", ""), ("2060102", "89.00", "", "89.00"),
    ("20604", "15,567.80", "", "15,567.80"), ("2060499", "15,567.80", "", "15,567.80"),
    ("20607", "410.00", "", "410.00"), ("2060702", "410.00", "", "410.00"),
    ("20608", "45.00", "", "45.00"), ("2060899", "45.00", "", "45.00"),
    ("20699", "10.32", "", "10.32"), ("2069999", "10.32", "", "10.32"),
    ("208", "100.70", "100.70", ""), ("20805", "100.70", "100.70", ""), ("2080501", "43.80", "43.80", ""),
    ("2080505", "37.94", "37.94", ""), ("2080506", "18.97", "18.97", ""),
    ("210", "16.04", "16.04", ""), ("21011", "16.04", "16.04", ""), ("2101101", "16.04", "16.04", ""),
    ("221", "90.38", "90.38", ""), ("22102", "90.38", "90.38", ""), ("2210201", "60.22", "60.22", ""),
    ("2210203", "30.16", "30.16", ""),
]

# 表13: (project key, 合计 = 一般公共预算拨款)
_T13 = [
    ("离退休老干部活动经费", "3.18"), ("粤港澳大湾区无人机大赛经费", "150.00"),
    ("罗湖区智能停车引导系统建设项目", "10.32"), ("菁英人才各项综合服务补贴", "300.00"),
    ("大梧桐新兴产业带工作经费（国检大厦租金）", "600.30"), ("自主创新经费", "150.00"), ("科协科普经费", "230.00"),
    ("三模基地维护经费", "30.00"), ("科技项目调研、咨询经费", "45.00"), ("预算准备金", "81.00"),
    ("大梧桐新兴产业带工作经费", "198.00"), ("产业转型升级资金", "13,800.00"), ("高交会、创客周组展项目", "60.00"),
    ("基层党组织党建工作经费", "8.00"), ("人才建设经费", "100.00"), ("创新驱动经费", "147.50"),
    ("人工智能特色小镇规划经费", "370.00"), ("大梧桐新兴产业带建设工作购买服务项目", "122.00"),
    ("安全生产监督管理经费（专项资金）", "20.00"),
]

# 表15: instance (project key) → 资金总额, 财政拨款, 其他资金 as printed
T15 = {
    "产业转型升级资金": ("13,800.00", "13,800.00", "0.00"),
    "大梧桐新兴产业带工作经费（国检大厦租金）": ("600.30", "600.30", "0.00"),
    "人工智能特色小镇规划经费": ("370.00", "370.00", "0.00"),
    "菁英人才各项综合服务补贴": ("300.00", "300.00", "0.00"),
    "科协科普经费": ("230.00", "230.00", "0.00"),
    "大梧桐新兴产业带工作经费": ("198.00", "198.00", "0.00"),
    "自主创新经费": ("150.00", "150.00", "0.00"),
    "粤港澳大湾区无人机大赛经费": ("150.00", "150.00", "0.00"),
    "创新驱动经费": ("147.50", "147.50", "0.00"),
    "大梧桐新兴产业带建设工作购买服务项目": ("122.00", "122.00", "0.00"),
    "人才建设经费": ("100.00", "100.00", "0.00"),
    "预算准备金": ("81.00", "81.00", "0.00"),
    "高交会、创客周组展项目": ("60.00", "60.00", "0.00"),
    "科技项目调研、咨询经费": ("45.00", "45.00", "0.00"),
    "三模基地维护经费": ("30.00", "30.00", "0.00"),
    "安全生产监督管理经费（专项资金）": ("20.00", "20.00", "0.00"),
    "罗湖区智能停车引导系统建设项目": ("10.32", "10.32", "0.00"),
    "基层党组织党建工作经费": ("8.00", "8.00", "0.00"),
    "离退休老干部活动经费": ("3.18", "3.18", "0.00"),
}

# table id → row key → column → printed text ("" = printed blank)
PRINTED: dict[str, dict[str, dict[str, str]]] = {
    "T1": two_sided(T1_LEFT, T1_FOOTER),
    "T2": {"unit": {"total": "17,144.13", "fiscal": "17,144.13", "general_budget": "17,144.13",
                    "general_funds": "17,133.81", "special_funds": "", "investment": "10.32"}},
    "T3": {"unit": {"total": "17,144.13", "basic": "718.83", "project": "16,425.30", "procurement": "180.00",
                    "procurement_sme": ""}},
    "T4": {key: {"total": v, "fiscal": v, "general_budget": v, "general_funds": v} for key, v in _T4},
    "T6": two_sided(T6_LEFT, T6_FOOTER),
    "T7": {key: {"total": t, "basic": b, "project": p} for key, t, b, p in _T7},
    "T8": {"total": {"total": "0", "basic": "0", "project": "0"}},
    "T9": {"total": {"total": "0", "basic": "0", "project": "0"}},
    "T10": {"total": {"total": "0"}},
    "T11": {"人工智能特色小镇规划经费": {"amount": "180.00", "annual_amount": "180.00"}},
    "T12": {"2019": {"total": "13.65", "overseas": "", "reception": "10.50", "vehicles": "3.15",
                     "vehicle_purchase": "", "vehicle_operation": "3.15"},
            "2020": {"total": "12.65", "overseas": "", "reception": "9.50", "vehicles": "3.15",
                     "vehicle_purchase": "", "vehicle_operation": "3.15"}},
    "T13": {key: {"total": v, "general_budget": v, "others": ""} for key, v in _T13},
    # 表14 prints 资金总额 and 项目支出 with a misplaced thousands separator: kept as printed
    "T14": {"total": {"value": "1,7144.13"}, "basic": {"value": "718.83"}, "project": {"value": "1,6425.30"},
            "other": {"value": "0.00"}},
}

# the misprints the import keeps: (table, row, column) → (printed text, value read)
MISPRINTS = {
    ("T14", "total", "value"): ("1,7144.13", "17144.13"),
    ("T14", "project", "value"): ("1,6425.30", "16425.30"),
}

# names printed differently from the catalog, resolved by their place in the tree
MISNAMED = {("T1", "20604"): "技术与开发", ("T1", "2060499"): "其他技术与开发支出",
            ("T6", "20604"): "技术与开发", ("T6", "2060499"): "其他技术与开发支出",
            ("T7", "20604"): "技术与研究开发", ("T7", "2060499"): "其他技术与研究开发支出"}

PART_TITLES = ["第一部分 部门概况", "第二部分 部门预算收支总体情况", "第三部分 部门预算支出具体情况",
               "第四部分 政府采购预算情况", "第五部分 “三公” 经费财政拨款预算情况", "第六部分 部门预算绩效管理情况",
               "第七部分 其他需要说明情况", "第八部分 名词解释"]

"""Classification catalogs (政府收支分类科目) 2020: data content and lookups."""


import pytest

from deptbudget.catalog import (
    KINDS,
    Catalog,
    CatalogEntry,
    CatalogError,
    UnknownCodeError,
    load_catalog,
)


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog(2020)


# --- content -----------------------------------------------------------------------------------

def test_every_exp_func_lei_2020(cat: Catalog) -> None:
    expected = {
        "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出",
        "205": "教育支出", "206": "科学技术支出", "207": "文化旅游体育与传媒支出",
        "208": "社会保障和就业支出", "209": "社会保险基金支出", "210": "卫生健康支出", "211": "节能环保支出",
        "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
        "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出",
        "219": "援助其他地区支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
        "222": "粮油物资储备支出", "223": "国有资本经营预算支出", "224": "灾害防治及应急管理支出",
        "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出",
        "232": "债务付息支出", "233": "债务发行费用支出", "234": "抗疫特别国债安排的支出",
    }
    assert {e.code: e.name for e in cat.children("exp_func", None)} == expected


def test_key_lei_are_complete_to_xiang(cat: Catalog) -> None:
    # every 款 under the 类 a department budget uses most has its 项
    for lei in ("201", "206", "208", "210", "221"):
        for kuan in cat.children("exp_func", lei):
            assert cat.children("exp_func", kuan.code), kuan
    per_lei = {lei: len(cat.children("exp_func", lei)) for lei in ("201", "206", "208", "210", "221")}
    assert per_lei == {"201": 27, "206": 10, "208": 22, "210": 13, "221": 3}


def test_eco_lei(cat: Catalog) -> None:
    assert [e.code for e in cat.children("dep_bgt_eco", None)] == [
        "301", "302", "303", "307", "309", "310", "311", "312", "313", "399"
    ]
    assert cat.name("dep_bgt_eco", "309") == "资本性支出（基本建设）"
    assert cat.name("dep_bgt_eco", "311") == "对企业补助（基本建设）"
    assert [e.code for e in cat.children("gov_bgt_eco", None)] == [
        "501", "502", "503", "504", "505", "506", "507", "508", "509", "510", "511", "512", "513",
        "514", "599",
    ]
    assert cat.name("gov_bgt_eco", "501") == "机关工资福利支出"
    assert cat.name("gov_bgt_eco", "50101") == "工资奖金津补贴"
    assert cat.name("gov_bgt_eco", "599") == "其他支出"


SEED_EXP_FUNC = {
    "201": "一般公共服务支出",
    "20132": "组织事务",
    "2013299": "其他组织事务支出",
    "206": "科学技术支出",
    "20601": "科学技术管理事务",
    "2060101": "行政运行",
    "2060102": "一般行政管理事务",
    "20604": "技术研究与开发",
    "2060499": "其他技术研究与开发支出",
    "20607": "科学技术普及",
    "2060702": "科普活动",
    "20608": "科技交流与合作",
    "2060899": "其他科技交流与合作支出",
    "20699": "其他科学技术支出",
    "2069999": "其他科学技术支出",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "210": "卫生健康支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210203": "购房补贴",
}

SEED_DEP_BGT_ECO = {
    "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30106": "伙食补助费",
    "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费",
    "30113": "住房公积金", "30199": "其他工资福利支出",
    "30201": "办公费", "30202": "印刷费", "30203": "咨询费", "30204": "手续费", "30205": "水费",
    "30206": "电费", "30207": "邮电费", "30208": "取暖费", "30209": "物业管理费", "30211": "差旅费",
    "30212": "因公出国（境）费用", "30213": "维修（护）费", "30214": "租赁费", "30215": "会议费",
    "30216": "培训费", "30217": "公务接待费", "30218": "专用材料费", "30224": "被装购置费",
    "30225": "专用燃料费", "30226": "劳务费", "30227": "委托业务费", "30228": "工会经费",
    "30229": "福利费", "30231": "公务用车运行维护费", "30239": "其他交通费用",
    "30299": "其他商品和服务支出", "30302": "退休费", "31002": "办公设备购置",
}


@pytest.mark.parametrize(("code", "name"), sorted(SEED_EXP_FUNC.items()))
def test_seed_exp_func_codes(cat: Catalog, code: str, name: str) -> None:
    assert cat.name("exp_func", code) == name


@pytest.mark.parametrize(("code", "name"), sorted(SEED_DEP_BGT_ECO.items()))
def test_seed_dep_bgt_eco_codes(cat: Catalog, code: str, name: str) -> None:
    assert cat.name("dep_bgt_eco", code) == name


def test_seed_misnames_are_not_official(cat: Catalog) -> None:
    # the seed prints 20604 as 技术与开发 / 技术与研究开发: neither is a 2020 name
    assert cat.code_for_name("exp_func", "技术与开发") == []
    assert cat.code_for_name("exp_func", "技术与研究开发") == []
    assert [e.code for e in cat.code_for_name("exp_func", "技术研究与开发")] == ["20604"]


# --- structure ---------------------------------------------------------------------------------

def test_entry_and_parent_links(cat: Catalog) -> None:
    assert cat.get("exp_func", "2060101") == CatalogEntry("exp_func", "2060101", "行政运行", 3, "20601")
    assert cat.get("exp_func", "20601").parent_code == "206"
    assert cat.get("exp_func", "206") == CatalogEntry("exp_func", "206", "科学技术支出", 1, None)
    assert cat.get("dep_bgt_eco", "30101").parent_code == "301"
    assert cat.get("dep_bgt_eco", "30101").level == 2
    assert [e.code for e in cat.ancestors("exp_func", "2060499")] == ["206", "20604"]
    assert [e.code for e in cat.ancestors("exp_func", "20604")] == ["206"]
    assert cat.ancestors("exp_func", "206") == []
    assert [e.code for e in cat.children("exp_func", "22102")] == ["2210201", "2210202", "2210203"]
    assert cat.children("exp_func", "2210201") == []


def test_every_parent_present_and_levels_consistent(cat: Catalog) -> None:
    for kind, (_, lengths) in KINDS.items():
        for e in cat.entries(kind):
            assert len(e.code) == lengths[e.level - 1]
            if e.level > 1:
                assert e.parent_code == e.code[: lengths[e.level - 2]]
                assert cat.get(kind, e.parent_code).level == e.level - 1


def test_entries_in_code_order(cat: Catalog) -> None:
    codes = [e.code for e in cat.entries("exp_func")]
    assert codes == sorted(codes)
    assert codes[:3] == ["201", "20101", "2010101"]


def test_find_and_unknown_code(cat: Catalog) -> None:
    assert cat.find("exp_func", "2069998") is None
    with pytest.raises(UnknownCodeError) as info:
        cat.get("exp_func", "2069998")
    message = str(info.value)
    assert "2069998" in message and "exp_func" in message and "2020" in message
    assert info.value.code == "2069998" and info.value.year == 2020
    assert isinstance(info.value, CatalogError)
    with pytest.raises(UnknownCodeError, match="30230"):
        cat.name("dep_bgt_eco", "30230")
    with pytest.raises(UnknownCodeError):
        cat.children("exp_func", "999")


def test_unknown_kind(cat: Catalog) -> None:
    with pytest.raises(CatalogError, match="exp_fun"):
        cat.get("exp_fun", "206")


def test_code_for_name(cat: Catalog) -> None:
    assert [e.code for e in cat.code_for_name("dep_bgt_eco", "维修（护）费")] == ["30213"]
    # the seed prints half-width brackets and PDF line breaks; both still match
    assert [e.code for e in cat.code_for_name("dep_bgt_eco", "维修(护)费")] == ["30213"]
    assert [e.code for e in cat.code_for_name("exp_func", "机关事业单位基本养老保险 缴费支出")] == [
        "2080505"
    ]
    running = cat.code_for_name("exp_func", "行政运行")
    assert "2060101" in [e.code for e in running] and all(e.level == 3 for e in running)
    assert cat.code_for_name("exp_func", "不存在的科目") == []


def test_old_names(cat: Catalog) -> None:
    assert cat.old_names("exp_func", "210") == ["医疗卫生与计划生育支出"]
    assert cat.old_names("exp_func", "20805") == ["行政事业单位离退休"]
    assert cat.old_names("exp_func", "20604") == []
    with pytest.raises(UnknownCodeError):
        cat.old_names("exp_func", "2069998")


def test_entries_carry_their_source(cat: Catalog) -> None:
    assert all(e.source for kind in KINDS for e in cat.entries(kind))
    assert cat.get("exp_func", "206").source.startswith(("catalog:", "notice:", "observed:"))



from __future__ import annotations

import pytest

from lianxin.intake.extract import Gazetteer, extract

from .conftest import RECEIVED


def test_town_alone_implies_district(gaz: Gazetteer) -> None:
    x = extract("沈家门这边的夜排档油烟太大了，希望管一管。", RECEIVED, gaz)
    assert (x.district.value, x.town.value) == ("330903", "330903001")


def test_bare_town_name_without_suffix(gaz: Gazetteer) -> None:
    x = extract("高亭那边的菜场门口天天堵车。", RECEIVED, gaz)
    assert (x.district.value, x.town.value) == ("330921", "330921100")


def test_community_implies_town_and_district(gaz: Gazetteer) -> None:
    x = extract("南峰社区的垃圾桶好几天没人清理了。", RECEIVED, gaz)
    assert (x.district.value, x.town.value, x.community.value) == ("330921", "330921100", "330921100001")


def test_landmark_implies_community(gaz: Gazetteer) -> None:
    x = extract("半升洞码头附近有人乱倒垃圾。", RECEIVED, gaz)
    assert (x.district.value, x.town.value, x.community.value) == ("330903", "330903001", "330903001002")


def test_typo_town_repaired(gaz: Gazetteer) -> None:
    x = extract("普陀区沈家们街道海印路上的井盖丢了。", RECEIVED, gaz)
    assert x.town.value == "330903001"


def test_putuo_is_zhoushan_by_default(gaz: Gazetteer) -> None:
    x = extract("普陀区这边的公交车太少了，建议增加班次。", RECEIVED, gaz)
    assert x.district.value == "330903"


def test_putuo_in_shanghai_is_outside(gaz: Gazetteer) -> None:
    x = extract("我在上海市普陀区买的房子，想咨询一下舟山的公积金能不能用。", RECEIVED, gaz)
    assert x.district.value is None
    assert any("outside the city" in w for w in x.warnings)


def test_problem_place_wins_over_home(gaz: Gazetteer) -> None:
    text = "我住在定海区城东街道檀枫小区，六横镇台门码头那边的路灯坏了一个月了。"
    x = extract(text, RECEIVED, gaz)
    assert (x.district.value, x.town.value) == ("330903", "330903100")
    assert x.address.value is not None and "台门码头" in x.address.value


def test_detailed_address_road_and_number(gaz: Gazetteer) -> None:
    x = extract("定海区环南街道人民南路88号门口的下水道堵了。", RECEIVED, gaz)
    assert x.address.value is not None and "人民南路88号" in x.address.value
    assert x.district.value == "330902"


def test_detailed_address_estate_building_room(gaz: Gazetteer) -> None:
    x = extract("临城街道海莲苑3幢2单元301室楼上漏水。", RECEIVED, gaz)
    assert x.address.value is not None and "3幢2单元301室" in x.address.value
    assert x.town.value == "330902006"


def test_no_place(gaz: Gazetteer) -> None:
    x = extract("我想咨询一下养老保险怎么交。", RECEIVED, gaz)
    assert x.district.value is None and x.town.value is None


def test_address_evidence_offsets(gaz: Gazetteer) -> None:
    text = "坐席：您好。市民：岱山县东沙镇东沙古镇那边有人乱停车。"
    x = extract(text, RECEIVED, gaz)
    assert x.district.value == "330921"
    for f in (x.district, x.town, x.address):
        for ev in f.evidence:
            assert text[ev.start : ev.end] == ev.text


# ---- bare names supported by their neighbours, grouping and ties (the full city gazetteer)


def test_common_word_town_after_city_name(city: Gazetteer) -> None:
    x = extract("这家网店开在舟山桃花，寄来的鱼干全发霉了。", RECEIVED, city)
    assert (x.district.value, x.town.value) == ("330903", "330903101")


def test_common_word_town_after_its_district(city: Gazetteer) -> None:
    x = extract("我们嵊泗黄龙的码头灯坏了半个月。", RECEIVED, city)
    assert (x.district.value, x.town.value) == ("330922", "330922201")


def test_two_bare_names_of_one_branch_support_each_other(city: Gazetteer) -> None:
    x = extract("城东皋泄的自来水管爆了，水一直在冒。", RECEIVED, city)
    assert (x.town.value, x.community.value) == ("330902004", "330902004201")


def test_bare_town_linked_to_its_district_by_dao(city: Gazetteer) -> None:
    x = extract("定海到小沙的公交车一个小时才一班。", RECEIVED, city)
    assert (x.district.value, x.town.value) == ("330902", "330902010")


def test_common_word_alone_is_not_a_place(city: Gazetteer) -> None:
    x = extract("院子里桃花开了，想问问能不能挖回家种。", RECEIVED, city)
    assert x.district.value is None and x.town.value is None


def test_bare_name_after_the_new_area(city: Gazetteer) -> None:
    x = extract("本人在舟山群岛新区新城工作，咨询一下公积金怎么提取。", RECEIVED, city)
    assert x.district.value == "330900-xc"


def test_two_equal_places_give_no_district(city: Gazetteer) -> None:
    x = extract("户口在普陀六横，房子在岱山高亭，孩子读书报哪里？", RECEIVED, city)
    assert x.district.value is None and x.town.value is None
    assert any("no way to choose" in w for w in x.warnings)


def test_bare_town_name_does_not_name_its_namesake_community(city: Gazetteer) -> None:
    x = extract("白泉那边的路灯坏了好几盏。", RECEIVED, city)
    assert (x.town.value, x.community.value) == ("330902101", None)


def test_two_communities_tied_give_no_community(city: Gazetteer) -> None:
    x = extract("小长涂到大长涂的渡船这几天都停了。", RECEIVED, city)
    assert x.town.value == "330921104" and x.community.value is None


def test_address_keeps_the_locative_after_the_place(city: Gazetteer) -> None:
    x = extract("沈家门半升洞码头那边有人乱倒垃圾。", RECEIVED, city)
    assert x.address.value == "沈家门半升洞码头那边"


def test_bare_town_alone_is_no_address(city: Gazetteer) -> None:
    x = extract("我是岱山高亭的，想问一下社保卡怎么补办？", RECEIVED, city)
    assert x.town.value == "330921100"
    assert x.address.value is None


@pytest.mark.parametrize(
    "text",
    [
        "定海区临城街道新城小区门口道路积水严重。",  # before: 定海区 and 新城 tied, no place at all
        "来电人王女士，反映定海区临城街道门口道路积水。",  # before: 新城, with 定海区 ignored
        "定海区千岛街道海天大道路灯不亮。",
    ],
)
def test_district_by_code_of_a_town_run_by_another_unit(city: Gazetteer, text: str) -> None:
    """临城 and 千岛 are 定海区's by code but run by the 新城 committee: "定海区临城街道" is one place."""
    x = extract(text, RECEIVED, city)
    assert x.district.value == "330900-xc"
    assert x.town.value in ("330902006", "330902011")
    assert not x.warnings
    assert "定海区" in [ev.text for ev in x.district.evidence]


def test_district_of_another_town_still_wins(city: Gazetteer) -> None:
    x = extract("定海区盐仓街道有一段路灯不亮，临城那边倒是好的。", RECEIVED, city)
    assert (x.district.value, x.town.value) == ("330902", "330902005")


def test_estate_name_ending_in_a_place_suffix_is_kept_whole(city: Gazetteer) -> None:
    x = extract("定海区盐仓街道新城小区门口积水。", RECEIVED, city)
    assert x.address.value is not None and x.address.value.endswith("新城小区门口")

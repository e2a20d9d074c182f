from __future__ import annotations

import pytest

from lianxin.intake.extract import Gazetteer, extract

from .conftest import RECEIVED


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("坐席：您好，请问您贵姓？市民：我姓王，住在定海，想反映路灯不亮。坐席：好的王先生。", "王先生"),
        ("市民：你好，我叫王建国，家住高亭镇，楼下饭店油烟很大。", "王建国"),
        ("市民：我是张女士，沈家门街道墩头社区的，小区电梯坏了。坐席：好的。", "张女士"),
        ("诉求人：陈海波，反映东港街道海华社区停车难。", "陈海波"),
        ("来信人：欧阳明月。我反映六横镇峧头社区道路破损问题。", "欧阳明月"),
        ("市民：您好，我是周女士，想咨询一下医保。", "周女士"),
        ("坐席：您好。市民：我姓高，高亭的，路灯坏了。坐席：高先生您好，请讲。", "高先生"),
        ("本人林小明，反映菜园镇海滨社区垃圾清运不及时。", "林小明"),
        ("坐席：请问怎么称呼？市民：免贵姓何。坐席：何女士，您请讲。市民：我们村的路坏了。", "何女士"),
        ("反映人：上官婉儿（电话13858012345），反映桃花镇码头秩序混乱。", "上官婉儿"),
    ],
)
def test_names(text: str, name: str, gaz: Gazetteer) -> None:
    x = extract(text, RECEIVED, gaz)
    assert x.name.value == name
    for ev in x.name.evidence:
        assert text[ev.start : ev.end] == ev.text


def test_name_not_the_official_complained_about(gaz: Gazetteer) -> None:
    text = "我要举报盐仓街道新螺头村村主任李某某收受好处，请为我保密。"
    x = extract(text, RECEIVED, gaz)
    assert x.name.value is None
    assert x.confidential.value is True


def test_agent_self_introduction_is_not_the_caller(gaz: Gazetteer) -> None:
    text = "坐席：您好，我是12345话务员小李，请讲。市民：我是刘先生，东港这边的路灯坏了。"
    assert extract(text, RECEIVED, gaz).name.value == "刘先生"


def test_place_is_not_a_name(gaz: Gazetteer) -> None:
    assert extract("我是高亭的，路灯坏了很久了。", RECEIVED, gaz).name.value is None


# ---- bare surname answers, 阿X given names, representatives, 村民/居民 labels, X某


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("坐席：请问您贵姓？市民：鲍。坐席：好的。市民：我们楼道灯不亮。", "鲍"),
        ("来信人：应阿芬\n反映村道破损。", "应阿芬"),
        ("尊敬的领导：\n我们要求处理停车问题。\n居民代表：邬志刚、胡建明", "邬志刚"),
        ("我是东港街道浦西社区居民洪美玲，楼上漏水两个月了。", "洪美玲"),
        ("本人系长涂镇倭井潭村村民贝国庆，反映宅基地问题。", "贝国庆"),
        ("村民：顾小芳\n电话：13905801234", "顾小芳"),
    ],
)
def test_more_name_forms(text: str, name: str, gaz: Gazetteer) -> None:
    assert extract(text, RECEIVED, gaz).name.value == name


@pytest.mark.parametrize(
    "text",
    [
        "网格员上报：枸杞乡奇观村民宿集中区垃圾未清运。",  # 村民宿 is no 村民 label
        "走访时了解到：村民邬阿大（79岁）独居，希望安装呼叫器。",  # a third party the worker met
        "举报人：李某\n电话：13905809876",  # X某 is no name
    ],
)
def test_not_a_name(text: str, gaz: Gazetteer) -> None:
    assert extract(text, RECEIVED, gaz).name.value is None


def test_one_span_found_by_two_rules_is_one_evidence(gaz: Gazetteer) -> None:
    x = extract("来电人王女士，电话13858012345，反映路灯不亮。", RECEIVED, gaz)
    assert x.name.value == "王女士"
    assert [(e.start, e.end) for e in x.name.evidence] == [(3, 6)]

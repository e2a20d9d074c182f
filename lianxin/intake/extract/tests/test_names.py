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

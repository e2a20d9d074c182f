"""Intake analysis through the API, order creation storing suggestions, and the database similar index."""

from typing import Any

import pytest

from lianxin.intake import similar_index
from lianxin.intake.models import SimilarityBand, SimilarityEntry
from lianxin.orders.models import Order

pytestmark = pytest.mark.django_db

CALL = (
    "坐席：您好，12345。市民：你好，我姓王，我要投诉沈家门街道半升洞社区旁边的工地，"
    "每天晚上十一点以后还在施工，噪音太大了，孩子没法睡觉。我电话是幺三九五八零七六五四三。"
)


def create(api: Any, capture: Any, text: str = CALL) -> dict[str, Any]:
    """Create through the API and run the after-commit hooks (indexing) as a real commit would."""
    with capture(execute=True):
        response = api("calltaker").post("/api/v1/orders", {"channel": "hotline", "text": text}, format="json")
    assert response.status_code == 201, response.json()
    result: dict[str, Any] = response.json()
    return result


def test_analyze_returns_fields_with_evidence(api: Any) -> None:
    response = api("calltaker").post("/api/v1/intake/analyze", {"text": CALL}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    fields = body["fields"]
    assert fields["phones"]["value"] == ["13958076543"]
    evidence = fields["phones"]["evidence"][0]
    assert CALL[evidence["start"] : evidence["end"]] == evidence["text"]
    assert fields["town"]["value"] == "330903001" and fields["district"]["value"] == "330903"
    assert fields["appeal_type"]["value"] == "complaint"
    assert "needs_review" in fields["category"]
    assert body["model_versions"]["extract"]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("岱山秀山乡秀北村后山近两年出现十多座新建的坟墓，占用林地。请求民政部门依法处理。", "dept-mzj"),
        ("网格员上报：一名外来人员在出租房内给村民打针挂水，无任何资质。请卫健部门核查。", "dept-wjw"),
        ("走访农户：养殖户家中生猪近日陆续死亡，疑似猪瘟，请农业部门指导。", "dept-nyj"),
        ("网格巡查：一家快餐店后厨违规使用液化气钢瓶，与燃气管道混用。请应急管理部门检查。", "dept-yjgl"),
    ],
)
def test_the_unit_asked_to_act_leads(api: Any, text: str, unit: str) -> None:
    response = api("calltaker").post("/api/v1/intake/analyze", {"text": text}, format="json")
    lead = response.json()["fields"]["lead_unit"]
    assert lead["value"] == unit
    evidence = lead["evidence"][0]
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]


def test_the_best_categorys_own_unit_is_not_outvoted_by_its_siblings(api: Any) -> None:
    # 电梯 is a property-management matter too (物业, @town), but a lift is 市场监管's
    text = "市民：快点快点，我们小区电梯关人了，卡在七楼跟八楼中间，按警铃物业那边没人接！在定海昌国街道。"
    fields = api("calltaker").post("/api/v1/intake/analyze", {"text": text}, format="json").json()["fields"]
    assert fields["category"]["value"] == "010103"
    assert fields["lead_unit"]["value"] == "dept-scjg"


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_400(api: Any, text: str) -> None:
    response = api("calltaker").post("/api/v1/intake/analyze", {"text": text}, format="json")
    assert response.status_code == 400 and "text" in response.json()["errors"]


def test_oversize_text_is_400(api: Any) -> None:
    response = api("calltaker").post("/api/v1/intake/analyze", {"text": "噪" * 5001}, format="json")
    assert response.status_code == 400


def test_other_language_gives_unknown_fields_not_a_default(api: Any) -> None:
    response = api("calltaker").post("/api/v1/intake/analyze", {"text": "The streetlight is broken."}, format="json")
    body = response.json()
    assert response.status_code == 200
    assert body["fields"]["category"]["value"] is None and body["fields"]["category"]["needs_review"]
    assert body["warnings"]


def test_text_without_address_leaves_place_unknown(api: Any) -> None:
    body = (
        api("calltaker").post("/api/v1/intake/analyze", {"text": "请问养老保险断缴了怎么补缴？"}, format="json").json()
    )
    assert body["fields"]["district"]["value"] is None
    assert body["fields"]["town"]["value"] is None


def test_create_with_analysis_fills_blanks_stores_suggestions_and_indexes(
    api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    order = Order.objects.get(pk=create(api, django_capture_on_commit_callbacks)["id"])
    assert order.appeal_type == "complaint"
    assert order.town is not None and order.town.code == "330903001"
    assert order.appellant_phones == ["13958076543"]
    assert order.ai_suggestions["fields"]["phones"]["value"] == ["13958076543"]
    assert order.ai_model_version
    assert SimilarityEntry.objects.filter(order=order).exists()
    assert SimilarityBand.objects.filter(order=order).count() == 32


def test_resubmission_is_found_as_near_duplicate(api: Any, django_capture_on_commit_callbacks: Any) -> None:
    first = create(api, django_capture_on_commit_callbacks)
    again = CALL.replace("幺三九五八零七六五四三", "幺八六五八零零幺二三四").replace("我姓王", "我姓李")
    body = api("calltaker").post("/api/v1/intake/analyze", {"text": again}, format="json").json()
    top = body["similar"][0]
    assert top["order_id"] == first["id"] and top["near_duplicate"]
    assert "same_text" in top["reasons"]


def test_similar_orders_respect_the_permission_policy(api: Any, django_capture_on_commit_callbacks: Any) -> None:
    create(api, django_capture_on_commit_callbacks)
    body = api("water").post("/api/v1/intake/analyze", {"text": CALL}, format="json").json()
    assert body["similar"] == []


def test_index_rebuild_is_idempotent(api: Any, django_capture_on_commit_callbacks: Any) -> None:
    oid = create(api, django_capture_on_commit_callbacks)["id"]
    order = Order.objects.get(pk=oid)
    similar_index.index_order(order)
    similar_index.index_orders([order])
    assert SimilarityBand.objects.filter(order=order).count() == 32
    assert SimilarityEntry.objects.filter(order=order).count() == 1


def test_inconsistent_suggested_places_do_not_refuse_the_order(api: Any) -> None:
    text = "市民反映：我是普陀区的，衢山镇码头边的垃圾好几天没人清运了，臭气很大，请尽快处理。"
    response = api("calltaker").post("/api/v1/orders", {"channel": "web", "text": text}, format="json")
    assert response.status_code == 201, response.json()
    order = Order.objects.select_related("town", "district").get(pk=response.json()["id"])
    if order.town is not None:
        assert order.district is not None and order.town.is_within(order.district)


def test_place_given_by_the_person_wins_over_a_suggestion(api: Any) -> None:
    text = "衢山镇码头边的垃圾好几天没人清运了。"
    payload = {"channel": "web", "text": text, "district": "330903"}
    response = api("calltaker").post("/api/v1/orders", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["district"]["code"] == "330903" and body["town"] is None

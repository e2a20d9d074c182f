#!/usr/bin/env bash
# The README's curl walk-through: one order from intake to close, and the KPIs before and after.
# Usage: scripts/walkthrough.sh [base-url]   (default http://127.0.0.1:8000; needs curl and python3)
set -euo pipefail
BASE=${1:-http://127.0.0.1:8000}/api/v1
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }
token() { curl -s -X POST "$BASE/auth/token" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"lianxin2026\"}" | json 'd["token"]'; }
post() { curl -s -X POST "$BASE/$2" -H "Authorization: Token $1" -H 'Content-Type: application/json' -d "$3"; }

CALLTAKER=$(token calltaker); DISPATCHER=$(token dispatcher); HANDLER=$(token shenjiamen)
CALLBACK=$(token callback); SUPERVISOR=$(token supervisor)

echo "KPIs before:"; curl -s "$BASE/kpis" -H "Authorization: Token $SUPERVISOR" | json '{k: d["total"][k] for k in ("received", "closed", "reached", "satisfaction_rate")}'

ORDER=$(post "$CALLTAKER" orders '{"channel": "hotline",
  "text": "坐席：您好，12345。市民：我姓王，沈家门街道半升洞社区旁边工地每天晚上十一点以后还在施工，噪音太大，我要投诉。电话幺三九五八零七六五四三。"}' )
ID=$(echo "$ORDER" | json 'd["id"]')
echo "created $(echo "$ORDER" | json 'd["number"], d["status"], d["appeal_type"], (d["town"] or {}).get("name"), d["appellant"]["phones"]')"

post "$CALLTAKER" "orders/$ID/accept" '{}' | json '"accepted:", d["status"]'
post "$DISPATCHER" "orders/$ID/dispatch" '{"lead_unit": "330903001", "reason": "属地街道处理"}' | json '"dispatched:", d["status"], d["deadlines"]["sign_due"]'
post "$HANDLER" "orders/$ID/sign" '{}' | json '"signed:", d["status"], d["reply_due"]'
post "$HANDLER" "orders/$ID/reply" '{"text": "已约谈施工单位，夜间22点后停止施工，并告知市民。"}' | json '"replied:", d["status"]'
post "$CALLBACK" "orders/$ID/callback" '{"contacted": true, "solved": true, "satisfaction": "satisfied"}' | json '"called back:", d["status"]'
post "$CALLBACK" "orders/$ID/close" '{}' | json '"closed:", d["status"]'

echo "timeline:"; curl -s "$BASE/orders/$ID/timeline" -H "Authorization: Token $DISPATCHER" | json '[e["kind"] for e in d]'
echo "KPIs after:"; curl -s "$BASE/kpis" -H "Authorization: Token $SUPERVISOR" | json '{k: d["total"][k] for k in ("received", "closed", "reached", "satisfaction_rate")}'

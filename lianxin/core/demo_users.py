"""One demo account per role, bound to realistic Zhoushan units."""

from __future__ import annotations

from lianxin.core.models import Organisation, Role, User

DEMO_PASSWORD = "lianxin2026"
# username, role, organisation code, display name
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("admin", Role.ADMIN, "hotline-center", "系统管理员"),
    ("calltaker", Role.CALL_TAKER, "hotline-center", "话务员小陈"),
    ("dispatcher", Role.DISPATCHER, "hotline-center", "派单员老周"),
    ("callback", Role.CALLBACK_AGENT, "hotline-center", "回访员小林"),
    ("supervisor", Role.SUPERVISOR, "330900", "督办科王科长"),
    ("zjj", Role.HANDLER, "dept-zjj", "市住建局承办员"),
    ("zhzf", Role.HANDLER, "dept-zhzf", "市综合执法局承办员"),
    ("water", Role.HANDLER, "util-water", "自来水公司承办员"),
    ("putuo", Role.HANDLER, "330903", "普陀区承办员"),
    ("shenjiamen", Role.HANDLER, "330903001", "沈家门街道承办员"),
    ("petition", Role.PETITION_OFFICER, "dept-xfj", "信访局干部"),
    ("grid", Role.GRID_WORKER, "330902001001", "网格员小张"),
    ("visitor", Role.VISITOR, "330902", "走访干部李书记"),
]


def ensure_demo_users() -> list[User]:
    users = []
    for username, role, org_code, name in DEMO_USERS:
        org = Organisation.objects.filter(code=org_code).first()
        if org is None:
            # Reference data may number towns differently; fall back to the first unit of the same depth.
            org = Organisation.objects.filter(code__startswith=org_code[:6]).order_by("path").first()
        user, created = User.objects.get_or_create(username=username)
        user.role, user.organisation, user.display_name = role, org, name
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        users.append(user)
    return users

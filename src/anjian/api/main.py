from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

from anjian.api.errors import errors as refusals
from anjian.api.errors import install
from anjian.api.inspection_routes import router as inspection_router
from anjian.api.registry_routes import router as registry_router
from anjian.api.schemas import MeOut

api = NinjaAPI(
    title="anjian API",
    version="1",
    description=(
        "安监系统接口：与页面相同的数据权限；登录后使用（会话认证：sessionid Cookie）。"
        "写操作（POST）须带 csrftoken Cookie，并在 X-CSRFToken 请求头中给出相同的值。"
        "所有拒绝的答复（400、401、403、404、413、422、429）都是同一结构 ErrorOut："
        "detail 中文原因，code 原因类别，fields 逐个字段的原因。"
    ),
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=login_required,
)
install(api)


@api.get("/me", response={200: MeOut, **refusals(401)}, tags=["accounts 账号"])
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "username": user.username,
        "display_name": getattr(user, "display_name", ""),
        "role": {"code": user.role, "label": user.get_role_display()},  # type: ignore[union-attr]
        "body": str(user.body) if user.body else None,  # type: ignore[union-attr]
        "section": str(user.section) if user.section else None,  # type: ignore[union-attr]
    }


api.add_router("/", registry_router)
api.add_router("/", inspection_router)

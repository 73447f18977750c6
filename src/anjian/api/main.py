from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from anjian.api.inspection_routes import router as inspection_router
from anjian.api.registry_routes import router as registry_router
from anjian.api.schemas import ErrorOut, MeOut

api = NinjaAPI(
    title="anjian API",
    version="1",
    description="安监系统接口：与页面相同的数据权限；登录后使用（会话认证）。",
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=login_required,
)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "请先登录。"}, status=401)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "未找到，或您无权查看。"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权访问。"}, status=403)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service refused the input: 400, every message in `detail`, per field in `errors`."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {}
    body = {"detail": "；".join(exc.messages), "errors": errors}
    return api.create_response(request, body, status=400)


@api.get("/me", response={200: MeOut, 401: ErrorOut}, tags=["accounts 账号"])
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

"""The API's refusals, all in one shape (`ErrorOut`: `detail`, `code`, `fields`) and in Chinese:
a service's `ValidationError` (400), an unparseable or oversize body (400, 413), no session
(401), a missing capability or CSRF token (403), an id outside the caller's scope (404),
parameters that do not fit the schema (422, ninja's validation) and the throttle (429).

Each route declares the statuses it can answer with `errors(...)`, so the OpenAPI schema at
`/api/v1/openapi.json` documents exactly these bodies."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from anjian.api.schemas import ErrorOut

if TYPE_CHECKING:
    from ninja import NinjaAPI

NOT_FOUND = "未找到，或您无权查看。"
MESSAGES = {
    400: "请求无法处理：请求体应为有效的 JSON（Content-Type: application/json）或表单。",
    401: "请先登录。",
    403: "无权访问。",
    404: NOT_FOUND,
    405: "不支持该请求方法。",
    429: "请求过于频繁，请稍后再试。",
}
CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    413: "too_large",
    422: "validation_failed",
    429: "too_many_requests",
}
CSRF_FAILED = "CSRF 校验失败：写操作须带 csrftoken Cookie，并在 X-CSRFToken 请求头中给出相同的值。"

# pydantic's error types in Chinese; `{...}` are filled from the error's context
REASONS = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期，如 2026-11-16",
    "date_from_datetime_parsing": "应为日期，如 2026-11-16",
    "date_from_datetime_inexact": "应为日期，如 2026-11-16",
    "date_type": "应为日期，如 2026-11-16",
    "string_type": "应为文本",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON",
    "literal_error": "不是可选的值",
    "enum": "不是可选的值",
}


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The `response={...}` entries of a route's refusals."""
    return dict.fromkeys(statuses, ErrorOut)


def error_body(code: str, detail: str, fields: Iterable[tuple[str, str]] = ()) -> dict[str, object]:
    return {
        "detail": detail,
        "code": code,
        "fields": [{"field": f, "message": m} for f, m in fields],
    }


def _reason(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])  # our validators' own (Chinese) messages
    template = REASONS.get(kind)
    if template is None:
        return "格式不正确"
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split("{")[0].strip() or "格式不正确"


def _field(loc: object) -> str:
    """("query", "limit") → limit; ("body", "payload", "code") → code (the parameter's name
    inside the request body is the handler's business, not the client's)."""
    parts = [str(p) for p in loc] if isinstance(loc, (list, tuple)) else [str(loc)]
    source, rest = (parts[0], parts[1:]) if parts else ("", [])
    if source in ("body", "form") and len(rest) > 1:
        rest = rest[1:]
    return ".".join(rest)


def schema_fields(exc: SchemaError) -> list[tuple[str, str]]:
    fields = []
    for error in exc.errors:
        if "loc" in error or "type" in error:
            fields.append((_field(error.get("loc", ())), _reason(error)))
        else:  # a plain {name: message}, as ninja's cursor pagination raises
            fields.extend((str(k), "格式不正确") for k in error)
    return fields


Answer = tuple[int, dict[str, object]]


def _unauthorized(exc: Exception) -> Answer:
    return 401, error_body("not_authenticated", MESSAGES[401])


def _http_error(exc: HttpError) -> Answer:
    """ninja's own refusals: an unparseable body (400), a failed CSRF check (403)…"""
    status = exc.status_code
    if status == 403 and "csrf" in str(exc).lower():
        return 403, error_body("csrf_failed", CSRF_FAILED)
    code = CODES.get(status, "bad_request" if status < 500 else "error")
    return status, error_body(code, MESSAGES.get(status, str(exc)))


def _not_found(exc: Exception) -> Answer:
    return 404, error_body("not_found", NOT_FOUND)


def _forbidden(exc: Exception) -> Answer:
    return 403, error_body("forbidden", str(exc) or MESSAGES[403])


def _invalid(exc: ValidationError) -> Answer:
    """A service refused the input: every message in `detail`, per field in `fields` (a
    refusal of the request as a whole, e.g. an expired entry code, names no field)."""
    fields: list[tuple[str, str]] = []
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            fields.extend(("" if name == "__all__" else name, m) for m in messages)
    return 400, error_body("invalid", "；".join(exc.messages), fields)


def _unfit(exc: SchemaError) -> Answer:
    fields = schema_fields(exc)
    listed = "；".join(f"{f}：{m}" if f else m for f, m in fields)
    detail = f"请求参数有误：{listed}" if listed else "请求参数有误。"
    return 422, error_body("validation_failed", detail, fields)


def _too_large(exc: Exception) -> Answer:
    limit = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / 1024 / 1024
    detail = f"请求体过大：不能超过 {limit:.1f} MB（上传的文件另计）。"
    return 413, error_body("too_large", detail)


def _bad_request(exc: Exception) -> Answer:
    return 400, error_body("bad_request", "请求无法处理：表单格式有误，或字段、文件过多。")


# ninja picks the handler of the exception's most specific class (its MRO)
HANDLERS: list[tuple[type[Exception], Callable[[Any], Answer]]] = [
    (AuthenticationError, _unauthorized),
    (HttpError, _http_error),
    (Http404, _not_found),
    (PermissionDenied, _forbidden),
    (ValidationError, _invalid),
    (SchemaError, _unfit),
    (RequestDataTooBig, _too_large),
    (SuspiciousOperation, _bad_request),  # too many fields or files
    (MultiPartParserError, _bad_request),
    (BadRequest, _bad_request),
]


def install(api: NinjaAPI) -> None:
    """Answer every refusal of `api` with `ErrorOut`."""

    def handler(
        answer: Callable[[Any], Answer],
    ) -> Callable[[HttpRequest, Exception], HttpResponse]:
        def respond(request: HttpRequest, exc: Any) -> HttpResponse:
            status, body = answer(exc)
            return api.create_response(request, body, status=status)

        return respond

    for exc_class, answer in HANDLERS:
        api.add_exception_handler(exc_class, handler(answer))

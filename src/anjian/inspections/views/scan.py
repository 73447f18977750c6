"""Camera check-in's server reader: the check-in page (static/inspections/scan.js) posts one
camera frame at a time when the phone's browser has no `BarcodeDetector`; the answer is the
entry code the frame shows, which the page then submits like a pasted one. Only officers who
conduct inspections may post (`inspection.conduct`), frames are bounded (`inspections.scan`)
and counted per address by the throttle (scope "scan")."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.inspections.codes import code_from_scan
from anjian.inspections.scan import FrameRefused, decode_qr, read_frame


@never_cache
@require("inspection.conduct")
@require_POST
def checkin_scan(request: HttpRequest) -> JsonResponse:
    """`{"found": true, "code": …}` when the frame shows a QR code, `{"found": false}` when it
    shows none; 400/413/415 with `error` for an upload that is no JPEG or PNG frame."""
    upload = request.FILES.get("frame")
    if upload is None:
        return JsonResponse({"found": False, "error": _("没有收到图像")}, status=400)
    try:
        text = decode_qr(read_frame(upload, upload.size))
    except FrameRefused as refused:
        return JsonResponse({"found": False, "error": str(refused.message)}, status=refused.status)
    if text is None:
        return JsonResponse({"found": False})
    return JsonResponse({"found": True, "code": code_from_scan(text)})

"""Error responses: HTML pages for visitors, one JSON shape for programs.

Pages under `/api/` (and `/open311/`, which gives them Open311's shape) and requests that prefer JSON get RFC 9457 problem details
(`application/problem+json`) with the title and detail in the request's language;
everyone else gets `site/templates/errors/<code>.html`.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.db import db
from portal.i18n import _

logger = logging.getLogger(__name__)

HANDLED_CODES = (400, 403, 404, 405, 413, 429, 500)


def _titles() -> dict[int, str]:
    return {
        400: _("無法處理這個要求"),
        401: _("需要驗證身分"),
        403: _("沒有權限"),
        404: _("找不到這個頁面"),
        405: _("不支援這個操作"),
        413: _("上傳的內容太大"),
        429: _("要求太頻繁"),
        500: _("系統發生錯誤"),
    }


def _details() -> dict[int, str]:
    return {
        400: _("送出的資料不完整或格式不正確，請回上一頁檢查後再試一次。"),
        401: _("這個操作需要有效的 API 金鑰。"),
        403: _("您的帳號沒有使用這個功能的權限。如需使用，請洽系統管理員。"),
        404: _("網址可能有誤，或頁面已經移除。請從首頁或網站導覽尋找您要的資訊。"),
        405: _("這個網址不接受這種操作。"),
        413: _("上傳的檔案或資料超過允許的大小，請縮小後再試一次。"),
        429: _("短時間內的要求次數超過上限，請稍候一分鐘再試。"),
        500: _("很抱歉，系統暫時無法處理您的要求。我們已記錄這個問題，請稍後再試。"),
    }


def wants_json() -> bool:
    """Whether the client of this request should get JSON errors."""
    if request.path.startswith(("/api/", "/open311/")):  # Open311 reshapes them (feedback/cases/open311)
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "application/problem+json"])
    return best in {"application/json", "application/problem+json"}


def problem_response(status: int, detail: str | None = None, **extra: Any) -> Response:
    """An RFC 9457 problem-details response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _titles().get(status, str(status)),
        "status": status,
        "detail": detail or _details().get(status, ""),
        "instance": request.path,
    }
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _render(status: int, detail: str | None = None) -> tuple[str, int]:
    template = f"errors/{status}.html" if status in HANDLED_CODES else "errors/generic.html"
    return (
        render_template(
            template,
            status=status,
            title=_titles().get(status, str(status)),
            detail=detail or _details().get(status, ""),
        ),
        status,
    )


def error_response(status: int, detail: str | None = None, **extra: Any) -> Response:
    """The error answer to this request: a problem document for programs, the site's page otherwise."""
    if wants_json():
        return problem_response(status, detail, **extra)
    body, _status = _render(status, detail)
    return Response(body, status=status, mimetype="text/html")


def handle_http_exception(error: HTTPException) -> Any:
    """Render any HTTP error in the visitor's language."""
    status = error.code or 500
    if status < 400:
        return error
    detail = None
    if isinstance(error, CSRFError):
        detail = _("表單已逾時或來源不明，請重新整理頁面後再送出一次。")
    response = error_response(status, detail)
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    if status == 429:
        response.headers.setdefault("Retry-After", "60")
    return response


def handle_unexpected(error: Exception) -> Any:
    """Log an unexpected exception and answer 500 without details."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    logger.exception("unhandled error on %s %s", request.method, request.path)
    try:
        # A failed statement leaves the transaction unusable; the error page reads afresh.
        db.discard()
    except SQLAlchemyError:
        logger.warning("could not roll back after the error", exc_info=True)
    return handle_http_exception(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)

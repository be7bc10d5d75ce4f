"""Editing through the API: ``PATCH /api/documents/{id}`` and a record's versions.

A PATCH names the version it was made from in ``If-Match: "<version>"`` (the ``ETag`` of
``GET /api/documents/{id}``); without it the answer is 428, from a stale version 409 with the
current record beside the error, and nothing changes. Who may: a curator (``access.require``)
allowed this record (``accounts.can_curate``); the role is checked before the body is read, so a
client without one learns nothing else. Declared on the API's own router before the record's
route, because ids may contain ``/`` and that route would match these paths too.
"""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Header, Path, Router, Schema

from opis.curate.edit import edit_record, restore_version
from opis.curate.fields import EDITABLE
from opis.curate.history import version_record, versions
from opis.errors import BadEdit, Forbidden, PreconditionRequired, VersionConflict
from opis.records.accounts import can_curate
from opis.records.serialize import load_document
from opis.web.access import require
from opis.web.api_schemas import ERRORS, DocumentOut, ErrorDetail, ErrorOut
from opis.web.errors import error_body

DOCUMENT_ID = Path(..., description="The record's id; may contain /", example="wcda-110692")
NUMBER = Path(..., ge=1, description="A version number, from 1", example=1)
IF_MATCH = Header(
    None, alias="If-Match", description='The version the change was made from: "3"'
)  # fmt: skip
WRITE_ERRORS = {
    **ERRORS, 401: ErrorOut, 403: ErrorOut, 412: ErrorOut, 428: ErrorOut, 503: ErrorOut,
}  # fmt: skip


class ConflictOut(Schema):
    error: ErrorDetail
    current: DocumentOut


class VersionOut(Schema):
    number: int
    actor: str
    action: str
    comment: str
    created_at: str


class VersionListOut(Schema):
    id: str
    versions: list[VersionOut]


PATCH_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["comment"],
                "properties": {
                    "comment": {"type": "string", "description": "Why (required)"},
                    **{name: {"description": "As in the record's JSON"} for name in EDITABLE},
                },
            }
        }
    },
}
RESTORE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["comment"],
                "properties": {"comment": {"type": "string", "description": "Why (required)"}},
            }
        }
    },
}


def patch_document(
    request: HttpRequest, document_id: str = DOCUMENT_ID, if_match: str | None = IF_MATCH
):
    """Change fields of a record (named as in its JSON) with a ``comment`` saying why; answers
    the record as it now is, with its new version as the ETag."""
    _curator_for(request, document_id)
    version = _version(if_match)
    changes = _body(request)
    comment = changes.pop("comment", None)
    return _saved(request, edit_record, document_id, changes, comment=comment, version=version)


def list_versions(request: HttpRequest, document_id: str = DOCUMENT_ID):
    """Every version of the record, oldest first: who, when, what kind of change, and why."""
    _curator_for(request, document_id)
    return {"id": document_id, "versions": versions(document_id)}


def get_version(request: HttpRequest, document_id: str = DOCUMENT_ID, n: int = NUMBER):
    """The record exactly as it was at version ``n``."""
    _curator_for(request, document_id)
    return version_record(document_id, n)


def restore_document(
    request: HttpRequest,
    document_id: str = DOCUMENT_ID,
    n: int = NUMBER,
    if_match: str | None = IF_MATCH,
):
    """Make version ``n`` current again, as a new version (``comment`` says why); ``If-Match``
    is optional here: the restored content does not depend on the version it replaces."""
    _curator_for(request, document_id)
    version = _version(if_match) if if_match is not None else None
    comment = _body(request).get("comment")
    return _saved(request, restore_version, document_id, n, comment=comment, version=version)


def _saved(request: HttpRequest, change, document_id: str, *args, **kwargs) -> HttpResponse:
    """Make the change as the signed-in curator; the record with its ETag, or 409 with the
    record as it now is."""
    actor = request.user.get_username()
    try:
        record = change(document_id, *args, actor=actor, **kwargs)
    except VersionConflict as conflict:
        body = {**error_body(409, conflict.code, conflict.message), "current": conflict.current}
        return JsonResponse(body, status=409, headers={"ETag": etag(conflict.current)})
    return JsonResponse(record, headers={"ETag": etag(record)})


def etag(record: dict | None) -> str:
    return f'"{(record or {}).get("version", "")}"'


def declare_curation(router: Router) -> None:
    """Add the editing operations to ``router`` (the API's own, before the record's route)."""
    router.add_api_operation(
        "/documents/{path:document_id}/versions/{n}/restore", ["POST"], restore_document,
        response={200: DocumentOut, 409: ConflictOut, **WRITE_ERRORS},
        summary="Restore a version", openapi_extra={"requestBody": RESTORE_BODY},
    )  # fmt: skip
    router.add_api_operation(
        "/documents/{path:document_id}/versions/{n}", ["GET"], get_version,
        response={200: DocumentOut, **WRITE_ERRORS}, summary="A version of a document",
    )  # fmt: skip
    router.add_api_operation(
        "/documents/{path:document_id}/versions", ["GET"], list_versions,
        response={200: VersionListOut, **WRITE_ERRORS}, summary="A document's versions",
    )  # fmt: skip
    router.add_api_operation(
        "/documents/{path:document_id}", ["PATCH"], patch_document,
        response={200: DocumentOut, 409: ConflictOut, **WRITE_ERRORS},
        summary="Edit a document", openapi_extra={"requestBody": PATCH_BODY},
    )  # fmt: skip


def _curator_for(request: HttpRequest, document_id: str) -> None:
    require(request, "curator")
    if not can_curate(request.user, load_document(document_id)):
        raise Forbidden(
            f"your account may not curate {document_id!r}: it is in none of your collections"
        )


def _version(if_match: str | None) -> int:
    if if_match is None:
        raise PreconditionRequired(
            'send If-Match: "<version>" with the version you read (the ETag of GET '
            "/api/documents/{id}), so a change made meanwhile is not overwritten"
        )
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise BadEdit(f'If-Match {if_match!r} is not a version; send If-Match: "3"', "If-Match")
    return int(tag)


def _body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise BadEdit("the body is not JSON; send a JSON object", "body") from None
    if not isinstance(body, dict):
        raise BadEdit("the body must be a JSON object of fields and a comment", "body")
    return body

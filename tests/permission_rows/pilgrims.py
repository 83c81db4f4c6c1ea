"""Permission rows for the pilgrims app: an organiser's register and the identity check."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.permission_table_base import ALL, SIGNED_IN, Row, others

STAFF = ("org_admin", "org_staff")

PILGRIM = {
    "surname": "JAFRI",
    "given_names": "ZAINAB",
    "cnic": "35202-1234567-2",
    "passport_number": "AB1234567",
    "passport_expiry": "2031-01-01",
    "birth_date": "1970-05-01",
    "sex": "F",
}

TABLE = [
    Row("pilgrims:list", ("anonymous",), "login"),
    Row("pilgrims:list", STAFF, 200),
    Row("pilgrims:list", others(*STAFF), 403),
    Row("pilgrims:create", ("anonymous",), "login"),
    Row("pilgrims:create", STAFF, 200),
    Row("pilgrims:create", others(*STAFF), 403),
    Row("pilgrims:check", ("anonymous",), "login"),
    Row("pilgrims:check", STAFF, 405),
    Row("pilgrims:check", others(*STAFF), 403),
    Row("pilgrims:check", STAFF, 200, method="post"),
    Row("pilgrims:detail", ("anonymous",), "login"),
    Row("pilgrims:detail", STAFF, 200),
    Row("pilgrims:detail", others(*STAFF), 403),
    Row("pilgrims:edit", ("anonymous",), "login"),
    Row("pilgrims:edit", STAFF, 200),
    Row("pilgrims:edit", others(*STAFF), 403),
    Row("pilgrims:conflicts", ("anonymous",), "login"),
    Row("pilgrims:conflicts", ("ministry",), 200),
    Row("pilgrims:conflicts", others("ministry"), 403),
    Row("api-1.0.0:identity_check", ALL, 405),
    Row("api-1.0.0:identity_check", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:identity_check", SIGNED_IN, 200, method="post"),
    Row("api-1.0.0:pilgrims", ("anonymous",), 401),
    Row("api-1.0.0:pilgrims", STAFF, 200),
    Row("api-1.0.0:pilgrims", others(*STAFF), 403),
    Row("api-1.0.0:pilgrim_create", ("anonymous",), 401),
    Row("api-1.0.0:pilgrim_create", STAFF, 200),
    Row("api-1.0.0:pilgrim_create", others(*STAFF), 403),
    Row("api-1.0.0:pilgrim_create", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:pilgrim_create", STAFF, 201, method="post"),
    Row("api-1.0.0:pilgrim_create", others(*STAFF), 403, method="post"),
    Row("api-1.0.0:pilgrim", ("anonymous",), 401),
    Row("api-1.0.0:pilgrim", STAFF, 200),
    Row("api-1.0.0:pilgrim", others(*STAFF), 403),
    # Photos: staff change them; the photo itself is behind a signed link anyone may open.
    Row("pilgrims:photo_upload", ("anonymous",), "login"),
    Row("pilgrims:photo_upload", STAFF, 405),
    Row("pilgrims:photo_upload", others(*STAFF), 403),
    Row("pilgrims:photo_upload", STAFF, 302, method="post"),
    Row("pilgrims:photo_upload", others(*STAFF), 403, method="post"),
    Row("pilgrims:photo_remove", ("anonymous",), "login"),
    Row("pilgrims:photo_remove", STAFF, 405),
    Row("pilgrims:photo_remove", others(*STAFF), 403),
    Row("pilgrims:photo_remove", STAFF, 302, method="post"),
    Row("pilgrims:photo_remove", others(*STAFF), 403, method="post"),
    Row("pilgrims:photo", ALL, 200),
    Row("api-1.0.0:pilgrim_photo", ALL, 405),
    Row("api-1.0.0:pilgrim_photo", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:pilgrim_photo", STAFF, 200, method="post"),
    Row("api-1.0.0:pilgrim_photo", others(*STAFF), 403, method="post"),
    Row("api-1.0.0:pilgrim_photo_delete", ALL, 405),
    Row("api-1.0.0:pilgrim_photo_delete", ("anonymous",), 401, method="delete"),
    Row("api-1.0.0:pilgrim_photo_delete", STAFF, 204, method="delete"),
    Row("api-1.0.0:pilgrim_photo_delete", others(*STAFF), 403, method="delete"),
]


def _png() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (100, 100)).save(image, "PNG")
    return image.getvalue()


def _upload(ctx) -> dict:
    return {"photo": SimpleUploadedFile("me.png", _png(), content_type="image/png")}


def _photo_token(ctx) -> str:
    """A signed link to a photo of ctx.pilgrim (given one here, as staff would)."""
    from zaireen.pilgrims import photos

    photos.photo_set(actor=ctx.users["org_admin"], uid=ctx.pilgrim.uid, content=_png())
    return photos.photo_url(ctx.pilgrim).rsplit("/", 1)[1].removesuffix(".jpg")


URL_ARGS = {
    "pilgrims:detail": lambda ctx: {"uid": ctx.pilgrim.uid},
    "pilgrims:edit": lambda ctx: {"uid": ctx.pilgrim.uid},
    "api-1.0.0:pilgrim": lambda ctx: {"uid": ctx.pilgrim.uid},
    "pilgrims:photo_upload": lambda ctx: {"uid": ctx.pilgrim.uid},
    "pilgrims:photo_remove": lambda ctx: {"uid": ctx.pilgrim.uid},
    "pilgrims:photo": lambda ctx: {"token": _photo_token(ctx)},
    "api-1.0.0:pilgrim_photo": lambda ctx: {"uid": ctx.pilgrim.uid},
    "api-1.0.0:pilgrim_photo_delete": lambda ctx: {"uid": ctx.pilgrim.uid},
}
QUERY: dict = {}
BODY = {
    "pilgrims:check": lambda ctx: {"cnic": "35202-1234567-2"},
    "api-1.0.0:identity_check": lambda ctx: {"cnic": "35202-1234567-2"},
    "api-1.0.0:pilgrim_create": lambda ctx: PILGRIM,
    "pilgrims:photo_upload": _upload,
    "api-1.0.0:pilgrim_photo": _upload,
}
TENANT_ROWS = [
    ("pilgrims:detail", "get", 200),
    ("pilgrims:edit", "get", 200),
    ("api-1.0.0:pilgrim", "get", 200),
    ("pilgrims:photo_remove", "post", 302),
    ("pilgrims:photo_upload", "post", 302),
    ("api-1.0.0:pilgrim_photo", "post", 200),
]

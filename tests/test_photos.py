"""Pilgrims' optional photos: what is accepted, how it is stored and who can see it."""

import io

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests import factories
from tests.test_pilgrims import pilgrim
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.models import AuditEntry
from zaireen.core.roles import Role
from zaireen.pilgrims import photos, services
from zaireen.pilgrims.models import ProfilePhoto

pytestmark = pytest.mark.django_db


def picture(size=(1200, 1600), fmt="JPEG", colour=(200, 30, 30), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, colour)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif.get_ifd(0x8825)[2] = (33.0, 18.0, 0.0)  # GPSLatitude
    return exif.tobytes()


@pytest.fixture
def staff(places):
    return factories.user("staff-a", Role.ORGANISER_STAFF, factories.organiser("ZGO-A"))


@pytest.fixture
def profile(staff):
    registered, _warnings = services.pilgrim_register(actor=staff, data=pilgrim())
    return registered


def test_a_phone_photo_is_stored_small_upright_and_without_its_exif(staff, profile):
    stored = photos.photo_set(actor=staff, uid=profile.uid, content=picture(exif=gps_exif()))
    # Orientation 6 turns the 1200×1600 landscape-stored picture upright: 1600 wide → 480.
    assert (stored.width, stored.height) == (480, 360)
    jpeg = photos.photo_bytes(profile)
    with Image.open(io.BytesIO(jpeg)) as shown:
        assert shown.format == "JPEG" and shown.size == (480, 360)
        assert not shown.getexif(), "the place the photo was taken must not be kept"
    assert len(jpeg) < 40_000
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM pilgrims_profilephoto")
        (stored_text,) = cursor.fetchone()
    assert "/9j/" not in stored_text[:10], "stored encrypted, not as plain base64 JPEG"
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="zaireen.pilgrim.photo_set").count() == 1


def test_the_same_photo_twice_changes_nothing_and_a_new_one_replaces_it(staff, profile):
    first = photos.photo_set(actor=staff, uid=profile.uid, content=picture())
    link = photos.photo_url(profile)
    again = photos.photo_set(actor=staff, uid=profile.uid, content=picture())
    # The payload (profile, digest) is the same; only the signing time differs.
    assert again.pk == first.pk and photos.photo_url(profile).split(":")[0] == link.split(":")[0]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="zaireen.pilgrim.photo_set").count() == 1
    photos.photo_set(actor=staff, uid=profile.uid, content=picture(colour=(0, 0, 200)))
    with scopes_disabled():
        assert ProfilePhoto.objects.count() == 1
    assert photos.photo_url(profile).split(":")[0] != link.split(":")[0]
    assert photos.photo_for_link(link.rsplit("/", 1)[1].removesuffix(".jpg")) is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a photo at all", "not a photo"),
        (picture()[:2000], "damaged"),
        (picture(fmt="GIF"), "JPEG, PNG or WebP"),
        (picture(size=(40, 40)), "too small"),
    ],
    ids=["empty", "pdf", "truncated", "gif", "tiny"],
)
def test_what_is_not_a_usable_photo_is_refused_with_the_reason(staff, profile, content, reason):
    with pytest.raises(ValidationFailed) as refused:
        photos.photo_set(actor=staff, uid=profile.uid, content=content)
    assert reason in refused.value.errors["photo"][0]
    with scopes_disabled():
        assert not ProfilePhoto.objects.exists()


def test_a_truncated_photo_is_refused_even_after_weasyprint_is_imported(staff, profile):
    import weasyprint  # noqa: F401  (sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES globally)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    for fmt in ("JPEG", "PNG", "WEBP"):
        whole = picture(size=(300, 300), fmt=fmt)
        with pytest.raises(ValidationFailed) as refused:
            photos.photo_set(actor=staff, uid=profile.uid, content=whole[: len(whole) // 2])
        assert "damaged" in refused.value.errors["photo"][0]


def test_a_decompression_bomb_is_refused_before_it_is_unpacked(staff, profile):
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # 64 Mpx in a few kilobytes
    assert len(out.getvalue()) < 200_000
    with pytest.raises(ValidationFailed) as refused:
        photos.photo_set(actor=staff, uid=profile.uid, content=out.getvalue())
    assert "too many pixels" in refused.value.errors["photo"][0]


def test_png_and_webp_are_accepted(staff, profile):
    for fmt in ("PNG", "WEBP"):
        stored = photos.photo_set(
            actor=staff, uid=profile.uid, content=picture(size=(300, 300), fmt=fmt)
        )
        assert (stored.width, stored.height) == (300, 300)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.builds(lambda cut: picture(size=(100, 100))[:cut], st.integers(0, 900)),
        st.builds(lambda junk: b"\x89PNG\r\n\x1a\n" + junk, st.binary(max_size=500)),
    )
)
def test_no_upload_breaks_the_normaliser_it_is_a_photo_or_a_reason(content):
    try:
        jpeg, width, height = photos.photo_normalise(content)
    except ValidationFailed as refused:
        assert refused.errors["photo"]
    else:
        with Image.open(io.BytesIO(jpeg)) as shown:
            assert shown.format == "JPEG" and shown.size == (width, height)


def test_only_the_organisers_staff_change_a_photo(staff, profile):
    other = factories.user("staff-b", Role.ORGANISER_STAFF, factories.organiser("ZGO-B"))
    with pytest.raises(NotFound):
        photos.photo_set(actor=other, uid=profile.uid, content=picture())
    with pytest.raises(NotAllowed):
        photos.photo_set(actor=factories.ministry(), uid=profile.uid, content=picture())


def test_a_link_works_until_it_expires_or_is_tampered_with(staff, profile, client, monkeypatch):
    photos.photo_set(actor=staff, uid=profile.uid, content=picture())
    link = photos.photo_url(profile)
    shown = client.get(link)  # no session: the signature is the permission
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown.content == photos.photo_bytes(profile)
    assert client.get(link.replace(".jpg", "x.jpg")).status_code == 404
    forged = signing.dumps([profile.pk, "0" * 12], salt=photos.LINK_SALT, compress=True)
    assert client.get(reverse("pilgrims:photo", args=[forged])).status_code == 404
    monkeypatch.setattr(photos, "LINK_MAX_AGE", -1)
    assert client.get(link).status_code == 404


def test_staff_upload_and_remove_on_the_pilgrims_page(staff, profile, client):
    client.force_login(staff)
    page = reverse("pilgrims:detail", args=[profile.uid])
    assert "No photo" in client.get(page).content.decode()
    bad = client.post(
        reverse("pilgrims:photo_upload", args=[profile.uid]),
        {"photo": SimpleUploadedFile("me.jpg", b"hello", content_type="image/jpeg")},
    )
    assert bad.status_code == 422 and "this file is not a photo" in bad.content.decode()
    good = client.post(
        reverse("pilgrims:photo_upload", args=[profile.uid]),
        {"photo": SimpleUploadedFile("me.jpg", picture(), content_type="image/jpeg")},
    )
    assert good.status_code == 302
    assert photos.photo_url(profile) in client.get(page).content.decode()
    client.post(reverse("pilgrims:photo_remove", args=[profile.uid]))
    assert photos.photo_url(profile) == ""


def test_the_api_takes_a_multipart_photo_and_names_what_is_wrong(staff, profile, client):
    client.force_login(staff)
    url = f"/api/v1/pilgrims/{profile.uid}/photo"
    missing = client.post(url)
    assert missing.status_code == 422 and "photo" in missing.json()["errors"]
    bad = client.post(url, {"photo": SimpleUploadedFile("x.jpg", b"GIF89a....")})
    assert bad.status_code == 422 and bad.json()["errors"]["photo"]
    good = client.post(url, {"photo": SimpleUploadedFile("x.png", picture(fmt="PNG"))})
    assert good.status_code == 200 and good.json()["width"] == 360
    assert client.get(good.json()["url"]).status_code == 200
    assert client.delete(url).status_code == 204
    assert photos.photo_url(profile) == ""


def test_links_for_many_profiles_take_one_query(staff, django_assert_num_queries):
    profiles = []
    for n in range(5):
        made, _w = services.pilgrim_register(
            actor=staff,
            data=pilgrim(cnic=f"35202-123456{n}-3", passport_number=f"AB765000{n}"),
        )
        profiles.append(made)
    for made in profiles[:3]:
        photos.photo_set(actor=staff, uid=made.uid, content=picture(size=(100, 100)))
    with django_assert_num_queries(1):
        links = photos.photo_urls([p.pk for p in profiles])
    assert set(links) == {p.pk for p in profiles[:3]}

"""A package carries its recommendations' materials as an annex: frozen when sent,
listed with their SHA-256 in a manifest kept with the package's files, and downloaded as
one ZIP that a reviewer of the addressee ministry can check file by file."""

import hashlib
import io
import zipfile

from sqlalchemy import select

from app.attachments import services as attachment_services
from app.attachments.models import Attachment
from app.exports import packages, selection
from app.exports.models import PackageFile, PackageItem
from app.extensions import db
from app.recommendations import services as rec_services
from tests import factories
from tests.attachments import samples
from tests.exports.helpers import MINISTRY, OTHER_MINISTRY, ministry
from tests.recommendations.helpers import make_rec


def attach(rec, user, name, content, title=""):
    (attachment,) = attachment_services.attach(
        rec, user, [attachment_services.Upload(name, io.BytesIO(content))], title=title
    )
    return attachment


def sent_package(include_materials=True):
    author = factories.make_user("member")
    facilitator = factories.make_user("facilitator")
    rec = make_rec(author, area="G05", title="Z materiałami", status="draft")
    slides = attach(rec, author, "slajdy.pdf", samples.pdf("version one"), title="Slajdy")
    attachment_services.replace(
        slides, author, attachment_services.Upload("slajdy.pdf", io.BytesIO(samples.pdf("v2"))), 1
    )
    attach(rec, author, "dane.xlsx", samples.xlsx(), title="Dane")
    gone = attach(rec, author, "stare.txt", b"removed before sending", title="Stare")
    attachment_services.remove(gone, author)
    attach(rec, author, "slajdy.pdf", samples.pdf("same name, other file"), title="Drugie")
    rec_services.change_status(rec, author, "discussion")
    rec_services.change_status(rec, facilitator, "agreed")
    make_rec(author, area="G05", title="Bez materiałów", status="agreed", facilitator=facilitator)
    package = packages.send(
        facilitator,
        selection.parse({"area": "G05"}, None),
        organisation=ministry(),
        title="Pakiet z aneksem",
        cover_letter="List",
        include_materials=include_materials,
    )
    return package, rec, slides


def test_the_annex_is_frozen_listed_and_downloaded_whole(app, auth):
    package, rec, slides = sent_package()
    reference = db.session.scalar(
        select(PackageItem.reference).where(PackageItem.recommendation_id == rec.id)
    )
    folder = reference.replace("/", "-")
    manifest_file = db.session.scalar(
        select(PackageFile).where(
            PackageFile.package_id == package.id, PackageFile.format == "sha256"
        )
    )
    assert manifest_file.built_at is not None
    assert manifest_file.sha256 == hashlib.sha256(manifest_file.content).hexdigest()
    lines = manifest_file.content.decode().splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == [
        f"{folder}/slajdy.pdf",
        f"{folder}/dane.xlsx",
        f"{folder}/slajdy (2).pdf",
    ]

    auth.login("reviewer", organisation=MINISTRY)
    page = auth.client.get(f"/exports/packages/{package.id}").get_data(as_text=True)
    assert "slajdy (2).pdf" in page and "materials.zip" in page
    response = auth.client.get(f"/exports/packages/{package.id}/materials.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    sums = archive.read("SHA256SUMS")
    assert sums == manifest_file.content
    for line in sums.decode().splitlines():
        digest, path = line.split("  ", 1)
        assert hashlib.sha256(archive.read(path)).hexdigest() == digest
    # The current version was sent, not the first.
    assert b"v2" in archive.read(f"{folder}/slajdy.pdf")
    assert "Stare" not in page
    # The same package gives the same bytes.
    again = auth.client.get(f"/exports/packages/{package.id}/materials.zip").data
    assert again == response.data

    manifest = auth.client.get(f"/exports/packages/{package.id}/files/sha256")
    assert manifest.data == manifest_file.content


def test_a_sent_recommendations_materials_are_frozen(auth):
    _package, _rec, slides = sent_package()
    auth.login("facilitator")
    response = auth.post(
        f"/materials/{slides.id}/replace",
        data={"file": (io.BytesIO(b"changed after sending"), "x.txt"), "base_version": "2"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403


def test_other_ministries_and_packages_without_an_annex_have_no_zip(auth):
    package, _rec, _slides = sent_package()
    auth.login("reviewer", organisation=OTHER_MINISTRY)
    assert auth.client.get(f"/exports/packages/{package.id}/materials.zip").status_code == 404

    bare, _rec, _slides = sent_package(include_materials=False)
    facilitator = factories.make_user("facilitator")
    auth.login_as(facilitator)
    assert auth.client.get(f"/exports/packages/{bare.id}/materials.zip").status_code == 404
    assert (
        db.session.scalar(
            select(PackageFile.id).where(
                PackageFile.package_id == bare.id, PackageFile.format == "sha256"
            )
        )
        is None
    )
    assert db.session.scalar(select(Attachment.id)) is not None

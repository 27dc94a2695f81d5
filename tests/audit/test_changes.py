"""Changes between releases: exactly which items, fields, locales and templates."""

from __future__ import annotations

from typing import Any

from compiler.audit import build_manifest, manifest_problems
from compiler.release import PreviousRelease
from tests.audit.conftest import IDS, base_objects, find, make_release
from tests.audit.releases import two_manifests


def _by_key(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["key"]: e for e in entries}


def test_second_release_records_exactly_the_realistic_changes() -> None:
    _, second = two_manifests()
    assert manifest_problems(second) == []
    changes = second["changes"]
    assert changes["added"] == [
        {"kind": "text_block", "key": "FAQ-CLAIMS", "templates": ["WELCOME_EMAIL"]}]
    changed = _by_key(changes["changed"])
    assert set(changed) == {"DISC-HOME-EXCESS", "FEE-HOME-PLUS", "tagesgeld-ubersicht-5b1e0000"}
    assert changed["DISC-HOME-EXCESS"]["fields"] == [
        {"field": "body", "locales": ["de_DE"]}, {"field": "governance", "locales": ["*"]}]
    assert changed["DISC-HOME-EXCESS"]["outputs"] == [
        {"path": "data/content/DISC-HOME-EXCESS/de_DE.exm.xml", "change": "changed"}]
    assert changed["DISC-HOME-EXCESS"]["templates"] == ["RENEWAL_LETTER_HOME"]
    assert changed["FEE-HOME-PLUS"]["fields"] == [{"field": "body", "locales": ["en_GB"]}]
    assert changed["FEE-HOME-PLUS"]["templates"] == ["RENEWAL_LETTER_HOME", "WELCOME_EMAIL"]
    image = changed["tagesgeld-ubersicht-5b1e0000"]
    assert image["fields"] == [{"field": "sha256", "locales": ["*"]}]
    assert image["outputs"] == [
        {"path": "data/assets/email/tagesgeld-ubersicht-5b1e0000-600.jpg", "change": "changed"}]
    assert changes["removed"] == [
        {"kind": "product", "key": "HOME-PLUS", "outputs": [], "templates": [],
         "excluded": None},
        {"kind": "text_block", "key": "DESC-HOSTILE",
         "outputs": [{"path": "data/content/DESC-HOSTILE/de_DE.exm.xml", "change": "removed"},
                     {"path": "data/content/DESC-HOSTILE/en_GB.exm.xml", "change": "removed"}],
         "templates": [],
         "excluded": {"reason": "not_approved",
                      "message": "approval_status is 'draft'; only approved content is "
                                 "released"}},
    ]
    assert second["summary"]["changes"] == {"added": 1, "changed": 3, "removed": 2}
    assert second["release"]["previous"] == {"version": "2026.12.1", "archive_sha256": "c" * 64}
    states = {i["key"]: i["change"] for i in second["items"]}
    assert states == {"DISC-HOME-EXCESS": "changed", "FEE-HOME-PLUS": "changed",
                      "tagesgeld-ubersicht-5b1e0000": "changed", "FAQ-CLAIMS": "added"}


def test_new_revision_with_identical_content_is_unchanged() -> None:
    first = build_manifest(make_release(base_objects()), None)
    objects = base_objects()
    find(objects, IDS["fee"])["version"] = 9
    find(objects, IDS["fee"])["mod_time"] = "2026-11-30T10:00:00Z"
    second = build_manifest(make_release(objects, previous=PreviousRelease("1", "c" * 64)),
                            first)
    assert {i["change"] for i in second["items"]} == {"unchanged"}
    assert second["changes"] == {"added": [], "changed": [], "removed": []}


def test_removed_item_keeps_the_templates_the_previous_release_recorded() -> None:
    first = build_manifest(make_release(base_objects()), None)
    objects = base_objects()
    objects["text_block"] = [b for b in objects["text_block"] if b["id"] != IDS["disc"]]
    release = make_release(objects)
    release.exstream = None  # no Exstream data this time: the old manifest still knows
    second = build_manifest(release, first)
    assert second["changes"]["removed"] == [
        {"kind": "text_block", "key": "DISC-HOME-EXCESS",
         "outputs": [{"path": "data/content/DISC-HOME-EXCESS/de_DE.exm.xml", "change": "removed"},
                     {"path": "data/content/DISC-HOME-EXCESS/en_GB.exm.xml", "change": "removed"}],
         "templates": ["RENEWAL_LETTER_HOME"], "excluded": None}]


def test_a_form_whose_locale_did_not_change_is_marked_metadata() -> None:
    from compiler.audit.changes import output_changes

    def entry(de: str, en: str) -> dict[str, object]:
        return {"outputs": [
            {"path": "data/content/K/de_DE.exm.xml", "sha256": de, "locale": "de_DE"},
            {"path": "data/content/K/en_GB.exm.xml", "sha256": en, "locale": "en_GB"},
            {"path": "data/assets/print/k.jpg", "sha256": de, "locale": None}]}

    reworded = [{"field": "body", "locales": ["de_DE"]}]
    # both forms carry the new source version; only the German one has new wording
    found = output_changes(entry("a" * 64, "b" * 64), entry("c" * 64, "d" * 64), reworded)
    assert found == [
        {"path": "data/assets/print/k.jpg", "change": "changed"},
        {"path": "data/content/K/de_DE.exm.xml", "change": "changed"},
        {"path": "data/content/K/en_GB.exm.xml", "change": "metadata"}]
    shared = [{"field": "valid_until", "locales": ["*"]}]  # a change for every locale
    assert {o["change"] for o in output_changes(entry("a" * 64, "b" * 64),
                                                entry("c" * 64, "d" * 64), shared)} == {"changed"}
    renewed = [{"field": "governance", "locales": ["*"]}]  # approval renewed, same words
    assert [o["change"] for o in output_changes(entry("a" * 64, "b" * 64),
                                                entry("c" * 64, "d" * 64), renewed)] == [
        "changed", "metadata", "metadata"]

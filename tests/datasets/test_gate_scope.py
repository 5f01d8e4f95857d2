"""What the personal-data gate reads: every column, as written; and fingerprints that are keyed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask

from datasets.deid import FINGERPRINT_SCHEME, Gate, finding_fingerprint, fingerprint_key
from datasets.models import Dataset
from portal.db import db
from tests.datasets.conftest import write_csv

KEY = fingerprint_key(b"site key", "water-cases")


def test_every_column_is_scanned_whatever_its_type() -> None:
    schema = {
        "fields": [
            {"name": "card", "type": "integer"},
            {"name": "mobile", "type": "integer"},
            {"name": "reading", "type": "number"},
            {"name": "code", "type": "string", "deid": {"rule": "pseudonymise"}},
        ]
    }
    gate = Gate(schema, KEY)
    gate.scan(2, ["4111111111111111", "886912345678", "12.5", "0912345678"])
    assert gate.by_column == {"card": {"card": 1}, "mobile": {"phone": 1}}
    assert gate.cells_scanned == 3, "pseudonyms are the site's own and are not scanned"


def test_fingerprints_are_keyed_and_not_the_bare_hash() -> None:
    bare = hashlib.sha256(b"mobile\x1fphone\x1f0912345678").hexdigest()[:32]
    keyed = finding_fingerprint(KEY, "mobile", "phone", "0912345678")
    assert keyed != bare
    assert len(keyed) == 32
    assert keyed == finding_fingerprint(KEY, "mobile", "phone", "0912345678")
    assert keyed != finding_fingerprint(
        fingerprint_key(b"site key", "another"), "mobile", "phone", "0912345678"
    )
    assert keyed != finding_fingerprint(
        fingerprint_key(b"other key", "water-cases"), "mobile", "phone", "0912345678"
    )


def test_justifications_of_an_older_kind_no_longer_match() -> None:
    schema = {"fields": [{"name": "note", "type": "string"}]}
    text = "請回電 0912345678"
    legacy = hashlib.sha256(b"note\x1fphone\x1f0912345678").hexdigest()[:32]
    current = finding_fingerprint(KEY, "note", "phone", "0912345678")
    old_gate = Gate(schema, KEY, {legacy: {"fingerprint": legacy, "reason": "舊的理由"}})
    old_gate.scan(2, [text])
    assert old_gate.findings == 1
    new_gate = Gate(
        schema, KEY, {current: {"fingerprint": current, "scheme": FINGERPRINT_SCHEME, "reason": "機關總機"}}
    )
    new_gate.scan(2, [text])
    assert new_gate.findings == 0
    assert new_gate.to_dict()["justified"][0]["count"] == 1
    assert new_gate.to_dict()["fingerprints"] == FINGERPRINT_SCHEME


def test_a_csv_whose_cards_and_phones_are_inferred_as_integers_is_refused(
    app: Flask, make_dataset, run_publish, tmp_path: Path
) -> None:
    dataset = make_dataset(schema={})
    rows = [[f"C{number:03d}", "4111111111111111", "886912345678", number] for number in range(1, 6)]
    job, release = run_publish(
        dataset, write_csv(tmp_path / "people.csv", ["id", "card", "mobile", "count"], rows)
    )
    assert release is None
    assert job.reason == "pii"
    with app.app_context():
        inferred = db.session.get(Dataset, dataset.id).table_schema
    types = {field["name"]: field["type"] for field in inferred["fields"]}
    assert types["card"] == types["mobile"] == "integer", "the point of the test: inferred as numbers"
    assert job.report["pii"]["by_column"] == {"card": {"card": 5}, "mobile": {"phone": 5}}

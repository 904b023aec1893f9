"""The report/1 document: every problem named, NFC text, limits, padding buckets."""

from __future__ import annotations

import json
import unicodedata

import pytest

from intake_function import report


def valid(**extra):
    return {"schema": "report/1", "category": "waste", "description": "Lãng phí ngân sách", **extra}


def problems_of(document) -> dict[str, str]:
    with pytest.raises(report.ReportError) as caught:
        report.validate(document)
    return {p.field: p.message_vi for p in caught.value.problems}


def test_minimal_report_is_valid():
    assert report.validate(valid())["category"] == "waste"


def test_every_problem_is_reported_with_its_field():
    found = problems_of(
        {
            "schema": "report/2",
            "category": "bribery",
            "description": "   ",
            "place": "x" * 501,
            "reporter": {"email": "not-an-address", "phone": "call me"},
            "attachments": [{"key": "../etc/passwd", "name": "a", "type": "text/plain", "size": -1, "sha256": "zz"}],
            "color": "red",
        }
    )
    assert set(found) == {
        "schema",
        "category",
        "description",
        "place",
        "reporter.email",
        "reporter.phone",
        "attachments[0].key",
        "attachments[0].size",
        "attachments[0].sha256",
        "color",
    }
    assert found["place"] == "Quá dài: tối đa 500 ký tự."
    assert found["description"] == "Không được để trống."
    assert "thư điện tử" in found["reporter.email"]


def test_missing_required_fields_are_named():
    assert set(problems_of({})) == {"schema", "category", "description"}


def test_text_is_nfc_normalised_before_checking():
    decomposed = unicodedata.normalize("NFD", "Tố giác lãng phí")
    assert decomposed != "Tố giác lãng phí"
    assert report.validate(valid(description=decomposed))["description"] == "Tố giác lãng phí"
    # 200 characters of Vietnamese are 200, not the 300+ code points of their decomposed form.
    assert report.validate(valid(occurred=unicodedata.normalize("NFD", "ố" * 200)))


def test_empty_reporter_block_is_explained():
    assert "ẩn danh" in problems_of(valid(reporter={}))["reporter"]


def test_categories_have_both_labels():
    cats = report.categories()
    assert list(cats) == ["corruption", "waste", "negativity", "obstruction", "retaliation", "disclosure", "other"]
    assert cats["obstruction"]["vi"] == "Gây khó khăn, phiền hà"
    assert all(c["vi"] and c["en"] and c["hint_vi"] and c["hint_en"] for c in cats.values())


@pytest.mark.parametrize("length", [0, 10, 900, 1000, 1023, 5000, 19_999])
def test_padding_fills_a_bucket_exactly(length):
    document = valid(description="ả" * max(length, 1))
    padded = report.padded(document)
    assert len(padded) in report.PAD_BUCKETS or len(padded) > report.PAD_BUCKETS[-1]
    parsed = report.parse(padded)
    assert parsed["description"] == document["description"]
    assert set(parsed["pad"]) <= {" "}
    assert json.loads(padded)["pad"] == parsed["pad"]


def test_pad_holds_only_spaces():
    assert "pad" in problems_of(valid(pad="secret"))


def test_not_json_is_one_clear_problem():
    with pytest.raises(report.ReportError, match="not valid JSON"):
        report.parse(b"\xff\xfe")

"""The developer page's try-it form: on to the rows API, or back to the page with why not."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from datasets.api.docs import TRY_QUERY_MAX_LENGTH
from datasets.models import Dataset
from portal.db import db
from tests.datasets.api.conftest import PublishedDataset


def test_the_form_offers_every_published_dataset_and_no_other(
    pages: Any, api_dataset: PublishedDataset, app: Flask
) -> None:
    with app.app_context():
        hidden = db.session.scalars(select(Dataset).where(Dataset.published.is_(False))).all()
    offered = {option["value"] for option in pages.get("/developers").select("#try-dataset option")}
    assert api_dataset.slug in offered
    assert not offered & {dataset.slug for dataset in hidden}
    chosen = f"#try-dataset option[value='{api_dataset.slug}']"
    assert pages.get("/developers").select_one(chosen).get_text().startswith("測試停水資料（")
    assert pages.get("/en/developers").select_one(chosen).get_text().endswith(f" ({api_dataset.slug})")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_form_goes_on_to_the_rows_api(client: Any, api_dataset: PublishedDataset, prefix: str) -> None:
    query = "district=信義區&limit=5&sort=-count"
    response = client.get(f"{prefix}/developers/try?dataset={api_dataset.slug}&query=" + quote("?" + query))
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert target.path == f"{prefix}/api/v1/datasets/{api_dataset.slug}/rows"
    assert parse_qsl(target.query) == [("district", "信義區"), ("limit", "5"), ("sort", "-count")]
    answer = client.get(response.headers["Location"])
    assert answer.status_code == 200
    assert len(answer.json["rows"]) == 5
    assert {row["district"] for row in answer.json["rows"]} == {"信義區"}


def test_an_empty_query_asks_for_the_first_page(client: Any, api_dataset: PublishedDataset) -> None:
    response = client.get(f"/developers/try?dataset={api_dataset.slug}&query=")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/api/v1/datasets/{api_dataset.slug}/rows")


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("", "請從清單中選擇一個已發布的資料集。"), ("/en", "Choose a published dataset from the list.")],
)
@pytest.mark.parametrize("dataset", ["", "no-such-dataset", "%27%3B%20DROP%20TABLE%20datasets%3B--"])
def test_an_unknown_dataset_gets_the_page_back_with_why(
    pages: Any, api_dataset: PublishedDataset, prefix: str, message: str, dataset: str
) -> None:
    page = pages.get(f"{prefix}/developers/try?dataset={dataset}&query=limit%3D3", status=400)
    assert page.select_one("#try-error").get_text(strip=True) == message
    assert page.select_one("#try-query")["value"] == "limit=3"  # what was typed is kept


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("", "查詢字串太長，最多 1000 個字。"), ("/en", "The query is too long: at most 1000 characters.")],
)
def test_a_query_too_long_is_refused(
    pages: Any, api_dataset: PublishedDataset, prefix: str, message: str
) -> None:
    long_query = "q=" + "x" * TRY_QUERY_MAX_LENGTH
    page = pages.get(
        f"{prefix}/developers/try?dataset={api_dataset.slug}&query=" + quote(long_query), status=400
    )
    assert page.select_one("#try-error").get_text(strip=True) == message
    assert page.select_one("#try-dataset option[selected]")["value"] == api_dataset.slug


def test_a_query_longer_than_any_address_gets_the_fixed_refusal_page(
    pages: Any, api_dataset: PublishedDataset
) -> None:
    # 1,000 characters of Chinese are 9,000 bytes in an address: over the request-line limit
    # (portal/request_limits.py), refused before the form sees it, in both languages.
    long_query = "q=" + "水" * TRY_QUERY_MAX_LENGTH
    response = pages.get_response(f"/developers/try?dataset={api_dataset.slug}&query=" + quote(long_query))
    assert response.status_code == 414
    text = response.get_data(as_text=True)
    assert "網址太長" in text
    assert "414" in text
    assert "水水水" not in text  # nothing of the refused request comes back

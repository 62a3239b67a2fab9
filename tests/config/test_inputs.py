"""A NUL character (\\0) in any input is refused up front, naming the field, on both engines (PostgreSQL cannot
store it and answered 500 from deep in a query; found by the API schema test)."""

from __future__ import annotations

import json


def test_a_nul_in_an_api_query_parameter_is_a_422_naming_it(client, city):
    response = client.get("/api/v1/data/observations", {"indicator": "gdp\x00x", "unit": "A"})
    assert response.status_code == 422
    assert response.json() == {"detail": "“indicator”含有空字符（\\0），不是有效的输入"}
    english = client.get("/api/v1/units/", {"parent": "\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 422 and english.json()["detail"] == "parent holds a NUL character (\\0): not a valid input"


def test_a_nul_in_a_json_body_names_its_path(client, organizer):
    client.force_login(organizer)
    body = json.dumps({"name": "擂台", "groups": [{"code": "a\x00"}]})
    response = client.post("/api/v1/arenas/", body, content_type="application/json")
    assert response.status_code == 422 and "groups[0].code" in response.json()["detail"]


def test_a_nul_in_a_page_form_or_query_is_a_400_and_clean_inputs_pass(client, city):
    response = client.get("/units/", {"q": "东\x00城"})
    assert response.status_code == 400 and "“q”含有空字符" in response.content.decode()
    assert client.post("/accounts/login/", {"username": "x\x00", "password": "y"}).status_code == 400
    assert client.get("/units/", {"q": "东城"}).status_code == 200
    assert client.get("/api/v1/units/").status_code == 200

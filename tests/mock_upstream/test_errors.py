import pytest

CHAT_BODY = b'{"model":"m","messages":[{"role":"user","content":"hi"}]}'


def _assert_openai_error(response, status: int, code: str | None) -> dict:
    assert response.status == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    assert error["code"] == code
    return error


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"}],
    ids=["missing", "empty-token", "not-bearer"],
)
def test_request_without_bearer_token_is_401_invalid_api_key(mock_url, raw_http, headers):
    response = raw_http(f"{mock_url}/v1/chat/completions", CHAT_BODY, headers)

    error = _assert_openai_error(response, 401, "invalid_api_key")
    assert error["param"] is None


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b""], ids=["broken", "array", "empty"])
def test_body_that_is_not_a_json_object_is_400(mock_url, raw_http, auth_headers, body):
    response = raw_http(f"{mock_url}/v1/chat/completions", body, auth_headers)

    _assert_openai_error(response, 400, None)


def test_unknown_path_is_404_naming_the_url(mock_url, raw_http, auth_headers):
    response = raw_http(f"{mock_url}/v1/nowhere", CHAT_BODY, auth_headers)

    error = _assert_openai_error(response, 404, None)
    assert error["message"] == "Invalid URL (POST /v1/nowhere)"


def test_wrong_method_on_known_path_is_404(mock_url, raw_http, auth_headers):
    response = raw_http(f"{mock_url}/v1/chat/completions", headers=auth_headers)

    _assert_openai_error(response, 404, None)


def test_missing_model_is_400(mock_url, raw_http, auth_headers):
    response = raw_http(f"{mock_url}/v1/chat/completions", b'{"messages":[]}', auth_headers)

    _assert_openai_error(response, 400, None)


def test_missing_messages_is_400_naming_the_parameter(mock_url, raw_http, auth_headers):
    response = raw_http(f"{mock_url}/v1/chat/completions", b'{"model":"m"}', auth_headers)

    error = _assert_openai_error(response, 400, "missing_required_parameter")
    assert error["param"] == "messages"


def test_bad_encoding_format_is_400(mock_url, raw_http, auth_headers):
    body = b'{"model":"e","input":"hi","encoding_format":"int8"}'
    response = raw_http(f"{mock_url}/v1/embeddings", body, auth_headers)

    error = _assert_openai_error(response, 400, "invalid_value")
    assert error["param"] == "encoding_format"

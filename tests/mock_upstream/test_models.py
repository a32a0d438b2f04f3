def test_models_lists_openai_model_objects(client):
    models = list(client.models.list())

    assert models
    assert all(model.object == "model" and model.owned_by for model in models)
    assert "gpt-4o-mini" in {model.id for model in models}

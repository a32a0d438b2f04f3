import pytest

from ferrogate.config.schema import Price
from ferrogate.spend import DEFAULT_PRICES, PriceTable


def test_exact_model_costs_its_input_and_output_prices():
    table = PriceTable({})
    assert table.cost("gpt-4o", 1_000_000, 1_000_000) == pytest.approx(12.50)
    assert table.cost("claude-sonnet-4-5", 2_000, 500) == pytest.approx(0.0135)


def test_dated_snapshot_costs_what_its_family_costs():
    table = PriceTable({})
    assert table.knows("gpt-4o-2024-08-06")
    assert table.cost("gpt-4o-2024-08-06", 1_000_000, 0) == pytest.approx(2.50)
    # The longest known prefix wins: this is gpt-4o-mini, not gpt-4o.
    assert table.cost("gpt-4o-mini-2024-07-18", 1_000_000, 0) == pytest.approx(0.15)
    assert table.cost("claude-haiku-4-5-20251001", 0, 1_000_000) == pytest.approx(5.00)


def test_configured_prices_override_defaults_and_add_models():
    table = PriceTable({"gpt-4o": Price(1.0, 2.0), "house-model": Price(0.5, 0.5)})
    assert table.cost("gpt-4o", 1_000_000, 1_000_000) == pytest.approx(3.0)
    assert table.cost("gpt-4o-2024-08-06", 1_000_000, 0) == pytest.approx(1.0)
    assert table.cost("house-model", 2_000_000, 0) == pytest.approx(1.0)
    assert DEFAULT_PRICES["gpt-4o"] == Price(2.50, 10.00)  # the defaults are not changed


@pytest.mark.parametrize("model", ["no-such-model", "o3x", "gpt-4", ""])
def test_unknown_model_costs_nothing_and_is_not_known(model):
    table = PriceTable({})
    assert not table.knows(model)
    assert table.cost(model, 1_000, 1_000) == 0.0


def test_demo_model_is_known_and_free():
    table = PriceTable({})
    assert table.knows("demo")
    assert table.cost("demo", 10_000, 10_000) == 0.0

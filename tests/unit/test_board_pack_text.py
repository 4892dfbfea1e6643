"""What a board pack prints (issue 31): figures to a sensible precision, chart axes with their units and dates, and
typed text kept in its paragraphs, escaped."""

from __future__ import annotations

import pytest

from medlead.config.jinja2_env import paragraphs
from medlead.core.charts import bar_chart, figure, xmr_svg


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (12.0, "", "12"),
        (3.14159, "", "3.1"),  # a count's process limit: one decimal, not three
        (-2.349, "", "-2.3"),
        (-0.04, "", "0"),
        (87.26, "%", "87.3%"),
        (87.0, "%", "87%"),
        (9.96, "reports", "10 reports"),
    ],
)
def test_a_figure_is_a_whole_number_or_has_one_decimal(value: float, unit: str, shown: str) -> None:
    assert figure(value, unit) == shown


def _chart(values: list[float], dates: list[str]) -> dict[str, object]:
    return {
        "points": [
            {"date": d, "value": v, "mean": 20.0, "lower": 11.234, "upper": 28.766, "special_cause": None}
            for d, v in zip(dates, values, strict=True)
        ]
    }


def test_an_xmr_chart_names_its_unit_and_its_months() -> None:
    svg = xmr_svg(
        _chart([18, 21, 22], ["2025-01-01", "2025-02-01", "2025-03-01"]), title="Complaints", unit="complaints"
    )
    assert ">Complaints</text>" in svg  # the value axis's title
    assert ">Jan 2025</text>" in svg and ">Feb 2025</text>" in svg and ">Mar 2025</text>" in svg
    assert ">Month</text>" in svg
    assert "11.234" not in svg and "28.766" not in svg  # no three-decimal limits on the axis
    assert ">10</text>" in svg and ">30</text>" in svg  # round values mark the axis


def test_a_weekly_chart_of_a_percentage_marks_the_week_beginning_and_the_sign() -> None:
    svg = xmr_svg(_chart([18, 21], ["2025-01-06", "2025-01-13"]), title="Rate", unit="%", frequency="weekly")
    assert ">6 Jan 2025</text>" in svg and ">13 Jan 2025</text>" in svg and ">Week beginning</text>" in svg
    assert ">Per cent</text>" in svg and ">20%</text>" in svg


def test_a_bar_chart_titles_its_value_axis_and_rounds_its_values() -> None:
    svg = bar_chart([("Surgery", 3.4285714)], title="Means", axis="Mean rating (1 to 4)")
    assert ">Mean rating (1 to 4)</text>" in svg
    assert ">3.4</text>" in svg and "3.42857" not in svg


def test_typed_text_keeps_its_paragraphs_and_line_breaks_escaped() -> None:
    typed = "Rates fell & held.\r\n\r\nSHMI <fell>.\r\nA review follows.\r\n\r\n\r\n"
    assert str(paragraphs(typed)) == ("<p>Rates fell &amp; held.</p><p>SHMI &lt;fell&gt;.<br>A review follows.</p>")
    assert str(paragraphs("")) == ""

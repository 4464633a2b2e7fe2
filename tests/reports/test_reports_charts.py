"""Server-side SVG charts: escaped text, gaps for missing months, whole-number axes for counts."""

import re

from reports.charts import Series, _nice_max, bar_chart, line_chart


def test_bar_chart_escapes_text_and_uses_whole_ticks():
    svg = bar_chart(
        title="Hồ sơ <script>",
        desc="mô tả & chú thích",
        labels=["01/26", "02/26"],
        series=[Series("Thí điểm", [33, 7], 0), Series("Còn lại", [0, 5], 1)],
    )
    assert "<script>" not in svg
    assert "Hồ sơ &lt;script&gt;" in svg
    assert 'role="img"' in svg
    ticks = re.findall(r'class="tick"[^>]*text-anchor="end">([^<]*)<', svg)
    assert ticks == ["0", "10", "20", "30", "40"]
    assert svg.count('class="bar s0"') == 2 + 1  # two bars and the legend swatch
    assert svg.count('class="bar s1"') == 1 + 1  # the zero bar is not drawn


def test_line_chart_breaks_at_missing_values():
    svg = line_chart(
        title="Đúng hạn",
        desc="",
        labels=["a", "b", "c", "d"],
        series=[Series("Thí điểm", [80.0, None, 90.0, 95.5], 0)],
    )
    assert svg.count("<polyline") == 1  # c–d; a stands alone
    assert svg.count('class="marker s0"') == 3 + 1
    assert "95,5%" in svg


def test_nice_max():
    assert _nice_max(50, whole=True) == 60
    assert _nice_max(0, whole=True) == 4
    assert _nice_max(3, whole=True) == 4
    assert _nice_max(279) == 320

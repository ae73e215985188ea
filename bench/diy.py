"""The DIY anchor: what a municipal engineer would write instead of koho.

pandas reads the three CSVs, matplotlib draws the charts, one inline Jinja2 template, WeasyPrint
with the bundled fonts. No caching, no checks, no copy-fitting. Same charts as koho's newsletter:
a bar chart for each metric with several fiscal years, and a horizontal bar chart for each measure's
latest-year metrics that share a unit (two or more of them).

    python bench/diy.py [PROJECT_DIR] [OUT.pdf]        # default: data/ → build/diy.pdf
"""

import base64
import io
import re
import sys
import tomllib
from pathlib import Path

import jinja2
import matplotlib
import pandas as pd
import weasyprint

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "styles" / "fonts"
project = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "data"
out = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "build" / "diy.pdf"

for ttf in FONTS.glob("*.ttf"):
    font_manager.fontManager.addfont(str(ttf))
plt.rcParams.update({"font.family": "BIZ UDPGothic", "font.size": 8})

config = tomllib.loads((project / "koho.toml").read_text(encoding="utf-8"))
read = dict(encoding="utf-8", dtype=str, keep_default_na=False)
areas = pd.read_csv(project / "areas.csv", **read)
measures = pd.read_csv(project / "measures.csv", **read)
metrics = pd.read_csv(project / "metrics.csv", **read)
metrics["値"] = pd.to_numeric(metrics["実績値"])


def chart(draw) -> str:
    """Draw on a fresh 80 × 45 mm figure and return the SVG as a data: URI."""
    fig, ax = plt.subplots(figsize=(80 / 25.4, 45 / 25.4))
    draw(ax)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()


def ruby(text: str) -> str:
    return re.sub(r"\{([^|}]+)\|([^}]+)\}", r"\1(\2)", text)


sections = []
for _, area in areas.iterrows():
    items = []
    for _, m in measures[measures["分野番号"] == area["分野番号"]].iterrows():
        if m["掲載"] == "0":
            continue
        rows = metrics[metrics["施策番号"] == m["施策番号"]]
        charts, lines = [], []
        for label, series in rows.groupby("指標名", sort=False):
            last = series.iloc[-1]
            lines.append(f"{label} {last['実績値']}{last['単位']}")
            if len(series) > 1:
                charts.append(chart(lambda ax, s=series: (
                    ax.bar(s["年度"], s["値"], color=area["色"] or "#005AFF"),
                    [ax.text(i, v, f"{v:g}", ha="center", va="bottom") for i, v in enumerate(s["値"])])))
        latest = rows.drop_duplicates("指標名", keep="last")
        for unit, group in latest.groupby("単位", sort=False):
            if len(group) > 1 and all(len(rows[rows["指標名"] == n]) == 1 for n in group["指標名"]):
                charts.append(chart(lambda ax, g=group: (
                    ax.barh(g["指標名"][::-1], g["値"][::-1], color=area["色"] or "#005AFF"),
                    ax.set_xlabel(g["単位"].iloc[0]))))
        items.append(dict(vision=ruby(m["ビジョン内容"]), actions=ruby(m["取組内容"]).splitlines(),
                          lines=lines, charts=charts))
    sections.append(dict(title=area["分野名"], subtitle=area["副題"], measures=items))

TEMPLATE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>
{% for family, weight, url in fonts %}
@font-face { font-family: "{{ family }}"; font-weight: {{ weight }}; src: url("{{ url }}"); }{% endfor %}
@page { size: A4; margin: 18mm 15mm; @bottom-center { content: counter(page); } }
body { font-family: "BIZUDGothic"; font-size: 10pt; line-height: 1.5; columns: 2; column-gap: 2em; }
h1 { column-span: all; font-family: "BIZUDPGothic"; font-size: 22pt; }
h2 { font-family: "BIZUDPGothic"; font-size: 13pt; border-bottom: 2px solid #005AFF; }
h2 small { display: block; font-size: 9pt; font-weight: 400; }
ul { padding-left: 1em; margin: 0.2em 0; } .metric { font-weight: 700; margin: 0; }
img { width: 100%; break-inside: avoid; }
</style></head><body>
<h1>{{ config.title }}<br><small>{{ config.period }}</small></h1>
<p>{{ config.lead }}</p>
{% for area in sections %}<section><h2>{{ loop.index }} {{ area.title }}<small>{{ area.subtitle }}</small></h2>
{% for m in area.measures %}<article><p>○{{ m.vision }}</p>
<ul>{% for a in m.actions %}<li>{{ a }}</li>{% endfor %}</ul>
{% for line in m.lines %}<p class="metric">{{ line }}</p>{% endfor %}
{% for src in m.charts %}<img src="{{ src }}" alt="グラフ">{% endfor %}</article>
{% endfor %}</section>{% endfor %}
<p>{{ config.closing_note }}</p><p>{{ config.url }}</p>
</body></html>"""

fonts = [(f.stem.split("-")[0], 700 if f.stem.endswith("Bold") else 400, f.as_uri()) for f in FONTS.glob("*.ttf")]
html = jinja2.Template(TEMPLATE).render(config=config, sections=sections, fonts=fonts)
out.parent.mkdir(parents=True, exist_ok=True)
weasyprint.HTML(string=html, base_url=str(project)).write_pdf(out)
print(f"{out} ({out.stat().st_size // 1024} KB)")

"""The report page's stylesheet, inlined in the page: large type for a projector."""

from bench.report.blocks import MONOLITH, SERVICES

CSS = f"""
:root {{ --monolith: {MONOLITH}; --services: {SERVICES}; --ink: #1c1f24;
  --good: #17612e; --good-bg: #dcf3e2; --bad: #a4161a; --bad-bg: #fde0df;
  --muted: #6b7280; --line: #d5d9df; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0 auto; padding: 24px 40px 80px; max-width: 1600px; color: var(--ink);
  font: 20px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }}
h1 {{ font-size: 42px; margin: 8px 0 4px; }}
h2 {{ font-size: 32px; margin: 56px 0 12px; padding-top: 16px;
  border-top: 4px solid var(--ink); }}
h3 {{ font-size: 25px; margin: 32px 0 8px; }}
p {{ max-width: 70em; margin: 8px 0 14px; }}
code {{ white-space: nowrap; font-size: 0.9em; }}
.facts {{ margin: 2px 0; color: #3a4049; }}
nav ol {{ display: flex; flex-wrap: wrap; gap: 6px 28px; padding: 0; margin: 18px 0;
  list-style: none; font-size: 19px; }}
nav a {{ color: var(--monolith); }}
.banner {{ margin: 12px 0; padding: 14px 20px; border-radius: 6px; font-weight: 600;
  border-left: 10px solid; }}
.banner.quick {{ font-size: 28px; background: #fff3bf; border-color: #e0a800; }}
.banner.bad {{ font-size: 26px; background: var(--bad-bg); border-color: var(--bad);
  color: var(--bad); }}
.banner.warn {{ background: #fff8e1; border-color: #f0b429; font-weight: 500; }}
.scroll {{ overflow-x: auto; margin: 10px 0 24px; }}
table {{ border-collapse: collapse; font-size: 19px; }}
caption {{ text-align: left; font-weight: 700; font-size: 21px; padding: 6px 0; }}
th, td {{ padding: 6px 12px; border-bottom: 1px solid var(--line);
  vertical-align: top; text-align: left; }}
th {{ background: #f1f3f6; font-weight: 700; }}
thead tr.groups th {{ text-align: center; border-bottom: 2px solid var(--ink); }}
thead tr.groups th:empty {{ background: none; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tbody tr:nth-child(even) td {{ background-color: #fafbfc; }}
td .detail, th .detail {{ display: block; font-size: 15px; color: var(--muted);
  font-weight: 400; white-space: nowrap; }}
.good {{ color: var(--good); font-weight: 700; }}
td.good {{ background-color: var(--good-bg) !important; }}
.bad {{ color: var(--bad); font-weight: 700; }}
td.bad {{ background-color: var(--bad-bg) !important; }}
.muted {{ color: var(--muted); font-style: italic; }}
.monolith {{ color: var(--monolith); font-weight: 700; }}
.services {{ color: var(--services); font-weight: 700; }}
.charts {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(620px, 1fr));
  gap: 24px 40px; margin: 16px 0 28px; }}
.charts.small {{ grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); }}
.charts.small figcaption {{ font-size: 18px; }}
figure {{ margin: 0; }}
figcaption {{ font-weight: 700; font-size: 21px; margin-bottom: 6px; }}
svg.chart {{ width: 100%; height: auto; font-family: inherit; fill: var(--ink); }}
svg .grid {{ stroke: var(--line); stroke-width: 1; }}
svg .tick {{ fill: var(--muted); }}
svg .value {{ font-weight: 600; }}
svg .missing {{ fill: var(--bad); font-style: italic; }}
footer {{ margin-top: 60px; color: var(--muted); font-size: 16px; }}
"""

"""Server-side SVG charts: coordinates computed here, drawn by templates (no chart library, no CDN)."""

from __future__ import annotations

WIDTH, HEIGHT, PAD = 640, 200, 28


def line_chart(rows: list[dict], series: list[str]) -> dict:
    """Polylines for each series over the days in `rows`."""
    top = max([1, *(row[name] for row in rows for name in series)])
    step = (WIDTH - 2 * PAD) / max(1, len(rows) - 1)

    def y(value: int) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top, 1)

    lines = {name: " ".join(f"{round(PAD + i * step, 1)},{y(row[name])}" for i, row in enumerate(rows))
             for name in series}
    ticks = [{"x": round(PAD + i * step, 1), "label": row["day"].strftime("%m-%d")}
             for i, row in enumerate(rows) if i % 5 == 0 or i == len(rows) - 1]
    return {"width": WIDTH, "height": HEIGHT, "lines": lines, "ticks": ticks, "top": top, "y_top": PAD,
            "y_base": HEIGHT - PAD, "x_end": WIDTH - PAD}


def bar_rows(rows: list[dict], value: str = "n", width: int = 320) -> list[dict]:
    """Horizontal bars scaled to the largest value."""
    top = max([1, *(row[value] for row in rows)])
    return [{**row, "bar": round(width * row[value] / top, 1)} for row in rows]


def stacked_rows(rows: list[dict], keys: list[str], width: int = 360) -> list[dict]:
    """Horizontal stacked bars (one per row) with one segment per key."""
    top = max([1, *(sum(row[k] for k in keys) for row in rows)])
    out = []
    for row in rows:
        x, segments = 0.0, []
        for index, key in enumerate(keys):
            w = round(width * row[key] / top, 1)
            segments.append({"key": key, "x": x, "w": w, "n": row[key], "index": index})
            x += w
        out.append({**row, "segments": segments, "total": sum(row[k] for k in keys)})
    return out

"""A tiny document model rendered to both Markdown and self-contained HTML.

Blocks: headings, paragraphs, tables, figures (PNG files beside the report,
embedded as base64 in the HTML) and preformatted text -- so ``report.md`` and
``index.html`` always say the same thing.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Document"]


@dataclass
class Document:
    title: str
    blocks: list[tuple] = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(("h", level, text))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(("table", headers, rows))

    def figure(self, filename: str, caption: str) -> None:
        self.blocks.append(("img", filename, caption))

    def pre(self, text: str) -> None:
        self.blocks.append(("pre", text))

    # -- rendering ---------------------------------------------------------------
    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        for b in self.blocks:
            if b[0] == "h":
                out += ["#" * (b[1] + 1) + " " + b[2], ""]
            elif b[0] == "p":
                out += [b[1], ""]
            elif b[0] == "table":
                out.append("| " + " | ".join(b[1]) + " |")
                out.append("|" + "---|" * len(b[1]))
                out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in b[2]]
                out.append("")
            elif b[0] == "img":
                out += [f"![{b[2]}]({b[1]})", "", f"*{b[2]}*", ""]
            elif b[0] == "pre":
                out += ["```", b[1], "```", ""]
        return "\n".join(out)

    def html(self, folder: Path) -> str:
        def inline(text: str) -> str:
            t = html.escape(text)
            t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
            return re.sub(r"`(.+?)`", r"<code>\1</code>", t)

        body = [f"<h1>{html.escape(self.title)}</h1>"]
        for b in self.blocks:
            if b[0] == "h":
                body.append(f"<h{b[1] + 1}>{inline(b[2])}</h{b[1] + 1}>")
            elif b[0] == "p":
                body.append(f"<p>{inline(b[1])}</p>")
            elif b[0] == "table":
                head = "".join(f"<th>{inline(c)}</th>" for c in b[1])
                rows = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in b[2])
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            elif b[0] == "img":
                data = base64.b64encode((folder / b[1]).read_bytes()).decode()
                body.append(f'<figure><img alt="{html.escape(b[2])}" src="data:image/png;base64,{data}">'
                            f"<figcaption>{inline(b[2])}</figcaption></figure>")
            elif b[0] == "pre":
                body.append(f"<pre>{html.escape(b[1])}</pre>")
        style = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
                 "color:#222;line-height:1.45}table{border-collapse:collapse;margin:1em 0;font-size:.88em}"
                 "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}th{background:#f3f3f3}"
                 "img{max-width:100%}figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em}"
                 "pre{background:#f6f6f6;padding:.8em;overflow-x:auto}code{background:#f3f3f3;padding:0 .2em}"
                 ".ok{color:#1a7f37}.bad{color:#c00}")
        return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(self.title)}</title>"
                f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n")

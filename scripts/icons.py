"""Build the small SVG sprite of the icons Warsztat uses, from the Lucide set on npm.

    python3 scripts/icons.py node_modules/lucide-static/sprite.svg app/static/vendor/icons/icons.svg

The full Lucide sprite is half a megabyte; pages load only the symbols named here
(``ICONS``), each as ``<symbol id="i-NAME">``, used through the ``icon`` macro in
templates/_macros.html. Run by ``make assets``."""

import re
import sys
from pathlib import Path

#: The icons the templates use; add a name here when a template needs a new one.
ICONS = (
    "bell",
    "menu",
    "x",
    "log-out",
    "circle-user-round",
    "languages",
    "circle-check",
    "circle-alert",
    "triangle-alert",
    "info",
    "chevron-right",
    "arrow-right",
    "search",
    "calendar",
    "users",
    "file-text",
    "printer",
    "plus",
    "skip-forward",
    "circle-stop",
    "play",
    "clock",
    "map-pin",
    "video",
    "message-square",
    "list-checks",
    "paperclip",
    "upload",
    "download",
)


def build(source: Path, target: Path) -> None:
    sprite = source.read_text(encoding="utf-8")
    symbols = []
    for name in ICONS:
        found = re.search(rf'<symbol id="{re.escape(name)}"(.*?)</symbol>', sprite, re.S)
        if found is None:
            raise SystemExit(f"icon {name!r} is not in {source}")
        symbols.append(f'<symbol id="i-{name}"{found.group(1)}</symbol>')
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "<!-- Lucide icons (ISC licence, see LICENSE.lucide), a selection. -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg">\n' + "\n".join(symbols) + "\n</svg>\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))

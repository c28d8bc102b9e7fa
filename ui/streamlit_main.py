"""The Streamlit process `briefing serve` starts: the engine warms in a background thread
while the server starts, then Streamlit runs as `streamlit run` would.

Streamlit runs an app's script only when a browser connects, so a warm-up inside the page
makes the first visitor wait for the models; started here, it overlaps the server start and
the page load. Usage (what `serve` runs, from ui/): `python -m ui.streamlit_main run web.py ...`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from streamlit.web import cli

    from ui.views import warm_in_background

    warm_in_background()
    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    return int(cli.main() or 0)


if __name__ == "__main__":
    sys.exit(main())

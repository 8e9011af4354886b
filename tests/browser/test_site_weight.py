"""Page weight within budget, measured in the browser as a reader loads each page."""

import sys

from sitebuild import PAGES, ROOT, page_url

sys.path.insert(0, str(ROOT / "scripts"))
from page_weight import BUDGET, measure, report  # noqa: E402


def test_every_page_loads_under_two_megabytes_including_fonts(browser, served_site) -> None:
    _, base = served_site
    weights = measure(browser, base, [page_url(p) for p in PAGES])
    print(report(weights))
    assert set(weights) == {page_url(p) for p in PAGES}
    for path, sizes in weights.items():
        assert sizes.get("html", 0) > 0 and sizes.get("css", 0) > 0, path  # something was measured
        assert sum(sizes.values()) <= BUDGET, f"/{path} weighs {sum(sizes.values())} bytes"

"""The journalists' browser: a Datasette plugin with its templates, stylesheet and metadata.

Datasette loads this package through the ``datasette`` entry point and finds
``templates/`` and ``static/`` beside it; the hooks live in ``plugin.py`` and
are re-exported here for that reason (Python 3.11's importlib.resources only
resolves a package's folders, not a module's).
"""
from khaosan.outputs.web.plugin import (  # noqa: F401  (Datasette hook implementations)
    asgi_wrapper,
    extra_css_urls,
    filters_from_request,
    handle_exception,
    menu_links,
    register_facet_classes,
    register_output_renderer,
    register_routes,
    render_cell,
    startup,
)

"""``jobdesc serve``: a local web studio over the same pipeline as the CLI.

app.py builds the application and its guards (host, token, CSRF), routes.py answers the
page's requests, work.py renders in a worker process under the CLI's limits, overlay.py writes
an edited clause into the organisation's own file, watch.py notices changed files, and static/
holds the page's script and stylesheet (shipped in the package: the studio works offline).
"""

"""The status dashboard: one static page from the monitor's history and the delivery records.

Pure: it reads files and renders HTML (jinja2, pygal's SVG); it runs nothing, so the
`semaine dashboard` verb and the Dagger function render the same page with the same code.
"""

"""Server-rendered week pages (Jinja2)."""

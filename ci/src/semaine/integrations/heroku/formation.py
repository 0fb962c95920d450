"""What an app's formation says it runs: each process type's image id (docker-releases variant).

`GET /apps/{app}/formation` under `Accept: application/vnd.heroku+json; version=3.docker-releases`
names each process type's `docker_image`. The public schema does not describe that
field, so both shapes seen in the wild are read: the id itself (`"sha256:..."`, as a
formation update sends it) and an object holding it (`{"id": "sha256:..."}`).
"""

from __future__ import annotations

from semaine.integrations.heroku.errors import HerokuUnexpectedResponseError
from semaine.integrations.heroku.releases import IMAGE_ID

_HTTP_OK = 200


def parse_formation_images(body: object, what: str) -> dict[str, str]:
    """Return {process type: image id} of a formation list; types without an image left out."""
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise HerokuUnexpectedResponseError(what, _HTTP_OK, "body is not a list of formations")
    images = {}
    for item in body:
        process, image = item.get("type"), item.get("docker_image")
        if isinstance(image, dict):
            image = image.get("id")
        if image is None:
            continue
        if not isinstance(process, str) or not isinstance(image, str) or not IMAGE_ID.match(image):
            raise HerokuUnexpectedResponseError(
                what, _HTTP_OK, "a formation's docker_image is not sha256:<64 hex>"
            )
        images[process] = image
    return images

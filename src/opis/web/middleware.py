"""A strict Content Security Policy on every response.

The reading room ships no inline scripts or styles, so the policy allows only files served by opis
itself. Stray markup that slipped past escaping could then still not run. The API docs page
(Swagger UI, from django-ninja's own static files) gets its own policy, scoped to that one path.
"""

STRICT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

# Swagger UI's React components set inline style attributes on a few SVG icons; everything else
# (scripts included) stays as strict as the reading room.
API_DOCS_POLICY = STRICT_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
API_DOCS_PATH = "/api/docs"


class ContentSecurityPolicyMiddleware:
    header = "Content-Security-Policy"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.header not in response:
            response[self.header] = policy_for(request.path)
        return response


def policy_for(path: str) -> str:
    """The policy for one URL path: relaxed for the API docs page only."""
    return API_DOCS_POLICY if path.rstrip("/") == API_DOCS_PATH else STRICT_POLICY

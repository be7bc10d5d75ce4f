"""A strict Content Security Policy on every response.

The reading room ships no inline scripts or styles, so the policy allows only files served by opis
itself: stray markup that slipped past escaping could still not run or restyle a page. The API
docs page needs no exception either: ``LocalSwagger`` (in ``api``) serves Swagger UI from
django-ninja's bundled files and passes its settings as a JSON data block, not an inline script.
A browser test checks that page for CSP violations, so a future Swagger UI that needs more fails
loudly instead of silently relaxing the policy.
"""

POLICY = "; ".join(
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


class ContentSecurityPolicyMiddleware:
    header = "Content-Security-Policy"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(self.header, POLICY)
        return response

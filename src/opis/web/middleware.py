"""A strict Content Security Policy and a Permissions-Policy on every response.

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


# The reading room uses none of the browser's powerful features: say so, so that nothing injected
# (or a framed page, were framing allowed) could ask for a camera, a location or a payment.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip


class ContentSecurityPolicyMiddleware:
    """The CSP and the Permissions-Policy, on every response."""

    header = "Content-Security-Policy"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(self.header, POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

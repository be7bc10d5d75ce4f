"""The OAI-PMH 2.0 provider at ``/oai``: how harvesters (aggregators, library catalogues) copy the
archive's metadata and keep their copy current.

``protocol`` holds the protocol's vocabulary (namespaces, datestamps, identifiers, errors, the
envelope); ``metadata`` the formats a record is disseminated in; ``listing`` the records a list
request selects, in a stable order; ``tokens`` the resumption tokens that page through them;
``verbs`` the six requests; ``views`` the one Django view.
"""

"""Present: the reading room (server-rendered HTML) and the JSON API, over the same catalogue."""

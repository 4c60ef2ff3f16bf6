"""The project wiring: settings, the root URL conf and the server entry points. It may name every app."""

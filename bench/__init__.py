"""The side-by-side benchmark of the monolith and the services (bench/README.md)."""

"""Reference data files (CSV) shipped with markings; see README.md for provenance."""

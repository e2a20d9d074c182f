"""The Open311 GeoReport v2 face: services from the category tree, requests as ordinary work orders."""

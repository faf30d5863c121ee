"""Pure geospatial functions: CRS, measurement, bank classification, validation, selection."""

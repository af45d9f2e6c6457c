"""Models of the warroom app."""

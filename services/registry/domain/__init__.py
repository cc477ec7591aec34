"""Pure rules of the registry: validation of Dutch identifiers, impact indicators and shared goals."""

"""The three sheet layouts (wide, long, card): readers from grids and writers to grids."""

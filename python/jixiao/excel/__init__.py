"""The Excel front end: ribbon actions and cell functions over xlwings, in bulk.

``bridge`` moves whole sheets between an ``xlwings.Book`` and the library's grids and
output sheets; ``ribbon`` has one function per button; ``udfs`` the ``JX_*`` functions.
"""

"""Files in and out. A workbook's way in is bytes -> ``guard`` (regular file, archive within
budget, every sheet's extent and number formats known) -> ``read`` (xlsx, xls, ods) or
``word`` (docx) -> grids, which the layout readers turn into projects; the way out is output
sheets -> ``write`` (XlsxWriter, atomically) at a path ``paths`` checked is not an input."""

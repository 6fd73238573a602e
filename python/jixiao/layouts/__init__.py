"""Sheet layouts: a reader from grids and a writer to grids for each arrangement jixiao
writes (wide, long, card, rows, halves, terms), the tolerant reader for every other table
(``tables``), and the vocabulary of header words and labels they share (``headers``)."""

; Loops that may be hand-written retries (foreach never is: it walks items).
[(for_statement) (while_statement) (do_statement)] @loop

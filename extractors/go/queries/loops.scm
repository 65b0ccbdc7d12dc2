; Loops: candidates for hand-written retry loops (counted, range-over-int or bare `for {}`).
(for_statement) @loop

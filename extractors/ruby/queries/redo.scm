; The `redo` keyword inside a rescue clause of a block (checked in Python): the iteration run again.
(redo) @redo

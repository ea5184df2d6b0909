// Aliases are expanded when a file is read; these bounds keep a hostile file ("billion laughs",
// self-referencing anchors) from exhausting memory or the stack, whichever reader reads it.
export const MAX_DEPTH = 64;
export const MAX_NODES = 100_000;

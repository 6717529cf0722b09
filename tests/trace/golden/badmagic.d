// Not a stream: refused before anything runs.
// setup: printf 'this is not a trace stream but some text, long enough to fill a header' > @O@/text.bin
// args: -i @O@/text.bin
BEGIN { printf("never\n"); }

// A file shorter than the stream header.
// setup: printf 'HLTRACE' > @O@/short.bin
// args: -i @O@/short.bin
BEGIN { printf("never\n"); }

// Symbols must come from an ELF file.
// args: -k @D@/procs.txt
BEGIN { printf("never\n"); }

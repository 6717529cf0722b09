// A clause with no statements: DTrace's default action, one line per
// firing with the CPU, the probe ID and FUNCTION:NAME (nothing with -q).
// stream: basic.txt
syscall::call:entry, ipc:::

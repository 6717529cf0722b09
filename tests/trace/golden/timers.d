// tick-N and profile-N fire as the records' timestamps pass; exit() ends
// tracing, then END runs and the aggregations print.
// stream: timers.txt
// args: -q -p @D@/procs.txt
BEGIN { start = timestamp; printf("BEGIN at %d\n", timestamp); }
tick-1ms { printf("tick at +%dus\n", (timestamp - start) / 1000); @ticks = count(); }
profile-2000hz { @where[execname, tid] = count(); }
tick-2500us { printf("tick-2500us at +%dus, exiting\n", (timestamp - start) / 1000); exit(3); }
syscall:::entry { @seen = count(); }
END { printf("END at +%dus\n", (timestamp - start) / 1000); }

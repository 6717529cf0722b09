// Runtime errors stop the clause for that event, say where, and tracing
// goes on; the count of errors is reported at the end.
// stream: basic.txt
// args: -q
syscall:::entry { printf("%s: 100 / arg1 = ", probefunc); printf("%d\n", 100 / arg1); }
syscall:::exit { i = arg2 - 90; printf("args[%d] = %d\n", i, args[i]); }
syscall::yield:entry { x = copyin(0x1000, 8); }
syscall::yield:entry { y = copyin(0x1000, 3); }
syscall::null:entry { printf("%d\n", 5 % (arg1 - arg1)); }

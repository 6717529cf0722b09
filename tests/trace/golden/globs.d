// Probe descriptions: globs, omitted fields, several per clause.
// stream: basic.txt
// args: -q
syscall::*recv:entry { printf("1 %s\n", probefunc); }
syscall::?ield:entry { printf("2 %s\n", probefunc); }
sched:::, page:::* { printf("3 %s:%s\n", probeprov, probename); }
:::exit /arg0 == 10/ { printf("4 %s:%s\n", probefunc, probename); }
ipc:helios::[cr]e* { printf("5 %s\n", probename); }
syscall::[!c]*:entry { printf("6 %s\n", probefunc); }

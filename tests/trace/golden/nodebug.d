// No memory image given at all: copyin still fails cleanly, naming why.
// stream: copyin.txt
// args: -q -p @D@/procs.txt
syscall::call:entry { printf("%d\n", copyin(arg1, 8)); }

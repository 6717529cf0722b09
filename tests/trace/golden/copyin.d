// copyin and copyinstr read a process's memory image, but only with its
// debug capability (-d): otherwise, and for unmapped addresses, a
// runtime error, and tracing goes on.
// stream: copyin.txt
// args: -q -p @D@/procs.txt -m 2:0x10000:@D@/memory.img -m 3:0x10000:@D@/memory.img -d 2
syscall::call:entry
{
	printf("%s: %s word=%x byte=%x\n", execname, copyinstr(arg1), copyin(arg1, 4), copyin(arg1 + 1, 1));
	printf("limited: [%s]\n", copyinstr(arg1, 3));
}
syscall::send:entry { printf("%s: %s\n", execname, copyinstr(arg1)); }

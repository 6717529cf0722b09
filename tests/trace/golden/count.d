// The classic one-liner: system calls by name.
// stream: basic.txt
syscall:::entry
{
	@[probefunc] = count();
}

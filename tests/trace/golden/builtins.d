// Built-in variables, on records of known and unknown processes.
// stream: basic.txt
// args: -q -p @D@/procs.txt -w 1700000000000000000
syscall::call:entry,
syscall::yield:entry
{
	printf("%-7s pid=%d tid=%d %s:%s:%s:%s id=%d cpu=%d\n", execname, pid, tid,
	    probeprov, probemod, probefunc, probename, id, cpu);
	printf("  timestamp=%d vtimestamp=%d walltimestamp=%d\n", timestamp, vtimestamp,
	    walltimestamp);
	printf("  arg0..9=%d %x %d %d %d %d %d %d %d %d args[1]=%#x\n", arg0, arg1, arg2, arg3,
	    arg4, arg5, arg6, arg7, arg8, arg9, args[1]);
}

ipc:::call, ipc:::recv, ipc:::reply
{
	printf("%s:%s endpoint=%x badge=%d label=%d length=%d peer=%d\n", probeprov, probename,
	    args[0], args[1], args[2], args[3], args[4]);
}

page:::map { printf("map %x -> %x bits %d\n", arg0, arg1, arg2); }

user:::42 { printf("user probe %s: %d %d %d %d (%s)\n", probename, arg0, arg1, arg2, arg3, probeprov); }

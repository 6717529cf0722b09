// Aggregating functions, keys of several types, printing at the end.
// stream: basic.txt
// args: -p @D@/procs.txt
syscall:::exit
{
	@calls[execname, probefunc] = count();
	@total[pid] = sum(arg2);
	@smallest = min(arg2);
	@largest = max(arg2);
	@mean[probefunc] = avg(arg2);
	@spread[probefunc] = stddev(arg2);
}

syscall:::entry { @n = count(); }

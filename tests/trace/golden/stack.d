// stack() and ustack(), symbolised with ELF symbol tables, as actions,
// traced values and aggregation keys; %a names a kernel address.
// stream: stack.txt
// args: -q -p @D@/procs.txt -t @D@/stack.stacks -k @B@/tests/trace/symprog -u 2:@B@/tests/trace/symprog
fault:::user
{
	printf("fault at %a", args[3]);
	ustack();
	@[ustack()] = count();
	@k[stack(1)] = count();
	@depth[execname, ustack(2)] = count();
}

syscall:::entry { printf("no stack here:"); ustack(); trace(stack()); printf("\n"); }

// printa with and without a format, clear, trunc (top, bottom, all).
// stream: basic.txt
// args: -q
syscall:::entry { @c[probefunc] = count(); @s[probefunc, tid] = sum(arg1); }
syscall:::exit { @q = quantize(arg2); @bytid[tid] = count(); }

END
{
	printf("-- default\n");
	printa(@c);
	printf("-- formatted\n");
	printa("%-12s %@8d|\n", @c);
	printa("%s/%d=%@x\n", @s);
	printf("-- quantize with a format\n");
	printa("exit values:%@d\n", @q);
	trunc(@c, 2);
	printf("-- trunc(@c, 2)\n");
	printa("%s %@d\n", @c);
	trunc(@bytid, -1);
	printf("-- trunc(@bytid, -1)\n");
	printa("%d %@d\n", @bytid);
	clear(@s);
	printf("-- clear(@s)\n");
	printa("%s %d %@d\n", @s);
	trunc(@c);
	printf("-- trunc(@c)\n");
	printa(@c);
	printf("-- end\n");
}

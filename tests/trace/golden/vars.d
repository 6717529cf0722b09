// Variables: globals, associative arrays, self->, this->, declarations;
// operators, ?:, if/else, strings and their subroutines.
// stream: basic.txt
// args: -q -p @D@/procs.txt
string last;
self int depth;

BEGIN
{
	n = 0;
	big = 0x123456789;
	printf("%d %d %d %d %d %d\n", 7 / 2, -7 / 2, 7 % 3, 1 << 4, -16 >> 2, ~0);
	printf("%d %d %d %d %d\n", 3 < 4, 4 <= 3, 2 == 2, 1 != 1, !5);
	printf("%d %d %d %d\n", 1 && 0, 1 || 0, 1 ^^ 1, 0 ^^ 1);
	printf("%d %d %d\n", 6 & 3, 6 | 3, 6 ^ 3);
	printf("%d %d\n", big, big + 1);
	printf("%s %s\n", "abc" < "abd" ? "lt" : "ge", "b" == "b" ? "eq" : "ne");
	printf("[%s] [%s] [%s] [%s]\n", strjoin("foo", "bar"), substr("hello", 1, 3),
	    substr("hello", -3), lltostr(-42));
	printf("%d [%s] [%s]\n", strlen("hello"), strstr("hello world", "wor"), strstr("a", "z"));
}

syscall:::entry
{
	n++;
	++n;
	n -= 1;
	counts[probefunc] += 1;
	pair[tid, probefunc] = arg0;
	self->depth++;
	this->name = strjoin(execname, strjoin("/", probefunc));
	last = this->name;
}

syscall:::entry
/self->depth > 1/
{
	printf("%s depth %d (n=%d)\n", this->name, self->depth, n);
}

syscall:::exit
{
	self->depth--;
	x = arg2 > 100 ? "big" : "small";
	if (arg2 == 0) {
		printf("exit %s: zero\n", probefunc);
	} else if (arg2 > 1000) {
		printf("exit %s: %d (%s, large)\n", probefunc, arg2, x);
	} else
		printf("exit %s: %d (%s)\n", probefunc, arg2, x);
}

END
{
	printf("n=%d last=%s calls=%d yields=%d pair=%d/%d missing=%d\n", n, last,
	    counts["call"], counts["yield"], pair[5, "call"], pair[7, "yield"], counts["nothing"]);
	printf("self->depth at END: %d\n", self->depth);
}

/* this-> belongs to one firing: unset (empty) on a probe that never set it. */
ipc:::call { printf("ipc:call sees this->name [%s]\n", this->name); }

// Integer arithmetic wraps at 64 bits, in expressions and in sum(); it is
// never undefined (a fuzzer found sum() overflowing a signed integer).
// args: -q
BEGIN
{
	@s = sum(0x7fffffffffffffff);
	@s = sum(1);
	printa("sum wrapped to %@d\n", @s);
	printf("%d %d %d\n", 0x7fffffffffffffff + 1, -(-9223372036854775807 - 1), (-9223372036854775807 - 1) / -1);
	@avg = avg(0x7fffffffffffffff);
	@avg = avg(0x7fffffffffffffff);
	@sd = stddev(0x7fffffffffffffff);	/* the integer square root of a 127-bit */
	@sd = stddev(-0x7fffffffffffffff);	/* number (once a hang, found by fuzzing) */
	@q = quantize(-9223372036854775807 - 1);	/* a magnitude of 2^63: once a shift by 64 */
	exit(0);
}

// printf: conversions, widths, precisions and flags.
// args: -q -k @B@/tests/trace/symprog
BEGIN
{
	printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d]\n", 42, 42, 42, 42, 42, 42);
	printf("[%u] [%x] [%X] [%#x] [%o] [%#o]\n", -1, 255, 255, 255, 8, 8);
	printf("[%s] [%10s] [%-10s] [%.3s]\n", "trace", "trace", "trace", "trace");
	printf("[%c%c%c] [%p] [%p] [%%] [%lld] [%hhd]\n", 'a', 98, 0x63, 0x1000, 0, 7, 9);
	printf("[%S] [%12S]\n", "tab\there\n\"q\"", "x\001y");
	printf("[%a] [%a] [%20a]\n", 0x401014, 0x401000, 0x9999);
	printf("[%d] [%i] [%x]\n", 9223372036854775807, -9223372036854775807 - 1, -1);
	printf("no conversions\n");
	exit(0);
}

// quantize and lquantize, printed as DTrace prints them.
// args: -q
BEGIN
{
	@q = quantize(0);
	@q = quantize(1);
	@q = quantize(2);
	@q = quantize(3);
	@q = quantize(5);
	@q = quantize(1000);
	@q = quantize(1023);
	@q = quantize(1024);
	@neg["mixed"] = quantize(-5);
	@neg["mixed"] = quantize(-1);
	@neg["mixed"] = quantize(4);
	@l = lquantize(3, 0, 100, 10);
	@l = lquantize(15, 0, 100, 10);
	@l = lquantize(17, 0, 100, 10);
	@l = lquantize(99, 0, 100, 10);
	@l = lquantize(250, 0, 100, 10);
	@l = lquantize(-4, 0, 100, 10);
	@one = lquantize(7, -10, 10);
	@lat["read", "ns"] = quantize(1 << 20);
	exit(0);
}

/*
 * An error on a later line: its line and column must be right.
 */
syscall:::entry
/pid == 1/
{
	x = 1;
	y = x +
	    "two";
}

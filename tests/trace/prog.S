/* prog.S: functions at known places for the stack and symbol tests:
 * linked at 0x401000, each 16 bytes long (tests/trace/golden/stack.d). */
	.text
	.globl func_a, func_b, func_c
	.type func_a, @function
func_a:	.fill 16, 1, 0x90
	.size func_a, 16
	.type func_b, @function
func_b:	.fill 16, 1, 0x90
	.size func_b, 16
	.type func_c, @function
func_c:	.fill 16, 1, 0x90
	.size func_c, 16

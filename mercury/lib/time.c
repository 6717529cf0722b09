/*
 * time.c: time from the TSC, at the rate the kernel calibrated at boot
 * (BootInfo) and parents pass on to their children (start info).
 */
#include <mercury/runtime.h>

uint64_t merc_tsc_hz;

uint64_t time_ns(void)
{
	uint64_t t = time_tsc(), hz = merc_tsc_hz;

	if (!hz)
		return 0;
	/* Split so that t * 1e9 cannot overflow. */
	return t / hz * 1000000000ull + t % hz * 1000000000ull / hz;
}

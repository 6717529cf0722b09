/* hello.c: a golden-test program for acid's system call tracer: a few
 * plain system calls with paths and buffers, then exit. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	int fd = open("/nonexistent/acid-truss", O_RDONLY);

	write(1, "hello from hello.c\n", 19);
	if (fd >= 0)
		close(fd);
	_exit(3);
}
